package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// wrkClients is the connection count of the K8 read figures.
const wrkClients = 64

// wrkReads are the reads the wrk part loads: the first page of the list,
// and the item and the page of random solutions (a Lua script draws the
// IDs over the whole data set, seeded).
var wrkReads = []struct{ name, path string }{
	{"list", "/api/v1/solutions?page%5Bsize%5D=25"},
	{"item", "/api/v1/solutions/%d"},
	{"page", "/solusi/%d"},
}

// wrkPGFactor is K8's allowance for PostgreSQL: "the same within 1.5×".
// Its throughput is judged by the ratio to SQLite's measured beside it,
// its p99 by the SQLite bound times the factor.
const wrkPGFactor = 1.5

// measureWrk loads `kolaborasi serve` on the national data set with wrk
// (another process, so the client does not share the server's Go runtime)
// from wrkClients connections for d per read and engine, on SQLite and,
// when KOLABORASI_TEST_POSTGRES is set, on the benchmark's PostgreSQL
// schema. Both servers run at once (the one not loaded idles) and each
// read alternates between them in rounds of d/rounds, the order reversed
// every other round, so that the two engines are measured at the same
// moments of a shared, noisy machine: each figure is the median of its
// rounds, and PostgreSQL's ratio to SQLite is the median of the ratios of
// the rounds, each of two runs side by side.
// Without wrk on PATH it returns no rows: the http part's Go client
// (BenchmarkReadsHTTP) is the fallback.
func measureWrk(d time.Duration, rounds int) ([]Row, error) {
	if _, err := exec.LookPath("wrk"); err != nil {
		fmt.Fprintln(os.Stderr, "benchsuite: http-wrk: wrk is not on PATH (apt-get install wrk): only the Go client's figures (http part)")
		return nil, nil
	}
	if rounds < 1 {
		return nil, fmt.Errorf("--wrk-rounds %d: at least one round", rounds)
	}
	secs := int(d.Seconds()) / rounds
	if secs < 1 {
		return nil, fmt.Errorf("--wrk-time %s is less than a second for each of %d rounds", d, rounds)
	}
	src, err := benchFile()
	if err != nil {
		return nil, err
	}
	engines := []wrkTarget{{engine: "sqlite", db: src}}
	if dsn := os.Getenv("KOLABORASI_TEST_POSTGRES"); dsn != "" {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, err
		}
		// The schema internal/benchdata built beside the SQLite file
		// (the same seed, size and migrations hash).
		hash := strings.TrimSuffix(filepath.Base(src)[strings.LastIndex(filepath.Base(src), "-")+1:], ".db")
		q := u.Query()
		q.Set("search_path", fmt.Sprintf("bench_k3_s1_n%d_%s", solutions(), hash))
		u.RawQuery = q.Encode()
		engines = append(engines, wrkTarget{engine: "postgres", db: u.String()})
	}
	for i := range engines {
		srv, err := serve(engines[i].db, "http-wrk")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", engines[i].engine, err)
		}
		defer srv.stop()
		// Measure a server that started as it does every day: from the
		// index snapshots the first start saves when it stops, not one
		// that has just built them from every row.
		if err := srv.restart(); err != nil {
			return nil, fmt.Errorf("%s: %w", engines[i].engine, err)
		}
		engines[i].srv = srv
	}
	dir, err := os.MkdirTemp("", "kolaborasi-wrk-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var rows []Row
	for _, read := range wrkReads {
		args := []string{"-t", "2", "-c", strconv.Itoa(wrkClients), "--latency"}
		path := read.path
		if strings.Contains(read.path, "%d") {
			script := filepath.Join(dir, read.name+".lua")
			lua := fmt.Sprintf("math.randomseed(1)\nrequest = function()\n  return wrk.format(\"GET\", string.format(%q, math.random(1, %d)))\nend\n", read.path, solutions())
			if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
				return rows, err
			}
			args, path = append(args, "-s", script), "/"
		}
		// Warm the connections and caches for 2 s, untimed.
		for _, e := range engines {
			exec.Command("wrk", slices.Concat(args, []string{"-d", "2s", e.srv.base + path})...).Run()
		}
		results := make([][]WrkResult, len(engines))
		for round := range rounds {
			for k := range engines {
				i := k
				if round%2 == 1 {
					i = len(engines) - 1 - k
				}
				e := engines[i]
				run := slices.Concat(args, []string{"-d", strconv.Itoa(secs) + "s", e.srv.base + path})
				fmt.Fprintf(os.Stderr, "benchsuite: http-wrk: %s %s, round %d of %d: wrk %s\n", e.engine, read.name, round+1, rounds, strings.Join(run, " "))
				out, err := exec.Command("wrk", run...).CombinedOutput()
				os.Stderr.Write(out)
				if err != nil {
					return rows, fmt.Errorf("wrk: %v", err)
				}
				res, err := ParseWrk(bytes.NewReader(out))
				if err != nil {
					return rows, err
				}
				if res.Errors > 0 {
					return rows, fmt.Errorf("%s %s: %d answers were not 2xx/3xx or failed", e.engine, read.name, res.Errors)
				}
				results[i] = append(results[i], res)
			}
		}
		rows = append(rows, wrkRows(read.name, engines, results)...)
	}
	return rows, nil
}

// wrkTarget is an engine the http-wrk part loads, and its server.
type wrkTarget struct {
	engine, db string
	srv        *server
}

// wrkRows summarises one read's rounds, results[i] being engines[i]'s:
// the median rate and p99 of each engine, each p99 over the fewest
// requests a round had, and PostgreSQL's ratio to SQLite.
func wrkRows(read string, engines []wrkTarget, results [][]WrkResult) []Row {
	var rows []Row
	rate := func(r WrkResult) float64 { return r.Rate }
	for i, e := range engines {
		name := fmt.Sprintf("wrk -c%d, serve --db (%s), median of %d rounds", wrkClients, e.engine, len(results[i]))
		target99, targetRate := wrkTargets(read, e.engine)
		samples := results[i][0].Requests
		for _, r := range results[i] {
			samples = min(samples, r.Requests)
		}
		rows = append(rows,
			row(read+" over HTTP (wrk)", e.engine, median(results[i], rate), "req/s", 0, targetRate, name),
			row(read+" over HTTP p99 (wrk)", e.engine, median(results[i], func(r WrkResult) float64 { return r.P99 }), "ms", samples, target99, name))
	}
	if len(engines) == 2 {
		// Each round's two runs were side by side: the ratio of a round
		// compares the engines on the same machine at the same time.
		ratios := make([]float64, len(results[0]))
		for r := range ratios {
			ratios[r] = results[0][r].Rate / results[1][r].Rate
		}
		rows = append(rows, row(read+" over HTTP, SQLite ÷ PostgreSQL (wrk)", "postgres", median(ratios, func(v float64) float64 { return v }), "×", 0,
			atMost(wrkPGFactor), fmt.Sprintf("median of %d rounds' ratios", len(ratios))))
	}
	return rows
}

// median returns the median of f over vs (the mean of the middle two of
// an even count).
func median[T any](vs []T, f func(T) float64) float64 {
	x := make([]float64, len(vs))
	for i, v := range vs {
		x[i] = f(v)
	}
	slices.Sort(x)
	if len(x) == 0 {
		return 0
	}
	if len(x)%2 == 1 {
		return x[len(x)/2]
	}
	return (x[len(x)/2-1] + x[len(x)/2]) / 2
}

func solutions() int {
	if n, err := strconv.Atoi(os.Getenv("KOLABORASI_BENCH_SOLUTIONS")); err == nil && n > 0 {
		return n
	}
	return 165000
}

// wrkTargets are K8's targets: on SQLite the bounds, on PostgreSQL the p99
// bound times wrkPGFactor (its throughput is judged by the ratio row).
func wrkTargets(read, engine string) (p99, rate *Target) {
	if engine != "sqlite" {
		return atMost(50 * wrkPGFactor), nil
	}
	return atMost(50), atLeast(map[string]float64{"list": 4000, "item": 20000, "page": 5000}[read])
}

func row(figure, engine string, v float64, unit string, samples int, t *Target, bench string) Row {
	r := Row{Figure: figure, Engine: engine, Clients: wrkClients, Value: v, Unit: unit, Samples: samples, Target: "—", Benchmark: bench}
	if t != nil {
		return judged(r, t)
	}
	return r
}

// WrkResult is what the suite reads of wrk's report.
type WrkResult struct {
	Rate     float64 // requests per second
	P99      float64 // ms
	Requests int
	// Errors counts answers not 2xx or 3xx and socket errors.
	Errors int
}

// ParseWrk reads wrk's report (run with --latency).
func ParseWrk(r io.Reader) (WrkResult, error) {
	var res WrkResult
	var haveRate, haveP99 bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return res, fmt.Errorf("wrk: %q: %v", sc.Text(), err)
			}
			res.Rate, haveRate = v, true
		case len(f) == 2 && f[0] == "99%":
			v, err := wrkDuration(f[1])
			if err != nil {
				return res, err
			}
			res.P99, haveP99 = v, true
		case len(f) >= 4 && f[1] == "requests" && f[2] == "in":
			res.Requests, _ = strconv.Atoi(f[0])
		case len(f) == 5 && f[0] == "Non-2xx":
			n, _ := strconv.Atoi(f[4])
			res.Errors += n
		case len(f) > 2 && f[0] == "Socket" && f[1] == "errors:":
			for i := 2; i+1 < len(f); i += 2 {
				n, _ := strconv.Atoi(strings.TrimSuffix(f[i+1], ","))
				res.Errors += n
			}
		}
	}
	if !haveRate || !haveP99 {
		return res, fmt.Errorf("wrk: no Requests/sec or 99%% latency in its report (run with --latency)")
	}
	return res, sc.Err()
}

// wrkDuration converts wrk's "812.00us", "12.34ms" or "1.02s" to ms.
func wrkDuration(s string) (float64, error) {
	for _, u := range []struct {
		suffix string
		ms     float64
	}{{"us", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("wrk: latency %q: %v", s, err)
			}
			return f * u.ms, nil
		}
	}
	return 0, fmt.Errorf("wrk: latency %q has no unit", s)
}
