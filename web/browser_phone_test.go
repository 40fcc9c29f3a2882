package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// At 360 px the public pages with wide tables neither scroll sideways nor cut
// a column: their tables become cards (app.js) or fit.
func TestBrowserPhoneWidthHasNoSideScroll(t *testing.T) {
	requireBrowser(t)
	ctx := newBrowser(t, 90*time.Second)
	ts := newTestServer(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/wilayah/35.72/mitra", "/wilayah/35.72/kebutuhan", "/adopsi/14", "/penghematan",
		"/penghematan?provinsi=35", "/indikator/bps.pertumbuhan-ekonomi", "/wilayah/35.72"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path), chromedp.WaitReady("footer")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		// A table or scroll box whose content is wider than itself hides columns.
		clipped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table, .table-scroll")).filter(e => e.scrollWidth > e.clientWidth + 1).map(e => (e.id || e.className || e.tagName) + " " + e.scrollWidth + ">" + e.clientWidth)`))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if width > 360 {
			t.Errorf("%s is %d px wide at 360 px", path, width)
		}
		if len(clipped) > 0 {
			t.Errorf("%s cuts tables at 360 px: %v", path, clipped)
		}
	}
	// The home page's figures fit their cards on a wide screen.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+"/"), chromedp.WaitReady("footer")); err != nil {
		t.Fatal(err)
	}
	over, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".stats strong")).filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(over) > 0 {
		t.Errorf("home page figures overflow their cards at 1280 px: %v", over)
	}
}
