package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// englishClient is a visitor who chose English.
func englishClient(t *testing.T, ts *testServer) *http.Client {
	t.Helper()
	c := ts.client(t)
	c.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lang", Value: "en"}})
	return c
}

// A solution page links its publiccode.yml only when the export succeeds,
// and a refused export names the field by its label.
func TestPublicCodeLinkOnlyWhenExportable(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	hayu := demoSolution(t, ts, "Hayu") // software without a code repository
	_, page := get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	link := fmt.Sprintf("/solusi/%d/publiccode.yml", hayu.ID)
	if strings.Contains(page, link) {
		t.Error("the solution page links a publiccode.yml that cannot be exported")
	}
	resp, body := get(t, anon, ts.URL+link)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("export of a solution without code repository: %d", resp.StatusCode)
	}
	wantIn(t, "the refused export", body, "<strong>Repositori kode</strong>: publiccode.yml memerlukan alamat repositori kode.")
	// Once the code repository is known the link appears and the file downloads.
	hayu.Links.Code = "https://github.com/kolaborasi/hayu"
	if err := ts.app.UpdateSolution(kolaborasi.WithUser(context.Background(), kolaborasi.System), hayu); err != nil {
		t.Fatal(err)
	}
	_, page = get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	wantIn(t, "the exportable solution's page", page, link)
	resp, body = get(t, anon, ts.URL+link)
	if resp.StatusCode != 200 || !strings.Contains(body, `url: "https://github.com/kolaborasi/hayu"`) {
		t.Fatalf("export: %d\n%s", resp.StatusCode, body)
	}
}

// Evidence reads in the page's number format, with its source, and the edit
// form shows numbers plainly.
func TestEvidenceIsReadable(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	smart := demoSolution(t, ts, "Bandung Smart City")
	blitar := demoSolution(t, ts, "Ekonomi Kerakyatan Kota Blitar")
	bcc := demoSolution(t, ts, "Bandung Command Center")
	_, body := get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, smart.ID))
	wantIn(t, "Bandung Smart City", body, "Rp500 miliar", "Rp50 miliar", "Belanja program kota cerdas", "Blitar-Bandung Barter Program Smart City")
	_, body = get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, blitar.ID))
	wantIn(t, "Blitar's programme", body, "5,6 %/tahun", "5,33 %", "BPS Kota Blitar")
	_, body = get(t, englishClient(t, ts), fmt.Sprintf("%s/solusi/%d", ts.URL, smart.ID))
	wantIn(t, "Bandung Smart City in English", body, "Rp500 billion")
	for _, bad := range []string{"e+11", "e+10"} {
		if strings.Contains(body, bad) {
			t.Errorf("the English page shows %s", bad)
		}
	}
	_, body = get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, bcc.ID))
	wantIn(t, "Bandung Command Center", body, "Belum ada bukti dampak")
	// The edit form, as Bandung's editor.
	makeUser(t, ts.app, "editor@bandung.test2", smart.RegionCode, kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@bandung.test2")
	_, body = ts.getAs(t, session, fmt.Sprintf("/solusi/%d/ubah", smart.ID))
	wantIn(t, "the edit form", body, `value="500000000000"`, `name="evidence_source_name"`)
	if strings.Contains(body, "e+11") {
		t.Error("the edit form shows 5e+11")
	}
}

// The coverage of the savings figure reads as a phrase of its own beside the
// amount (home, savings and region pages).
func TestSavingsCoverageWording(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/", "/penghematan", "/wilayah/35"} {
		_, body := get(t, ts.client(t), ts.URL+path)
		if regexp.MustCompile(`dari [0-9]+ dari`).MatchString(body) {
			t.Errorf("%s: the old coverage wording is back", path)
		}
		if !strings.Contains(body, " dari ") || !strings.Contains(body, "adopsi berangka lengkap") {
			t.Errorf("%s: no coverage phrase", path)
		}
	}
	_, body := get(t, englishClient(t, ts), ts.URL+"/")
	wantIn(t, "the English home page", body, "from 5 of 14 adoptions with figures")
}

// The words a need and a solution are matched on leave out words that say
// nothing ("satu", "secara", "daerah", "ruang"), on the pages too.
func TestMatchedWordsLeaveOutNoise(t *testing.T) {
	ts := newTestServer(t)
	sys := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	needs, err := ts.app.Needs(sys, "35.72")
	if err != nil {
		t.Fatal(err)
	}
	noise := []string{"satu", "secara", "daerah", "ruang"}
	candidates := 0
	var pages []string
	for _, n := range needs {
		res, err := ts.app.SolutionsForNeed(sys, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			candidates++
			for _, w := range it.Why.Words {
				if slices.Contains(noise, w) {
					t.Errorf("need %q and %s match on %q", n.Title, it.Solution.Name.ID, w)
				}
			}
		}
		_, page := get(t, ts.client(t), fmt.Sprintf("%s/kebutuhan/%d", ts.URL, n.ID))
		pages = append(pages, page)
	}
	if candidates == 0 {
		t.Fatal("Kota Blitar's needs have no candidates; the test checks nothing")
	}
	_, partners := get(t, ts.client(t), ts.URL+"/wilayah/35.72/mitra")
	words := regexp.MustCompile(`(?s)Kata yang cocok:? ?<span[^>]*>(.*?)</span>`).FindAllStringSubmatch(strings.Join(append(pages, partners), "\n"), -1)
	if len(words) == 0 {
		t.Fatal("no matched words shown")
	}
	for _, w := range words {
		for _, x := range noise {
			if regexp.MustCompile(`\b` + x + `\b`).MatchString(w[1]) {
				t.Errorf("matched words %q include %q", w[1], x)
			}
		}
	}
}

// A signed-out visitor is offered to sign in to adopt, and comes back to the
// solution after signing in.
func TestSignInToAdopt(t *testing.T) {
	ts := newTestServer(t)
	hayu := demoSolution(t, ts, "Hayu")
	_, body := get(t, ts.client(t), fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	link := fmt.Sprintf(`href="/masuk?next=/solusi/%d"`, hayu.ID)
	wantIn(t, "the solution page signed out", body, "Masuk untuk mengadopsi", link)
	_, body = get(t, ts.client(t), fmt.Sprintf("%s/masuk?next=/solusi/%d", ts.URL, hayu.ID))
	wantIn(t, "the sign-in page", body, fmt.Sprintf(`name="next" value="/solusi/%d"`, hayu.ID))
	makeUser(t, ts.app, "editor@blitar.test2", "35.72", kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@blitar.test2")
	_, body = ts.getAs(t, session, fmt.Sprintf("/solusi/%d", hayu.ID))
	if strings.Contains(body, "Masuk untuk mengadopsi") {
		t.Error("a signed-in editor is asked to sign in")
	}
}

// Date-times on pages are in Western Indonesia Time, labelled WIB, in both
// languages.
func TestDateTimesInWIB(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []*http.Client{ts.client(t), englishClient(t, ts)} {
		_, body := get(t, c, ts.URL+"/log")
		if strings.Contains(body, " UTC<") || !strings.Contains(body, " WIB<") {
			t.Errorf("the public log does not show WIB times")
		}
	}
}

// An Indonesian word finds the same solutions on the English catalog page,
// with its filters.
func TestCatalogSearchIndependentOfUILanguage(t *testing.T) {
	ts := newTestServer(t)
	_, id := get(t, ts.client(t), ts.URL+"/katalog?q=pengaduan")
	_, en := get(t, englishClient(t, ts), ts.URL+"/katalog?q=pengaduan")
	wantIn(t, "the Indonesian catalog", id, "Bandung Command Center")
	wantIn(t, "the English catalog", en, "Bandung Command Center", `type="checkbox" name=`)
	if strings.Contains(en, "0 solutions found") {
		t.Error("the English catalog finds nothing for pengaduan")
	}
	// An English word still works on the English page.
	sys := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	res, err := ts.app.SearchSolutions(sys, app.SolutionQuery{Q: "pengaduan", Lang: "en"})
	if err != nil || res.Total == 0 {
		t.Fatalf("API-level search in English for pengaduan: %v, %v", res, err)
	}
}

// An unknown filter value on a page is left out with a notice naming the
// filter by its label; the API still refuses it.
func TestUnknownFilterValuesOnPages(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	resp, body := get(t, anon, ts.URL+"/etalase?kategori=xxx")
	if resp.StatusCode != 200 {
		t.Fatalf("/etalase?kategori=xxx: %d", resp.StatusCode)
	}
	wantIn(t, "the showcase", body, "Filter yang tidak dikenal diabaikan:", "“xxx”")
	resp, body = get(t, anon, ts.URL+"/katalog?jenis=xxx&q=pengaduan")
	if resp.StatusCode != 200 {
		t.Fatalf("/katalog?jenis=xxx: %d", resp.StatusCode)
	}
	wantIn(t, "the catalog", body, "Filter yang tidak dikenal diabaikan: Jenis “xxx”.", "Bandung Command Center")
	if resp, _ := get(t, anon, ts.URL+"/api/v1/solutions?kind=xxx"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the API accepts kind=xxx: %d", resp.StatusCode)
	}
}

// The product form makes the editor choose the producer, and its empty
// certificate rows name no certificate.
func TestProductFormDefaultsAreEmpty(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@blitar.test2", "35.72", kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@blitar.test2")
	resp, body := ts.getAs(t, session, "/kelola/35.72/produk/baru")
	if resp.StatusCode != 200 {
		t.Fatalf("product form: %d", resp.StatusCode)
	}
	wantIn(t, "the product form", body, `<select name="producer_id" required><option value="">— pilih —</option>`)
	selects := regexp.MustCompile(`(?s)<select name="cert_kind">(.*?)</select>`).FindAllStringSubmatch(body, -1)
	if len(selects) == 0 {
		t.Fatal("no certificate rows")
	}
	for _, s := range selects {
		if strings.Contains(s[1], "selected") || !strings.HasPrefix(s[1], `<option value="">`) {
			t.Errorf("an empty certificate row preselects a certificate: %.200s", s[1])
		}
	}
}
