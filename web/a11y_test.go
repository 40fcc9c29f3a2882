package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi"
)

// a11yPage is one page the accessibility test checks: its address (a
// function of the fresh demo), who looks at it ("" for anyone), and the
// route that serves it, so a page of later work is listed here once and
// checked as soon as its route exists.
type a11yPage struct {
	name, account, route string
	path                 func(t *testing.T, ts *testServer) string
}

// at is a fixed address.
func at(p string) func(*testing.T, *testServer) string {
	return func(*testing.T, *testServer) string { return p }
}

// a11yPages are the main pages, anonymous first, then per account.
var a11yPages = []a11yPage{
	{"home", "", "/{$}", at("/")},
	{"catalog", "", "/katalog", at("/katalog?q=pengaduan")},
	{"solution", "", "/solusi/{id}", func(t *testing.T, ts *testServer) string {
		return fmt.Sprintf("/solusi/%d", demoSolution(t, ts, "Hayu").ID)
	}},
	{"agreement", "", "/kerjasama/{id}", at("/kerjasama/1")},
	{"agreements", "", "/kerjasama", at("/kerjasama")},
	{"network", "", "/jaringan", at("/jaringan")},
	{"log", "", "/log", at("/log")},
	{"region-kota", "", "/wilayah/{code}", at("/wilayah/35.72")},
	{"region-province", "", "/wilayah/{code}", at("/wilayah/35")},
	{"regions", "", "/wilayah", at("/wilayah")},
	{"indicators", "", "/indikator", at("/indikator")},
	{"indicator", "", "/indikator/{code}", at("/indikator/umkm.terdaftar?wilayah=35.72")},
	{"adoption", "", "/adopsi/{id}", func(t *testing.T, ts *testServer) string {
		ads, err := ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{Limit: 1})
		if err != nil || len(ads) == 0 {
			t.Fatalf("no demo adoption: %v", err)
		}
		return fmt.Sprintf("/adopsi/%d", ads[0].ID)
	}},
	{"savings", "", "/penghematan", at("/penghematan")},
	{"validator", "", "/publiccode", at("/publiccode")},
	{"login", "", "/masuk", at("/masuk")},
	{"not-found", "", "/{$}", at("/tidak-ada-halaman-ini")},
	{"workspace-editor", "umkm@blitarkota.test", "/ruang-kerja", at("/ruang-kerja")},
	{"account", "umkm@blitarkota.test", "/akun", at("/akun")},
	{"observation-import", "umkm@blitarkota.test", "/kelola/{code}/indikator/impor", at("/kelola/35.72/indikator/impor")},
	{"workspace-coordinator", "kerjasama@blitarkota.test", "/ruang-kerja", at("/ruang-kerja")},
}

// axeScript is the vendored axe-core (see testdata/axe/README.md).
func axeScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeViolation is what the test reports of one serious or critical rule.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// runAxe injects axe-core into the current page through DevTools (the
// page's CSP allows no inline script; an evaluation is not subject to it)
// and returns the serious and critical violations of WCAG 2.0/2.1 A and AA.
func runAxe(ctx context.Context, script string) ([]axeViolation, error) {
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script+"\n;true")); err != nil {
		return nil, fmt.Errorf("injecting axe: %w", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
		resultTypes: ["violations"]
	}).then(r => JSON.stringify(r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help,
			targets: v.nodes.slice(0, 3).map(n => n.target.join(" ") + "  " + n.html.slice(0, 160))}))))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe: %w", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		return nil, err
	}
	return vs, nil
}

// axe-core finds no serious or critical WCAG 2.1 A/AA violation on any
// main page, at a phone's and a desktop's width, in Indonesian.
func TestAccessibility(t *testing.T) {
	script := axeScript(t)
	ts := newTestServer(t)
	var tb *tab
	j := &journey{t: t, ts: ts, name: "a11y", dir: screenshotDir(t)}
	signedIn := "-"
	for _, p := range a11yPages {
		if !ts.web.HasRoute("GET", p.route) {
			t.Logf("%s: no route %s yet", p.name, p.route)
			continue
		}
		if p.account != signedIn {
			who := p.account
			if who == "" {
				who = "anonymous"
			}
			tb = j.browser(who, 4*time.Minute)
			if p.account != "" {
				j.signIn(tb, p.account, demoPassword)
			}
			signedIn = p.account
		}
		path := p.path(t, ts)
		for _, width := range []int64{360, 1280} {
			j.do(tb, fmt.Sprintf("%s at %d px", path, width),
				chromedp.EmulateViewport(width, 800), chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS(`footer`)))
			vs, err := runAxe(tb.ctx, script)
			if err != nil {
				j.fail(tb, "%s at %d px: %v", path, width, err)
			}
			for _, v := range vs {
				t.Errorf("%s (%s) at %d px: %s [%s] %s\n\t%s", p.name, path, width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
			}
		}
	}
}
