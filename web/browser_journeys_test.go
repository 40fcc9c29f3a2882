package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// The browser journeys of K7, each on a fresh demo in headless Chromium
// (see browser_harness_test.go): each saves a screenshot, and a failure
// saves every browser's HTML and console log next to it. The journeys of
// later work (e: rank history, f: showcases, g: matchmaking) join this table
// with the route they need.
var journeys = []struct {
	name  string
	route string // the route the journey needs; it is left out until it exists
	run   func(*journey)
}{
	{"a-citizen-search", "/katalog", journeyCitizenSearch},
	{"b-adoption", "/adopsi/baru", journeyAdoption},
	{"c-ksb-signing", "/kerjasama/{id}/tanda-tangan", journeySigning},
	{"d-indicator-import", "/kelola/{code}/indikator/impor", journeyIndicatorImport},
	{"e-rank-history", "/peringkat/{slug}/daerah/{code}", journeyRankHistory},
	{"f-showcase", "/wilayah/{code}/etalase", journeyShowcase},
	{"g-matchmaking", "/wilayah/{code}/mitra", journeyMatchmaking},
	{"h-english", "/bahasa", journeyEnglish},
}

func TestBrowserJourneys(t *testing.T) {
	requireBrowser(t)
	for _, jr := range journeys {
		t.Run(jr.name, func(t *testing.T) {
			j := newJourney(t, "journey-"+jr.name)
			if !j.ts.web.HasRoute(map[bool]string{true: "POST", false: "GET"}[jr.route == "/bahasa"], jr.route) {
				t.Skipf("no route %s yet", jr.route)
			}
			jr.run(j)
		})
	}
}

// a. A citizen searches "pengaduan" from the home page, opens a Bandung
// application (Bandung Command Center), sees who uses it (the adopters'
// table) and the evidence of that use: the adoption's stages, agreement
// and figures with their sources, plus the solution's own evidence claims
// when it has any.
func journeyCitizenSearch(j *journey) {
	sol := demoSolution(j.t, j.ts, "Bandung Command Center")
	link := fmt.Sprintf(`main a[href="/solusi/%d"]`, sol.ID)
	tb := j.browser("citizen", 2*time.Minute)
	j.do(tb, "searching from the home page",
		chromedp.Navigate(j.ts.URL+"/"),
		chromedp.SendKeys(chromedp.CSS(`#home-q`), "pengaduan"),
		chromedp.Submit(chromedp.CSS(`#home-q`)),
		chromedp.WaitVisible(chromedp.CSS(link)),
	)
	if loc, _ := chromedp.Run(tb.ctx, chromedp.Location()); !strings.Contains(loc, "/katalog?q=pengaduan") {
		j.fail(tb, "the search went to %q", loc)
	}
	j.do(tb, "opening the solution", chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS(`#adopsi table`)))
	if h1 := j.text(tb, "h1"); !strings.Contains(h1, sol.Name.ID) {
		j.fail(tb, "the solution page's heading is %q, want %q", h1, sol.Name.ID)
	}
	if s := j.text(tb, "#adopsi"); !strings.Contains(s, "Dipakai oleh") || !strings.Contains(s, "Kota Blitar") {
		j.fail(tb, "the solution page does not say who uses it: %q", s)
	}
	for _, c := range sol.Evidence {
		if s := j.text(tb, "ul.evidence"); !strings.Contains(s, c.Text) {
			j.fail(tb, "the evidence %q is not shown: %q", c.Text, s)
		}
	}
	j.screenshot(tb, "solution")
	j.do(tb, "opening Blitar's adoption", chromedp.Click(chromedp.CSS(`#adopsi tbody a[href^="/adopsi/"]`)), chromedp.WaitVisible(chromedp.CSS(`.facts`)))
	facts := j.text(tb, ".facts")
	for _, w := range []string{"Kota Blitar", "Kota Bandung", "Kerja sama", "Rp350.000.000", "sumber"} {
		if !strings.Contains(facts, w) {
			j.fail(tb, "the adoption's facts lack %q: %q", w, facts)
		}
	}
	if s := j.text(tb, "ol.timeline"); !strings.Contains(s, "(saat ini)") && !strings.Contains(s, "saat ini") {
		j.fail(tb, "the adoption's stages: %q", s)
	}
	j.screenshot(tb, "")
}

// b. Kota Blitar's editor opens a Kota Bandung solution from the catalog
// and requests its adoption; Bandung's editor finds the request in the
// workspace and accepts it; both see it in their workspace and on their
// region pages, and the solution page shows Blitar among its adopters, on
// the Leaflet map (drawn under the page's CSP) and in the table.
func journeyAdoption(j *journey) {
	hayu := demoSolution(j.t, j.ts, "Hayu")
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	solutionLink := fmt.Sprintf(`a[href="/solusi/%d"]`, hayu.ID)

	blitar := j.browser("blitar-editor", 2*time.Minute)
	j.signIn(blitar, "umkm@blitarkota.test", demoPassword)
	j.do(blitar, "requesting the adoption",
		chromedp.Navigate(j.ts.URL+"/katalog?q=Hayu"),
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
	loc := j.waitLocation(blitar, "the adoption page", func(loc string) bool {
		return strings.Contains(loc, "/adopsi/") && !strings.Contains(loc, "baru") && !strings.Contains(loc, "solusi=")
	})
	path := loc[strings.Index(loc, "/adopsi/"):]
	if strings.Contains(path, "?") {
		j.fail(blitar, "after the request the browser is at %q", loc)
	}
	adoption := css(`a[href="` + path + `"]`)

	bandung := j.browser("bandung-editor", 2*time.Minute)
	j.signIn(bandung, "diskominfo@bandung.test", demoPassword)
	j.do(bandung, "accepting from the workspace",
		chromedp.Navigate(j.ts.URL+"/ruang-kerja"),
		chromedp.WaitVisible(adoption),
		chromedp.Click(adoption),
		chromedp.WaitVisible(css(`button[value=accept]`)),
		chromedp.SendKeys(css(`textarea[name=message]`), "Silakan, kami dampingi."),
		chromedp.Click(css(`button[value=accept]`)),
		chromedp.WaitNotPresent(css(`button[value=accept]`)),
		chromedp.Navigate(fmt.Sprintf("%s/solusi/%d", j.ts.URL, hayu.ID)),
		chromedp.WaitVisible(css(`#adopsi table`)),
		// The map: Leaflet draws the two regions as SVG circle markers.
		chromedp.WaitVisible(css(`.adopters-map .leaflet-interactive`)),
	)
	if s := j.text(bandung, "#adopsi"); !strings.Contains(s, "Dipakai oleh 2 daerah") || !strings.Contains(s, "Kota Blitar") {
		j.fail(bandung, "the solution page's adopters: %q", s)
	}
	markers, err := chromedp.Run(bandung.ctx, chromedp.Evaluate[int](`document.querySelectorAll(".adopters-map path.leaflet-interactive").length`))
	if err != nil || markers < 2 {
		j.fail(bandung, "map markers: %d, %v", markers, err)
	}
	if s := j.text(bandung, ".map-legend"); !strings.Contains(s, "Daerah pengadopsi") {
		j.fail(bandung, "map legend: %q", s)
	}
	j.screenshot(bandung, "solution")

	// Bandung found the request in its workspace; Blitar's workspace
	// lists its adoption, and both region pages show it.
	j.do(blitar, "the workspace", chromedp.Navigate(j.ts.URL+"/ruang-kerja"), chromedp.WaitVisible(adoption))
	for _, side := range []struct {
		tb     *tab
		region string
	}{{blitar, "35.72"}, {bandung, "32.73"}} {
		j.do(side.tb, "the region page", chromedp.Navigate(j.ts.URL+"/wilayah/"+side.region), chromedp.WaitVisible(css(`#adopsi `+`a[href="`+path+`"]`)))
	}
	if s := j.text(blitar, "#adopsi"); !strings.Contains(s, "Hayu") || !strings.Contains(s, "Kota Bandung") {
		j.fail(blitar, "Blitar's region page lists %q", s)
	}
	j.screenshot(blitar, "")
}

// c. The Blitar and Bandung signatories each make a non-extractable
// Ed25519 key in the browser (WebCrypto, kept in IndexedDB), have it
// approved and sign a KSB on the signing page; the public agreement page
// then shows both signatures verified in the browser with their log
// positions, and a bundle with one changed byte fails verification.
func journeySigning(j *journey) {
	t, ts := j.t, j.ts
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	ctx := as(f.coord[ownRegion])
	title := "KSB Blitar–Bandung uji peramban " + f.fresh()
	ag, err := ts.app.CreateAgreement(ctx, kolaborasi.AgreementContent{Type: kolaborasi.KSDDSukarela, Title: title, Scope: []string{"Smart City"},
		Parties: []kolaborasi.AgreementParty{{Region: ownRegion}, {Region: otherRegion}}, SignDate: "2026-03-08", BudgetedInAPBD: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []kolaborasi.AgreementStatus{kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated} {
		if err := ts.app.MoveAgreement(ctx, ag.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	var keys []string
	for _, s := range []struct{ name, email, region string }{
		{"blitar-signatory", "walikota@blitarkota.test", ownRegion},
		{"bandung-signatory", "walikota@bandung.test", otherRegion},
	} {
		tb := j.browser(s.name, 2*time.Minute)
		j.signIn(tb, s.email, demoPassword)
		j.do(tb, "key generation", chromedp.Navigate(ts.URL+"/akun/kunci"), chromedp.WaitVisible(css(`.keygen-button`)), chromedp.Click(css(`.keygen-button`)))
		if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.querySelector("textarea[name=public_key]").value.length > 0`,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			j.fail(tb, "the key did not appear: %v", err)
		}
		pub, err := chromedp.Run(tb.ctx, chromedp.Value(css(`textarea[name=public_key]`)))
		if err != nil {
			j.fail(tb, "reading the key: %v", err)
		}
		j.do(tb, "registering the key", chromedp.Submit(css(`textarea[name=public_key]`)), chromedp.WaitVisible(css(`tr[data-key-id]`)))
		pk, err := ledger.ParsePublicKey([]byte(pub))
		if err != nil {
			j.fail(tb, "registered public key %q: %v", pub, err)
		}
		keyID := ledger.KeyID(pk)
		if err := ts.app.ApproveSigningKey(as(f.admin[s.region]), keyID); err != nil {
			t.Fatal(err)
		}
		// The private key in IndexedDB cannot be exported.
		stored, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`new Promise((resolve, reject) => {
			const req = indexedDB.open("kolaborasi-keys", 1);
			req.onerror = () => reject(req.error);
			req.onsuccess = () => {
				const get = req.result.transaction("keys").objectStore("keys").get("`+keyID+`");
				get.onsuccess = () => resolve(get.result ? get.result.privateKey.type + ":" + get.result.privateKey.extractable : "missing");
			};
		})`, chromedp.EvalAwaitPromise))
		if err != nil || stored != "private:false" {
			j.fail(tb, "stored key: %q, %v", stored, err)
		}
		j.do(tb, "signing in the browser",
			chromedp.Navigate(fmt.Sprintf("%s/kerjasama/%d/tanda-tangan", ts.URL, ag.ID)),
			chromedp.WaitVisible(css(`.sign-button`)),
			chromedp.SetValue(css(`.sign-key`), keyID),
			chromedp.Click(css(`.sign-button`)),
			chromedp.WaitVisible(css(`#verification .browser-result.partial, #verification .browser-result.ok`)),
		)
		keys = append(keys, keyID)
	}

	// Anyone: the agreement page verifies both signatures in the browser
	// and lists their positions in the public log.
	got, err := ts.app.Agreement(context.Background(), ag.ID, 0)
	if err != nil || len(got.Signatures) != 2 || got.Status != kolaborasi.StatusKSBSigned {
		t.Fatalf("after both signatures: %+v, %v", got, err)
	}
	for i, sig := range got.Signatures {
		if sig.KeyID != keys[i] {
			t.Errorf("signature %d is by key %s, want the browser's key %s", i, sig.KeyID, keys[i])
		}
	}
	public := j.browser("public", 2*time.Minute)
	page := fmt.Sprintf("%s/kerjasama/%d", ts.URL, ag.ID)
	j.do(public, "the public agreement page", chromedp.Navigate(page), chromedp.WaitVisible(css(`#verification .browser-result.ok`)))
	if s := j.text(public, "#verification"); !strings.Contains(s, "semua pihak menandatangani dan semua tanda tangan sah") {
		j.fail(public, "the browser's verdict: %q", s)
	}
	for _, sig := range got.Signatures {
		j.do(public, "the log position", chromedp.WaitVisible(css(fmt.Sprintf(`tr[data-log-index="%d"] a[href="/api/v1/log/proof/%d"]`, sig.LogIndex, sig.LogIndex))))
	}
	j.screenshot(public, "")
	// The network page draws its graph with the vendored Cytoscape.js
	// under the page's Content-Security-Policy.
	j.do(public, "the network graph", chromedp.Navigate(ts.URL+"/jaringan"), chromedp.WaitVisible(css(`#network-graph canvas`)))

	// One changed byte in the bundle the page fetches: the browser's
	// verification fails.
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/agreements/%d/bundle", ts.URL, ag.ID))
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("bundle: %d, %v", resp.StatusCode, err)
	}
	i := strings.Index(string(bundle), "uji peramban")
	if i < 0 {
		t.Fatalf("the bundle does not carry the title: %.300s", bundle)
	}
	bundle[i] = 'U'
	tampered := j.browser("tampered", 2*time.Minute)
	if _, err := chromedp.Call(tampered.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/bundle*"}}}); err != nil {
		j.fail(tampered, "intercepting: %v", err)
	}
	paused := chromedp.Events(tampered.ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			chromedp.Call(tampered.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
				Body:            bundle})
		}
	}()
	j.do(tampered, "the agreement page with a changed bundle", chromedp.Navigate(page), chromedp.WaitVisible(css(`#verification .browser-result.bad`)))
	if s := j.text(tampered, "#verification .browser-result"); !strings.Contains(s, "tidak dapat memverifikasi") || !strings.Contains(s, "no valid KSB signature") {
		j.fail(tampered, "the verdict on a changed bundle: %q", s)
	}
	j.screenshot(tampered, "tampered")
}

// d. An editor uploads an XLSX with one bad row, sees the row's error,
// uploads the fixed file and sees the values; the indicator page then draws
// its chart (uPlot) and map (Leaflet) beside the series table.
func journeyIndicatorImport(j *journey) {
	editor := makeUser(j.t, j.ts.app, "browser-editor@k5.test", ownRegion, kolaborasi.RoleEditor)
	dir := j.t.TempDir()
	header := []any{"region_code", "indicator_code", "period", "value", "source"}
	bad, fixed := filepath.Join(dir, "bad.xlsx"), filepath.Join(dir, "fixed.xlsx")
	writeXLSX(j.t, bad, [][]any{header, {"35.72", "umkm.terdaftar", 2024, 31.5, "Dinkop UM"}, {"35.72", "umkm.terdaftar", 2025, "tiga puluh", "Dinkop UM"}})
	writeXLSX(j.t, fixed, [][]any{header, {"35.72", "umkm.terdaftar", 2024, 31.5, "Dinkop UM"}, {"35.72", "umkm.terdaftar", 2025, 34.25, "Dinkop UM"}})
	if _, err := os.Stat(fixed); err != nil {
		j.t.Fatal(err)
	}
	tb := j.browser("blitar-editor", 2*time.Minute)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	j.signIn(tb, editor.Email, matrixPass)
	upload := func(path, wait string) string {
		j.do(tb, "uploading "+filepath.Base(path),
			chromedp.Navigate(j.ts.URL+"/kelola/35.72/indikator/impor"),
			chromedp.WaitVisible(css(`input[type=file]`)),
			chromedp.SetUploadFiles(css(`input[type=file]`), []string{path}),
			chromedp.Submit(css(`input[type=file]`)),
			chromedp.WaitVisible(css(wait)),
		)
		return j.text(tb, wait)
	}
	if text := upload(bad, "#import-errors"); !strings.Contains(text, "3\tvalue") && !strings.Contains(text, "3 value") || !strings.Contains(text, "tiga puluh") {
		j.fail(tb, "the row error is not shown: %q", text)
	}
	j.screenshot(tb, "row-error")
	if text := upload(fixed, "#import-done"); !strings.Contains(text, "2 baru") {
		j.fail(tb, "the import is not reported: %q", text)
	}
	j.do(tb, "the chart", chromedp.Navigate(j.ts.URL+"/indikator/umkm.terdaftar?wilayah=35.72"), chromedp.WaitVisible(css(`#deret .uplot`)))
	if table := j.text(tb, `table[data-chart]`); !strings.Contains(table, "34,25") || !strings.Contains(table, "31,5") {
		j.fail(tb, "series table %q", table)
	}
	paths, err := chromedp.Run(tb.ctx, chromedp.Poll[int](`document.querySelectorAll("#choropleth path.leaflet-interactive").length`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || paths < 500 {
		j.fail(tb, "choropleth: %d shapes, %v", paths, err)
	}
	j.screenshot(tb, "")
}

// f. The Blitar editor adds a product with a photo from the workspace;
// Bandung's editor features it under the demo KSB, and it appears in the
// partner section of Bandung's showcase.
func journeyShowcase(j *journey) {
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	photo := filepath.Join(j.t.TempDir(), "tahu.png")
	if err := os.WriteFile(photo, photoPNG(j.t, 640, 480), 0o600); err != nil {
		j.t.Fatal(err)
	}
	blitar := j.browser("blitar-editor", 2*time.Minute)
	j.signIn(blitar, "umkm@blitarkota.test", demoPassword)
	name := "Tahu Takwa Uji Peramban"
	// The producer has no default choice: pick the region's first.
	producers, err := j.ts.app.Producers(context.Background(), "35.72")
	if err != nil || len(producers) == 0 {
		j.t.Fatalf("Blitar's producers: %v, %v", producers, err)
	}
	j.do(blitar, "adding the product",
		chromedp.Navigate(j.ts.URL+"/ruang-kerja"),
		chromedp.Click(css(`a[href="/kelola/35.72/produk/baru"]`)),
		chromedp.WaitVisible(css(`input[name=name_id]`)),
		chromedp.SendKeys(css(`input[name=name_id]`), name),
		chromedp.SetValue(css(`select[name=category]`), "food"),
		chromedp.SendKeys(css(`input[name=price_min_idr]`), "20000"),
		chromedp.SendKeys(css(`input[name=unit]`), "kotak"),
		chromedp.SetValue(css(`select[name=producer_id]`), fmt.Sprint(producers[0].ID)),
		chromedp.SetUploadFiles(css(`input[name=photo]`), []string{photo}),
		chromedp.Submit(css(`input[name=name_id]`)),
	)
	loc := awaitPage(blitar.ctx, j.t, "/produk/", name)
	j.do(blitar, "the photo", chromedp.WaitVisible(css(`.gallery img`)))
	id := loc[strings.Index(loc, "/produk/")+len("/produk/"):]

	bandung := j.browser("bandung-editor", 2*time.Minute)
	j.signIn(bandung, "diskominfo@bandung.test", demoPassword)
	feature := css(`form[action="/kelola/32.73/etalase/` + id + `"] button`)
	j.do(bandung, "featuring",
		chromedp.Navigate(j.ts.URL+"/ruang-kerja"),
		chromedp.Click(css(`a[href="/kelola/32.73/produk#tampilkan"]`)),
		chromedp.WaitVisible(feature),
		chromedp.Click(feature),
		chromedp.WaitVisible(css(`#mitra`)),
	)
	if s := j.text(bandung, "#mitra"); !strings.Contains(s, name) {
		j.fail(bandung, "Bandung's partner section: %q", s)
	}
	j.screenshot(bandung, "")
}

// g. The Blitar coordinator opens "Mitra yang cocok", starts a draft
// agreement from the Bandung suggestion with one click and lands on the
// drafting form with the parties and the exchange items (giver, solution,
// receiver) filled in.
func journeyMatchmaking(j *journey) {
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	tb := j.browser("blitar-coordinator", 2*time.Minute)
	j.signIn(tb, "kerjasama@blitarkota.test", demoPassword)
	j.do(tb, "the partners page", chromedp.Navigate(j.ts.URL+"/wilayah/35.72/mitra"), chromedp.WaitVisible(css(`#pasangan .draft-form button`)))
	if s := j.text(tb, "main"); !strings.Contains(s, "Kota Bandung") || !strings.Contains(s, "Hayu") {
		j.fail(tb, "the partners page shows %q", s)
	}
	j.screenshot(tb, "partners")
	j.do(tb, "starting the draft", chromedp.Click(css(`#pasangan .draft-form button`)), chromedp.WaitVisible(css(`form[data-agreement-form]`)))
	if url, err := chromedp.Run(tb.ctx, chromedp.Location()); err != nil || !agreementEditPath.MatchString(strings.TrimPrefix(url, j.ts.URL)) {
		j.fail(tb, "after the click the browser is at %s (%v)", url, err)
	}
	values, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(
		"input[name$=_region], input[name$=_solution], select[name$=_giver]")).map(e => e.name + "=" + (e.tagName === "SELECT" ? e.options[e.selectedIndex].text : e.value)).join("\n")`))
	if err != nil {
		j.fail(tb, "reading the form: %v", err)
	}
	for _, want := range []string{"p0_region=Kota Bandung", "p1_region=Kota Blitar", "_solution=Hayu", "_solution=e-RK",
		"_solution=Koperasi Daring Kota Blitar (sintetis)", "_giver=Kota Bandung", "_giver=Kota Blitar"} {
		if !strings.Contains(values, want) {
			j.fail(tb, "the drafting form lacks %q:\n%s", want, values)
		}
	}
	receivers, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll("input[name$=_receivers]:checked").length`))
	if err != nil || receivers < 3 {
		j.fail(tb, "%d receivers ticked (%v), want one per exchange item", receivers, err)
	}
	j.screenshot(tb, "")
}

// e. A national observer opens the rankings from the header, the demo index,
// and Kota Bandung's row: its rank history is drawn by uPlot on a canvas
// above the table (200 → 1), which stays as the fallback.
func journeyRankHistory(j *journey) {
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	bandungRow := css(`#choropleth-values a[href="` + demoIndex + `/daerah/` + demo.Bandung + `"]`)
	tb := j.browser("observer", 2*time.Minute)
	j.signIn(tb, "pengamat@kemendagri.test", demoPassword)
	j.do(tb, "opening the rank history",
		chromedp.Navigate(j.ts.URL+"/"),
		chromedp.Click(css(`header nav a[href="/peringkat"]`)),
		chromedp.WaitVisible(css(`a[href="`+demoIndex+`"]`)),
		chromedp.Click(css(`a[href="`+demoIndex+`"]`)),
		chromedp.WaitVisible(bandungRow),
		chromedp.Click(bandungRow),
		chromedp.WaitVisible(css(`.chart .uplot canvas`)),
	)
	if s := j.text(tb, ".rank-summary"); !strings.Contains(s, "200 → 1") {
		j.fail(tb, "the rank summary is %q", s)
	}
	if s := j.text(tb, "table[data-chart]"); !strings.Contains(s, "2015") || !strings.Contains(s, "200") {
		j.fail(tb, "the history table is %q", s)
	}
	// uPlot drew: a sized canvas, one series besides x, the rank axis
	// upside down (1 on top).
	drawn, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`(function () {
		var c = document.querySelector(".chart .uplot canvas");
		return !!c && c.width > 100 && c.height > 100 && document.querySelectorAll(".chart .u-legend .u-series").length === 2;
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !drawn {
		j.fail(tb, "the chart is not drawn: %v", err)
	}
	j.screenshot(tb, "")
}

// writeXLSX writes rows into the first sheet of a workbook at path.
func writeXLSX(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// h. The language button turns a page English and back.
func journeyEnglish(j *journey) {
	tb := j.browser("visitor", 2*time.Minute)
	lang := func() string {
		l, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		if err != nil {
			j.fail(tb, "reading lang: %v", err)
		}
		return l
	}
	j.do(tb, "the region page", chromedp.Navigate(j.ts.URL+"/wilayah/35.72"), chromedp.WaitVisible(chromedp.CSS(`footer`)))
	if l, s := lang(), j.text(tb, "main"); l != "id" || !strings.Contains(s, "Penduduk") {
		j.fail(tb, "the page starts as lang=%q", l)
	}
	j.do(tb, "switching to English", chromedp.Click(chromedp.CSS(`form.lang button`)), chromedp.WaitVisible(chromedp.CSS(`form.lang button[value=id]`)))
	if l, s := lang(), j.text(tb, "main"); l != "en" || !strings.Contains(s, "Population") || !strings.Contains(s, "Head of region") {
		j.fail(tb, "after the switch lang=%q and main reads %.200q", l, s)
	}
	if loc, _ := chromedp.Run(tb.ctx, chromedp.Location()); !strings.HasSuffix(loc, "/wilayah/35.72") {
		j.fail(tb, "the switch left the page for %q", loc)
	}
	j.screenshot(tb, "")
	j.do(tb, "switching back", chromedp.Click(chromedp.CSS(`form.lang button`)), chromedp.WaitVisible(chromedp.CSS(`form.lang button[value=en]`)))
	if l, s := lang(), j.text(tb, "main"); l != "id" || !strings.Contains(s, "Penduduk") {
		j.fail(tb, "after switching back lang=%q and main reads %.200q", l, s)
	}
}
