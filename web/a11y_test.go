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

// mainPage is one page the accessibility test checks and the screenshot
// command pictures (when shot is set): its address (a function of the
// fresh demo), who looks at it ("" for anyone), and the route that serves
// it, so a page of later work is listed here once and visited as soon as
// its route exists.
type mainPage struct {
	name, account, route string
	path                 func(t *testing.T, ts *testServer) string
	shot                 bool
}

// at is a fixed address.
func at(p string) func(*testing.T, *testServer) string {
	return func(*testing.T, *testServer) string { return p }
}

// mainPages are the main pages, anonymous first, then per account.
var mainPages = []mainPage{
	{"home", "", "/{$}", at("/"), true},
	{"catalog", "", "/katalog", at("/katalog?q=pengaduan"), true},
	{"solution", "", "/solusi/{id}", func(t *testing.T, ts *testServer) string {
		return fmt.Sprintf("/solusi/%d", demoSolution(t, ts, "Bandung Command Center").ID)
	}, true},
	{"agreement", "", "/kerjasama/{id}", at("/kerjasama/1"), true},
	{"agreements", "", "/kerjasama", at("/kerjasama"), false},
	{"network", "", "/jaringan", at("/jaringan"), true},
	{"log", "", "/log", at("/log"), false},
	{"region", "", "/wilayah/{code}", at("/wilayah/35.72"), true},
	{"region-province", "", "/wilayah/{code}", at("/wilayah/35"), false},
	{"regions", "", "/wilayah", at("/wilayah"), false},
	{"indicators", "", "/indikator", at("/indikator"), false},
	{"indicator", "", "/indikator/{code}", at("/indikator/umkm.terdaftar?wilayah=35.72"), false},
	{"adoption", "", "/adopsi/{id}", func(t *testing.T, ts *testServer) string {
		ads, err := ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{Limit: 1})
		if err != nil || len(ads) == 0 {
			t.Fatalf("no demo adoption: %v", err)
		}
		return fmt.Sprintf("/adopsi/%d", ads[0].ID)
	}, false},
	{"adoptions", "", "/adopsi", at("/adopsi"), false},
	{"savings", "", "/penghematan", at("/penghematan"), false},
	{"validator", "", "/publiccode", at("/publiccode"), false},
	{"login", "", "/masuk", at("/masuk"), false},
	{"not-found", "", "/{$}", at("/tidak-ada-halaman-ini"), false},
	{"showcase", "", "/etalase", at("/etalase"), true},
	{"showcase-bandung", "", "/wilayah/{code}/etalase", at("/wilayah/32.73/etalase"), true},
	{"product", "", "/produk/{id}", at("/produk/3"), true},
	{"needs", "", "/wilayah/{code}/kebutuhan", at("/wilayah/35.72/kebutuhan"), false},
	{"matchmaking", "", "/wilayah/{code}/mitra", at("/wilayah/35.72/mitra"), true},
	// Pages of later work: visited once their routes exist.
	{"ranking", "", "/peringkat", at("/peringkat"), true},
	// Signed in.
	{"workspace-editor", "umkm@blitarkota.test", "/ruang-kerja", at("/ruang-kerja"), true},
	{"account", "umkm@blitarkota.test", "/akun", at("/akun"), false},
	{"observation-import", "umkm@blitarkota.test", "/kelola/{code}/indikator/impor", at("/kelola/35.72/indikator/impor"), false},
	{"product-form", "umkm@blitarkota.test", "/kelola/{code}/produk/baru", at("/kelola/35.72/produk/baru"), true},
	{"workspace-coordinator", "kerjasama@blitarkota.test", "/ruang-kerja", at("/ruang-kerja"), true},
	{"manage", "admin@blitarkota.test", "/kelola/{code}", at("/kelola/35.72"), true},
	{"workspace-admin", "admin@blitarkota.test", "/ruang-kerja", at("/ruang-kerja"), true},
}

// visitPages opens each page whose route exists, at 360 and 1280 px, in a
// browser signed in as the page's account (one browser per account), and
// calls fn on it.
func visitPages(j *journey, pages []mainPage, fn func(tb *tab, p mainPage, path string, width int64)) {
	t, ts := j.t, j.ts
	var tb *tab
	signedIn := "-"
	for _, p := range pages {
		if !ts.web.HasRoute("GET", p.route) {
			t.Logf("%s: no route %s yet", p.name, p.route)
			continue
		}
		if p.account != signedIn {
			who := p.account
			if who == "" {
				who = "anonymous"
			}
			tb = j.browser(who, 8*time.Minute)
			if p.account != "" {
				j.signIn(tb, p.account, demoPassword)
			}
			signedIn = p.account
		}
		path := p.path(t, ts)
		for _, width := range []int64{360, 1280} {
			j.do(tb, fmt.Sprintf("%s at %d px", path, width),
				chromedp.EmulateViewport(width, 800), chromedp.Navigate(ts.URL+path), chromedp.WaitVisible(chromedp.CSS(`footer`)))
			fn(tb, p, path, width)
		}
	}
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
// main page, at a phone's and a desktop's width, in Indonesian, nor on the
// public pages in English.
func TestAccessibility(t *testing.T) {
	requireBrowser(t)
	script := axeScript(t)
	j := newJourney(t, "a11y")
	visitPages(j, mainPages, func(tb *tab, p mainPage, path string, width int64) {
		vs, err := runAxe(tb.ctx, script)
		if err != nil {
			j.fail(tb, "%s at %d px: %v", path, width, err)
		}
		for _, v := range vs {
			t.Errorf("%s (%s) at %d px: %s [%s] %s\n\t%s", p.name, path, width, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	})

	// The English pages: the anonymous ones, at a desktop's width.
	tb := j.browser("english", 2*time.Minute)
	j.do(tb, "switching to English", chromedp.Navigate(j.ts.URL+"/"), chromedp.Click(chromedp.CSS(`form.lang button[value=en]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.lang button[value=id]`)))
	for _, p := range mainPages {
		if p.account != "" || !j.ts.web.HasRoute("GET", p.route) {
			continue
		}
		path := p.path(t, j.ts)
		j.do(tb, path+" in English", chromedp.Navigate(j.ts.URL+path), chromedp.WaitVisible(chromedp.CSS(`footer`)))
		vs, err := runAxe(tb.ctx, script)
		if err != nil {
			j.fail(tb, "%s in English: %v", path, err)
		}
		for _, v := range vs {
			t.Errorf("%s (%s) in English: %s [%s] %s\n\t%s", p.name, path, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n\t"))
		}
	}
}

// focusState describes the focused element and whether its focus shows.
const focusState = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return JSON.stringify({tag: "body"});
	const cs = getComputedStyle(el);
	const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
	const shadow = cs.boxShadow !== "none";
	return JSON.stringify({
		tag: el.tagName.toLowerCase(), text: (el.textContent || "").trim().slice(0, 40),
		href: el.getAttribute("href") || "", id: el.id || "",
		visible: (outline || shadow) && el.matches(":focus-visible"),
		inHeader: !!el.closest("header"), inMain: !!el.closest("main"),
		onScreen: (r => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0)(el.getBoundingClientRect())
	});
})()`

type focused struct {
	Tag, Text, Href, ID       string
	Visible, InHeader, InMain bool
	OnScreen                  bool
}

// The keyboard alone reaches everything in the header with a visible
// focus: the first Tab lands on the skip link, which shows itself and
// moves focus to the main content; then Tab walks the header's links and
// buttons, each with a visible outline.
func TestKeyboardFocusAndSkipLink(t *testing.T) {
	requireBrowser(t)
	j := newJourney(t, "keyboard")
	tb := j.browser("anonymous", 2*time.Minute)
	state := func() focused {
		t.Helper()
		s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](focusState))
		if err != nil {
			j.fail(tb, "reading the focus: %v", err)
		}
		var f focused
		if err := json.Unmarshal([]byte(s), &f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	tabKey := func() focused { j.do(tb, "Tab", chromedp.KeyEvent("\t")); return state() }
	for _, width := range []int64{1280, 360} {
		j.do(tb, "the home page", chromedp.EmulateViewport(width, 800), chromedp.Navigate(j.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("footer")))
		f := tabKey()
		if f.Href != "#main" || !f.Visible || !f.OnScreen {
			j.fail(tb, "at %d px the first Tab focuses %+v, want the skip link to #main, visible and on screen", width, f)
		}
		if width == 1280 {
			j.screenshot(tb, "skip-link")
		}
		// Tab through the header: every stop shows its focus.
		var stops []string
		for i := 0; i < 20; i++ {
			f = tabKey()
			if !f.InHeader {
				break
			}
			stops = append(stops, f.Tag+" "+f.Href+f.Text)
			if !f.Visible {
				j.fail(tb, "at %d px the focus on %s %q %s is not visible", width, f.Tag, f.Text, f.Href)
			}
		}
		for _, want := range []string{"/katalog", "/kerjasama", "/masuk", "EN"} {
			if !strings.Contains(strings.Join(stops, "|"), want) {
				j.fail(tb, "at %d px Tab never reached %s in the header: %v", width, want, stops)
			}
		}
		// The skip link works: Enter on it moves the focus into main, and
		// the next Tab goes to main's first link or field, not the header.
		j.do(tb, "the home page again", chromedp.Navigate(j.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("footer")))
		tabKey()
		j.do(tb, "Enter on the skip link", chromedp.KeyEvent("\r"))
		if f = state(); f.ID != "main" {
			j.fail(tb, "at %d px after the skip link the focus is on %+v, want main", width, f)
		}
		if f = tabKey(); !f.InMain || !f.Visible {
			j.fail(tb, "at %d px the Tab after the skip link focuses %+v, want a visible stop inside main", width, f)
		}
	}
}
