package app_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// savingsAdopters are the adopter regions of the random savings data: five
// provinces, three regions in 35.
var savingsAdopters = []string{"32.73", "35.72", "35.07", "51.71", "31.71", "73.71", "35.78", "35.15"}

// seedSavings writes nSolutions random solutions and nAdoptions random
// adoptions of them straight to the store: costs to build of zero
// (unknown) and below the spending, adoptions requested, declined,
// stopped and live, with and without figures (a spending of zero among
// them), synthetic ones of both kinds, and amounts from a small set so
// that savings tie.
func seedSavings(t testing.TB, s kolaborasi.Store, seed uint64, nSolutions, nAdoptions int) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 19))
	at := time.Date(2026, 3, 8, 10, 30, 0, 0, time.UTC)
	amount := func() int64 { return int64(r.IntN(40)) * 25_000_000 }
	sols := make([]*kolaborasi.Solution, nSolutions)
	for i := range sols {
		build := kolaborasi.Money{}
		if r.IntN(5) > 0 {
			build = kolaborasi.Money{IDR: amount() + 25_000_000, Source: "APBD"}
		}
		sols[i] = &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: "11.71", Name: kolaborasi.Texts{ID: fmt.Sprintf("Solusi %d", i)},
			Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
			Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}, CostBuild: build,
			Synthetic: r.IntN(10) == 0, CreatedAt: at, UpdatedAt: at}
	}
	if err := s.CreateSolutions(ctx, sols); err != nil {
		t.Fatal(err)
	}
	open := map[string]bool{}
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		for range nAdoptions {
			sol, adopter := sols[r.IntN(len(sols))], savingsAdopters[r.IntN(len(savingsAdopters))]
			a := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: adopter, SourceRegion: sol.RegionCode,
				Stage: kolaborasi.StageLive, State: kolaborasi.AdoptionAccepted, Synthetic: r.IntN(10) == 0,
				History: []kolaborasi.AdoptionChange{}, CreatedAt: at, UpdatedAt: at}
			switch r.IntN(10) {
			case 0:
				a.State, a.Stage = kolaborasi.AdoptionRequested, kolaborasi.StageInterest
			case 1:
				a.State, a.Stage = kolaborasi.AdoptionDeclined, kolaborasi.StageInterest
			case 2:
				a.Stage = kolaborasi.StageStopped
			case 3:
				a.Stage = kolaborasi.StagePilot
			}
			if r.IntN(3) > 0 {
				a.Planned = &kolaborasi.Money{IDR: amount(), Source: "RKA"}
			}
			if r.IntN(2) == 0 {
				a.Spent = &kolaborasi.Money{IDR: amount(), Source: "Realisasi"}
			}
			key := fmt.Sprint(sol.ID, adopter)
			if a.Open() {
				if open[key] {
					continue // a region has one open adoption of a solution
				}
				open[key] = true
			}
			if err := tx.CreateAdoption(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// oldSavings is the report as App.Savings computed it before the compact
// rows: every accepted adoption of the scope decoded (FindAdoptions),
// every solution they adopt, kolaborasi.SavingOf per live adoption, and
// every adoption with a saving as an item (here in the report's order).
func oldSavings(ctx context.Context, a *app.App, s kolaborasi.Store, scope, code string) (*app.SavingsReport, error) {
	f := kolaborasi.AdoptionFilter{State: kolaborasi.AdoptionAccepted}
	part := func(ad *kolaborasi.Adoption) (string, string) { return "", "" }
	switch scope {
	case "nation":
		part = func(ad *kolaborasi.Adoption) (string, string) { return "province", ad.AdopterRegion[:2] }
	case "province":
		f.Province = code
		part = func(ad *kolaborasi.Adoption) (string, string) { return "region", ad.AdopterRegion }
	case "region":
		f.AdopterRegion = code
	}
	all, err := s.FindAdoptions(ctx, f)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, ad := range all {
		ids = append(ids, ad.SolutionID)
	}
	byID, err := a.SolutionsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	rep := &app.SavingsReport{Total: kolaborasi.SavingsTotal{Scope: scope, Code: code}, Parts: []kolaborasi.SavingsTotal{}, Items: []app.AdoptionSaving{}}
	parts := map[string]*kolaborasi.SavingsTotal{}
	for _, ad := range all {
		sol := byID[ad.SolutionID]
		if !ad.Live() || sol == nil {
			continue
		}
		sv := kolaborasi.SavingOf(sol.CostBuild, ad)
		if sv.Saved != nil {
			rep.Items = append(rep.Items, app.AdoptionSaving{Adoption: ad, Solution: sol.Name.Get("id"), Saving: sv})
		}
		totals := []*kolaborasi.SavingsTotal{&rep.Total}
		if ps, pc := part(ad); ps != "" {
			if parts[pc] == nil {
				parts[pc] = &kolaborasi.SavingsTotal{Scope: ps, Code: pc}
			}
			totals = append(totals, parts[pc])
		}
		for _, t := range totals {
			t.Adoptions++
			if sv.Saved != nil {
				t.WithFigures++
				t.SavedIDR += *sv.Saved
				if sv.Basis == "planned" {
					t.Planned++
				}
				if ad.Synthetic || sol.Synthetic {
					t.Synthetic++
				}
			}
		}
	}
	for _, p := range parts {
		rep.Parts = append(rep.Parts, *p)
	}
	slices.SortFunc(rep.Parts, func(x, y kolaborasi.SavingsTotal) int { return strings.Compare(x.Code, y.Code) })
	slices.SortFunc(rep.Items, func(x, y app.AdoptionSaving) int {
		return cmp.Or(cmp.Compare(*y.Saving.Saved, *x.Saving.Saved), cmp.Compare(x.Adoption.ID, y.Adoption.ID))
	})
	return rep, nil
}

// The report from the compact rows has the totals the old method had,
// over random data, and lists the 100 largest of the savings it listed,
// in order, each as it was.
func TestSavingsFromCompactRowsMatchTheOldMethod(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		ctx := context.Background()
		seedSavings(t, db.Store(), 7, 60, 600)
		for _, sc := range []struct{ scope, code string }{
			{"nation", ""}, {"province", "35"}, {"province", "32"}, {"region", "35.72"}, {"region", "11.71"},
		} {
			t.Run(sc.scope+sc.code, func(t *testing.T) {
				old, err := oldSavings(ctx, a, db.Store(), sc.scope, sc.code)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := a.Savings(ctx, sc.scope, sc.code)
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(old.Total, rep.Total); diff != "" {
					t.Errorf("total (-old +new):\n%s", diff)
				}
				if diff := gocmp.Diff(old.Parts, rep.Parts); diff != "" {
					t.Errorf("parts (-old +new):\n%s", diff)
				}
				if rep.ItemsOf != len(old.Items) || rep.ItemsOf != rep.Total.WithFigures || rep.ItemsLimit != app.MaxSavingsItems {
					t.Errorf("items of %d (limit %d), want %d (with figures %d)", rep.ItemsOf, rep.ItemsLimit, len(old.Items), rep.Total.WithFigures)
				}
				want := old.Items[:min(len(old.Items), app.MaxSavingsItems)]
				if diff := gocmp.Diff(want, rep.Items); diff != "" {
					t.Errorf("items (-old's largest +new):\n%s", diff)
				}
				if sc.scope == "nation" && len(old.Items) <= app.MaxSavingsItems {
					t.Errorf("only %d savings in the nation: the data does not test the limit", len(old.Items))
				}
				t.Logf("%d live adoptions, %d with a saving", rep.Total.Adoptions, rep.ItemsOf)
			})
		}
	})
}

// BenchmarkSavingsReport computes the national report, without the cache,
// over 20,000 adoptions of 5,000 solutions (about 14,000 live), the old
// way (every accepted adoption and its solution decoded, oldSavings) and
// the new (compact rows, the 100 largest loaded), in the same run:
//
//	KOLABORASI_TEST_POSTGRES=postgres://... go test ./app/ -run '^$' -bench SavingsReport -count 5
func BenchmarkSavingsReport(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": regions.Open}
	if storetest.WantPostgres() {
		engines["postgres"] = storetest.OpenPostgres
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open := engines[name]
		if open == nil {
			continue
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			db := open(b)
			a := app.New(db.Store(), app.WithEphemeralLogKey())
			if _, err := a.LoadReferenceData(ctx); err != nil {
				b.Fatal(err)
			}
			seedSavings(b, db.Store(), 11, 5000, 20000)
			if db.Engine() == store.Postgres {
				// What autovacuum does after a bulk load on a server: without
				// statistics and the visibility map, PostgreSQL reads the
				// fresh tables' rows rather than the covering indexes alone
				// (42 ms rather than 5 for the rows at this size).
				w, _ := db.Pools()
				for _, table := range []string{"adoptions", "solutions"} {
					if _, err := w.ExecContext(ctx, "VACUUM ANALYZE "+table); err != nil {
						b.Fatal(err)
					}
				}
			}
			rep, err := a.ComputeSavings(ctx, "nation", "")
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%d live adoptions, %d with a saving", rep.Total.Adoptions, rep.ItemsOf)
			b.Run("old", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := oldSavings(ctx, a, db.Store(), "nation", ""); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("new", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := a.ComputeSavings(ctx, "nation", ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
