package kolaborasi

import (
	"testing"
	"time"
)

func TestAdoptionStagesAndSaving(t *testing.T) {
	for i, s := range AdoptionStages[:len(AdoptionStages)-1] {
		if s.Rank() != i || !s.Valid() {
			t.Errorf("%s: rank %d, valid %v", s, s.Rank(), s.Valid())
		}
	}
	if StageStopped.Rank() != -1 || AdoptionStage("x").Valid() || AdoptionStage("").Valid() {
		t.Error("stopped and unknown stages rank or validate wrongly")
	}
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	a := &Adoption{State: AdoptionAccepted, Stage: StageEvaluated, History: []AdoptionChange{
		{At: day(1), Event: "requested", From: StageInterest, To: StageInterest},
		{At: day(2), Event: "stage", From: StageInterest, To: StagePilot},
		{At: day(3), Event: "stage", From: StagePilot, To: StageLive},
		{At: day(4), Event: "stage", From: StageLive, To: StageEvaluated}}}
	if !a.Live() || a.Open() != true || !a.WentLive().Equal(day(3)) {
		t.Errorf("live %v open %v went live %v", a.Live(), a.Open(), a.WentLive())
	}
	a.Stage = StageStopped
	if a.Live() || a.Open() {
		t.Error("a stopped adoption is live or open")
	}

	build := Money{IDR: 1000, Source: "APBD"}
	for name, c := range map[string]struct {
		build          Money
		planned, spent *Money
		basis          string
		saved          *int64
	}{
		"spent beats planned": {build, &Money{IDR: 300, Source: "RKA"}, &Money{IDR: 100, Source: "SP2D"}, "spent", adoptionIDR(900)},
		"planned for want":    {build, &Money{IDR: 300, Source: "RKA"}, nil, "planned", adoptionIDR(700)},
		"zero spent is known": {build, nil, &Money{IDR: 0, Source: "hibah"}, "spent", adoptionIDR(1000)},
		"negative":            {build, nil, &Money{IDR: 1500, Source: "SP2D"}, "spent", adoptionIDR(-500)},
		"unknown spending":    {build, nil, nil, "", nil},
		"unknown build":       {Money{Source: "sources disagree"}, nil, &Money{IDR: 1, Source: "x"}, "spent", nil},
	} {
		s := SavingOf(c.build, &Adoption{Planned: c.planned, Spent: c.spent})
		if s.Basis != c.basis || (s.Saved == nil) != (c.saved == nil) || s.Saved != nil && *s.Saved != *c.saved {
			t.Errorf("%s: %+v", name, s)
		}
		if want := map[string]*Money{"spent": c.spent, "planned": c.planned}[c.basis]; s.Spending != want {
			t.Errorf("%s: spending %v, want the %s figure %v", name, s.Spending, c.basis, want)
		}
		// The report's compact row gives the same by the same rule.
		row := SavingRow{BuildIDR: c.build.IDR}
		if c.spent != nil {
			row.Spent = IDRFigure{IDR: c.spent.IDR, Known: true}
		}
		if c.planned != nil {
			row.Planned = IDRFigure{IDR: c.planned.IDR, Known: true}
		}
		if saved, basis, ok := row.Saved(); basis != c.basis || ok != (c.saved != nil) || ok && saved != *c.saved {
			t.Errorf("%s: row saved %d, %q, %v", name, saved, basis, ok)
		}
	}
}

func adoptionIDR(v int64) *int64 { return &v }
