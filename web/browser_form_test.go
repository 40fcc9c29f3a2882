package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi/demo"
)

// screenshotDir is where browser tests write their screenshots:
// $KOLABORASI_SCREENSHOTS when set (to look at them), a temporary
// directory otherwise. Write them with
//
//	KOLABORASI_SCREENSHOTS=/tmp/shots go test ./web/ -run TestBrowser
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("KOLABORASI_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// screenshots writes full-page screenshots of the current page at a
// phone's and a desktop's width.
func screenshots(ctx context.Context, t *testing.T, dir, name string) {
	t.Helper()
	for _, width := range []int64{360, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatalf("viewport %d px: %v", width, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s at %d px: %v", name, width, err)
		}
		file := filepath.Join(dir, name+"-"+map[int64]string{360: "360", 1280: "1280"}[width]+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
}

// The Blitar coordinator (a demo account) drafts an agreement with Bandung
// by name in a real browser: the exchange row lists the parties by name as
// soon as Bandung is typed, a Bandung solution is suggested by name from
// the search API and chosen, a row is added in place, and the saved
// agreement shows. Screenshots of the form at 360 and 1280 px are written.
func TestBrowserDraftingByName(t *testing.T) {
	requireBrowser(t)
	ts := newTestServer(t)
	sols, err := ts.app.PartySolutions(context.Background(), []string{demo.Bandung})
	if err != nil || len(sols) == 0 {
		t.Fatalf("no Bandung solution: %v", err)
	}
	sol := sols[0]
	name := sol.Name.ID
	dir := screenshotDir(t)

	tctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 800))
	actx, cancel := chromedp.NewExecAllocator(tctx, opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/masuk"),
		chromedp.SendKeys(css(`input[name=email]`), "kerjasama@blitarkota.test"),
		chromedp.SendKeys(css(`input[name=password]`), demo.Password),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitNotPresent(css(`input[name=password]`)),
		chromedp.Navigate(ts.URL+"/kelola/35.72/kerjasama/baru"),
		chromedp.WaitVisible(css(`input[name=p1_region]`)),
	)
	if err != nil {
		t.Fatalf("sign-in and form: %v", err)
	}
	screenshots(ctx, t, dir, "agreement-form-empty")

	// Bandung by name: the giver select names it at once.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css(`input[name=title]`), "Adopsi aplikasi Kota Bandung"),
		chromedp.SendKeys(css(`input[name=p1_region]`), "Kota Bandung"),
		chromedp.SendKeys(css(`textarea[name=purpose]`), "Berbagi aplikasi kota cerdas."),
		chromedp.SendKeys(css(`textarea[name=scope]`), "Smart City"),
	)
	if err != nil {
		t.Fatalf("typing: %v", err)
	}
	giver, err := chromedp.Run(ctx, chromedp.Text(css(`select[name=x0_giver]`)))
	if err != nil || !strings.Contains(giver, "Kota Bandung") || !strings.Contains(giver, "Kota Blitar") {
		t.Fatalf("the giver select offers %q, %v", giver, err)
	}

	// The solution by name: suggested from the search API.
	if err := chromedp.Do(ctx, chromedp.SendKeys(css(`input[name=x0_solution]`), name[:len(name)-3])); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.querySelectorAll("#solutions option")).some(o => o.value === `+jsString(name)+`)`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("%q is not suggested: %v", name, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(css(`input[name=x0_solution]`), name),
		chromedp.SetValue(css(`select[name=x0_giver]`), "1"),
		chromedp.Click(css(`input[name=x0_receivers][value="0"]`)),
		chromedp.Click(css(`input[name=x0_terms][value=training]`)),
		chromedp.Click(css(`[data-rows=x] button[data-add-row]`)),
		chromedp.WaitVisible(css(`select[name=x1_giver]`)),
		chromedp.SetValue(css(`select[name=f0_party]`), "0"),
		chromedp.SendKeys(css(`input[name=place]`), "Blitar"),
	)
	if err != nil {
		t.Fatalf("exchange row: %v", err)
	}
	screenshots(ctx, t, dir, "agreement-form-filled")

	err = chromedp.Do(ctx,
		chromedp.Click(css(`.actions button[type=submit]`)),
		chromedp.WaitNotPresent(css(`form[data-agreement-form]`)),
	)
	if err != nil {
		t.Fatalf("saving: %v", err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	m := agreementPath.FindStringSubmatch(strings.TrimPrefix(url, ts.URL))
	if m == nil {
		t.Fatalf("after saving the browser is at %s", url)
	}
	page, err := chromedp.Run(ctx, chromedp.Text(css(`main`)))
	if err != nil || !strings.Contains(page, "Adopsi aplikasi Kota Bandung") || !strings.Contains(page, "Kota Bandung") {
		t.Errorf("the saved agreement page shows %q, %v", page, err)
	}
}

// jsString quotes s for a script.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
