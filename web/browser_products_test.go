package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi/demo"
)

// The Blitar editor adds a product with a photo in a real browser, from
// the workspace; Bandung's editor features it under the demo KSB, and it
// appears in the partner section of Bandung's showcase.
func TestBrowserProductFeaturedInBandung(t *testing.T) {
	ctx := newBrowser(t, 90*time.Second)
	ts := newTestServer(t)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	photo := filepath.Join(t.TempDir(), "tahu.png")
	if err := os.WriteFile(photo, photoPNG(t, 640, 480), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := browserSignIn(ctx, ts.URL, "umkm@blitarkota.test", demo.Password); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	name := "Tahu Takwa Uji Peramban"
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/ruang-kerja"),
		chromedp.Click(css(`a[href="/kelola/35.72/produk/baru"]`)),
		chromedp.WaitVisible(css(`input[name=name_id]`)),
		chromedp.SendKeys(css(`input[name=name_id]`), name),
		chromedp.SetValue(css(`select[name=category]`), "food"),
		chromedp.SendKeys(css(`input[name=price_min_idr]`), "20000"),
		chromedp.SendKeys(css(`input[name=unit]`), "kotak"),
		chromedp.SetUploadFiles(css(`input[name=photo]`), []string{photo}),
		chromedp.Submit(css(`input[name=name_id]`)),
	)
	if err != nil {
		t.Fatalf("adding the product: %v", err)
	}
	loc := awaitPage(ctx, t, "/produk/", name)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`.gallery img`))); err != nil {
		t.Fatalf("the photo is not shown: %v", err)
	}
	productPath := loc[strings.Index(loc, "/produk/"):]

	// Bandung's editor, in a fresh browser session.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.Submit(css(`form[action="/keluar"] button`)), chromedp.WaitVisible(css(`a[href="/masuk"]`))); err != nil {
		t.Fatalf("sign-out: %v", err)
	}
	if err := browserSignIn(ctx, ts.URL, "diskominfo@bandung.test", demo.Password); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	id := strings.TrimPrefix(productPath, "/produk/")
	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/ruang-kerja"),
		chromedp.Click(css(`a[href="/kelola/32.73/produk#tampilkan"]`)),
		chromedp.WaitVisible(css(`form[action="/kelola/32.73/etalase/`+id+`"] button`)),
		chromedp.Click(css(`form[action="/kelola/32.73/etalase/`+id+`"] button`)),
		chromedp.WaitVisible(css(`#mitra`)),
	)
	if err != nil {
		t.Fatalf("featuring: %v", err)
	}
	partners, err := chromedp.Run(ctx, chromedp.Text(css(`#mitra`)))
	if err != nil || !strings.Contains(partners, name) {
		t.Errorf("Bandung's partner section: %q, %v", partners, err)
	}
}
