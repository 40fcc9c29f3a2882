// Command benchsuite runs every figure of docs/BENCHMARKS.md on SQLite and
// PostgreSQL and prints one table (figure, engine, clients, value, unit,
// samples, target, met?), and with --json the same rows for comparing
// runs:
//
//	KOLABORASI_TEST_POSTGRES='postgres://...' go run ./internal/benchsuite [--quick] [--json FILE] [--only REGEXP]
//
// It runs the benchmarks with `go test -run '^$' -bench ...` (their output
// goes to standard error as they run) and parses their result lines, then
// measures the resident memory of a server on the national SQLite data
// set, idle after its index build and under a search load. --quick uses
// 5,000 solutions and fewer rows and repetitions, for trying it; without
// it the national data set (165,000 solutions, KOLABORASI_BENCH_SOLUTIONS
// to change) is built on first use and kept (internal/benchdata).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// run is one `go test -bench` invocation.
type run struct {
	name, pkg, bench, benchtime string
	env                         []string
	args                        []string
}

func runs(quick bool) []run {
	pick := func(q, full string) string {
		if quick {
			return q
		}
		return full
	}
	return []run{
		// 200 queries × 10 = 2,000 samples per percentile.
		{name: "search", pkg: "./app", bench: "CatalogSearch/(sqlite|postgres)/(index|pg-native)/", benchtime: "10x"},
		// 200 queries × 15 = 3,000 samples, 8 clients, a writer at 20/s.
		{name: "mixed", pkg: "./app", bench: "^BenchmarkCatalogMixedLoad$", benchtime: "15x"},
		{name: "http", pkg: "./web", bench: "^(BenchmarkCatalogHTTP|BenchmarkReadsHTTP)$", benchtime: "2000x"},
		{name: "agreement-page", pkg: "./web", bench: "^BenchmarkAgreementPage$/^cached$", benchtime: "2000x"},
		{name: "bundle", pkg: "./app", bench: "^BenchmarkVerifyBundle$", benchtime: pick("1s", "2s"), args: []string{"-count", pick("1", "5")}},
		{name: "log", pkg: "./app", bench: "^BenchmarkLogAppendSQLite$", benchtime: pick("1s", "2s"), args: []string{"-count", pick("1", "5")}},
		{name: "import", pkg: "./app", bench: "^BenchmarkImportObservations$/^csv$", benchtime: "1x",
			env: []string{"KOLABORASI_BENCH_ROWS=" + pick("100000", "1000000")}},
		{name: "ranking", pkg: "./app", bench: "^BenchmarkRankingEndToEnd$/^uncached$", benchtime: "5x", args: []string{"-count", pick("1", "5")}},
		{name: "matchmaking", pkg: "./match", bench: "^BenchmarkNational$", benchtime: "5x", args: []string{"-cpu", "1", "-count", pick("1", "5")}},
		{name: "startup", pkg: "./cmd/kolaborasi", bench: "^BenchmarkDemoStartup$", benchtime: pick("3x", "5x")},
	}
}

var (
	atMost  = func(v float64) *Target { return &Target{Bound: v, AtMost: true} }
	atLeast = func(v float64) *Target { return &Target{Bound: v} }
	re      = regexp.MustCompile
)

// figures are the rows the suite reads out of the benchmarks' results.
var figures = []Figure{
	{Name: "search in-process p50", Match: re(`CatalogSearch/.*/index/`), Metric: "p50-ms", Unit: "ms"},
	{Name: "search in-process p99", Match: re(`CatalogSearch/.*/index/`), Metric: "p99-ms", Unit: "ms", Target: atMost(25)},
	{Name: "search in-process", Match: re(`CatalogSearch/.*/index/`), Metric: "qps", Unit: "queries/s"},
	{Name: "search pg-native baseline p50", Match: re(`CatalogSearch/.*/pg-native/`), Metric: "p50-ms", Unit: "ms"},
	{Name: "search pg-native baseline p99", Match: re(`CatalogSearch/.*/pg-native/`), Metric: "p99-ms", Unit: "ms"},
	{Name: "search pg-native baseline", Match: re(`CatalogSearch/.*/pg-native/`), Metric: "qps", Unit: "queries/s"},
	{Name: "pg-native work_mem", Match: re(`CatalogSearch/.*/pg-native/clients=1$`), Metric: "work_mem-kB", Unit: "kB"},
	{Name: "search under writes p50", Match: re(`CatalogMixedLoad/`), Metric: "p50-ms", Unit: "ms"},
	{Name: "search under writes p99", Match: re(`CatalogMixedLoad/`), Metric: "p99-ms", Unit: "ms", Target: atMost(25)},
	{Name: "search under writes", Match: re(`CatalogMixedLoad/`), Metric: "qps", Unit: "queries/s"},
	{Name: "longest catch-up wait", Match: re(`CatalogMixedLoad/`), Metric: "max-wait-ms", Unit: "ms", Target: atMost(5)},
	{Name: "writes beside searches", Match: re(`CatalogMixedLoad/|CatalogHTTP/.*/writer=`), Metric: "writes/s", Unit: "writes/s"},
	{Name: "search over HTTP p50", Match: re(`CatalogHTTP/`), Metric: "p50-ms", Unit: "ms"},
	{Name: "search over HTTP p99", Match: re(`CatalogHTTP/.*clients=\d+$`), Metric: "p99-ms", Unit: "ms"},
	{Name: "search over HTTP under writes p99", Match: re(`CatalogHTTP/.*/writer=`), Metric: "p99-ms", Unit: "ms", Target: atMost(10)},
	{Name: "search over HTTP", Match: re(`CatalogHTTP/`), Metric: "qps", Unit: "queries/s"},
	{Name: "list over HTTP p99", Match: re(`ReadsHTTP/.*/list/`), Metric: "p99-ms", Unit: "ms"},
	{Name: "list over HTTP", Match: re(`ReadsHTTP/.*/list/`), Metric: "req/s", Unit: "req/s"},
	{Name: "item over HTTP p99", Match: re(`ReadsHTTP/.*/item/`), Metric: "p99-ms", Unit: "ms"},
	{Name: "item over HTTP", Match: re(`ReadsHTTP/.*/item/`), Metric: "req/s", Unit: "req/s"},
	{Name: "solution page p99", Match: re(`ReadsHTTP/.*/page/`), Metric: "p99-ms", Unit: "ms"},
	{Name: "solution page", Match: re(`ReadsHTTP/.*/page/`), Metric: "req/s", Unit: "req/s"},
	{Name: "agreement page p99", Match: re(`AgreementPage/cached`), Metric: "p99-ms", Unit: "ms", Engine: "sqlite"},
	{Name: "agreement page", Match: re(`AgreementPage/cached`), Metric: "req/s", Unit: "req/s", Target: atLeast(1000), Engine: "sqlite"},
	{Name: "bundle verification", Match: re(`^BenchmarkVerifyBundle$`), Metric: "ns/op", Scale: 1e-6, Unit: "ms", Target: atMost(5)},
	{Name: "log appends", Match: re(`LogAppendSQLite`), Metric: "entries/s", Unit: "entries/s", Target: atLeast(10000), Engine: "sqlite"},
	// 1,000,000 observations in under 60 s.
	{Name: "observation import (CSV)", Match: re(`ImportObservations/csv`), Metric: "rows/s", Unit: "rows/s", Target: atLeast(1e6 / 60.0), Engine: "sqlite"},
	{Name: "observation import peak heap", Match: re(`ImportObservations/csv`), Metric: "peak-heap-MiB", Unit: "MiB", Engine: "sqlite"},
	{Name: "ranking end to end (miss)", Match: re(`RankingEndToEnd/uncached`), Metric: "ns/op", Scale: 1e-6, Unit: "ms", Target: atMost(200), Engine: "sqlite"},
	{Name: "matchmaking, national cycles", Match: re(`^BenchmarkNational$`), Metric: "ns/op", Scale: 1e-6, Unit: "ms", Target: atMost(1000)},
	{Name: "demo start-up to ready", Match: re(`DemoStartup`), Metric: "median-ms-to-ready", Unit: "ms", Target: atMost(2000), Engine: "sqlite"},
	{Name: "binary size", Match: re(`DemoStartup`), Metric: "binary-MiB", Unit: "MiB"},
}

// Report is what --json writes.
type Report struct {
	Started   time.Time `json:"started"`
	Seconds   float64   `json:"seconds"`
	Quick     bool      `json:"quick"`
	Solutions string    `json:"solutions"`
	Machine   Machine   `json:"machine"`
	Failed    []string  `json:"failed,omitempty"`
	Rows      []Row     `json:"rows"`
	Results   []Result  `json:"results"`
}

// Machine says what the numbers were measured on.
type Machine struct {
	CPUs        int    `json:"cpus"`
	GoVersion   string `json:"go"`
	LoadBefore  string `json:"loadavg_before"`
	LoadAfter   string `json:"loadavg_after"`
	PostgresSet bool   `json:"postgres"`
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func main() {
	quick := flag.Bool("quick", false, "5,000 solutions, fewer rows and repetitions: for trying the suite")
	jsonOut := flag.String("json", "", "also write the rows (and every benchmark result) as JSON to this file")
	only := flag.String("only", "", "run only the parts whose name matches this regular expression (search, http, http-wrk, agreement-page, bundle, log, import, ranking, matchmaking, startup, rss)")
	rssLoad := flag.Duration("rss-load", 0, "how long the search load of the RSS figure runs (default 5s quick, 30s otherwise)")
	wrkTime := flag.Duration("wrk-time", 15*time.Second, "how long wrk loads each read on each engine in the http-wrk part, in all")
	wrkRounds := flag.Int("wrk-rounds", 5, "in how many rounds the http-wrk part alternates the engines (each wrk-time/wrk-rounds long)")
	flag.Parse()
	if err := suite(*quick, *jsonOut, *only, *rssLoad, *wrkTime, *wrkRounds); err != nil {
		fmt.Fprintln(os.Stderr, "benchsuite:", err)
		os.Exit(1)
	}
}

func suite(quick bool, jsonOut, only string, rssLoad, wrkTime time.Duration, wrkRounds int) error {
	onlyRE, err := regexp.Compile(only)
	if err != nil {
		return fmt.Errorf("--only: %v", err)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return fmt.Errorf("run it from the repository's root (no go.mod here)")
	}
	if quick {
		os.Setenv("KOLABORASI_BENCH_SOLUTIONS", "5000")
		if rssLoad == 0 {
			rssLoad = 5 * time.Second
		}
	}
	if rssLoad == 0 {
		rssLoad = 30 * time.Second
	}
	rep := Report{Started: time.Now().UTC(), Quick: quick, Solutions: os.Getenv("KOLABORASI_BENCH_SOLUTIONS"),
		Machine: Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), LoadBefore: loadavg(),
			PostgresSet: os.Getenv("KOLABORASI_TEST_POSTGRES") != ""}}
	if rep.Solutions == "" {
		rep.Solutions = "165000"
	}
	if !rep.Machine.PostgresSet {
		fmt.Fprintln(os.Stderr, "benchsuite: KOLABORASI_TEST_POSTGRES is not set: the PostgreSQL rows will be missing")
	}
	for _, r := range runs(quick) {
		if !onlyRE.MatchString(r.name) {
			continue
		}
		results, err := goBench(r)
		rep.Results = append(rep.Results, results...)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchsuite: %s: %v\n", r.name, err)
			rep.Failed = append(rep.Failed, r.name)
		}
	}
	for _, f := range figures {
		rep.Rows = append(rep.Rows, f.Rows(rep.Results)...)
	}
	rep.Rows = append(rep.Rows, ratioRows(rep.Results)...)
	if onlyRE.MatchString("http-wrk") {
		rows, err := measureWrk(wrkTime, wrkRounds)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchsuite: http-wrk: %v\n", err)
			rep.Failed = append(rep.Failed, "http-wrk")
		}
		rep.Rows = append(rep.Rows, rows...)
	}
	if onlyRE.MatchString("rss") {
		rows, err := measureRSS(rssLoad)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchsuite: rss: %v\n", err)
			rep.Failed = append(rep.Failed, "rss")
		}
		rep.Rows = append(rep.Rows, rows...)
	}
	rep.Machine.LoadAfter = loadavg()
	rep.Seconds = time.Since(rep.Started).Seconds()
	fmt.Printf("\nKolaborasi benchmark suite, %s UTC, %d solutions%s, %d CPUs, %s, load average %s before, %s after\n\n",
		rep.Started.Format("2006-01-02 15:04"), atoi(rep.Solutions), map[bool]string{true: " (--quick)"}[quick],
		rep.Machine.CPUs, rep.Machine.GoVersion, rep.Machine.LoadBefore, rep.Machine.LoadAfter)
	if err := WriteTable(os.Stdout, rep.Rows); err != nil {
		return err
	}
	if jsonOut != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(jsonOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	if len(rep.Failed) > 0 {
		return fmt.Errorf("failed: %s", strings.Join(rep.Failed, ", "))
	}
	return nil
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// goBench runs one `go test -bench`, its output streamed to standard
// error, and returns the results it printed.
func goBench(r run) ([]Result, error) {
	args := append([]string{"test", r.pkg, "-run", "^$", "-bench", r.bench, "-benchtime", r.benchtime, "-timeout", "4h"}, r.args...)
	fmt.Fprintf(os.Stderr, "benchsuite: %s: go %s\n", r.name, strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), r.env...)
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, os.Stderr)
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	results, perr := ParseBench(&out)
	if err == nil {
		err = perr
	}
	if err == nil && len(results) == 0 {
		err = fmt.Errorf("no benchmark results (PostgreSQL unset, or the pattern matched nothing)")
	}
	return results, err
}

// ratioRows compares the in-process index with the PostgreSQL-native
// baseline, same run, same client count: the index's queries/second
// divided by the baseline's (K3's target: at least 2×).
func ratioRows(results []Result) []Row {
	idx := map[int]Result{}
	for _, r := range results {
		if strings.Contains(r.Name, "CatalogSearch/postgres/index/") {
			idx[clientsOf(r)] = r
		}
	}
	var out []Row
	for _, r := range results {
		if !strings.Contains(r.Name, "CatalogSearch/postgres/pg-native/") || r.Metrics["qps"] == 0 {
			continue
		}
		i, ok := idx[clientsOf(r)]
		if !ok {
			continue
		}
		t := atLeast(2)
		v := i.Metrics["qps"] / r.Metrics["qps"]
		met := "no"
		if t.Met(v) {
			met = "yes"
		}
		out = append(out, Row{Figure: "search index ÷ pg-native", Engine: "postgres", Clients: clientsOf(r), Value: v, Unit: "×",
			Target: t.String(), Met: met, Benchmark: i.Name + " ÷ " + r.Name})
	}
	return out
}
