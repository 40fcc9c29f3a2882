package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

func TestCatalogPages(t *testing.T) {
	ts := newTestServer(t)
	resp, body := get(t, nil, ts.URL+"/katalog")
	if resp.StatusCode != 200 || !strings.Contains(body, "Katalog solusi") || !strings.Contains(body, `name="sektor"`) {
		t.Fatalf("catalog: %d", resp.StatusCode)
	}
	// The demo's Blitar programme is found by a stemmed word, highlighted.
	resp, body = get(t, nil, ts.URL+"/katalog?q=perekonomian")
	if resp.StatusCode != 200 || !strings.Contains(body, "<mark>") {
		t.Errorf("search: %d, no highlight", resp.StatusCode)
	}
	// Facet filters and the results-only fragment for search as you type.
	resp, body = get(t, nil, ts.URL+"/katalog?wilayah=32.73&bagian=hasil")
	if resp.StatusCode != 200 || strings.Contains(body, "<html") || !strings.Contains(body, `class="card"`) || strings.Contains(body, "Kota Blitar</p>") {
		t.Errorf("fragment: %d %.200s", resp.StatusCode, body)
	}
	// An unknown facet value is left out with a notice, not an error page.
	if resp, body := get(t, nil, ts.URL+"/katalog?jenis=desa"); resp.StatusCode != 200 || !strings.Contains(body, "Jenis “desa”") {
		t.Errorf("bad facet: %d", resp.StatusCode)
	}
	if resp, _ := get(t, nil, ts.URL+"/katalog?q="+url.QueryEscape(strings.Repeat("a OR ", 2000))); resp.StatusCode != 400 {
		t.Errorf("10 KB query: %d", resp.StatusCode)
	}
	// A solution page.
	res, err := ts.app.SearchSolutions(context.Background(), searchAll())
	if err != nil || len(res.Items) == 0 {
		t.Fatalf("demo solutions: %v", err)
	}
	id := res.Items[0].Solution.ID
	resp, body = get(t, nil, fmt.Sprintf("%s/solusi/%d", ts.URL, id))
	if resp.StatusCode != 200 || !strings.Contains(body, "Adopsi solusi ini") || !strings.Contains(body, "Riwayat versi") {
		t.Errorf("solution page: %d", resp.StatusCode)
	}
	if resp, _ := get(t, nil, ts.URL+"/solusi/999999"); resp.StatusCode != 404 {
		t.Errorf("missing solution: %d", resp.StatusCode)
	}
	if resp, _ := get(t, nil, ts.URL+"/solusi/abc"); resp.StatusCode != 404 {
		t.Errorf("bad solution id: %d", resp.StatusCode)
	}
}

func TestPublishingFlow(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@blitar.test", ownRegion, kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@blitar.test")
	csrf := csrfOf(t, ts, session)
	if resp, body := ts.getAs(t, session, "/kelola/35.72/solusi/baru"); resp.StatusCode != 200 || !strings.Contains(body, `name="name_id"`) {
		t.Fatalf("new form: %d", resp.StatusCode)
	}
	// An incomplete form comes back with what was entered and what is wrong.
	resp, body := ts.post(t, session, "/kelola/35.72/solusi", url.Values{"csrf": {csrf}, "kind": {"programme"}, "name_id": {"Pasar Rakyat Daring"}})
	if resp.StatusCode != 400 || !strings.Contains(body, `value="Pasar Rakyat Daring"`) || !strings.Contains(body, "dimensions") {
		t.Fatalf("incomplete form: %d", resp.StatusCode)
	}
	form := url.Values{"csrf": {csrf}, "kind": {"programme"}, "name_id": {"Pasar Rakyat Daring"}, "short_id": {"Pengaduan dan pemasaran UMKM daring."},
		"dimensions": {"economy"}, "sectors": {"umkm"}, "maturity": {"pilot"}, "reuse": {"hibah"}, "started_year": {"2024"},
		"cost_build": {"150.000.000"}, "cost_build_source": {"APBD Kota Blitar 2024 (contoh)"},
		"evidence_text": {"Pelaku UMKM terdaftar", ""}, "evidence_value": {"1200", ""}, "evidence_unit": {"usaha", ""}, "evidence_source": {"https://blitarkota.go.id/umkm", ""},
		"contact_name": {"Dinas Koperasi dan UM", ""}, "contact_email": {"dinkop@blitar.test", ""}}
	resp, body = ts.post(t, session, "/kelola/35.72/solusi", form)
	if resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/solusi/") {
		i := strings.Index(body, `class="error"`)
		t.Fatalf("publish: %d %s", resp.StatusCode, body[max(i, 0):min(len(body), max(i, 0)+600)])
	}
	loc := resp.Header.Get("Location")
	_, page := ts.getAs(t, session, loc)
	for _, want := range []string{"Pasar Rakyat Daring", "Rp150.000.000", "1.200 usaha", "Ubah solusi", "dinkop@blitar.test"} {
		if !strings.Contains(page, want) {
			t.Errorf("solution page lacks %q", want)
		}
	}
	// Saving from a stale form conflicts instead of overwriting.
	form.Set("version", "1")
	form.Set("maturity", "live")
	if resp, _ := ts.post(t, session, loc, form); resp.StatusCode != 303 {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	if resp, body := ts.post(t, session, loc, form); resp.StatusCode != 409 || !strings.Contains(body, `name="name_id"`) {
		t.Errorf("stale update: %d", resp.StatusCode)
	}
	_, page = ts.getAs(t, session, loc)
	if !strings.Contains(page, "<td>2</td>") {
		t.Error("history lacks version 2")
	}
	// It is found by the search at once.
	_, found := get(t, nil, ts.URL+"/katalog?q=pengaduan")
	if !strings.Contains(found, "Pasar Rakyat Daring") {
		t.Error("the new solution is not found by a stemmed word of its summary")
	}
	// Retiring takes it out of the search but keeps its page.
	if resp, _ := ts.post(t, session, loc+"/pensiun", url.Values{"csrf": {csrf}, "version": {"2"}}); resp.StatusCode != 303 {
		t.Fatalf("retire: %d", resp.StatusCode)
	}
	if _, found := get(t, nil, ts.URL+"/katalog?q=pengaduan"); strings.Contains(found, "Pasar Rakyat Daring") {
		t.Error("a retired solution is still found")
	}
	if resp, page := ts.getAs(t, "", loc); resp.StatusCode != 200 || !strings.Contains(page, "dipensiunkan") {
		t.Errorf("retired page: %d", resp.StatusCode)
	}
}

func TestImportPage(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@bandung.test2", otherRegion, kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@bandung.test2")
	csrf := csrfOf(t, ts, session)
	good := string(validPublicCode(t))
	resp, body := ts.post(t, session, "/kelola/32.73/impor", url.Values{"csrf": {csrf}, "yaml": {good}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Berkas diimpor") {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	// A broken update of the same software is rejected, the last good
	// version stays, and the errors are shown at their lines.
	broken := strings.Replace(good, "license:", "license: Not-A-Licence\n  x:", 1)
	resp, body = ts.post(t, session, "/kelola/32.73/impor", url.Values{"csrf": {csrf}, "yaml": {broken}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Berkas ditolak") || !strings.Contains(body, "Versi terakhir yang valid") ||
		!strings.Contains(body, `class="flagged"`) {
		t.Errorf("broken update: %d", resp.StatusCode)
	}
}

func TestSolutionsAPI(t *testing.T) {
	ts := newTestServer(t)
	editor := makeUser(t, ts.app, "editor@blitar.test", ownRegion, kolaborasi.RoleEditor)
	token, _, err := ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), editor), "api", []string{"write"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"kind":"service","region_code":"35.72","name":{"id":"Layanan Aduan Warga"},"short":{"id":"Warga mengadukan masalah kota lewat aplikasi."},` +
		`"dimensions":["governance"],"sectors":["e-government"],"maturity":"live","reuse":["shared-service"]}`
	resp, out := ts.api(t, token, "POST", "/api/v1/solutions", body)
	if resp.StatusCode != 201 || resp.Header.Get("ETag") != `"1"` {
		t.Fatalf("create: %d %s", resp.StatusCode, out)
	}
	loc := resp.Header.Get("Location")
	// Search: "pengaduan masyarakat" finds "mengadukan"; facets counted.
	resp, out = ts.api(t, "", "GET", "/api/v1/solutions?q=pengaduan&kind=service", "")
	list := decode[struct {
		Data []struct {
			ID      int64
			Snippet []struct {
				Text string
				Hit  bool
			}
		}
		Total  int
		Facets map[string][]struct {
			Value string
			Count int
		}
	}](t, out)
	if resp.StatusCode != 200 || list.Total != 1 || len(list.Data) != 1 || len(list.Facets["kind"]) == 0 {
		t.Fatalf("search: %d %s", resp.StatusCode, out)
	}
	hit := false
	for _, s := range list.Data[0].Snippet {
		hit = hit || s.Hit && s.Text == "mengadukan"
	}
	if !hit {
		t.Errorf("snippet does not highlight mengadukan: %+v", list.Data[0].Snippet)
	}
	for _, bad := range []string{"?kind=desa", "?colour=red", "?page%5Bsize%5D=500", "?q=-only"} {
		if resp, _ := ts.api(t, "", "GET", "/api/v1/solutions"+bad, ""); resp.StatusCode != 400 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
	// Merge patch with the version read; a stale one conflicts.
	r, _ := http.NewRequest("PATCH", ts.URL+loc, strings.NewReader(`{"maturity":"pilot","evidence":[{"text":"Aduan selesai","value":87,"unit":"%","source_url":"https://blitarkota.go.id/aduan"}]}`))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/merge-patch+json")
	r.Header.Set("If-Match", `"1"`)
	res, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("ETag") != `"2"` {
		t.Fatalf("patch: %d", res.StatusCode)
	}
	if resp, _ := ts.api(t, token, "PATCH", loc, `{"version":1,"maturity":"live"}`); resp.StatusCode != 409 {
		t.Errorf("stale patch: %d", resp.StatusCode)
	}
	if resp, _ := ts.api(t, token, "PATCH", loc, `{"version":2,"colour":"red"}`); resp.StatusCode != 400 {
		t.Errorf("unknown field: %d", resp.StatusCode)
	}
	if resp, _ := ts.api(t, token, "DELETE", loc, ""); resp.StatusCode != 400 {
		t.Errorf("delete without If-Match: %d", resp.StatusCode)
	}
	_, out = ts.api(t, "", "GET", loc, "")
	if !strings.Contains(out, `"maturity":"pilot"`) || !strings.Contains(out, "Aduan selesai") {
		t.Errorf("after patch: %s", out)
	}
	// Import and lossless export.
	r, _ = http.NewRequest("POST", ts.URL+"/api/v1/solutions/import?region=35.72", strings.NewReader(string(validPublicCode(t))))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/yaml")
	res, err = ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("import: %d", res.StatusCode)
	}
	resp, exported := ts.api(t, "", "GET", res.Header.Get("Location")+"/publiccode.yml", "")
	if resp.StatusCode != 200 || !strings.Contains(exported, "urn:kolaborasi:region:35.72") {
		t.Errorf("export: %d %.300s", resp.StatusCode, exported)
	}
	broken := strings.Replace(string(validPublicCode(t)), "publiccodeYmlVersion", "publiccodeYmlVersionX", 1)
	if resp, out := ts.api(t, token, "POST", "/api/v1/solutions/import?region=35.72", ""); resp.StatusCode != 400 {
		t.Errorf("import without YAML type: %d %s", resp.StatusCode, out)
	}
	r, _ = http.NewRequest("POST", ts.URL+"/api/v1/solutions/import?region=35.72", strings.NewReader(broken))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/yaml")
	res, err = ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("broken import: %d", res.StatusCode)
	}
}

func searchAll() app.SolutionQuery { return app.SolutionQuery{} }
