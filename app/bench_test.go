package app_test

// Benchmarks of the catalog at national scale (docs/BENCHMARKS.md, "K3
// catalog"). They run only with -bench, for example
//
//	KOLABORASI_TEST_POSTGRES=postgres://... go test ./app/ -run '^$' -bench CatalogSearch -benchtime 5x -timeout 60m
//
// The data set (KOLABORASI_BENCH_SOLUTIONS, default 165000, seed 1) is built
// once per engine and kept: the SQLite file in the temporary folder, the
// PostgreSQL schema in the test server, both named by seed, size and a hash
// of the migrations.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/catalog"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/internal/benchdata"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// searchFunc runs one query of the mix.
type searchFunc func(ctx context.Context, q gen.Query) (int, error)

// pageSize is the page every path of the comparison reads.
const pageSize = 25

func appSearch(a *app.App) searchFunc {
	return func(ctx context.Context, q gen.Query) (int, error) {
		sq := app.SolutionQuery{Q: q.Q, Size: pageSize}
		if q.Facet != "" {
			sq.Facets = map[string][]string{q.Facet: {q.Value}}
		}
		r, err := a.SearchSolutions(ctx, sq)
		if err != nil {
			return 0, err
		}
		return r.Total, nil
	}
}

// baselineWorkMem is the work_mem of the baseline's connections:
// KOLABORASI_BENCH_WORK_MEM, default PostgreSQL's own 4MB.
func baselineWorkMem() string {
	if v := os.Getenv("KOLABORASI_BENCH_WORK_MEM"); v != "" {
		return v
	}
	return "4MB"
}

// baselineSearch is PostgreSQL's own full-text search done plainly, over
// the data set's baseline_docs (to_tsvector('indonesian', name, short and
// long texts) with a GIN index): one statement for the top 25 by ts_rank,
// one grouped count of every facet value over the matches (the total is
// the kind counts' sum: a solution has one kind); retired solutions left
// out, the query's facet filter applied in both. Its connections set
// work_mem (baselineWorkMem), which the benchmark reports.
func baselineSearch(b *testing.B) (searchFunc, *sql.DB) {
	pool, err := sql.Open("pgx", benchdata.PostgresURL(b, "work_mem", baselineWorkMem()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { pool.Close() })
	const match = ` FROM baseline_docs d JOIN solutions s ON s.id = d.id, websearch_to_tsquery('indonesian', $1) q
		WHERE d.tsv @@ q AND s.maturity <> 'retired'`
	const filter = ` AND EXISTS (SELECT 1 FROM solution_facets x WHERE x.solution_id = d.id AND x.facet = $2 AND x.value = $3)`
	return func(ctx context.Context, qu gen.Query) (int, error) {
		where, args := match, []any{qu.Q}
		if qu.Facet != "" {
			where += filter
			args = append(args, qu.Facet, qu.Value)
		}
		rows, err := pool.QueryContext(ctx, `SELECT s.id, s.data`+where+` ORDER BY ts_rank(d.tsv, q) DESC, s.id DESC LIMIT `+strconv.Itoa(pageSize), args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id int64
			var data string
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return 0, err
			}
		}
		rows.Close()
		rows, err = pool.QueryContext(ctx, `SELECT f.facet, f.value, count(*)`+strings.Replace(where, " FROM baseline_docs d", " FROM baseline_docs d JOIN solution_facets f ON f.solution_id = d.id", 1)+
			` GROUP BY f.facet, f.value`, args...)
		if err != nil {
			return 0, err
		}
		total := 0
		for rows.Next() {
			var f, v string
			var c int
			if err := rows.Scan(&f, &v, &c); err != nil {
				rows.Close()
				return 0, err
			}
			if f == kolaborasi.FacetKind {
				total += c
			}
		}
		rows.Close()
		return total, rows.Err()
	}, pool
}

// runMix runs the query mix b.N times with the given number of concurrent
// clients and reports latency percentiles and throughput.
func runMix(b *testing.B, clients int, mix []gen.Query, search searchFunc) {
	ctx := context.Background()
	// One untimed pass warms caches (and builds the in-process index).
	for _, q := range mix {
		if _, err := search(ctx, q); err != nil {
			b.Fatalf("%q: %v", q.Q, err)
		}
	}
	total := len(mix) * b.N
	lat := make([]time.Duration, total)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= total {
					return
				}
				t0 := time.Now()
				if _, err := search(ctx, mix[i%len(mix)]); err != nil {
					failed.Store(err)
					return
				}
				lat[i] = time.Since(t0)
				// A client waits for its answer before it asks again, and
				// the goroutines of a server block on the network between
				// requests. A loop that never blocks would keep its
				// processor until the scheduler preempts it (10 ms), and
				// the searches queued behind it would measure that time
				// slice, not the search (docs/BENCHMARKS.md, K10).
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(lat[total/2]), "p50-ms")
	b.ReportMetric(ms(lat[total*99/100]), "p99-ms")
	b.ReportMetric(float64(total)/wall.Seconds(), "qps")
	b.ReportMetric(float64(total), "samples")
	b.ReportMetric(float64(clients), "clients")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkCatalogSearch runs the 200-query mix on each engine through the
// app with the in-process index ("index"), through the app on the SQL
// full-text path ("sql"), and on PostgreSQL the native baseline
// ("pg-native"), each with 1 and 8 clients.
func BenchmarkCatalogSearch(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": benchdata.SQLite, "postgres": benchdata.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := engines[name](b)
			a := app.New(db.Store(), app.WithLogKey(testLogKey))
			regions := benchdata.Regions(b, a)
			mix := gen.QueryMix(benchdata.Seed, 200, regions)
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			before := ms.HeapAlloc
			start := time.Now()
			if _, err := a.SearchSolutions(context.Background(), app.SolutionQuery{Q: "layanan"}); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.Logf("%s: in-process index of %d solutions built in %s, heap +%d MB", name, benchdata.Size(),
				time.Since(start).Round(time.Millisecond), (int64(ms.HeapAlloc)-int64(before))>>20)
			paths := []struct {
				name   string
				search searchFunc
			}{
				{"index", appSearch(a)},
				{"sql", appSearch(app.New(db.Store(), app.WithLogKey(testLogKey), app.WithoutCatalogIndex()))},
			}
			workMemKB := 0
			if name == "postgres" {
				search, pool := baselineSearch(b)
				if err := pool.QueryRow(`SELECT setting::int FROM pg_settings WHERE name = 'work_mem'`).Scan(&workMemKB); err != nil {
					b.Fatal(err)
				}
				b.Logf("pg-native baseline: work_mem %d kB", workMemKB)
				paths = append(paths, struct {
					name   string
					search searchFunc
				}{"pg-native", search})
			}
			for _, p := range paths {
				for _, clients := range []int{1, 8} {
					b.Run(fmt.Sprintf("%s/clients=%d", p.name, clients), func(b *testing.B) {
						runMix(b, clients, mix, p.search)
						if p.name == "pg-native" {
							b.ReportMetric(float64(workMemKB), "work_mem-kB")
						}
					})
				}
			}
		})
	}
}

// BenchmarkCatalogMixedLoad runs the query mix with 8 clients on the
// in-process index while one writer saves 20 solutions a second through the
// app (an edit of a random stored solution: a new version, its audit row,
// and the index's catch-up before the write returns). It reports search
// latency, the writes achieved, how long searches waited for a catch-up
// and how many gave up waiting after 5 ms (CatalogIndexStats).
func BenchmarkCatalogMixedLoad(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": benchdata.SQLite, "postgres": benchdata.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := engines[name](b)
			a := app.New(db.Store())
			ctx := context.Background()
			if err := a.WarmCatalogIndex(ctx); err != nil {
				b.Fatal(err)
			}
			mix := gen.QueryMix(benchdata.Seed, 200, benchdata.Regions(b, a))
			stop := benchdata.StartWriter(a, 20)
			before := a.CatalogIndexStats()
			runMix(b, 8, mix, appSearch(a))
			perSec, err := stop()
			if err != nil {
				b.Fatal(err)
			}
			st := a.CatalogIndexStats()
			b.ReportMetric(perSec, "writes/s")
			b.ReportMetric(float64(st.Waits-before.Waits), "catchup-waits")
			b.ReportMetric(float64(st.MaxWait)/float64(time.Millisecond), "max-wait-ms")
			b.ReportMetric(float64(st.Late-before.Late), "late-searches")
		})
	}
}

// BenchmarkImportPublicCode imports the real publiccode.yml files that
// validate, repeated to 10,000 imports, through the app on SQLite (parse,
// validate, map, store a new version, audit row) and reports files/second.
func BenchmarkImportPublicCode(b *testing.B) {
	paths, _ := filepath.Glob("../publiccode/testdata/real/*.yml")
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	db := storetest.OpenSQLite(b)
	a := app.New(db.Store(), app.WithLogKey(testLogKey))
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		b.Fatal(err)
	}
	ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	b.ResetTimer()
	start := time.Now()
	n := 0
	for range b.N {
		for i := range 10000 {
			_, _, _ = a.ImportPublicCode(ctx, "32.73", files[i%len(files)])
			n++
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "files/s")
}

// BenchmarkCatalogIndexBuild builds the in-process indexes of the national
// data set from scratch (no persisted snapshot), as a server copy does at
// its first start before /readyz answers 200 (K8.2), and reports the time
// and the heap they hold.
func BenchmarkCatalogIndexBuild(b *testing.B) { benchIndexStart(b, false) }

// BenchmarkCatalogIndexLoad starts the in-process indexes of the national
// data set from their persisted snapshots (saved once before the timing),
// as a server copy does at every later start.
func BenchmarkCatalogIndexLoad(b *testing.B) { benchIndexStart(b, true) }

func benchIndexStart(b *testing.B, load bool) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": benchdata.SQLite, "postgres": benchdata.Postgres}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := engines[name](b)
			ctx := context.Background()
			opt := app.WithIndexSnapshotMin(-1)
			if load {
				opt = app.WithIndexSnapshotMin(0)
				a := app.New(db.Store(), opt)
				if err := a.WarmCatalogIndex(ctx); err != nil {
					b.Fatal(err)
				}
				if err := a.SaveIndexSnapshots(ctx); err != nil {
					b.Fatal(err)
				}
				snap, err := db.Store().IndexSnapshot(ctx, "catalog")
				if err != nil || snap == nil {
					b.Fatal(snap, err)
				}
				start := time.Now()
				idx, err := catalog.Decode(snap.Data)
				if err != nil {
					b.Fatal(err)
				}
				decoded := time.Since(start)
				start = time.Now()
				data := idx.Snapshot().Encode()
				encoded := time.Since(start)
				start = time.Now()
				// The same number again: the parts are written, then dropped.
				if _, err := db.Store().SaveIndexSnapshot(ctx, "catalog", kolaborasi.IndexSnapshot{Key: snap.Key, Seq: snap.Seq, Data: data}, time.Now()); err != nil {
					b.Fatal(err)
				}
				b.Logf("catalog snapshot: %d bytes; decode %s, encode %s, store write and drop %s", len(snap.Data), decoded, encoded, time.Since(start))
			}
			var heap uint64
			var total time.Duration
			for range b.N {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				a := app.New(db.Store(), opt)
				start := time.Now()
				if err := a.WarmCatalogIndex(ctx); err != nil {
					b.Fatal(err)
				}
				if err := a.Ready(ctx); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				if a.CatalogIndexStats().Loaded != load {
					b.Fatalf("loaded %v, want %v", a.CatalogIndexStats().Loaded, load)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = after.HeapAlloc - before.HeapAlloc
				runtime.KeepAlive(a)
			}
			b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ready-ms")
			b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
			b.ReportMetric(0, "ns/op")
		})
	}
}
