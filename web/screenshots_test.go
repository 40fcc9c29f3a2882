package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreenshots is the visual check: on a fresh demo it writes full-page
// screenshots of the main pages (mainPages with shot set: home, catalog,
// solution, agreement, network, region, the workspaces, region
// administration, and showcase, ranking and matchmaking once their routes
// exist) at 360 and 1280 px into one folder, as <page>-<width>.png:
//
//	KOLABORASI_SCREENSHOTS=/tmp/shots go test ./web -run '^TestScreenshots$' -count=1
//
// Without KOLABORASI_SCREENSHOTS it is skipped (the accessibility test
// visits the same pages in every run).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("KOLABORASI_SCREENSHOTS")
	if dir == "" {
		t.Skip("KOLABORASI_SCREENSHOTS names no directory")
	}
	j := newJourney(t, "screenshots")
	var shots []mainPage
	for _, p := range mainPages {
		if p.shot {
			shots = append(shots, p)
		}
	}
	n := 0
	visitPages(j, shots, func(tb *tab, p mainPage, path string, width int64) {
		png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			j.fail(tb, "screenshot of %s at %d px: %v", path, width, err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)), png, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	})
	t.Logf("%d screenshots in %s", n, dir)
}
