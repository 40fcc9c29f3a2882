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

// measureWrk loads `kolaborasi serve` on the national data set with wrk
// (another process, so the client does not share the server's Go runtime)
// from wrkClients connections for d per read, on SQLite and, when
// KOLABORASI_TEST_POSTGRES is set, on the benchmark's PostgreSQL schema.
// Without wrk on PATH it returns no rows: the http part's Go client
// (BenchmarkReadsHTTP) is the fallback.
func measureWrk(d time.Duration) ([]Row, error) {
	if _, err := exec.LookPath("wrk"); err != nil {
		fmt.Fprintln(os.Stderr, "benchsuite: http-wrk: wrk is not on PATH (apt-get install wrk): only the Go client's figures (http part)")
		return nil, nil
	}
	src, err := benchFile()
	if err != nil {
		return nil, err
	}
	dbs := []struct{ engine, db string }{{"sqlite", src}}
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
		dbs = append(dbs, struct{ engine, db string }{"postgres", u.String()})
	}
	var rows []Row
	for _, db := range dbs {
		r, err := wrkEngine(db.engine, db.db, d)
		rows = append(rows, r...)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", db.engine, err)
		}
	}
	return rows, nil
}

func solutions() int {
	if n, err := strconv.Atoi(os.Getenv("KOLABORASI_BENCH_SOLUTIONS")); err == nil && n > 0 {
		return n
	}
	return 165000
}

// wrkEngine serves db and runs wrk for each read.
func wrkEngine(engine, db string, d time.Duration) ([]Row, error) {
	srv, err := serve(db, "http-wrk")
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	// Measure a server that started as it does every day: from the index
	// snapshots the first start saves when it stops, not one that has just
	// built them from every row.
	if err := srv.restart(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kolaborasi-wrk-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var rows []Row
	for _, read := range wrkReads {
		args := []string{"-t", "2", "-c", strconv.Itoa(wrkClients), "--latency"}
		target := srv.base + read.path
		if strings.Contains(read.path, "%d") {
			script := filepath.Join(dir, read.name+".lua")
			lua := fmt.Sprintf("math.randomseed(1)\nrequest = function()\n  return wrk.format(\"GET\", string.format(%q, math.random(1, %d)))\nend\n", read.path, solutions())
			if err := os.WriteFile(script, []byte(lua), 0o644); err != nil {
				return rows, err
			}
			args, target = append(args, "-s", script), srv.base+"/"
		}
		// Warm the connections and caches for 2 s, untimed.
		exec.Command("wrk", append(args, "-d", "2s", target)...).Run()
		args = append(args, "-d", fmt.Sprintf("%ds", int(d.Seconds())))
		fmt.Fprintf(os.Stderr, "benchsuite: http-wrk: %s %s: wrk %s %s\n", engine, read.name, strings.Join(args, " "), target)
		out, err := exec.Command("wrk", append(args, target)...).CombinedOutput()
		os.Stderr.Write(out)
		if err != nil {
			return rows, fmt.Errorf("wrk: %v", err)
		}
		res, err := ParseWrk(bytes.NewReader(out))
		if err != nil {
			return rows, err
		}
		if res.Errors > 0 {
			return rows, fmt.Errorf("%s: %d answers were not 2xx/3xx or failed", read.name, res.Errors)
		}
		name := fmt.Sprintf("wrk -c%d, serve --db (%s)", wrkClients, engine)
		target99, targetRate := wrkTargets(read.name, engine)
		rows = append(rows,
			row(read.name+" over HTTP (wrk)", engine, res.Rate, "req/s", 0, targetRate, name),
			row(read.name+" over HTTP p99 (wrk)", engine, res.P99, "ms", res.Requests, target99, name))
	}
	return rows, nil
}

// wrkTargets are K8's targets on SQLite (PostgreSQL's are "within 1.5×",
// judged beside them).
func wrkTargets(read, engine string) (p99, rate *Target) {
	if engine != "sqlite" {
		return nil, nil
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
