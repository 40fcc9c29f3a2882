package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// The fresh-eyes review of K7: what a visitor of the demo found missing or
// odd, each checked on the pages.

// /adopsi lists the adoptions a reader may see, filtered by region and
// stage, page by page; the money-saved page, the header and the workspace
// lead to it.
func TestAdoptionList(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	hayu := demoSolution(t, ts, "Hayu")
	// A request Bandung has not decided yet: only the two regions see it.
	editor := makeUser(t, ts.app, "review-editor@blitarkota.test", "35.72", kolaborasi.RoleEditor)
	req, err := ts.app.RequestAdoption(kolaborasi.WithUser(context.Background(), editor), app.AdoptionRequest{SolutionID: hayu.ID, Note: "Kami berminat."})
	if err != nil {
		t.Fatal(err)
	}
	reqLink := fmt.Sprintf(`href="/adopsi/%d"`, req.ID)

	resp, body := get(t, anon, ts.URL+"/adopsi")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/adopsi: %d", resp.StatusCode)
	}
	wantIn(t, "the adoption list", body, "Adopsi solusi", "Bandung Command Center", "Kota Blitar", "Berjalan", `href="/penghematan"`, `href="/api/v1/adoptions"`)
	if strings.Contains(body, reqLink) {
		t.Error("a visitor sees a request awaiting its decision")
	}
	blitar := ts.client(t)
	signInAs(t, ts, blitar, "umkm@blitarkota.test")
	_, body = get(t, blitar, ts.URL+"/adopsi?wilayah=Kota+Blitar")
	wantIn(t, "Blitar's adoptions, for Blitar", body, reqLink, "menunggu keputusan", `value="Kota Blitar"`)
	// By stage: only that stage.
	_, body = get(t, blitar, ts.URL+"/adopsi?wilayah=35.72&tahap=interest")
	wantIn(t, "Blitar's adoptions at interest", body, reqLink)
	if strings.Contains(body, "Bandung Command Center") {
		t.Error("the stage filter keeps other stages")
	}
	// An unknown stage or page link is a readable refusal, not a 500.
	if resp, _ = get(t, anon, ts.URL+"/adopsi?tahap=nope"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown stage: %d", resp.StatusCode)
	}
	if resp, _ = get(t, anon, ts.URL+"/adopsi?sebelum=x"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad page link: %d", resp.StatusCode)
	}
	_, body = get(t, anon, ts.URL+"/adopsi?wilayah=Kota+Tidak+Ada")
	wantIn(t, "an unknown region", body, "Tidak ada wilayah bernama")
	// Pages: newest first, the next page before the last ID shown.
	all, err := ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{})
	if err != nil || len(all) < 2 {
		t.Fatalf("demo adoptions: %d %v", len(all), err)
	}
	_, body = get(t, anon, fmt.Sprintf("%s/adopsi?sebelum=%d", ts.URL, all[0].ID))
	if strings.Contains(body, fmt.Sprintf(`href="/adopsi/%d"`, all[0].ID)) || !strings.Contains(body, fmt.Sprintf(`href="/adopsi/%d"`, all[1].ID)) {
		t.Error("the page before the newest adoption does not start after it")
	}

	// Reachable: the header's "Penghematan" is the money-saved page, which
	// links the list; the workspace links the region's list.
	_, body = get(t, anon, ts.URL+"/peringkat")
	if !regexp.MustCompile(`<nav[^>]*>(?s:.*)<a href="/penghematan"[^>]*>Penghematan</a>`).MatchString(body) {
		t.Error("the header does not link the money saved")
	}
	_, body = get(t, anon, ts.URL+"/penghematan")
	wantIn(t, "the money-saved page", body, `href="/adopsi"`, `href="/penghematan" aria-current="page"`)
	_, body = get(t, blitar, ts.URL+"/ruang-kerja")
	wantIn(t, "Blitar's workspace", body, `href="/adopsi?wilayah=35.72"`)
	_, body = getLang(t, ts, "en", "/adopsi")
	wantIn(t, "the English list", body, "Adoptions of solutions", "Live")
}

// Names are joined as a sentence joins them, area shows its unit once,
// amounts follow the page's number format, periods read as words.
func TestReviewWording(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)

	_, body := get(t, anon, ts.URL+"/kerjasama")
	if !regexp.MustCompile(`Pemerintah Kota (Blitar|Bandung) dan Pemerintah Kota (Blitar|Bandung)`).MatchString(body) {
		t.Error("the agreement list does not join the parties with \"dan\"")
	}
	_, body = getLang(t, ts, "en", "/kerjasama")
	if !regexp.MustCompile(`Pemerintah Kota (Blitar|Bandung) and Pemerintah Kota (Blitar|Bandung)`).MatchString(body) {
		t.Error("the English agreement list does not join the parties with \"and\"")
	}

	_, body = get(t, anon, ts.URL+"/wilayah/35.72")
	wantIn(t, "Blitar's page", body, "<dt>Luas</dt><dd>33,20 km²</dd>")

	// Money: Indonesian grouping on Indonesian pages, English on English
	// ones, "Rp" on both, no Indonesian words of scale in English.
	idAmount, enAmount := regexp.MustCompile(`Rp\d{1,3}(\.\d{3})+\b`), regexp.MustCompile(`Rp\d{1,3}(,\d{3})+\b`)
	for _, path := range []string{"/", "/penghematan", "/etalase", "/wilayah/32.73"} {
		_, id := get(t, anon, ts.URL+path)
		_, en := getLang(t, ts, "en", path)
		if !idAmount.MatchString(id) || enAmount.MatchString(id) {
			t.Errorf("%s in Indonesian: amounts %q", path, enAmount.FindString(id))
		}
		if !enAmount.MatchString(en) || idAmount.MatchString(en) {
			t.Errorf("%s in English: amounts %q", path, idAmount.FindString(en))
		}
		for _, w := range []string{"IDR 1", "IDR 2", "miliar", " juta", " jt"} {
			if strings.Contains(en, w) {
				t.Errorf("%s in English shows %q", path, w)
			}
		}
	}
	_, en := getLang(t, ts, "en", "/etalase")
	wantIn(t, "the English showcase", en, "Rp10,000–Rp18,000 per pak")
}
