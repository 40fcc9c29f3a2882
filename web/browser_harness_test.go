package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi/demo"
)

// A journey is one browser test on a fresh demo: its own server, one or
// more browsers (a tab each), the console log of every tab, a screenshot
// when it ends and, on failure, each tab's HTML and console log saved
// next to the screenshot and named in the failure message.
type journey struct {
	t    *testing.T
	ts   *testServer
	name string
	dir  string
	tabs []*tab
}

// A tab is one browser of a journey and what its console said.
type tab struct {
	ctx  context.Context
	name string
	mu   sync.Mutex
	log  []string
}

// newJourney starts a fresh demo server for the journey name (also the
// prefix of its files in screenshotDir).
func newJourney(t *testing.T, name string) *journey {
	t.Helper()
	return &journey{t: t, ts: newTestServer(t), name: name, dir: screenshotDir(t)}
}

// browser starts a headless Chromium for one person in the journey and
// records its console messages and uncaught exceptions. The timeout bounds
// the whole browser; it is generous because CI runs every package at once
// with the race detector on two cores.
func (j *journey) browser(name string, timeout time.Duration) *tab {
	j.t.Helper()
	tb := &tab{ctx: newBrowser(j.t, timeout), name: name}
	messages := chromedp.Console(tb.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.log = append(tb.log, m.String())
			tb.mu.Unlock()
		}
	}()
	j.tabs = append(j.tabs, tb)
	return tb
}

// signIn signs the tab in as a demo account or fails the journey.
func (j *journey) signIn(tb *tab, email, password string) {
	j.t.Helper()
	if err := browserSignIn(tb.ctx, j.ts.URL, email, password); err != nil {
		j.fail(tb, "sign-in as %s: %v", email, err)
	}
}

// do runs actions in the tab or fails the journey, saying what step failed.
func (j *journey) do(tb *tab, step string, actions ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		j.fail(tb, "%s: %v", step, err)
	}
}

// text is the text of the first element matching sel, or fails.
func (j *journey) text(tb *tab, sel string) string {
	j.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		j.fail(tb, "reading %s: %v", sel, err)
	}
	return s
}

// fail saves the page HTML and the console log of every tab, then fails
// the test naming the files.
func (j *journey) fail(tb *tab, format string, args ...any) {
	j.t.Helper()
	msg := fmt.Sprintf(format, args...)
	j.t.Fatalf("%s (in %s's browser)%s", msg, tb.name, j.saveEvidence())
}

// saveEvidence writes each tab's HTML and console log and returns a line
// naming the files.
func (j *journey) saveEvidence() string {
	var files []string
	for _, tb := range j.tabs {
		base := filepath.Join(j.dir, j.name+"-"+tb.name+"-failure")
		// A short context of its own: the tab's may be the one that
		// timed out.
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		cancel()
		if err != nil {
			html = "(the page's HTML could not be read: " + err.Error() + ")"
		}
		tb.mu.Lock()
		console := strings.Join(tb.log, "\n") + "\n"
		tb.mu.Unlock()
		if os.WriteFile(base+".html", []byte(html), 0o644) == nil && os.WriteFile(base+".console.txt", []byte(console), 0o644) == nil {
			files = append(files, base+".html", base+".console.txt")
		}
	}
	if len(files) == 0 {
		return ""
	}
	return "\nsaved: " + strings.Join(files, ", ")
}

// screenshot saves a full-page PNG of the tab as <journey>.png (or
// <journey>-<suffix>.png).
func (j *journey) screenshot(tb *tab, suffix string) string {
	j.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		j.fail(tb, "screenshot: %v", err)
	}
	name := j.name
	if suffix != "" {
		name += "-" + suffix
	}
	file := filepath.Join(j.dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		j.t.Fatal(err)
	}
	return file
}

// waitLocation polls until the tab's address satisfies ok (reads may fail
// while a page is replaced) and returns it, or fails.
func (j *journey) waitLocation(tb *tab, what string, ok func(string) bool) string {
	j.t.Helper()
	var loc string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if loc, _ = chromedp.Run(tb.ctx, chromedp.Location()); ok(loc) {
			return loc
		}
	}
	j.fail(tb, "waiting for %s: the browser is at %q", what, loc)
	return ""
}

// demoPassword is the demo accounts' password, for the journeys.
const demoPassword = demo.Password

// The harness keeps what a failure needs: each browser's page HTML and its
// console messages and uncaught exceptions, written next to the
// screenshots and named in the message.
func TestJourneyHarnessSavesEvidence(t *testing.T) {
	requireBrowser(t)
	j := newJourney(t, "harness")
	tb := j.browser("visitor", 2*time.Minute)
	j.do(tb, "the home page", chromedp.Navigate(j.ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("footer")))
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`console.error("harness-check", 42); setTimeout(() => { throw new Error("harness-boom") }, 0); true`)); err != nil {
		t.Fatal(err)
	}
	var console string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		tb.mu.Lock()
		console = strings.Join(tb.log, "\n")
		tb.mu.Unlock()
		if strings.Contains(console, "harness-boom") {
			break
		}
	}
	msg := j.saveEvidence()
	base := filepath.Join(j.dir, "harness-visitor-failure")
	if !strings.Contains(msg, base+".html") || !strings.Contains(msg, base+".console.txt") {
		t.Fatalf("the message names %q", msg)
	}
	html, err := os.ReadFile(base + ".html")
	if err != nil || !strings.Contains(string(html), `<html lang="id">`) || !strings.Contains(string(html), "home-q") {
		t.Errorf("saved HTML: %.200s, %v", html, err)
	}
	log, err := os.ReadFile(base + ".console.txt")
	if err != nil || !strings.Contains(string(log), "harness-check") || !strings.Contains(string(log), "harness-boom") {
		t.Errorf("saved console log %q, %v (recorded %q)", log, err, console)
	}
	if file := j.screenshot(tb, ""); !strings.HasSuffix(file, "harness.png") {
		t.Errorf("screenshot file %s", file)
	}
}
