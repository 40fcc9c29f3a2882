package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/web"
)

// TestSolutionPageFollowsWrites: the solution page, read with as few
// statements as the solution allows and with its labels memoised, shows
// every write at once, in both languages: an edit (text and history), an
// adoption accepted and then stopped (the "used by" list and map), and an
// edit that makes the publiccode.yml exportable.
func TestSolutionPageFollowsWrites(t *testing.T) {
	ts := newTestServer(t)
	editor := makeUser(t, ts.app, "penerbit@bandung.test", otherRegion, kolaborasi.RoleEditor)
	adopter := makeUser(t, ts.app, "pemakai@blitar.test", ownRegion, kolaborasi.RoleEditor)
	as := func(u *kolaborasi.User) context.Context { return kolaborasi.WithUser(context.Background(), u) }
	s := &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: otherRegion,
		Name:       kolaborasi.Texts{ID: "Lumbung Pangan Warga", EN: "Community Food Barn"},
		Short:      kolaborasi.Texts{ID: "Stok pangan desa tercatat setiap hari.", EN: "Village food stocks recorded daily."},
		Long:       kolaborasi.Texts{ID: "Versi pertama."},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
		Maturity: kolaborasi.MaturityLive, StartedYear: 2020, Licence: "MIT", Platforms: []string{"web"},
		Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}}
	if err := ts.app.CreateSolution(as(editor), s); err != nil {
		t.Fatal(err)
	}
	page := func(lang string) string {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lang", Value: lang}})
		resp, body := get(t, &http.Client{Jar: jar}, fmt.Sprintf("%s/solusi/%d", ts.URL, s.ID))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", lang, resp.StatusCode)
		}
		return body
	}
	want := func(step string, in map[string][]string, out map[string][]string) {
		t.Helper()
		for _, lang := range []string{"id", "en"} {
			body := page(lang)
			for _, w := range in[lang] {
				if !strings.Contains(body, w) {
					t.Errorf("%s, %s: the page lacks %q", step, lang, w)
				}
			}
			for _, w := range out[lang] {
				if strings.Contains(body, w) {
					t.Errorf("%s, %s: the page still shows %q", step, lang, w)
				}
			}
		}
	}
	export := fmt.Sprintf(`href="/solusi/%d/publiccode.yml"`, s.ID)
	want("new", map[string][]string{"id": {"Versi pertama.", "<td>1</td>", "Belum ada daerah", "Dipakai oleh 0 daerah"}, "en": {"Community Food Barn", "Used by 0 regions"}},
		map[string][]string{"id": {"<td>2</td>", export}, "en": {"<td>2</td>", export}})

	edit, err := ts.app.Solution(context.Background(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	edit.Long.ID = "Versi kedua: setiap desa mencatat stok gabah dan beras harian, pemerintah kota melihat cadangan pangan " +
		"seluruh wilayah dan menyalurkan bantuan sebelum paceklik tiba di desa mana pun."
	edit.Links.Code = "https://git.contoh.invalid/lumbung"
	if err := ts.app.UpdateSolution(as(editor), edit); err != nil {
		t.Fatal(err)
	}
	want("edited", map[string][]string{"id": {"Versi kedua", "<td>2</td>", "<td>1</td>", export}, "en": {"<td>2</td>", export}},
		map[string][]string{"id": {"Versi pertama."}})

	ad, err := ts.app.RequestAdoption(as(adopter), app.AdoptionRequest{SolutionID: s.ID, Note: "Kami ingin memakai aplikasi ini."})
	if err != nil {
		t.Fatal(err)
	}
	if ad, err = ts.app.DecideAdoption(as(editor), ad.ID, ad.Version, true, ""); err != nil {
		t.Fatal(err)
	}
	link := fmt.Sprintf(`<a href="/adopsi/%d">`, ad.ID)
	want("accepted", map[string][]string{"id": {"Dipakai oleh 1 daerah", link, `id="adopters-data"`, "Kota Blitar"}, "en": {"Used by 1 region", link}},
		map[string][]string{"id": {"Belum ada daerah"}})

	if _, err = ts.app.MoveAdoption(as(adopter), ad.ID, ad.Version, kolaborasi.StageStopped, "Anggaran tidak tersedia."); err != nil {
		t.Fatal(err)
	}
	want("stopped", map[string][]string{"id": {"Dipakai oleh 0 daerah"}, "en": {"Used by 0 regions"}},
		map[string][]string{"id": {link, `id="adopters-data"`}, "en": {link}})
}

// TestLocalizedPagesRenderAsBefore: every main page, anonymous and signed
// in, in both languages, is byte for byte what the same page rendered with
// its labels looked up on each request is.
func TestLocalizedPagesRenderAsBefore(t *testing.T) {
	ts := newTestServer(t)
	h, err := web.New(ts.app, web.Config{BaseURL: ts.URL, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	h.WithoutLocalizedPages()
	plain := httptest.NewServer(h)
	defer plain.Close()
	jars := map[string]http.CookieJar{}
	for _, p := range mainPages {
		if !ts.web.HasRoute("GET", p.route) {
			continue
		}
		jar := jars[p.account]
		if jar == nil {
			jar, _ = cookiejar.New(nil)
			if p.account != "" {
				signInAs(t, ts, &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, p.account)
			}
			jars[p.account] = jar
		}
		path := p.path(t, ts)
		for _, lang := range []string{"id", "en"} {
			var bodies [2]string
			for i, base := range []string{ts.URL, plain.URL} {
				r, err := http.NewRequest("GET", base+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range jar.Cookies(mustURL(t, ts.URL)) {
					if c.Name != "lang" && c.Name != "flash" {
						r.AddCookie(c)
					}
				}
				r.AddCookie(&http.Cookie{Name: "lang", Value: lang})
				r.Header.Set("X-Request-ID", "localized-test") // error pages show it
				resp, body := send(t, nil, r)
				bodies[i] = fmt.Sprintf("%d\n%s", resp.StatusCode, body)
			}
			if bodies[0] != bodies[1] {
				t.Errorf("%s %s as %q in %s: localized and looked-up pages differ:\n%s", p.name, path, p.account, lang, firstDiff(bodies[0], bodies[1]))
			}
		}
	}
}

// firstDiff shows where two texts part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "localized: …" + a[from:min(len(a), i+200)] + "\nlooked up: …" + b[from:min(len(b), i+200)]
}

// TestPlatformAuthorInPageLanguage: changes the platform made itself (the
// demo's and imported solutions, recorded as kolaborasi.System) are
// credited in the page's language in the solution's history and the audit
// trail, not as the recorded name "system".
func TestPlatformAuthorInPageLanguage(t *testing.T) {
	ts := newTestServer(t)
	res, err := ts.app.SearchSolutions(context.Background(), app.SolutionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, it := range res.Items {
		if it.Solution.AuthorID == kolaborasi.System.ID && it.Solution.AuthorName == kolaborasi.System.Name {
			id = it.Solution.ID
		}
	}
	if id == 0 {
		t.Fatal("the demo has no solution the platform wrote")
	}
	for lang, want := range map[string]string{"id": "<td>Sistem Kolaborasi</td>", "en": "<td>Kolaborasi (system)</td>"} {
		_, body := getLang(t, ts, lang, fmt.Sprintf("/solusi/%d", id))
		if !strings.Contains(body, want) || strings.Contains(body, "<td>system</td>") {
			t.Errorf("%s: the history does not credit the platform as %q", lang, want)
		}
	}
}
