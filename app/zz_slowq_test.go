package app_test

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"slices"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/internal/benchdata"
)

func TestZZSlowQueries(t *testing.T) {
	if os.Getenv("ZZ_SLOWQ") == "" {
		t.Skip()
	}
	db := benchdata.SQLite(t)
	a := app.New(db.Store())
	ctx := context.Background()
	if err := a.WarmCatalogIndex(ctx); err != nil {
		t.Fatal(err)
	}
	mix := gen.QueryMix(benchdata.Seed, 200, benchdata.Regions(t, a))
	s := appSearch(a)
	type row struct {
		q     gen.Query
		med   time.Duration
		total int
	}
	var rows []row
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for range 3 {
		c0 := cpu()
		for range 5 {
			for _, q := range mix {
				s(ctx, q)
			}
		}
		fmt.Printf("CPU per query: %.3f ms\n", float64(cpu()-c0)/1e6/float64(5*len(mix)))
	}
	for _, q := range mix {
		var ds []time.Duration
		n := 0
		for range 9 {
			t0 := time.Now()
			n, _ = s(ctx, q)
			ds = append(ds, time.Since(t0))
		}
		slices.Sort(ds)
		rows = append(rows, row{q, ds[4], n})
	}
	slices.SortFunc(rows, func(a, b row) int { return int(b.med - a.med) })
	var sum time.Duration
	for _, r := range rows {
		sum += r.med
	}
	fmt.Printf("sum of medians %v over %d queries\n", sum, len(rows))
	for _, r := range rows[:25] {
		fmt.Printf("%8.2f ms  total %6d  q=%q facet=%s:%s\n", float64(r.med)/1e6, r.total, r.q.Q, r.q.Facet, r.q.Value)
	}
}
