package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
)

const demoIndex = "/peringkat/" + demo.SmartCityIndex

func TestRankingPages(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	for _, lang := range []string{"id", "en"} {
		_, body := getLang(t, ts, lang, "/peringkat")
		name := map[string]string{"id": "Indeks Kota Cerdas (sintetis)", "en": "Smart City Index (synthetic)"}[lang]
		if !strings.Contains(body, `href="`+demoIndex+`"`) || !strings.Contains(body, name) || !strings.Contains(body, `href="/peringkat" aria-current="page"`) {
			t.Errorf("%s list:\n%s", lang, body)
		}
		resp, body := getLang(t, ts, lang, demoIndex)
		want := map[string][]string{
			"id": {"Peringkat periode 2025 (514 wilayah)", "Semua kabupaten dan kota (514 wilayah)", "Indeks ini dan datanya sintetis", "8 Maret 2017"},
			"en": {"Ranking of period 2025 (514 regions)", "All kabupaten and kota (514 regions)", "This index and its data are synthetic", "8 March 2017"},
		}[lang]
		want = append(want, `<tr data-code="32.73" data-class="4"><td>1</td><td><a href="`+demoIndex+`/daerah/32.73">Kota Bandung</a>`,
			`id="choropleth"`, `src="/assets/choropleth.js`, `href="`+demoIndex+`/metode"`)
		for _, w := range want {
			if resp.StatusCode != 200 || !strings.Contains(body, w) {
				t.Errorf("%s ranking page lacks %s", lang, w)
			}
		}
		if n := strings.Count(body, "<tr data-code="); n != 514 {
			t.Errorf("%s: %d ranked rows", lang, n)
		}
	}
	// An earlier period: Bandung is 200th in 2015; scores in Indonesian format.
	_, body := get(t, c, ts.URL+demoIndex+"?periode=2015")
	if !strings.Contains(body, `<option value="2015" selected>`) || !strings.Contains(body, `<td>200</td><td><a href="`+demoIndex+`/daerah/32.73">Kota Bandung</a>`) {
		t.Errorf("2015 ranking lacks Bandung at 200")
	}
	// Methodology: the formula with the actual shares.
	_, body = get(t, c, ts.URL+demoIndex+"/metode")
	for _, w := range []string{"Skor = 100 × (0,25 × N(bps.pertumbuhan-ekonomi) + 0,25 × N(bps.kemiskinan) + 0,50 × N(spbe.indeks))", "50 %", "25 %",
		"Bobot ulang", "50 % dari total bobot", "Makin rendah makin baik", "KemenPAN-RB"} {
		if !strings.Contains(body, w) {
			t.Errorf("methodology lacks %q", w)
		}
	}
	_, body = getLang(t, ts, "en", demoIndex+"/metode")
	if !strings.Contains(body, "Score = 100 × (0.25 × N(bps.pertumbuhan-ekonomi)") || !strings.Contains(body, "Reweight: a region is scored") {
		t.Errorf("English methodology:\n%s", body)
	}
	// Bandung's rank history: 200 → 1, a chart table (ranks upside down) and the details.
	_, body = get(t, c, ts.URL+demoIndex+"/daerah/32.73")
	for _, w := range []string{"<strong>200 → 1</strong>", "dari periode 2015 ke 2025", `data-chart="line" data-invert="y"`, `<th scope="row">2015</th><td class="num" data-value="200">200</td>`,
		`src="/assets/chart.js`, "200 / 514"} {
		if !strings.Contains(body, w) {
			t.Errorf("history lacks %q", w)
		}
	}
	if resp, _ := get(t, c, ts.URL+demoIndex+"/daerah/35"); resp.StatusCode != 404 {
		t.Errorf("a province's history: %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, ts.URL+"/peringkat/tidak-ada"); resp.StatusCode != 404 {
		t.Errorf("unknown index: %d", resp.StatusCode)
	}
	// The region page names the region's rank.
	_, body = get(t, c, ts.URL+"/wilayah/32.73")
	if !strings.Contains(body, `href="`+demoIndex+`/daerah/32.73"`) || !strings.Contains(body, "peringkat 1 dari 514 (2025)") {
		t.Errorf("region page lacks the rank")
	}
}

func TestRankingFormAndWorkspace(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "observer@form.test", "", kolaborasi.RoleObserver)
	session := ts.loginAs(t, "observer@form.test")
	if _, body := ts.getAs(t, session, "/ruang-kerja"); !strings.Contains(body, `href="/peringkat/baru"`) {
		t.Fatal("the workspace does not offer the index form to an observer")
	}
	if _, body := ts.getAs(t, session, "/peringkat"); !strings.Contains(body, `href="/peringkat/baru"`) {
		t.Fatal("the list does not offer the form to an observer")
	}
	if _, body := get(t, ts.client(t), ts.URL+"/peringkat"); strings.Contains(body, `href="/peringkat/baru"`) {
		t.Fatal("the list offers the form to a visitor")
	}
	csrf := csrfOf(t, ts, session)
	form := url.Values{"csrf": {csrf}, "slug": {"jatim"}, "name_id": {"Indeks Jawa Timur"}, "indicator": {"bps.pertumbuhan-ekonomi", "bps.kemiskinan", ""},
		"weight": {"3", "0", ""}, "normalisation": {"zscore"}, "missing": {"mean"}, "min_coverage": {"150"}, "region_set": {"province"}, "province": {"35"}}
	resp, body := ts.post(t, session, "/peringkat", form)
	for _, w := range []string{"Bobot harus berupa angka lebih dari nol.", "Cakupan minimum harus lebih dari 0 dan paling besar 1.", `value="Indeks Jawa Timur"`,
		`<option value="35" selected>`} {
		if resp.StatusCode != 400 || !strings.Contains(body, w) {
			t.Errorf("invalid form (%d) lacks %q", resp.StatusCode, w)
		}
	}
	form.Set("min_coverage", "60")
	form["weight"] = []string{"3", "1", ""}
	if resp, _ := ts.post(t, session, "/peringkat", form); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/peringkat/jatim" {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = ts.getAs(t, session, "/peringkat/jatim")
	if !strings.Contains(body, "Kabupaten dan kota di Jawa Timur (38 wilayah)") || !strings.Contains(body, "Skor-z") {
		t.Errorf("created index page:\n%s", body)
	}
	// Edit with the version read; a stale version is a conflict.
	_, body = ts.getAs(t, session, "/peringkat/jatim/ubah")
	if !strings.Contains(body, `name="version" value="1"`) || !strings.Contains(body, `value="60"`) {
		t.Fatalf("edit form:\n%s", body)
	}
	form.Set("version", "1")
	form.Set("name_id", "Indeks Jatim")
	if resp, _ := ts.post(t, session, "/peringkat/jatim", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	if resp, body := ts.post(t, session, "/peringkat/jatim", form); resp.StatusCode != 409 || !strings.Contains(body, "telah diubah sementara itu") {
		t.Fatalf("stale update: %d", resp.StatusCode)
	}
	if resp, _ := ts.post(t, session, "/peringkat/jatim/hapus", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, err := ts.app.CompositeIndex(context.Background(), "jatim"); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		t.Fatalf("deleted index: %v", err)
	}
}

func TestRankingAPI(t *testing.T) {
	ts := newTestServer(t)
	admin := makeUser(t, ts.app, "admin@api.test", "", kolaborasi.RoleAdmin)
	editor := makeUser(t, ts.app, "editor@api.test", "35.72", kolaborasi.RoleEditor)
	tok := tokenFor(t, ts, admin)
	resp, body := apiDo(t, ts, "", "GET", "/api/v1/composite-indices", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"slug":"`+demo.SmartCityIndex+`"`) {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	type ranking struct {
		Data struct {
			Period  string
			Periods []string
			Regions int
			Results []struct {
				Region     string
				Rank       int
				Score      float64
				Components []struct{ Contribution float64 }
			}
		}
	}
	resp, body = apiDo(t, ts, "", "GET", "/api/v1/composite-indices/"+demo.SmartCityIndex+"/ranking?period=2015", "", nil)
	rk := decode[ranking](t, body)
	if resp.StatusCode != 200 || rk.Data.Period != "2015" || len(rk.Data.Periods) != 11 || rk.Data.Regions != 514 || len(rk.Data.Results) != 514 {
		t.Fatalf("ranking 2015: %d %+v", resp.StatusCode, rk.Data.Period)
	}
	for _, r := range rk.Data.Results {
		sum := 0.0
		for _, c := range r.Components {
			sum += c.Contribution
		}
		if d := sum - r.Score; d > 1e-6 || d < -1e-6 {
			t.Errorf("%s: contributions %v, score %v", r.Region, sum, r.Score)
		}
		if r.Region == demo.Bandung && r.Rank != 200 {
			t.Errorf("Bandung 2015 rank %d", r.Rank)
		}
	}
	if resp, _ := apiDo(t, ts, "", "GET", "/api/v1/composite-indices/"+demo.SmartCityIndex+"/ranking?period=1999", "", nil); resp.StatusCode != 404 {
		t.Errorf("unknown period: %d", resp.StatusCode)
	}
	resp, body = apiDo(t, ts, "", "GET", "/api/v1/composite-indices/"+demo.SmartCityIndex+"/regions/32.73/history", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `{"period":"2015","ranked":true,"rank":200,"of":514`) || !strings.Contains(body, `{"period":"2025","ranked":true,"rank":1,`) {
		t.Fatalf("history: %d %s", resp.StatusCode, body)
	}

	idx := `{"slug":"api-idx","name":{"id":"Indeks API"},"components":[{"indicator":"spbe.indeks","weight":1}],"normalisation":"minmax","missing":"exclude","region_set":"kota"}`
	if resp, _ := apiDo(t, ts, tokenFor(t, ts, editor), "POST", "/api/v1/composite-indices", "application/json", []byte(idx)); resp.StatusCode != 403 {
		t.Fatalf("editor creates: %d", resp.StatusCode)
	}
	if resp, body := apiDo(t, ts, tok, "POST", "/api/v1/composite-indices", "application/json", []byte(idx)); resp.StatusCode != 201 ||
		resp.Header.Get("Location") != "/api/v1/composite-indices/api-idx" || !strings.Contains(body, `"version":1`) {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	bad := `{"slug":"api-bad","name":{"id":"X"},"components":[{"indicator":"spbe.indeks","weight":0}],"normalisation":"minmax","missing":"reweight","region_set":"kota"}`
	resp, body = apiDo(t, ts, tok, "POST", "/api/v1/composite-indices", "application/json", []byte(bad))
	fields := map[string]string{}
	for _, e := range decode[problem](t, body).Errors {
		fields[e.Field] = e.Detail
	}
	if resp.StatusCode != 400 || fields["components[0].weight"] == "" || fields["min_coverage"] == "" {
		t.Fatalf("invalid: %d %s", resp.StatusCode, body)
	}
	upd := strings.Replace(idx, `"slug":"api-idx",`, `"slug":"api-idx","version":1,`, 1)
	upd = strings.Replace(upd, `"region_set":"kota"`, `"region_set":"kabupaten"`, 1)
	if resp, body := apiDo(t, ts, tok, "PUT", "/api/v1/composite-indices/api-idx", "application/json", []byte(upd)); resp.StatusCode != 200 || !strings.Contains(body, `"version":2`) {
		t.Fatalf("update: %d %s", resp.StatusCode, body)
	}
	if resp, _ := apiDo(t, ts, tok, "PUT", "/api/v1/composite-indices/api-idx", "application/json", []byte(upd)); resp.StatusCode != 409 {
		t.Fatalf("stale update: %d", resp.StatusCode)
	}
	resp, body = apiDo(t, ts, "", "GET", "/api/v1/composite-indices/api-idx/ranking", "", nil)
	if rk := decode[ranking](t, body); resp.StatusCode != 200 || rk.Data.Regions != 416 {
		t.Fatalf("kabupaten ranking: %d regions", rk.Data.Regions)
	}
	if resp, _ := apiDo(t, ts, tok, "DELETE", "/api/v1/composite-indices/api-idx", "", nil); resp.StatusCode != 204 {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if resp, _ := apiDo(t, ts, "", "GET", "/api/v1/composite-indices/api-idx", "", nil); resp.StatusCode != 404 {
		t.Fatalf("deleted: %d", resp.StatusCode)
	}
}

func TestImpactOnAdoptionPage(t *testing.T) {
	ts := newTestServer(t)
	ads, err := ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{AdopterRegion: demo.Blitar, Stage: kolaborasi.StageLive})
	if err != nil || len(ads) != 1 {
		t.Fatalf("%v %v", ads, err)
	}
	page := fmt.Sprintf("/adopsi/%d", ads[0].ID)
	_, body := get(t, ts.client(t), ts.URL+page)
	for _, w := range []string{`id="dampak"`, "Perkiraan dampak:", "selang kepercayaan 95 %", `<option value="layanan.daring" selected>`, `data-chart="line"`,
		"Ini bukan percobaan acak", "(mulai berjalan)", `/api/v1/adoptions/` + fmt.Sprint(ads[0].ID) + `/impact?indicator=layanan.daring`} {
		if !strings.Contains(body, w) {
			t.Errorf("adoption page lacks %q", w)
		}
	}
	// A quarterly indicator only Blitar and Bandung report: no comparison group.
	_, body = get(t, ts.client(t), ts.URL+page+"?indikator=aduan.waktu-penyelesaian")
	if !strings.Contains(body, "Kelompok pembanding terlalu kecil: perlu ≥ 5 wilayah") || strings.Contains(body, "Perkiraan dampak:") {
		t.Errorf("shortfall not explained")
	}
	// Makassar's adoption went live at seeding (today): no period after it yet.
	mks, err := ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{AdopterRegion: "73.71"})
	if err != nil || len(mks) != 1 {
		t.Fatalf("Makassar's adoptions %v, %v", mks, err)
	}
	_, body = get(t, ts.client(t), ts.URL+fmt.Sprintf("/adopsi/%d?indikator=bps.kemiskinan", mks[0].ID))
	if !strings.Contains(body, "Belum cukup data: perlu ≥ 2 periode setelah adopsi berjalan, ada 0.") {
		t.Errorf("the missing periods after going live are not explained")
	}
	_, body = getLang(t, ts, "en", page)
	if !strings.Contains(body, "Estimated impact:") || !strings.Contains(body, "95 % confidence interval") || !strings.Contains(body, "not a randomised experiment") {
		t.Errorf("English impact section")
	}
	resp, body := apiDo(t, ts, "", "GET", fmt.Sprintf("/api/v1/adoptions/%d/impact?indicator=layanan.daring", ads[0].ID), "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"estimated":true`) || !strings.Contains(body, `"live_from":"2021"`) {
		t.Fatalf("impact API: %d %s", resp.StatusCode, body)
	}
	resp, body = apiDo(t, ts, "", "GET", fmt.Sprintf("/api/v1/adoptions/%d/impact?indicator=aduan.waktu-penyelesaian", ads[0].ID), "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"estimated":false`) || !strings.Contains(body, `"reason":"too_few_comparison_regions"`) || !strings.Contains(body, `"effect":null`) {
		t.Fatalf("impact API shortfall: %d %s", resp.StatusCode, body)
	}
	if resp, _ := apiDo(t, ts, "", "GET", fmt.Sprintf("/api/v1/adoptions/%d/impact", ads[0].ID), "", nil); resp.StatusCode != 400 {
		t.Errorf("impact without indicator: %d", resp.StatusCode)
	}
}
