package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/internal/loadtest"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
	"github.com/kolaborasi/kolaborasi/web"
)

// demoServer serves the demo, seeded into db, over real HTTP on loopback,
// through wrap when set, as serve would.
func demoServer(t *testing.T, db *store.DB, wrap ...func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	if _, err := a.LoadReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	// The page gate as serve sizes it by default.
	h, err := web.New(a, web.Config{BaseURL: "http://" + ts.Listener.Addr().String(), PageWorkers: (&config{}).workersFor(db.Engine())})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	for _, w := range wrap {
		ts.Config.Handler = w(h)
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// TestLoadAgainstDemo runs `kolaborasi load` with 10 clients for 3 s
// against the demo on each engine: no 5xx, no network error, no failed
// write, and the JSON report says so; every request class ran (the classes
// are drawn at random by weight, so a slow run, e.g. under the race
// detector, runs again with another seed, at most four times, until each
// class has run).
func TestLoadAgainstDemo(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ts := demoServer(t, db)
		ran := map[string]bool{}
		var missing []string
		for attempt := 0; attempt == 0 || len(missing) > 0 && attempt < 4; attempt++ {
			var stdout, stderr bytes.Buffer
			// Each run draws its own sequence of classes (the draws are
			// seeded, so the same seed would miss the same class again).
			code := run(context.Background(), []string{"load", "--url", ts.URL, "--clients", "10", "--duration", "3s", "--json",
				"--seed", strconv.Itoa(attempt + 1)}, &stdout, &stderr)
			if code != 0 {
				t.Errorf("exit code %d; stderr:\n%s", code, stderr.String())
			}
			var rep loadtest.Report
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatalf("report: %v\n%s", err, stdout.String())
			}
			if len(rep.Classes) != len(loadtest.Classes) {
				t.Errorf("%d classes in the report, want %d", len(rep.Classes), len(loadtest.Classes))
			}
			for _, c := range append(rep.Classes, rep.Total) {
				for status := range c.Errors {
					if status == "network" || strings.HasPrefix(status, "5") {
						t.Errorf("%s: %d answers %s", c.Class, c.Errors[status], status)
					}
				}
				if c.Failed > 0 {
					t.Errorf("%s: %d failed (%v)", c.Class, c.Failed, c.Errors)
				}
			}
			if rep.Total.Count < 50 || rep.Total.P99ms <= 0 || rep.Total.P99ms > rep.Total.MaxMs {
				t.Errorf("total: %+v", rep.Total)
			}
			t.Logf("run %d: %d requests, p99 %.1f ms", attempt+1, rep.Total.Count, rep.Total.P99ms)
			for _, c := range rep.Classes {
				ran[string(c.Class)] = ran[string(c.Class)] || c.Count > 0
			}
			missing = missing[:0]
			for _, c := range loadtest.Classes {
				if !ran[string(c)] {
					missing = append(missing, string(c))
				}
			}
		}
		if len(missing) > 0 {
			t.Errorf("classes that made no request in four runs: %v", missing)
		}
	})
}

// TestLoadRefusesRemoteHosts: without --allow-remote only loopback is
// loaded, and the mistake is a usage error (exit 2) before any request.
func TestLoadRefusesRemoteHosts(t *testing.T) {
	for _, u := range []string{"http://example.com", "http://10.0.0.1:8080", "https://kolaborasi.example", "ftp://127.0.0.1", "http://127.0.0.1:8080/katalog"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"load", "--url", u, "--duration", "1s"}, &stdout, &stderr); code != 2 {
			t.Errorf("%s: exit %d, want 2; %s", u, code, stderr.String())
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://[::1]:8080/", "http://localhost:1"} {
		if _, err := loadtest.CheckURL(u, false); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	if _, err := loadtest.CheckURL("http://example.com", true); err != nil {
		t.Errorf("--allow-remote: %v", err)
	}
}

// TestLoadFailsOnServerErrors: a server that is not ready, or one whose
// catalog page answers 500, makes the run exit 1, the 500s counted.
func TestLoadFailsOnServerErrors(t *testing.T) {
	notReady := httptest.NewServer(http.NotFoundHandler())
	defer notReady.Close()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"load", "--url", notReady.URL, "--clients", "1", "--duration", "1s"}, &stdout, &stderr); code != 1 {
		t.Errorf("not ready: exit %d, want 1: %s", code, stderr.String())
	}
	ts := demoServer(t, storetest.OpenSQLite(t), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/katalog" {
				http.Error(w, "broken", http.StatusInternalServerError)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"load", "--url", ts.URL, "--clients", "4", "--duration", "2s", "--json"}, &stdout, &stderr); code != 1 {
		t.Errorf("500s: exit %d, want 1: %s", code, stderr.String())
	}
	var rep loadtest.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	page := rep.Classes[0]
	if page.Class != loadtest.ClassSearchPage || page.Count == 0 || page.Errors["500"] != page.Count || page.Failed != page.Count ||
		rep.Total.Failed != page.Count || !strings.Contains(stderr.String(), "failed") {
		t.Errorf("report: %+v, total %+v; %s", page, rep.Total, stderr.String())
	}
}
