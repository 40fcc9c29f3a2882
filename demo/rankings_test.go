package demo

import (
	"context"
	"math"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// The demo index shows the article's 200 → 1 for Kota Bandung, and
// Blitar's live adoption gives an impact estimate that finds the nine
// points built into the synthetic series.
func TestSeedRankingsAndImpact(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	if err := Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	r, err := a.Ranking(ctx, SmartCityIndex)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Index.Synthetic || len(r.Regions) != 514 || len(r.Periods) != 11 {
		t.Fatalf("index %+v over %d regions, %d periods", r.Index, len(r.Regions), len(r.Periods))
	}
	for _, h := range r.History(Bandung) {
		var year int
		for _, c := range h.Period {
			year = year*10 + int(c-'0')
		}
		if !h.Ranked || h.Rank != bandungRanks[year] || h.Of != 514 {
			t.Errorf("Bandung %s: rank %d of %d, want %d", h.Period, h.Rank, h.Of, bandungRanks[year])
		}
	}

	ads, err := a.Adoptions(ctx, kolaborasi.AdoptionFilter{AdopterRegion: Blitar, Stage: kolaborasi.StageLive})
	if err != nil || len(ads) != 1 {
		t.Fatalf("Blitar's live adoptions %v, %v", ads, err)
	}
	if got := ads[0].WentLive(); !got.Equal(bccLive) {
		t.Fatalf("went live %v, want %v", got, bccLive)
	}
	choices, err := a.ImpactIndicators(ctx, ads[0])
	if err != nil || len(choices) < 3 || choices[0].Dimension != kolaborasi.DimGovernance {
		t.Fatalf("choices %v, %v", choices, err)
	}
	imp, err := a.AdoptionImpact(ctx, ads[0].ID, "layanan.daring")
	if err != nil {
		t.Fatal(err)
	}
	res := imp.Result
	if !res.OK() || imp.LiveFrom != "2021" || res.Comparison.N < 20 {
		t.Fatalf("impact %+v", imp)
	}
	if res.Low > 9 || res.High < 9 || math.Abs(res.Effect-9) > 2 {
		t.Errorf("effect %.2f [%.2f, %.2f], want about 9", res.Effect, res.Low, res.High)
	}
}
