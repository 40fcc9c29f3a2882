package app_test

import (
	"context"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// cpuTime is the CPU time this process has used (user and system): on a
// shared machine, what a call cost rather than how long it waited.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchApp is a fresh App on SQLite with the reference data.
func benchApp(b *testing.B) *app.App {
	a := app.New(storetest.OpenSQLite(b).Store(), app.WithLogKey(testLogKey))
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkMatchmakingBuild measures building the matchmaking graph from
// scratch (one catalogue search per open need, then match.Build), on
// SQLite with the in-process index:
//
//   - demo: the demo's needs and catalogue;
//   - synthetic: KOLABORASI_BENCH_NEED_SOLUTIONS generated solutions
//     (default 20,000) and KOLABORASI_BENCH_NEEDS needs (default 500)
//     whose texts are other generated solutions' names and descriptions,
//     declared by kabupaten/kota in turn.
//
// Reported: ms per build and µs per need (the per-need search dominates;
// multiply by 5,000 needs for the national estimate in docs/BENCHMARKS.md).
func BenchmarkMatchmakingBuild(b *testing.B) {
	ctx := context.Background()
	sys := as(kolaborasi.System)
	run := func(b *testing.B, a *app.App, partners func() error, needs int) {
		var total, build time.Duration
		cpu0 := cpuTime()
		for b.Loop() {
			a.ForgetMatchmaking()
			start := time.Now()
			if err := partners(); err != nil {
				b.Fatal(err)
			}
			total += time.Since(start)
			build += a.MatchmakingStats().Took
		}
		per, perBuild := total/time.Duration(b.N), build/time.Duration(b.N)
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/call")
		b.ReportMetric(float64(per.Microseconds())/1000, "ms/call")
		b.ReportMetric(float64(perBuild.Microseconds())/1000, "ms/build")
		b.ReportMetric(float64(perBuild.Microseconds())/float64(needs), "µs/need")
	}
	b.Run("demo", func(b *testing.B) {
		a := benchApp(b)
		if err := demo.Seed(sys, a); err != nil {
			b.Fatal(err)
		}
		open, _ := a.OpenNeeds(ctx)
		run(b, a, func() error { _, err := a.RegionPartners(ctx, demo.Blitar); return err }, len(open))
	})
	b.Run("synthetic", func(b *testing.B) {
		a := benchApp(b)
		var regions []string
		rs, err := a.Regions(ctx, kolaborasi.RegionFilter{Autonomous: new(true)})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rs {
			if r.Type != kolaborasi.Province {
				regions = append(regions, r.Code)
			}
		}
		nsol, nneed := envInt("KOLABORASI_BENCH_NEED_SOLUTIONS", 20000), envInt("KOLABORASI_BENCH_NEEDS", 500)
		if err := a.LoadSyntheticSolutions(sys, gen.Solutions(1, nsol, regions)); err != nil {
			b.Fatal(err)
		}
		for i := range nneed {
			s := gen.Solution(2, i, regions)
			n := &kolaborasi.Need{RegionCode: regions[(i*7)%len(regions)], Title: s.Name.ID, Text: s.Short.ID + " " + s.Long.ID,
				Dimension: s.Dimensions[0], Sectors: s.Sectors, Priority: kolaborasi.NeedPriorities[i%3], Synthetic: true}
			if err := a.CreateNeed(sys, n); err != nil {
				b.Fatal(err)
			}
		}
		p, err := a.RegionPartners(ctx, regions[0])
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%d solutions, %d needs; %s: %d pairs, %d cycles", nsol, nneed, regions[0], p.PairsTotal, p.CyclesTotal)
		b.Run("full", func(b *testing.B) {
			run(b, a, func() error { _, err := a.RegionPartners(ctx, regions[0]); return err }, nneed)
		})
		// One need edited: its search again, the others' candidates
		// reused, the graph built again.
		b.Run("one-need", func(b *testing.B) {
			open, err := a.OpenNeeds(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n := open[0]
			var total time.Duration
			for b.Loop() {
				n.Priority = kolaborasi.NeedPriorities[(n.Priority.Weight())%3]
				if err := a.UpdateNeed(sys, n); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if _, err := a.RegionPartners(ctx, regions[0]); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				if st := a.MatchmakingStats(); st.Searches != 1 {
					b.Fatalf("%d searches after one need changed", st.Searches)
				}
			}
			b.ReportMetric(float64((total/time.Duration(b.N)).Microseconds())/1000, "ms/call")
		})
		// The chosen set over a freshly built graph: the graph build is
		// outside the timed part, the Suggest search and the items'
		// lookup inside (the first call after a change pays it).
		b.Run("plan", func(b *testing.B) {
			var total time.Duration
			var p *app.MatchPlan
			for b.Loop() {
				a.ForgetMatchmaking()
				if _, err := a.RegionPartners(ctx, regions[0]); err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if p, err = a.MatchmakingPlan(ctx); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64((total/time.Duration(b.N)).Microseconds())/1000, "ms/call")
			b.Logf("plan: %d exchanges, %d needs met, bound %d, exact %v, %d candidates, truncated %v",
				len(p.Exchanges), p.NeedsMet, p.UpperBound, p.Exact, p.Candidates, p.Truncated)
		})
	})
}
