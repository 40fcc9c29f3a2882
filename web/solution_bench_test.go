package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/store/storetest"
	"github.com/kolaborasi/kolaborasi/web"
)

// BenchmarkSolutionPageRender serves the demo's solution pages
// (GET /solusi/{id}, signed out, Indonesian) through the handler in
// one goroutine, without a network: the CPU and allocations of one page,
// the part of K8's page figure the server controls. The wrk figure in
// docs/BENCHMARKS.md is the one over HTTP.
//
//	go test ./web/ -run '^$' -bench SolutionPageRender -benchmem -count 5
func BenchmarkSolutionPageRender(b *testing.B) {
	ctx := context.Background()
	a := app.New(storetest.OpenSQLite(b).Store(), app.WithEphemeralLogKey())
	if _, err := a.LoadReferenceData(ctx); err != nil {
		b.Fatal(err)
	}
	if err := demo.Seed(ctx, a); err != nil {
		b.Fatal(err)
	}
	h, err := web.New(a, web.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var paths []string
	for id := 1; id <= 12; id++ {
		p := fmt.Sprintf("/solusi/%d", id)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code == http.StatusOK {
			paths = append(paths, p)
		}
	}
	if len(paths) < 5 {
		b.Fatalf("the demo has %d solution pages, want at least 5", len(paths))
	}
	reqs := make([]*http.Request, len(paths))
	for i, p := range paths {
		reqs[i] = httptest.NewRequest(http.MethodGet, p, nil)
	}
	b.ReportAllocs()
	var bytes int
	for i := 0; b.Loop(); i++ {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, reqs[i%len(reqs)])
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", paths[i%len(paths)], rec.Code)
		}
		bytes += rec.Body.Len()
	}
	b.ReportMetric(float64(bytes)/float64(b.N), "B/page")
}
