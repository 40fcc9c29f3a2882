package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/internal/benchdata"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/web"
)

// BenchmarkCatalogHTTP runs the catalog benchmark's 200-query mix against
// GET /api/v1/solutions over real HTTP (loopback, keep-alive), on the
// national data set (internal/benchdata), with 1 and 8 concurrent clients.
// It reports p50/p99 latency and queries/second; docs/BENCHMARKS.md has the
// numbers beside the in-process ones.
//
//	KOLABORASI_TEST_POSTGRES=postgres://... go test ./web/ -run '^$' -bench CatalogHTTP -benchtime 3x -timeout 60m
func BenchmarkCatalogHTTP(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", benchdata.SQLite}, {"postgres", benchdata.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			ctx := context.Background()
			db := engine.open(b)
			a := app.New(db.Store(), app.WithEphemeralLogKey())
			if err := a.WarmCatalogIndex(ctx); err != nil {
				b.Fatal(err)
			}
			h, err := web.New(a, web.Config{})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
			var urls []string
			for _, q := range gen.QueryMix(benchdata.Seed, 200, benchdata.Regions(b, a)) {
				v := url.Values{"q": {q.Q}}
				if q.Facet != "" {
					v.Set(q.Facet, q.Value)
				}
				urls = append(urls, srv.URL+"/api/v1/solutions?"+v.Encode())
			}
			fetch := func(u string) time.Duration { return timedGet(b, client, u, 200, 400) }
			for _, u := range urls { // warm caches, untimed
				fetch(u)
			}
			for _, clients := range []int{1, 8} {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					var mu sync.Mutex
					var lat []time.Duration
					start := time.Now()
					for b.Loop() {
						work := make(chan string)
						var wg sync.WaitGroup
						for range clients {
							wg.Go(func() {
								var mine []time.Duration
								for u := range work {
									mine = append(mine, fetch(u))
								}
								mu.Lock()
								lat = append(lat, mine...)
								mu.Unlock()
							})
						}
						for _, u := range urls {
							work <- u
						}
						close(work)
						wg.Wait()
					}
					wall := time.Since(start)
					slices.Sort(lat)
					ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
					b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
					b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
					b.ReportMetric(float64(len(lat))/wall.Seconds(), "qps")
				})
			}
		})
	}
}

// timedGet fetches u, reads the whole answer and returns how long that took;
// a status other than ok fails the benchmark.
func timedGet(b *testing.B, client *http.Client, u string, ok ...int) time.Duration {
	start := time.Now()
	resp, err := client.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if !slices.Contains(ok, resp.StatusCode) {
		b.Fatalf("%s: %d", u, resp.StatusCode)
	}
	return time.Since(start)
}
