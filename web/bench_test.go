package web_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/internal/benchdata"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/web"
)

// benchEngines are the engines of the national data set.
var benchEngines = []struct {
	name string
	open func(testing.TB) *store.DB
}{{"sqlite", benchdata.SQLite}, {"postgres", benchdata.Postgres}}

// nationalServer serves the national data set (internal/benchdata) of the
// engine over real HTTP on loopback, the catalog index warmed.
func nationalServer(b *testing.B, open func(testing.TB) *store.DB) (*httptest.Server, *app.App) {
	db := open(b)
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	if err := a.WarmCatalogIndex(context.Background()); err != nil {
		b.Fatal(err)
	}
	h, err := web.New(a, web.Config{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv, a
}

// BenchmarkCatalogHTTP sends the catalog benchmark's 200-query mix (in
// turn, b.N queries) to GET /api/v1/solutions?page[size]=25 over real HTTP
// (loopback, keep-alive), on the national data set, with 1, 8 and 64
// concurrent clients, after one untimed pass, and with 8 clients while a
// writer saves 20 solutions a second (benchdata.StartWriter). It reports p50/p99 latency,
// queries/second, the samples and the clients; docs/BENCHMARKS.md has the
// numbers beside the in-process ones.
//
//	KOLABORASI_TEST_POSTGRES=postgres://... go test ./web/ -run '^$' -bench CatalogHTTP -benchtime 2000x -timeout 60m
func BenchmarkCatalogHTTP(b *testing.B) {
	for _, engine := range benchEngines {
		b.Run(engine.name, func(b *testing.B) {
			srv, a := nationalServer(b, engine.open)
			var urls []string
			for _, q := range gen.QueryMix(benchdata.Seed, 200, benchdata.Regions(b, a)) {
				urls = append(urls, srv.URL+q.APIPath(25))
			}
			client := keepAlive(64)
			for _, u := range urls { // warm caches, untimed
				timedGet(b, client, u, 200, 400)
			}
			for _, clients := range []int{1, 8, 64} {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					hammer(b, client, clients, "qps", func(i int) string { return urls[i%len(urls)] }, 200, 400)
				})
			}
			// K10 and K8 over HTTP: 8 clients while one writer saves 20
			// solutions a second through the app.
			b.Run("clients=8/writer=20", func(b *testing.B) {
				stop := benchdata.StartWriter(a, 20)
				hammer(b, client, 8, "qps", func(i int) string { return urls[i%len(urls)] }, 200, 400)
				perSec, err := stop()
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(perSec, "writes/s")
			})
		})
	}
}

// BenchmarkReadsHTTP loads the catalog's plain reads over real HTTP from
// 64 concurrent keep-alive clients on the national data set: "list" is
// GET /api/v1/solutions?page[size]=25 (the first page, newest first),
// "item" GET /api/v1/solutions/{id} and "page" the solution's page
// GET /solusi/{id}, both for random IDs. b.N requests per run, after one
// request per client to warm the connections; it reports requests/second,
// p50/p99 latency, the samples and the clients.
//
//	KOLABORASI_TEST_POSTGRES=postgres://... go test ./web/ -run '^$' -bench ReadsHTTP -benchtime 2000x -timeout 60m
func BenchmarkReadsHTTP(b *testing.B) {
	for _, engine := range benchEngines {
		b.Run(engine.name, func(b *testing.B) {
			srv, _ := nationalServer(b, engine.open)
			n := benchdata.Size()
			for _, read := range []struct {
				name string
				url  func(r *rand.Rand) string
			}{
				{"list", func(*rand.Rand) string { return srv.URL + "/api/v1/solutions?page%5Bsize%5D=25" }},
				{"item", func(r *rand.Rand) string { return fmt.Sprintf("%s/api/v1/solutions/%d", srv.URL, 1+r.IntN(n)) }},
				{"page", func(r *rand.Rand) string { return fmt.Sprintf("%s/solusi/%d", srv.URL, 1+r.IntN(n)) }},
			} {
				b.Run(read.name+"/clients=64", func(b *testing.B) {
					const clients = 64
					client := keepAlive(clients)
					r := rand.New(rand.NewPCG(benchdata.Seed, 7))
					urls := make([]string, max(b.N, clients))
					for i := range urls {
						urls[i] = read.url(r)
					}
					for _, u := range urls[:clients] {
						timedGet(b, client, u, 200)
					}
					hammer(b, client, clients, "req/s", func(i int) string { return urls[i] }, 200)
				})
			}
		})
	}
}

// keepAlive is an HTTP client that keeps up to clients connections open.
func keepAlive(clients int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
}

// hammer fetches urlOf(0) … urlOf(b.N-1) from the given number of
// concurrent clients, each taking the next index when it is free, and
// reports the rate (per second, under the unit rate), p50/p99 latency to
// the end of the body, the number of samples and the clients. A status
// not in ok fails the benchmark.
func hammer(b *testing.B, client *http.Client, clients int, rate string, urlOf func(i int) string, ok ...int) {
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				lat[i] = timedGet(b, client, urlOf(int(i)), ok...)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), rate)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(b.N), "samples")
	b.ReportMetric(float64(clients), "clients")
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
