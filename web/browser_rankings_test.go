package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
)

// A national observer opens the rankings from the header, the demo index,
// and Kota Bandung's row: its rank history is drawn by uPlot on a canvas
// above the table (200 → 1), which stays as the fallback.
func TestBrowserRankHistory(t *testing.T) {
	requireBrowser(t)
	ts := newTestServer(t)
	observer := makeUser(t, ts.app, "browser-observer@k5.test", "", kolaborasi.RoleObserver)
	ctx := newBrowser(t, 60*time.Second)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := browserSignIn(ctx, ts.URL, observer.Email, matrixPass); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.Click(css(`header nav a[href="/peringkat"]`)),
		chromedp.WaitVisible(css(`a[href="`+demoIndex+`"]`)),
		chromedp.Click(css(`a[href="`+demoIndex+`"]`)),
		chromedp.WaitVisible(css(`#choropleth-values a[href="`+demoIndex+`/daerah/`+demo.Bandung+`"]`)),
		chromedp.Click(css(`#choropleth-values a[href="`+demoIndex+`/daerah/`+demo.Bandung+`"]`)),
		chromedp.WaitVisible(css(`.chart .uplot canvas`)),
	)
	if err != nil {
		t.Fatalf("open the rank history: %v", err)
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(css(`.rank-summary`)))
	if err != nil || !strings.Contains(summary, "200 → 1") {
		t.Fatalf("summary %q, %v", summary, err)
	}
	table, err := chromedp.Run(ctx, chromedp.Text(css(`table[data-chart]`)))
	if err != nil || !strings.Contains(table, "2015") || !strings.Contains(table, "200") {
		t.Fatalf("history table %q, %v", table, err)
	}
	// uPlot drew: a sized canvas, one series besides x, the rank axis
	// upside down (1 on top).
	drawn, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function () {
		var c = document.querySelector(".chart .uplot canvas");
		return !!c && c.width > 100 && c.height > 100 && document.querySelectorAll(".chart .u-legend .u-series").length === 2;
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !drawn {
		t.Fatalf("the chart is not drawn: %v", err)
	}
}
