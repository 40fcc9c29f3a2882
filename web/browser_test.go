package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// chromiumPath is where the browser test looks for a browser.
const chromiumPath = "/usr/bin/chromium"

// A signatory makes a non-extractable Ed25519 key in a real browser
// (WebCrypto, kept in IndexedDB), registers its public key, has it
// approved, and signs an agreement on the signing page; the agreement
// page then verifies the bundle in the browser. Skipped without chromium,
// except in CI.
func TestBrowserSigningAndVerification(t *testing.T) {
	ts := newTestServer(t)
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	signer := makeUser(t, ts.app, "browser-signer@k4.test", ownRegion, kolaborasi.RoleSignatory)
	id := f.agreement(ownRegion, kolaborasi.StatusKSBNegotiated)

	ctx := newBrowser(t, 45*time.Second)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	// Sign in, make a key in the browser and register its public key.
	if err := browserSignIn(ctx, ts.URL, signer.Email, matrixPass); err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/akun/kunci"),
		chromedp.WaitVisible(css(`.keygen-button`)),
		chromedp.Click(css(`.keygen-button`)),
	)
	if err != nil {
		t.Fatalf("sign-in and key generation: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("textarea[name=public_key]").value.length > 0`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the key did not appear: %v", err)
	}
	pub, err := chromedp.Run(ctx, chromedp.Value(css(`textarea[name=public_key]`)))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Submit(css(`textarea[name=public_key]`)), chromedp.WaitVisible(css(`tr[data-key-id]`))); err != nil {
		t.Fatalf("registering the key: %v", err)
	}
	pk, err := ledger.ParsePublicKey([]byte(pub))
	if err != nil {
		t.Fatalf("registered public key %q: %v", pub, err)
	}
	keyID := ledger.KeyID(pk)
	if err := ts.app.ApproveSigningKey(as(f.admin[ownRegion]), keyID); err != nil {
		t.Fatal(err)
	}

	// The private key in IndexedDB is a CryptoKey that cannot be exported.
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((resolve, reject) => {
		const req = indexedDB.open("kolaborasi-keys", 1);
		req.onerror = () => reject(req.error);
		req.onsuccess = () => {
			const get = req.result.transaction("keys").objectStore("keys").get("`+keyID+`");
			get.onsuccess = () => resolve(get.result ? get.result.privateKey.type + ":" + get.result.privateKey.extractable : "missing");
		};
	})`, chromedp.EvalAwaitPromise))
	if err != nil || stored != "private:false" {
		t.Fatalf("stored key: %q, %v", stored, err)
	}

	// Sign on the signing page; the agreement page then shows the
	// browser's own verification: the signature holds, the KSB waits for
	// the other party.
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/kerjasama/%d/tanda-tangan", ts.URL, id)),
		chromedp.WaitVisible(css(`.sign-button`)),
		chromedp.SetValue(css(`.sign-key`), keyID),
		chromedp.Click(css(`.sign-button`)),
		chromedp.WaitVisible(css(`#verification .browser-result.partial`)),
	)
	if err != nil {
		t.Fatalf("signing in the browser: %v", err)
	}
	result, err := chromedp.Run(ctx, chromedp.Text(css(`#verification .browser-result`)))
	if err != nil || !strings.Contains(result, "tanda tangan yang ada sah, tetapi belum semua pihak menandatangani — KSB: ") {
		t.Errorf("browser verdict %q, %v", result, err)
	}
	// The network page draws its graph with the vendored Cytoscape.js
	// under the page's Content-Security-Policy.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/jaringan"), chromedp.WaitVisible(css(`#network-graph canvas`))); err != nil {
		t.Errorf("network graph: %v", err)
	}
	ag, err := ts.app.Agreement(context.Background(), id, 0)
	if err != nil || len(ag.Signatures) != 1 || ag.Signatures[0].KeyID != keyID {
		t.Errorf("signatures = %+v, %v", ag, err)
	}
}
