package main

import (
	"math"
	"os"
	"strings"
	"testing"
)

// output is `go test -bench` output as the suite sees it: result lines,
// logs, a failed benchmark, the summary.
const output = `goos: linux
goarch: amd64
pkg: github.com/kolaborasi/kolaborasi/app
BenchmarkCatalogSearch/postgres/index/clients=8-2         	      10	         8.000 clients	         5.578 p50-ms	        35.0 p99-ms	      1489 qps	      2000 samples
BenchmarkCatalogSearch/postgres/pg-native/clients=8-2     	      10	         8.000 clients	        26.86 p50-ms	       554.6 p99-ms	       149.0 qps	      2000 samples	      4096 work_mem-kB
--- BENCH: BenchmarkCatalogSearch/postgres
    bench_test.go:190: pg-native baseline: work_mem 4096 kB
BenchmarkVerifyBundle-2   	    2204	   1050000 ns/op	4466.21 MB/s
BenchmarkReadsHTTP/sqlite/page/clients=64-2      	     300	   4259193 ns/op	        64.00 clients	       192.6 p50-ms	       826.3 p99-ms	       234.8 req/s	       300.0 samples
BenchmarkBroken-2  	--- FAIL: BenchmarkBroken
PASS
ok  	github.com/kolaborasi/kolaborasi/app	73.409s
`

func TestParseBench(t *testing.T) {
	res, err := ParseBench(strings.NewReader(output))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 {
		t.Fatalf("%d results, want 4: %+v", len(res), res)
	}
	if r := res[1]; r.Name != "BenchmarkCatalogSearch/postgres/pg-native/clients=8" || r.Iterations != 10 ||
		r.Metrics["qps"] != 149 || r.Metrics["work_mem-kB"] != 4096 || r.Metrics["p99-ms"] != 554.6 {
		t.Errorf("pg-native: %+v", r)
	}
	if r := res[2]; r.Name != "BenchmarkVerifyBundle" || r.Metrics["ns/op"] != 1050000 || r.Metrics["MB/s"] != 4466.21 {
		t.Errorf("bundle: %+v", r)
	}
}

func TestRowsAndTable(t *testing.T) {
	res, _ := ParseBench(strings.NewReader(output))
	var rows []Row
	for _, f := range figures {
		rows = append(rows, f.Rows(res)...)
	}
	rows = append(rows, ratioRows(res)...)
	find := func(figure string) Row {
		for _, r := range rows {
			if r.Figure == figure {
				return r
			}
		}
		t.Fatalf("no row %q in %+v", figure, rows)
		return Row{}
	}
	if r := find("search in-process p99"); r.Engine != "postgres" || r.Clients != 8 || r.Value != 35 || r.Samples != 2000 ||
		r.Target != "≤ 25" || r.Met != "no" {
		t.Errorf("index p99: %+v", r)
	}
	if r := find("search pg-native baseline"); r.Value != 149 || r.Samples != 0 || r.Met != "" || r.Target != "—" {
		t.Errorf("baseline qps: %+v", r)
	}
	if r := find("search index ÷ pg-native"); r.Clients != 8 || r.Value < 9.99 || r.Value > 10.0 || r.Met != "yes" {
		t.Errorf("ratio: %+v", r)
	}
	if r := find("bundle verification"); r.Value != 1.05 || r.Unit != "ms" || r.Met != "yes" || r.Engine != "—" {
		t.Errorf("bundle: %+v", r)
	}
	if r := find("solution page p99"); r.Engine != "sqlite" || r.Clients != 64 || r.Samples != 300 {
		t.Errorf("page p99: %+v", r)
	}
	var b strings.Builder
	if err := WriteTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"figure", "search in-process p99", "35", "≤ 25", "no", "1,489", "2000"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.3875: "0.388", 4.2: "4.20", 35: "35", 35.5: "35.5", 1489.4: "1,489", 165000: "165,000", 1234567: "1,234,567"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

// A wrk report (--latency) as wrk 4.2 prints it.
const wrkReport = `Running 15s test @ http://127.0.0.1:40123/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.10ms    4.21ms  61.37ms   78.40%
    Req/Sec     5.48k   612.33     7.01k    71.33%
  Latency Distribution
     50%    5.12ms
     75%    7.90ms
     90%   11.02ms
     99%   21.35ms
  163512 requests in 15.00s, 512.90MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  10898.71
Transfer/sec:     34.19MB
`

func TestParseWrk(t *testing.T) {
	got, err := ParseWrk(strings.NewReader(wrkReport))
	if err != nil {
		t.Fatal(err)
	}
	if want := (WrkResult{Rate: 10898.71, P99: 21.35, Requests: 163512, Errors: 7}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for in, want := range map[string]float64{"812.00us": 0.812, "1.02s": 1020, "3.00m": 180000} {
		if v, err := wrkDuration(in); err != nil || v != want {
			t.Errorf("%s: %v, %v; want %v", in, v, err, want)
		}
	}
	if _, err := ParseWrk(strings.NewReader("Requests/sec: 10\n")); err == nil {
		t.Error("a report without --latency parsed")
	}
}

// procMiB reads this process's resident size and its two parts.
func TestProcMiB(t *testing.T) {
	m, err := procMiB(os.Getpid(), "VmRSS", "RssAnon", "RssFile")
	if err != nil {
		t.Fatal(err)
	}
	if m["VmRSS"] <= 0 || m["RssAnon"] <= 0 || m["RssFile"] <= 0 || m["RssAnon"]+m["RssFile"] > m["VmRSS"]+1 {
		t.Errorf("VmRSS %.1f, RssAnon %.1f, RssFile %.1f MiB", m["VmRSS"], m["RssAnon"], m["RssFile"])
	}
	if _, err := procMiB(os.Getpid(), "NoSuchField"); err == nil {
		t.Error("no error for a field /proc does not have")
	}
}

// wrkRows: medians of the rounds, p99 samples the fewest of a round, and
// PostgreSQL judged by the median of the rounds' paired ratios (not the
// ratio of the medians) and by its p99 against 1.5 × 50 ms.
func TestWrkRows(t *testing.T) {
	engines := []wrkTarget{{engine: "sqlite"}, {engine: "postgres"}}
	results := [][]WrkResult{
		{{Rate: 6000, P99: 20, Requests: 30000}, {Rate: 4000, P99: 30, Requests: 20000}, {Rate: 7000, P99: 60, Requests: 35000}},
		{{Rate: 3000, P99: 25, Requests: 15000}, {Rate: 3200, P99: 80, Requests: 16000}, {Rate: 5000, P99: 40, Requests: 25000}},
	}
	got := map[string]Row{}
	for _, r := range wrkRows("page", engines, results) {
		got[r.Engine+" "+r.Figure] = r
	}
	for key, want := range map[string]struct {
		value   float64
		samples int
		met     string
	}{
		"sqlite page over HTTP (wrk)":                        {6000, 0, "yes"},
		"sqlite page over HTTP p99 (wrk)":                    {30, 20000, "yes"},
		"postgres page over HTTP (wrk)":                      {3200, 0, ""},
		"postgres page over HTTP p99 (wrk)":                  {40, 15000, "yes"},
		"postgres page over HTTP, SQLite ÷ PostgreSQL (wrk)": {1.4, 0, "yes"}, // rounds 2, 1.25, 1.4
	} {
		r, ok := got[key]
		if !ok {
			t.Errorf("no row %q in %v", key, got)
			continue
		}
		if math.Abs(r.Value-want.value) > 1e-9 || r.Samples != want.samples || r.Met != want.met {
			t.Errorf("%s: value %v, samples %d, met %q; want %v, %d, %q", key, r.Value, r.Samples, r.Met, want.value, want.samples, want.met)
		}
	}
	if len(got) != 5 {
		t.Errorf("%d rows, want 5", len(got))
	}
	if m := median([]float64{4, 1, 3, 2}, func(v float64) float64 { return v }); m != 2.5 {
		t.Errorf("median of an even count %v, want 2.5", m)
	}
}
