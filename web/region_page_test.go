package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
)

// countOf reads a count at the top of a region page ("<strong>3</strong>
// solusi").
func countOf(t *testing.T, body, label string) string {
	t.Helper()
	m := regexp.MustCompile(`<strong>([0-9.]+)</strong> ` + regexp.QuoteMeta(label) + `</a>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no count of %q on the page", label)
	}
	return m[1]
}

// A region page is the region's public face: its solutions, its
// agreements with their partners on a map, its signatories' keys, its
// contact and counts of each, and no template list of OPDs.
func TestRegionPageShowsSolutionsAgreementsKeys(t *testing.T) {
	ts := newTestServer(t)
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	a := ts.app

	_, before := get(t, nil, ts.URL+"/wilayah/35.72")
	solutionsBefore := countOf(t, before, "solusi")
	editor := makeUser(t, a, "region-editor@k11.test", ownRegion, kolaborasi.RoleEditor)
	sol := &kolaborasi.Solution{Kind: kolaborasi.KindProgramme, RegionCode: ownRegion, Name: kolaborasi.Texts{ID: "Kampung Digital Uji Halaman"},
		Short: kolaborasi.Texts{ID: "Pelatihan warga"}, Dimensions: []kolaborasi.Dimension{kolaborasi.DimEconomy},
		Sectors: []kolaborasi.Sector{"umkm"}, Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
	if err := a.CreateSolution(as(editor), sol); err != nil {
		t.Fatal(err)
	}
	draft := f.agreement(ownRegion, kolaborasi.StatusDraft)
	offered := f.agreement(ownRegion, kolaborasi.StatusOffered)

	// Every visitor sees the same public face, without drafts.
	for _, c := range []*http.Client{nil, signedIn(t, ts, "kerjasama@blitarkota.test", demo.Password)} {
		resp, body := get(t, c, ts.URL+"/wilayah/35.72")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		var n int
		fmt.Sscan(solutionsBefore, &n)
		if got := countOf(t, body, "solusi"); got != fmt.Sprint(n+1) {
			t.Errorf("solutions count %s, want %d", got, n+1)
		}
		// The demo KSB with Bandung and the offered agreement with Malang.
		if got := countOf(t, body, "kerja sama"); got != "2" {
			t.Errorf("agreements count %s, want 2", got)
		}
		if got := countOf(t, body, "mitra"); got != "2" {
			t.Errorf("partners count %s, want 2 (Bandung, Malang)", got)
		}
		for _, want := range []string{"Kampung Digital Uji Halaman", "Ekonomi Kerakyatan Kota Blitar", fmt.Sprintf(`href="/kerjasama/%d"`, offered),
			`href="/kerjasama/1"`, "Pemerintah Kota Bandung", `class="partner-map"`, "Kota Bandung</text>", "Jl. Merdeka No. 105", "https://blitarkota.go.id"} {
			if !strings.Contains(body, want) {
				t.Errorf("the region page lacks %q", want)
			}
		}
		if strings.Contains(body, fmt.Sprintf(`href="/kerjasama/%d"`, draft)) {
			t.Error("the region page shows a draft")
		}
		// The demo's illustrative OPDs are not the region's public face.
		if strings.Contains(body, "Badan Pengelolaan Keuangan dan Aset Daerah") {
			t.Error("the region page still lists the template OPDs")
		}
	}

	// The signatory's approved key is public; a pending one is not.
	keys, err := a.SigningKeys(as(f.admin[ownRegion]), ownRegion)
	if err != nil {
		t.Fatal(err)
	}
	pending := f.pendingKey(ownRegion)
	_, body := get(t, nil, ts.URL+"/wilayah/35.72")
	active := 0
	for _, k := range keys {
		if k.Status == kolaborasi.KeyActive {
			active++
			if !strings.Contains(body, k.KeyID) {
				t.Errorf("active key %s is not on the region page", k.KeyID)
			}
		}
	}
	if active == 0 || countOf(t, body, "kunci penanda tangan") != fmt.Sprint(active) || strings.Contains(body, pending) {
		t.Errorf("keys: %d active, page count %s, pending shown %v", active, countOf(t, body, "kunci penanda tangan"), strings.Contains(body, pending))
	}

	// Bandung's page shows its own solutions and the same KSB, with Blitar.
	_, body = get(t, nil, ts.URL+"/wilayah/32.73")
	for _, want := range []string{"Bandung Smart City", `href="/kerjasama/1"`, "Pemerintah Kota Blitar", "Kota Blitar</text>"} {
		if !strings.Contains(body, want) {
			t.Errorf("Bandung's page lacks %q", want)
		}
	}
	// A region without anything says so instead of an empty block.
	_, body = get(t, nil, ts.URL+"/wilayah/35.06")
	if !strings.Contains(body, "belum menerbitkan solusi") || !strings.Contains(body, "belum memiliki kerja sama") || strings.Contains(body, "partner-map") {
		t.Error("an empty region page does not say it is empty")
	}
}

// A flash message shows once, on the page after the redirect.
func TestFlashShowsOnce(t *testing.T) {
	ts := newTestServer(t)
	c := signedIn(t, ts, "umkm@blitarkota.test", demo.Password)
	_, first := get(t, c, ts.URL+"/katalog")
	_, second := get(t, c, ts.URL+"/katalog")
	if !strings.Contains(first, "Anda sudah masuk.") {
		t.Error("the page after sign-in does not show the flash")
	}
	if strings.Contains(second, "Anda sudah masuk.") {
		t.Error("the flash shows again on the next page")
	}
}
