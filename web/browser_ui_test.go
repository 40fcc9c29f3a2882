package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi/demo"
)

// requireBrowser skips a browser test without chromium, except in CI, and
// under the race detector: there the server is several times slower and the
// browser's timeouts would measure that, while the browser exercises little
// concurrency. .ci/run runs the web package's tests again without -race, so
// in CI every browser test runs.
func requireBrowser(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("browser tests run without the race detector (.ci/run runs them in its own step)")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs %s for the browser test: %v", chromiumPath, err)
		}
		t.Skip("chromium is not installed")
	}
}

// newBrowser starts a headless Chromium for the test, bounded by timeout;
// it skips the test as requireBrowser says.
func newBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	requireBrowser(t)
	// The timeout bounds the whole browser, which stops with the test.
	tctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(tctx, opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	return ctx
}

// browserSignIn signs in on the sign-in page.
func browserSignIn(ctx context.Context, base, email, password string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(base+"/masuk"),
		chromedp.SendKeys(chromedp.CSS(`input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Submit(chromedp.CSS(`input[name=password]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`input[name=password]`)),
	)
}

// awaitPage waits for the browser to follow a form's redirect to a page
// whose address holds path and whose heading holds heading, and returns
// the address. The form's own h1 is there until the browser has followed
// the redirect: it polls (reads may fail while the page is replaced).
func awaitPage(ctx context.Context, t *testing.T, path, heading string) string {
	t.Helper()
	var loc, h1 string
	var err error
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		if strings.Contains(loc, path) {
			if h1, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`h1`))); err == nil && strings.Contains(h1, heading) {
				return loc
			}
		}
	}
	t.Fatalf("the browser is at %q with heading %q (%v), not on %s with %q", loc, h1, err, path, heading)
	return ""
}

// The Blitar editor (a demo account) finds the publish form from the
// header through the workspace, publishes a solution, and finds it on the
// region page and in the catalog.
func TestBrowserEditorPublishesFromWorkspace(t *testing.T) {
	ctx := newBrowser(t, 60*time.Second)
	ts := newTestServer(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	if err := browserSignIn(ctx, ts.URL, "umkm@blitarkota.test", demo.Password); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	name := "Pasar Digital Blitar Uji Peramban"
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/katalog"),
		chromedp.Click(css(`header a[href="/ruang-kerja"]`)),
		chromedp.WaitVisible(css(`a[href="/kelola/35.72/solusi/baru"]`)),
		chromedp.Click(css(`a[href="/kelola/35.72/solusi/baru"]`)),
		chromedp.WaitVisible(css(`input[name=name_id]`)),
		chromedp.SendKeys(css(`input[name=name_id]`), name),
		chromedp.SendKeys(css(`[name=short_id]`), "Lapak daring untuk UMKM kota."),
		chromedp.SetValue(css(`select[name=kind]`), "programme"),
		chromedp.Click(css(`input[name=dimensions][value=economy]`)),
		chromedp.Click(css(`input[name=sectors][value=umkm]`)),
		chromedp.SetValue(css(`select[name=maturity]`), "live"),
		chromedp.Click(css(`input[name=reuse][value=hibah]`)),
		chromedp.Submit(css(`input[name=name_id]`)),
	)
	if err != nil {
		t.Fatalf("publishing from the workspace: %v", err)
	}
	awaitPage(ctx, t, "/solusi/", name)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/wilayah/35.72"), chromedp.WaitVisible(css(`#solusi`))); err != nil {
		t.Fatal(err)
	}
	list, err := chromedp.Run(ctx, chromedp.Text(css(`#solusi`)))
	if err != nil || !strings.Contains(list, name) {
		t.Errorf("the region page does not list the new solution: %q, %v", list, err)
	}
}
