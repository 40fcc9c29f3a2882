package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
)

// SavingRows returns the rows EachSavingRow gives for a scope, by adoption
// ID.
func SavingRows(t testing.TB, s kolaborasi.Store, province, region string) []kolaborasi.SavingRow {
	t.Helper()
	out := []kolaborasi.SavingRow{}
	if err := s.EachSavingRow(context.Background(), province, region, func(r *kolaborasi.SavingRow) error {
		out = append(out, *r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, func(x, y kolaborasi.SavingRow) int { return int(x.AdoptionID - y.AdoptionID) })
	return out
}

// testSavingRows follows the compact figures of the money-saved report
// through every write that changes them: an adoption created, accepted,
// given other figures, stopped and declined, and a solution's cost to
// build changed.
func testSavingRows(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	at := time.Date(2026, 3, 8, 10, 30, 0, 0, time.UTC)
	newSolution := func(name string, build int64, synthetic bool) *kolaborasi.Solution {
		t.Helper()
		sol := &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: "32.73", Name: kolaborasi.Texts{ID: name},
			Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
			Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah},
			CostBuild: kolaborasi.Money{IDR: build, Source: "APBD"}, Synthetic: synthetic, CreatedAt: at, UpdatedAt: at}
		AnalyzeSolution(sol)
		if err := s.CreateSolution(ctx, sol); err != nil {
			t.Fatal(err)
		}
		return sol
	}
	hayu, demo := newSolution("Hayu", 500_000_000, false), newSolution("Demo", 0, true)
	newAdoption := func(sol *kolaborasi.Solution, adopter string, state kolaborasi.AdoptionState, planned *kolaborasi.Money, synthetic bool) *kolaborasi.Adoption {
		t.Helper()
		a := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: adopter, SourceRegion: "32.73", Stage: kolaborasi.StageInterest,
			State: state, Planned: planned, Synthetic: synthetic, History: []kolaborasi.AdoptionChange{}, CreatedAt: at, UpdatedAt: at}
		if err := s.CreateAdoption(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	update := func(a *kolaborasi.Adoption) {
		t.Helper()
		if err := s.UpdateAdoption(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	known := func(v int64) kolaborasi.IDRFigure { return kolaborasi.IDRFigure{IDR: v, Known: true} }
	want := func(what string, province, region string, rows ...kolaborasi.SavingRow) {
		t.Helper()
		checkOpenAdoptions(t, s, what)
		if rows == nil {
			rows = []kolaborasi.SavingRow{}
		}
		if diff := cmp.Diff(rows, SavingRows(t, s, province, region)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}

	// A request is not live yet; its acceptance makes it a row.
	a := newAdoption(hayu, "35.72", kolaborasi.AdoptionRequested, &kolaborasi.Money{IDR: 250_000_000, Source: "APBD 2026"}, false)
	want("requested", "", "")
	if got := openAdoptions(t, s); len(got) != 1 || got[0] != [2]any{"35.72", hayu.ID} {
		t.Errorf("open adoptions after a request: %v, want the request", got)
	}
	a.State = kolaborasi.AdoptionAccepted
	update(a)
	rowA := kolaborasi.SavingRow{AdoptionID: a.ID, SolutionID: hayu.ID, AdopterRegion: "35.72", BuildIDR: 500_000_000, Planned: known(250_000_000)}
	want("accepted", "", "", rowA)

	// Created accepted, synthetic, without figures, of a solution without a
	// cost to build.
	b := newAdoption(demo, "35.07", kolaborasi.AdoptionAccepted, nil, true)
	rowB := kolaborasi.SavingRow{AdoptionID: b.ID, SolutionID: demo.ID, AdopterRegion: "35.07", Synthetic: true}
	want("created accepted", "", "", rowA, rowB)

	// Spent known, planned dropped; then a spending of zero is known, not
	// unknown.
	a.Spent, a.Planned = &kolaborasi.Money{IDR: 40_000_000, Source: "Realisasi"}, nil
	update(a)
	rowA.Spent, rowA.Planned = known(40_000_000), kolaborasi.IDRFigure{}
	want("spent", "", "", rowA, rowB)
	a.Spent = &kolaborasi.Money{IDR: 0, Source: "Hibah penuh"}
	update(a)
	rowA.Spent = known(0)
	want("spent zero", "", "", rowA, rowB)

	// The solutions' figures: a cost to build changed, a solution marked
	// synthetic.
	hayu.CostBuild = kolaborasi.Money{IDR: 600_000_000, Source: "APBD 2017"}
	hayu.Synthetic = true
	if err := s.UpdateSolution(ctx, hayu); err != nil {
		t.Fatal(err)
	}
	rowA.BuildIDR, rowA.Synthetic = 600_000_000, true
	demo.CostBuild = kolaborasi.Money{IDR: 90_000_000, Source: "APBD"}
	if err := s.UpdateSolution(ctx, demo); err != nil {
		t.Fatal(err)
	}
	rowB.BuildIDR = 90_000_000
	want("cost to build changed", "", "", rowA, rowB)

	// Scopes: a province's adopters, one region, none.
	want("province", "35", "", rowA, rowB)
	want("region", "", "35.07", rowB)
	want("other province", "32", "")
	want("region elsewhere", "", "32.73")

	// Stopped and declined adoptions are not live.
	a.Stage, a.StopReason = kolaborasi.StageStopped, "anggaran dialihkan"
	update(a)
	want("stopped", "", "", rowB)
	b.State = kolaborasi.AdoptionDeclined
	update(b)
	want("declined", "", "")
	if got := openAdoptions(t, s); len(got) != 0 {
		t.Errorf("open adoptions after stopping and declining all: %v, want none", got)
	}
}

// openAdoptions returns what EachOpenAdoption gives, as (region, solution)
// pairs in order.
func openAdoptions(t testing.TB, s kolaborasi.Store) [][2]any {
	t.Helper()
	var out [][2]any
	if err := s.EachOpenAdoption(context.Background(), func(region string, solution int64) error {
		out = append(out, [2]any{region, solution})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(out, comparePairs)
	return out
}

// checkOpenAdoptions compares EachOpenAdoption with the adoptions
// Adoption.Open keeps of every adoption stored.
func checkOpenAdoptions(t testing.TB, s kolaborasi.Store, what string) {
	t.Helper()
	all, err := s.FindAdoptions(context.Background(), kolaborasi.AdoptionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]any{}
	for _, a := range all {
		if a.Open() {
			want = append(want, [2]any{a.AdopterRegion, a.SolutionID})
		}
	}
	slices.SortFunc(want, comparePairs)
	got := openAdoptions(t, s)
	if got == nil {
		got = [][2]any{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: open adoptions %v, want %v", what, got, want)
	}
}

// comparePairs orders (region, solution) pairs.
func comparePairs(x, y [2]any) int {
	if c := strings.Compare(x[0].(string), y[0].(string)); c != 0 {
		return c
	}
	return int(x[1].(int64) - y[1].(int64))
}
