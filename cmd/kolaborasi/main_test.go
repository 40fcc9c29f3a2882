package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBadInputGivesOneLineErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--bogus"}, 2, "flag provided but not defined: -bogus (see kolaborasi serve --help)"},
		{[]string{"serve", "--addr"}, 2, "flag needs an argument: -addr"},
		{[]string{"serve", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"nonsense"}, 2, `unknown command "nonsense"`},
		{[]string{"serve", "--db", filepath.Join(dir, "no", "such", "k.db")}, 1, "does not exist; create it or choose another path with --db"},
		{[]string{"migrate", "--db", "/proc/kolaborasi.db"}, 1, "cannot be written"},
		{[]string{"serve", "--db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, 1, "cannot reach PostgreSQL at 127.0.0.1:1/x"},
		{[]string{"serve", "--db", filepath.Join(dir, "k.db"), "--log-level", "loud"}, 2, "--log-level"},
		{[]string{"serve", "--db", filepath.Join(dir, "k.db"), "--addr", "256.0.0.1:99999"}, 1, "choose another address with --addr"},
		{[]string{"serve", "--base-url", "ftp://kolaborasi.example"}, 2, "--base-url"},
		{[]string{"serve", "--base-url", "https://kolaborasi.example/sub/"}, 2, "no path"},
		{[]string{"demo", "--trusted-proxies", "10.0.0.0/8,proxy.local"}, 2, `trusted proxy "proxy.local"`},
		{[]string{"serve", "--memory-limit", "lots"}, 2, `--memory-limit: "lots" is not a memory size`},
		{[]string{"demo", "--memory-limit", "0"}, 2, `--memory-limit: "0" is not a memory size`},
		{[]string{"serve", "--page-workers", "0"}, 2, `--page-workers "0" is not a number from 1 to 10000 or off`},
		{[]string{"demo", "--page-workers", "many"}, 2, `--page-workers "many" is not a number from 1 to 10000 or off`},
		{[]string{"serve", "--db", filepath.Join(dir, "k.db"), "--addr", "127.0.0.1:0", "--metrics-addr", "256.0.0.1:99999"}, 1,
			"choose another address with --metrics-addr"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("stderr = %q, want one line containing %q", stderr, tc.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCmd(t, "help")
	if code != 0 || !strings.Contains(out, "demo") || !strings.Contains(out, "migrate") {
		t.Errorf("help: %d %q", code, out)
	}
	for _, cmd := range []string{"serve", "demo", "migrate", "version"} {
		code, _, stderr := runCmd(t, cmd, "--help")
		if code != 0 || !strings.Contains(stderr, "Usage: kolaborasi "+cmd) {
			t.Errorf("%s --help: %d %q", cmd, code, stderr)
		}
	}
	if code, out, _ := runCmd(t, "version"); code != 0 || !strings.HasPrefix(out, "kolaborasi ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	code, out, stderr := runCmd(t, "migrate", "--db", db)
	if code != 0 || !strings.Contains(out, "region data loaded") {
		t.Fatalf("first migrate: %d %q %q", code, out, stderr)
	}
	code, out, _ = runCmd(t, "migrate", "--db", db)
	if code != 0 || !strings.Contains(out, "region data already current") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
}

// The demo starts on a free port, serves the seeded data, and shuts down
// gracefully when its context ends (as on SIGINT).
func TestDemoServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--log-level", "warn"}, out, io.Discard)
	}()
	url := waitForURL(t, out)
	// Ready once the search indexes are built, which serve starts at once.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if resp.StatusCode != 503 || time.Now().After(deadline) {
			t.Fatalf("readyz: %d", resp.StatusCode)
		}
	}
	resp, err := http.Get(url + "/api/v1/regions/35.72")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"population":161204`) || !strings.Contains(string(b), "Jl. Merdeka No. 105") {
		t.Errorf("demo 35.72 = %s", b)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("demo exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not shut down")
	}
}

// serve answers /metrics on its private metrics listener only; an https
// --base-url brings HSTS even over plain HTTP (TLS ends at a proxy).
func TestServeMetricsListenerAndBaseURL(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, logs := &syncBuffer{}, &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--db", filepath.Join(t.TempDir(), "k.db"), "--addr", "127.0.0.1:0",
			"--metrics-addr", "127.0.0.1:0", "--base-url", "https://kolaborasi.example"}, out, logs)
	}()
	site := waitForURL(t, out)
	metrics := waitForURL(t, logs) // the log line "metrics url=http://127.0.0.1:N/metrics"
	if site == metrics {
		t.Fatalf("metrics on the public listener %s", site)
	}
	body := func(u string) (int, string, http.Header) {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	if code, _, h := body(site + "/healthz"); code != 200 || h.Get("Strict-Transport-Security") == "" {
		t.Errorf("healthz: %d, HSTS %q", code, h.Get("Strict-Transport-Security"))
	}
	if code, _, _ := body(site + "/metrics"); code != 404 {
		t.Errorf("public /metrics: %d", code)
	}
	if code, m, _ := body(metrics + "/metrics"); code != 200 || !strings.Contains(m, `route="GET /healthz"`) {
		t.Errorf("private /metrics: %d %.200q", code, m)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)

func waitForURL(t *testing.T, out *syncBuffer) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			if u := urlRE.FindString(sc.Text()); u != "" {
				return u
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no URL printed: %q", out.String())
	return ""
}

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	code, out, stderr := runCmd(t, "user", "add", "--db", db, "--email", "admin@blitarkota.go.id", "--name", "Admin Kota Blitar",
		"--region", "35.72", "--role", "region_admin,editor", "--base-url", "https://kolaborasi.example.go.id/")
	if code != 0 || !strings.Contains(out, "https://kolaborasi.example.go.id/tautan/") || !strings.Contains(out, "region_admin") {
		t.Fatalf("user add: %d %q %q", code, out, stderr)
	}
	code, _, stderr = runCmd(t, "user", "add", "--db", db, "--email", "ADMIN@blitarkota.go.id", "--name", "Again", "--region", "35.72", "--role", "viewer")
	if code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("duplicate: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "user", "add", "--db", db, "--email", "x@blitarkota.go.id", "--name", "X", "--region", "35.72", "--role", "mayor")
	if code != 1 || !strings.Contains(stderr, "is not a role") {
		t.Errorf("bad role: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, "user", "add", "--db", db, "--email", "ops@kolaborasi.test", "--name", "Ops", "--admin", "--region", "35.72")
	if code != 2 || !strings.Contains(stderr, "either --region") {
		t.Errorf("--admin with --region: %d %q", code, stderr)
	}
	if code, out, _ := runCmd(t, "user", "add", "--db", db, "--email", "ops@kolaborasi.test", "--name", "Ops", "--admin"); code != 0 || !strings.Contains(out, "admin") {
		t.Errorf("platform admin: %d %q", code, out)
	}
}
