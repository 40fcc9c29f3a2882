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

// The Blitar coordinator opens "Mitra yang cocok" in a real browser,
// starts a draft agreement from the Bandung suggestion with one click and
// lands on the drafting form with the parties and the exchange items
// (giver, solution, receiver) filled in.
func TestBrowserDraftFromPartners(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs %s for the browser test: %v", chromiumPath, err)
		}
		t.Skip("chromium is not installed")
	}
	ts := newTestServer(t)
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

	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/masuk"),
		chromedp.SendKeys(css(`input[name=email]`), "kerjasama@blitarkota.test"),
		chromedp.SendKeys(css(`input[name=password]`), demo.Password),
		chromedp.Submit(css(`input[name=password]`)),
		chromedp.WaitNotPresent(css(`input[name=password]`)),
		chromedp.Navigate(ts.URL+"/wilayah/35.72/mitra"),
		chromedp.WaitVisible(css(`#pasangan .draft-form button`)),
	)
	if err != nil {
		t.Fatalf("sign-in and partners page: %v", err)
	}
	page, err := chromedp.Run(ctx, chromedp.Text(css(`main`)))
	if err != nil || !strings.Contains(page, "Kota Bandung") || !strings.Contains(page, "Bandung Command Center") {
		t.Fatalf("the partners page shows %q, %v", page, err)
	}
	screenshots(ctx, t, dir, "partners")

	err = chromedp.Do(ctx,
		chromedp.Click(css(`#pasangan .draft-form button`)),
		chromedp.WaitVisible(css(`form[data-agreement-form]`)),
	)
	if err != nil {
		t.Fatalf("start the draft: %v", err)
	}
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil || !agreementEditPath.MatchString(strings.TrimPrefix(url, ts.URL)) {
		t.Fatalf("after the click the browser is at %s (%v)", url, err)
	}
	values, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(
		"input[name$=_region], input[name$=_solution], select[name$=_giver]")).map(e => e.name + "=" + (e.tagName === "SELECT" ? e.options[e.selectedIndex].text : e.value)).join("\n")`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"p0_region=Kota Bandung", "p1_region=Kota Blitar", "_solution=Bandung Command Center", "_solution=GAMPIL",
		"_solution=Ekonomi Kerakyatan Kota Blitar", "_giver=Kota Bandung", "_giver=Kota Blitar"} {
		if !strings.Contains(values, want) {
			t.Errorf("the drafting form lacks %q:\n%s", want, values)
		}
	}
	receivers, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("input[name$=_receivers]:checked").length`))
	if err != nil || receivers < 3 {
		t.Errorf("%d receivers ticked (%v), want one per exchange item", receivers, err)
	}
	screenshots(ctx, t, dir, "draft-from-suggestion")
}
