package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/wilayah"
	_ "modernc.org/sqlite" // the driver dropSnapshots uses
)

// rssClients is how many clients the search load of the RSS figure runs.
const rssClients = 8

// benchFile finds the SQLite data set internal/benchdata keeps for the
// size in KOLABORASI_BENCH_SOLUTIONS (the newest, if migrations changed);
// the search benchmark builds it.
func benchFile() (string, error) {
	n := os.Getenv("KOLABORASI_BENCH_SOLUTIONS")
	if n == "" {
		n = "165000"
	}
	paths, _ := filepath.Glob(filepath.Join(os.TempDir(), "kolaborasi-bench-k3-s1-n"+n+"-*.db"))
	var best string
	var bestTime time.Time
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.ModTime().After(bestTime) {
			best, bestTime = p, st.ModTime()
		}
	}
	if best == "" {
		return "", fmt.Errorf("no SQLite data set of %s solutions in %s: run the search part first", n, os.TempDir())
	}
	return best, nil
}

// procMiB reads the named kB fields of /proc/PID/status in MiB (VmRSS,
// and RssAnon and RssFile: memory the process allocated, and the file
// pages it maps, mostly the binary's code).
func procMiB(pid int, names ...string) (map[string]float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || !slices.Contains(names, name) {
			continue
		}
		kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		if err != nil {
			return nil, err
		}
		out[name] = float64(kb) / 1024
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			return nil, fmt.Errorf("no %s in /proc/%d/status", n, pid)
		}
	}
	return out, nil
}

// measureRSS builds the binary, serves a copy of the SQLite data set with
// `kolaborasi serve` twice: the first start builds the indexes and saves
// their snapshots (at the latest when it is interrupted), the second loads
// them and is the one measured. It reads VmRSS idle, then runs the search
// mix from rssClients clients for the given time, sampling VmRSS, and
// reports the largest sample.
func measureRSS(load time.Duration) ([]Row, error) {
	src, err := benchFile()
	if err != nil {
		return nil, err
	}
	// The copy's snapshots (saved by the benchmarks run on the data set)
	// go, so that the first start builds the indexes from the rows.
	srv, err := serve(src, "rss", dropSnapshots)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	firstReady := srv.ready
	if err := srv.restart(); err != nil {
		return nil, err
	}
	base, ready := srv.base, srv.ready
	time.Sleep(2 * time.Second)
	idle, err := procMiB(srv.pid, "VmRSS", "RssAnon", "RssFile")
	if err != nil {
		return nil, err
	}
	urls, err := searchURLs(base)
	if err != nil {
		return nil, err
	}
	peak, peakAnon, requests, err := searchLoad(srv.pid, urls, load)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("serve --db (SQLite, %s)", filepath.Base(src))
	// K8's memory targets are in MB (10^6 bytes): 150 MB is 143 MiB and
	// 200 MB is 190.7 MiB.
	return []Row{
		{Figure: "first start to /readyz 200 (indexes built, no snapshot)", Engine: "sqlite", Clients: 1, Value: float64(firstReady.Milliseconds()), Unit: "ms", Target: "—", Benchmark: name},
		judged(Row{Figure: "start to /readyz 200 (indexes from their snapshots)", Engine: "sqlite", Clients: 1, Value: float64(ready.Milliseconds()), Unit: "ms", Benchmark: name}, atMost(1000)),
		judged(Row{Figure: "RSS idle after start (indexes loaded; 150 MB)", Engine: "sqlite", Clients: 0, Value: idle["VmRSS"], Unit: "MiB", Benchmark: name}, atMost(143)),
		{Figure: "RSS idle: anonymous (Go runtime, SQLite caches)", Engine: "sqlite", Clients: 0, Value: idle["RssAnon"], Unit: "MiB", Target: "—", Benchmark: name},
		{Figure: "RSS idle: file pages (the program's code)", Engine: "sqlite", Clients: 0, Value: idle["RssFile"], Unit: "MiB", Target: "—", Benchmark: name},
		judged(Row{Figure: fmt.Sprintf("RSS under search load (%s, max; 200 MB)", load), Engine: "sqlite", Clients: rssClients, Value: peak, Unit: "MiB", Benchmark: name}, atMost(190.7)),
		{Figure: "RSS under search load: anonymous (max)", Engine: "sqlite", Clients: rssClients, Value: peakAnon, Unit: "MiB", Target: "—", Benchmark: name},
		{Figure: "search load during RSS", Engine: "sqlite", Clients: rssClients, Value: float64(requests) / load.Seconds(), Unit: "req/s", Target: "—", Benchmark: name},
	}, nil
}

// judged sets r's target and whether its value meets it.
func judged(r Row, t *Target) Row {
	r.Target, r.Met = t.String(), "no"
	if t.Met(r.Value) {
		r.Met = "yes"
	}
	return r
}

// dropSnapshots deletes the index snapshots of the SQLite file at path, as
// docs/OPERATIONS.md says to force a full build.
func dropSnapshots(path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec("DELETE FROM index_snapshot_parts; DELETE FROM index_snapshots")
	return err
}

// server is a `kolaborasi serve` the suite started and measures.
type server struct {
	base  string
	pid   int
	ready time.Duration
	// bin, db and addr are what it runs: restart serves them again.
	bin, db, addr string
	halt          func()
	cleanup       func()
}

// serve builds the binary (or takes the one KOLABORASI_BENCH_BIN names,
// for comparing two builds) and serves db with `kolaborasi serve` on a free
// loopback port (a SQLite data set as a copy in a temporary folder; a
// postgres:// URL as it is), logging warnings only, and returns once
// /readyz answers 200 (the indexes built), after migrating the data set to
// the binary's schema. part names the suite's part in
// messages; prepare, when given, runs on the SQLite copy before it is
// served.
func serve(db, part string, prepare ...func(sqlitePath string) error) (*server, error) {
	dir, err := os.MkdirTemp("", "kolaborasi-benchsuite-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	if !strings.HasPrefix(db, "postgres://") {
		cp := filepath.Join(dir, "k.db")
		if err := copyFile(db, cp); err != nil {
			cleanup()
			return nil, err
		}
		for _, p := range prepare {
			if err := p(cp); err != nil {
				cleanup()
				return nil, err
			}
		}
		db = cp
	}
	bin := os.Getenv("KOLABORASI_BENCH_BIN")
	if bin != "" {
		fmt.Fprintf(os.Stderr, "benchsuite: %s: serving %s with %s (KOLABORASI_BENCH_BIN)\n", part, db, bin)
	} else {
		bin = filepath.Join(dir, "kolaborasi")
		fmt.Fprintf(os.Stderr, "benchsuite: %s: building the binary, serving %s\n", part, db)
		build := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/kolaborasi")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			cleanup()
			return nil, err
		}
	}
	// The data set may be at an older schema than the binary: migrate it
	// first, so that the server measured is not one doing a one-off
	// upgrade (a backfill of every row) as it starts.
	migrate := exec.Command(bin, "migrate", "--db", db, "--log-level", "warn")
	migrate.Stdout, migrate.Stderr = os.Stderr, os.Stderr
	if err := migrate.Run(); err != nil {
		cleanup()
		return nil, fmt.Errorf("migrate %s: %w", db, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cleanup()
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	s := &server{base: "http://" + addr, bin: bin, db: db, addr: addr, cleanup: cleanup}
	if err := s.start(); err != nil {
		cleanup()
		return nil, err
	}
	return s, nil
}

// start runs the server and waits for /readyz 200, recording the time.
func (s *server) start() error {
	ctx, cancel := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, s.bin, "serve", "--db", s.db, "--addr", s.addr, "--metrics-addr", "", "--log-level", "warn")
	srv.Stdout, srv.Stderr = os.Stderr, os.Stderr
	srv.Cancel = func() error { return srv.Process.Signal(os.Interrupt) }
	// On the way out the server saves its index snapshots.
	srv.WaitDelay = 60 * time.Second
	start := time.Now()
	if err := srv.Start(); err != nil {
		cancel()
		return err
	}
	s.halt = func() { // interrupt the server, then wait for it
		cancel()
		srv.Wait()
	}
	for {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > 30*time.Minute {
			s.halt()
			return fmt.Errorf("the server was not ready after 30 minutes")
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.pid, s.ready = srv.Process.Pid, time.Since(start)
	return nil
}

// restart stops the server and starts it again on the same database.
func (s *server) restart() error {
	s.halt()
	return s.start()
}

// stop interrupts the server, waits for it and removes its folder.
func (s *server) stop() {
	s.halt()
	s.cleanup()
}

// searchURLs is the benchmark's query mix as API searches.
func searchURLs(base string) ([]string, error) {
	rs, _, err := wilayah.Regions()
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, r := range rs {
		if r.Type != kolaborasi.Province {
			codes = append(codes, r.Code)
		}
	}
	slices.Sort(codes)
	var out []string
	for _, q := range gen.QueryMix(1, 200, codes) {
		out = append(out, base+q.APIPath(25))
	}
	return out, nil
}

// searchLoad runs the searches in turn from rssClients clients for d,
// sampling the server's VmRSS every 100 ms; it returns the largest sample
// (and the largest of its anonymous part) and the number of requests made. A status other than 200 or 400 is an
// error.
func searchLoad(pid int, urls []string, d time.Duration) (peak, peakAnon float64, requests int64, err error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: rssClients}}
	deadline := time.Now().Add(d)
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for range rssClients {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				u := urls[int(next.Add(1)-1)%len(urls)]
				resp, err := client.Get(u)
				if err != nil {
					failed.Store(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
					failed.Store(fmt.Errorf("%s: %s", u, resp.Status))
					return
				}
			}
		})
	}
	sample := func() {
		if m, err := procMiB(pid, "VmRSS", "RssAnon"); err == nil {
			peak, peakAnon = max(peak, m["VmRSS"]), max(peakAnon, m["RssAnon"])
		}
	}
	for time.Now().Before(deadline) {
		sample()
		time.Sleep(100 * time.Millisecond)
	}
	wg.Wait()
	sample()
	err, _ = failed.Load().(error)
	return peak, peakAnon, next.Load(), err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
