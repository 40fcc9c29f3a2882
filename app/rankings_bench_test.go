package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// BenchmarkRankingEndToEnd measures one ranking of 514 regions × 20
// indicators × 10 periods from a SQLite database: reading the index, its
// indicators and the region set, the 102,800 observations in one query,
// and ranking every period (a cache miss); and the same request served
// from the cache (the counter and definitions read, nothing computed).
func BenchmarkRankingEndToEnd(b *testing.B) {
	db := storetest.OpenSQLite(b)
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	if _, err := a.LoadReferenceData(ctx); err != nil {
		b.Fatal(err)
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		b.Fatal(err)
	}
	ci := &kolaborasi.CompositeIndex{Slug: "bench", Name: kolaborasi.Texts{ID: "Bench"}, Normalisation: "minmax", Missing: "reweight",
		MinCoverage: 0.5, RegionSet: kolaborasi.RegionSetAll}
	rng := rand.New(rand.NewPCG(1, 1))
	var csv strings.Builder
	csv.WriteString("region_code,indicator_code,period,value\n")
	for i := range 20 {
		code := fmt.Sprintf("custom.bench-%02d", i)
		dir := kolaborasi.HigherIsBetter
		if i%3 == 0 {
			dir = kolaborasi.LowerIsBetter
		}
		ind := &kolaborasi.Indicator{Code: code, Framework: kolaborasi.FrameworkCustom, Name: kolaborasi.Texts{ID: code}, Unit: "u",
			Direction: dir, PeriodKind: kolaborasi.Yearly, Source: "bench"}
		if err := a.SaveIndicator(ctx, ind, true); err != nil {
			b.Fatal(err)
		}
		ci.Components = append(ci.Components, kolaborasi.IndexComponent{Indicator: code, Weight: float64(1 + i%5)})
		for region := range names {
			if len(region) != 5 {
				continue
			}
			for y := 2016; y <= 2025; y++ {
				fmt.Fprintf(&csv, "%s,%s,%d,%g\n", region, code, y, rng.Float64()*float64(1+i%5)*100)
			}
		}
	}
	if _, err := a.ImportObservations(ctx, "", strings.NewReader(csv.String()), obsfile.CSV, 0); err != nil {
		b.Fatal(err)
	}
	if err := a.SaveCompositeIndex(ctx, ci, true); err != nil {
		b.Fatal(err)
	}
	b.Run("uncached", func(b *testing.B) {
		for b.Loop() {
			r, err := a.RankingUncached(ctx, "bench")
			if err != nil || len(r.Periods) != 10 || len(r.Periods[9].Results) != 514 {
				b.Fatalf("%v", err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, err := a.Ranking(ctx, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
