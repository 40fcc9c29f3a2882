package web_test

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/web"
)

// testServer is the real app on a real SQLite database with the demo data,
// behind a real HTTP server.
type testServer struct {
	*httptest.Server
	db  *store.DB
	app *app.App
	web *web.Server

	mu  sync.Mutex
	now time.Time
}

// advance moves the app's clock forward.
func (ts *testServer) advance(d time.Duration) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.now = ts.now.Add(d)
}

// newTestServer serves the demo on a copy of the seeded template
// (demoTemplate).
func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return newTestServerOn(t, demoSQLite(t), false)
}

// newTestServerOn serves the real app on db, over TLS when tls is set.
func newTestServerOn(t *testing.T, db *store.DB, tls bool) *testServer {
	t.Helper()
	return newTestServerWith(t, db, tls, web.Config{})
}

// newTestServerWith is newTestServerOn with a configuration; its base URL is
// the test server's own address unless cfg sets one. A copy of the demo
// template (demoSQLite) is served as it is, from the clock it was seeded
// at; any other database is seeded first.
func newTestServerWith(t *testing.T, db *store.DB, tls bool, cfg web.Config) *testServer {
	t.Helper()
	return startTestServer(t, db, tls, cfg, true, app.WithEphemeralLogKey())
}

// startTestServer serves an App made with opts on db, seeding the demo
// first when seed is set (a second server copy on a seeded database is
// started without).
func startTestServer(t *testing.T, db *store.DB, tls bool, cfg web.Config, seed bool, opts ...app.Option) *testServer {
	t.Helper()
	ts := &testServer{db: db, now: time.Now().UTC()}
	// A copy of the demo template is served as it is, from the clock and
	// with the log key it was seeded with (later options win).
	seeded := demoTemplate.Copied(db)
	if seeded {
		ts.now = demoSeededAt
		opts = append(opts, app.WithLogKey(demoLogKey))
	}
	a := app.New(db.Store(), append(opts, testHashCost, app.WithClock(func() time.Time {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		return ts.now
	}))...)
	ts.app = a
	ctx := context.Background()
	if _, err := a.LoadReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
	if seed && !seeded {
		if err := demo.Seed(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	w, r := db.Pools()
	ts.Server = httptest.NewUnstartedServer(nil)
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ts.Listener.Addr().String()
		if tls {
			cfg.BaseURL = "https://" + ts.Listener.Addr().String()
		}
	}
	cfg.Version, cfg.DBPools = "test", map[string]*sql.DB{"db_write": w, "db_read": r}
	h, err := web.New(a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.web, ts.Config.Handler = h, validatingAPI(t, h)
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Server.Close)
	return ts
}

// client returns an HTTP client with a cookie jar that does not follow
// redirects.
func (ts *testServer) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	r, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return send(t, c, r)
}

// send sends r with c (http.DefaultClient when nil) and returns the answer
// and its body.
func send(t *testing.T, c *http.Client, r *http.Request) (*http.Response, string) {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	return v
}

type problem struct {
	Type, Title, Detail, Code, RequestID string
	Status                               int
	Errors                               []struct{ Field, Detail string }
}

func TestRegionAPI(t *testing.T) {
	ts := newTestServer(t)
	resp, body := get(t, nil, ts.URL+"/api/v1/regions/35.72")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	got := decode[struct {
		Data struct {
			Code, Name string
			Population int64
			OPDs       []struct{ Name string } `json:"opds"`
		}
	}](t, body)
	if got.Data.Name != "Kota Blitar" || got.Data.Population != 161204 || len(got.Data.OPDs) == 0 {
		t.Errorf("35.72 = %+v", got.Data)
	}

	for _, tc := range []struct {
		path, code string
		status     int
		detail     string
	}{
		{"/api/v1/regions/35-72", "invalid", 400, "35.72"},
		{"/api/v1/regions/abc", "invalid", 400, "Kemendagri code"},
		{"/api/v1/regions/99.99", "not_found", 404, "99.99"},
		{"/api/v1/regions?type=desa", "invalid", 400, "filter"},
		{"/api/v1/regions?province=3", "invalid", 400, "filter"},
		{"/api/v1/regions?autonomous=maybe", "invalid", 400, "true or false"},
		{"/api/v1/regions?page%5Bsize%5D=101", "invalid", 400, "1 to 100"},
		{"/api/v1/regions?page%5Bafter%5D=%21%21", "invalid", 400, "cursor"},
		{"/api/v1/regions?tipe=kota", "invalid", 400, "Unknown query parameter"},
		{"/api/v1/nothing", "not_found", 404, "nothing"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, nil, ts.URL+tc.path)
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			p := decode[problem](t, body)
			if p.Code != tc.code || p.Status != tc.status || p.Title == "" || !strings.HasPrefix(p.Type, "tag:") ||
				!strings.Contains(p.Detail, tc.detail) {
				t.Errorf("problem = %+v", p)
			}
		})
	}
}

func TestRegionListPagesThroughEveryKota(t *testing.T) {
	ts := newTestServer(t)
	seen := map[string]bool{}
	next := "/api/v1/regions?type=kota&page%5Bsize%5D=30"
	pages := 0
	for next != "" {
		resp, body := get(t, nil, ts.URL+next)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", next, resp.StatusCode, body)
		}
		page := decode[struct {
			Data []struct {
				Code, Type string
			}
			Links struct{ Self, Next string }
		}](t, body)
		for _, r := range page.Data {
			if r.Type != "kota" || seen[r.Code] {
				t.Fatalf("unexpected or repeated %+v", r)
			}
			seen[r.Code] = true
		}
		next = page.Links.Next
		pages++
	}
	if len(seen) != 98 || pages != 4 {
		t.Errorf("%d kota in %d pages, want 98 in 4", len(seen), pages)
	}

	for q, want := range map[string]int{
		"autonomous=false": 6, "province=35&page%5Bsize%5D=100": 39, "q=blitar": 2, "q=BLITAR&type=kota": 1,
	} {
		_, body := get(t, nil, ts.URL+"/api/v1/regions?"+q)
		if n := len(decode[struct{ Data []any }](t, body).Data); n != want {
			t.Errorf("%s: %d regions, want %d", q, n, want)
		}
	}
}

// Every API route in the route table is in the OpenAPI document, and the
// document describes no route that does not exist.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	ts := newTestServer(t)
	_, body := get(t, nil, ts.URL+"/api/v1/openapi.json")
	doc := decode[struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}](t, body)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	inDoc := map[string]bool{}
	for p, ops := range doc.Paths {
		for m := range ops {
			inDoc[strings.ToUpper(m)+" /api/v1"+p] = true
		}
	}
	routes := map[string]bool{}
	for _, rt := range web.APIRoutes() {
		routes[rt] = true
		if !inDoc[rt] {
			t.Errorf("route %s is not in openapi.json", rt)
		}
	}
	for op := range inDoc {
		if !routes[op] {
			t.Errorf("openapi.json describes %s, which is not a route", op)
		}
	}
}

func TestPages(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{`<html lang="id">`, "Berbagi yang terbukti berhasil", "38 provinsi dan 508 kabupaten/kota otonom"}},
		{"/wilayah", 200, []string{"Kota Banda Aceh", "Halaman berikutnya", "100 wilayah ditampilkan."}},
		{"/wilayah?provinsi=35&jenis=kota", 200, []string{"Kota Blitar", "Kota Mojokerto", "9 wilayah ditampilkan."}},
		{"/wilayah?q=blitar", 200, []string{"Kabupaten Blitar", "Kota Blitar"}},
		{"/wilayah/35.72", 200, []string{"<h1>Kota Blitar</h1>", "161.204", "33,20", "<svg", "Wali Kota Blitar", "Ekonomi Kerakyatan Kota Blitar"}},
		{"/wilayah/35", 200, []string{"<h1>Jawa Timur</h1>", "Kabupaten/kota (38)", "/wilayah/35.72"}},
		{"/wilayah/31.71", 200, []string{"bukan daerah otonom"}},
		{"/wilayah/99.99", 404, []string{"Tidak ditemukan", "Kode permintaan"}},
		{"/wilayah/35-72", 400, []string{"Masukan tidak valid"}},
		{"/tidak-ada", 404, []string{"Tidak ditemukan"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := get(t, nil, ts.URL+tc.path)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			// Nothing is loaded from another host.
			for _, bad := range []string{`src="http`, `href="http://`, `<link rel="stylesheet" href="http`, "<style", "style="} {
				if strings.Contains(body, bad) {
					t.Errorf("page contains %q", bad)
				}
			}
		})
	}
}

func TestLanguageSwitchSticks(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	resp, err := c.PostForm(ts.URL+"/bahasa", url.Values{"lang": {"en"}, "next": {"/wilayah/35.72"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/wilayah/35.72" {
		t.Fatalf("status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := get(t, c, ts.URL+"/wilayah/35.72")
	for _, w := range []string{`<html lang="en">`, "Population", "161,204", "Head of region"} {
		if !strings.Contains(body, w) {
			t.Errorf("English page lacks %q", w)
		}
	}
	// The redirect never leaves the site.
	for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`, "javascript:alert(1)"} {
		resp, err := c.PostForm(ts.URL+"/bahasa", url.Values{"lang": {"id"}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
	resp, err = c.PostForm(ts.URL+"/bahasa", url.Values{"lang": {"fr"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("lang=fr: status %d", resp.StatusCode)
	}
}

func TestOperations(t *testing.T) {
	ts := newTestServer(t)
	if resp, body := get(t, nil, ts.URL+"/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	// Ready once the search indexes are built: the first answer starts
	// the build when nothing else has (K8.2).
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		resp, body := get(t, nil, ts.URL+"/readyz")
		if resp.StatusCode == 200 {
			break
		}
		if resp.StatusCode != 503 || body != "search index building\n" || time.Now().After(deadline) {
			t.Fatalf("readyz: %d %q", resp.StatusCode, body)
		}
	}
	get(t, nil, ts.URL+"/api/v1/regions/35.72")
	// Metrics are not public: they are served by MetricsHandler, on a
	// private listener of their own.
	if resp, _ := get(t, nil, ts.URL+"/metrics"); resp.StatusCode != 404 {
		t.Errorf("public /metrics: %d", resp.StatusCode)
	}
	private := httptest.NewServer(ts.web.MetricsHandler())
	defer private.Close()
	_, metrics := get(t, nil, private.URL)
	for _, w := range []string{
		`kolaborasi_http_requests_total{method="GET",route="GET /api/v1/regions/{code}",status="200"} 1`,
		`kolaborasi_http_request_duration_seconds_bucket{method="GET",route="GET /readyz"`,
		`go_sql_open_connections{db_name="db_write"}`,
	} {
		if !strings.Contains(metrics, w) {
			t.Errorf("metrics lack %q", w)
		}
	}
	// Closing the database makes the service unready but still alive.
	ts.db.Close()
	if resp, _ := get(t, nil, ts.URL+"/readyz"); resp.StatusCode != 503 {
		t.Errorf("readyz with closed database: %d", resp.StatusCode)
	}
	if resp, _ := get(t, nil, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz with closed database: %d", resp.StatusCode)
	}
}

func TestHeadersAndRequestIDs(t *testing.T) {
	ts := newTestServer(t)
	resp, _ := get(t, nil, ts.URL+"/")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") == "" {
		t.Errorf("headers = %v", resp.Header)
	}
	if len(resp.Header.Get("X-Request-ID")) != 16 {
		t.Errorf("request ID = %q", resp.Header.Get("X-Request-ID"))
	}
	for id, keep := range map[string]bool{"abc-123_X": true, "bad id": false, strings.Repeat("a", 65): false} {
		req, _ := http.NewRequest("GET", ts.URL+"/healthz", nil)
		req.Header["X-Request-Id"] = []string{id}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-ID"); (got == id) != keep {
			t.Errorf("request ID %q came back as %q", id, got)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	ts := newTestServer(t)
	big := strings.NewReader("lang=en&next=" + strings.Repeat("a", 2<<20))
	resp, err := http.Post(ts.URL+"/bahasa", "application/x-www-form-urlencoded", big)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("2 MiB form: status %d", resp.StatusCode)
	}
}

func TestAssetsAndMaps(t *testing.T) {
	ts := newTestServer(t)
	_, page := get(t, nil, ts.URL+"/")
	i := strings.Index(page, "/assets/app.css?v=")
	if i < 0 {
		t.Fatal("page does not link the stylesheet with a version")
	}
	href := page[i : i+strings.IndexByte(page[i:], '"')]
	resp, css := get(t, nil, ts.URL+href)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(css, "--brand") {
		t.Errorf("css: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := get(t, nil, ts.URL+"/assets/nope.css"); resp.StatusCode != 404 {
		t.Errorf("missing asset: %d", resp.StatusCode)
	}

	req, _ := http.NewRequest("GET", ts.URL+"/peta/kabupaten-kota.geojson", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") == "" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Fatalf("headers = %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct{ Features []any }
	if err := json.NewDecoder(zr).Decode(&fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 514 {
		t.Errorf("%d features, want 514", len(fc.Features))
	}
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp2, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNotModified {
		t.Errorf("conditional request: %d", resp2.StatusCode)
	}
}
