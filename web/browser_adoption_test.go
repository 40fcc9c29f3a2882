package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi/demo"
)

// Kota Blitar's editor opens a Kota Bandung solution from the catalog and
// requests its adoption; Bandung's editor finds the request in the
// workspace and accepts it; the solution page then shows Blitar among its
// adopters, on the Leaflet map (drawn under the page's CSP) and in the table.
func TestBrowserAdoptionRequestAndAcceptance(t *testing.T) {
	ts := newTestServer(t)
	hayu := demoSolution(t, ts, "Hayu")
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	solutionLink := fmt.Sprintf(`a[href="/solusi/%d"]`, hayu.ID)

	blitar := newBrowser(t, 60*time.Second)
	if err := browserSignIn(blitar, ts.URL, "umkm@blitarkota.test", demo.Password); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	err := chromedp.Do(blitar,
		chromedp.Navigate(ts.URL+"/katalog?q=Hayu"),
		chromedp.WaitVisible(css(solutionLink)),
		chromedp.Click(css(solutionLink)),
		chromedp.WaitVisible(css(`a[href^="/adopsi/baru"]`)),
		chromedp.Click(css(`a[href^="/adopsi/baru"]`)),
		chromedp.WaitVisible(css(`input[name=budget_planned]`)),
		chromedp.SendKeys(css(`input[name=budget_planned]`), "75000000"),
		chromedp.SendKeys(css(`input[name=budget_planned_source]`), "RKA Diskominfo Kota Blitar 2027"),
		chromedp.SendKeys(css(`textarea[name=note]`), "Kami ingin memakai Hayu untuk layanan warga."),
		chromedp.Submit(css(`input[name=budget_planned]`)),
	)
	if err != nil {
		t.Fatalf("requesting the adoption: %v", err)
	}
	var loc string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if loc, _ = chromedp.Run(blitar, chromedp.Location()); strings.Contains(loc, "/adopsi/") && !strings.Contains(loc, "baru") && !strings.Contains(loc, "solusi=") {
			break
		}
	}
	path := loc[strings.Index(loc, "/adopsi/"):]
	if !strings.HasPrefix(path, "/adopsi/") || strings.Contains(path, "?") {
		t.Fatalf("after the request the browser is at %q", loc)
	}

	bandung := newBrowser(t, 60*time.Second)
	if err := browserSignIn(bandung, ts.URL, "diskominfo@bandung.test", demo.Password); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	err = chromedp.Do(bandung,
		chromedp.Navigate(ts.URL+"/ruang-kerja"),
		chromedp.WaitVisible(css(`a[href="`+path+`"]`)),
		chromedp.Click(css(`a[href="`+path+`"]`)),
		chromedp.WaitVisible(css(`button[value=accept]`)),
		chromedp.SendKeys(css(`textarea[name=message]`), "Silakan, kami dampingi."),
		chromedp.Click(css(`button[value=accept]`)),
		chromedp.WaitNotPresent(css(`button[value=accept]`)),
		chromedp.Navigate(fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID)),
		chromedp.WaitVisible(css(`#adopsi table`)),
		// The map: Leaflet draws the two regions as SVG circle markers.
		chromedp.WaitVisible(css(`.adopters-map .leaflet-interactive`)),
	)
	if err != nil {
		t.Fatalf("accepting from the workspace: %v", err)
	}
	section, err := chromedp.Run(bandung, chromedp.Text(css(`#adopsi`)))
	if err != nil || !strings.Contains(section, "Dipakai oleh 1 daerah") || !strings.Contains(section, "Kota Blitar") {
		t.Errorf("the solution page's adopters: %q, %v", section, err)
	}
	markers, err := chromedp.Run(bandung, chromedp.Evaluate[int](`document.querySelectorAll(".adopters-map path.leaflet-interactive").length`))
	if err != nil || markers < 2 {
		t.Errorf("map markers: %d, %v", markers, err)
	}
	legend, err := chromedp.Run(bandung, chromedp.Text(css(`.map-legend`)))
	if err != nil || !strings.Contains(legend, "Daerah pengadopsi") {
		t.Errorf("map legend: %q, %v", legend, err)
	}
}
