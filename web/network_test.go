package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The network names regions, not codes: on the server-drawn map (labels
// beside the dots), in the table of links and in the JSON for the graph.
func TestNetworkNamesRegions(t *testing.T) {
	ts := newTestServer(t)
	_, page := get(t, nil, ts.URL+"/jaringan")
	for _, want := range []string{`<text class="label"`, `dy="-9">Kota Blitar</text>`, `dy="-9">Kota Bandung</text>`,
		`<td><a href="/wilayah/35.72">Kota Blitar</a> – <a href="/wilayah/32.73">Kota Bandung</a></td>`} {
		if !strings.Contains(page, want) {
			t.Errorf("network page lacks %s", want)
		}
	}
	if strings.Contains(page, `">35.72</a>`) {
		t.Error("the network page still shows a region code as a link text")
	}
	_, body := get(t, nil, ts.URL+"/api/v1/agreements/network")
	net := decode[struct {
		Data struct {
			Edges []struct {
				SourceName string `json:"source_name"`
				TargetName string `json:"target_name"`
			}
		}
	}](t, body)
	if len(net.Data.Edges) != 1 || net.Data.Edges[0].SourceName != "Kota Blitar" || net.Data.Edges[0].TargetName != "Kota Bandung" {
		t.Errorf("edges = %+v", net.Data.Edges)
	}
}

// browser starts headless chromium for a test, or skips it when chromium
// is missing (outside CI). When KOLABORASI_SCREENSHOTS names a directory,
// shot writes a full-page PNG there; otherwise into the test's temporary
// directory.
func browser(t *testing.T) (ctx context.Context, shot func(name string)) {
	t.Helper()
	requireBrowser(t)
	tctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(tctx, opts...)
	t.Cleanup(cancel)
	ctx, cancel = chromedp.NewContext(actx)
	t.Cleanup(cancel)
	dir := os.Getenv("KOLABORASI_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	return ctx, func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// The interactive graph of two nearby regions is not zoomed until a dot
// fills the screen: the zoom stays within its bound after fitting.
func TestBrowserNetworkZoom(t *testing.T) {
	requireBrowser(t)
	ts := newTestServer(t)
	ctx, shot := browser(t)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(ts.URL+"/jaringan"),
		chromedp.WaitVisible(chromedp.CSS(`#network-graph[data-zoom]`)))
	if err != nil {
		t.Fatalf("network graph: %v", err)
	}
	shot("jaringan-1280")
	zoom, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("network-graph").dataset.zoom`))
	if err != nil {
		t.Fatal(err)
	}
	if z, err := strconv.ParseFloat(zoom, 64); err != nil || z > 1.6 || z < 0.5 {
		t.Errorf("graph zoom = %q, want within [0.5, 1.6]", zoom)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/log")); err != nil {
		t.Fatal(err)
	}
	shot("log-1280")
	// The demo agreement's page, whose server verdict box is green.
	id := demoAgreementID(t, ts)
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/kerjasama/%d", ts.URL, id)), chromedp.WaitVisible(chromedp.CSS(`.notice.ok`))); err != nil {
		t.Fatal(err)
	}
	shot("kerjasama-1280")
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".notice.ok")).backgroundColor`))
	if err != nil || bg != "rgb(231, 244, 237)" {
		t.Errorf("verified box background = %q, %v; want the pale green", bg, err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 800), chromedp.Navigate(ts.URL+"/log")); err != nil {
		t.Fatal(err)
	}
	shot("log-360")
	// On a phone the log's rows stack and keep their summary.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector(".log-rows td:nth-child(5)")).display !== "none"`))
	if err != nil || !shown {
		t.Errorf("the log's summary is hidden on a phone: %v", err)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the log page is %d px wide on a 360 px phone, %v", w, err)
	}
}
