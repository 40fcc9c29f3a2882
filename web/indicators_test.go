package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

func TestIndicatorPages(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	resp, body := get(t, c, ts.URL+"/indikator")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/indikator/bps.pertumbuhan-ekonomi"`) || !strings.Contains(body, "ISO 37120:2014 5.1") {
		t.Fatalf("list: %d\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, c, ts.URL+"/indikator/bps.pertumbuhan-ekonomi?periode=2024")
	if resp.StatusCode != 200 {
		t.Fatalf("indicator: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`id="choropleth"`, `data-geojson="/peta/kabupaten-kota.geojson"`, `<tr data-code="35.72"`, `data-value="5.33"`, // the real figure on the map table
		`data-chart="line"`, `<th scope="col">Kota Blitar</th>`, `<th scope="col">Kota Bandung</th>`, // the default series
		`/observasi/ekspor?indikator=bps.pertumbuhan-ekonomi&amp;format=xlsx`, `src="/assets/chart.js`, `src="/assets/choropleth.js`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("indicator page lacks %s", want)
		}
	}
	// All 514 kabupaten/kota have a 2024 value (demo): the table holds them.
	if n := strings.Count(body, "<tr data-code="); n != 514 {
		t.Errorf("%d rows in the map table", n)
	}
	// Chosen regions and an unknown period (falls back to the latest).
	_, body = get(t, c, ts.URL+"/indikator/bps.kemiskinan?wilayah=11.01&periode=1999")
	if !strings.Contains(body, `<th scope="col">Kabupaten Simeulue</th>`) && !strings.Contains(body, `11.01" selected`) {
		t.Errorf("chosen region missing from the series")
	}
	if !strings.Contains(body, `<option value="2025" selected>`) {
		t.Errorf("period does not fall back to the latest")
	}
	if resp, _ := get(t, c, ts.URL+"/indikator/tidak-ada"); resp.StatusCode != 404 {
		t.Errorf("unknown indicator: %d", resp.StatusCode)
	}
	// The region page shows the latest values and a series.
	_, body = get(t, c, ts.URL+"/wilayah/35.72")
	if !strings.Contains(body, `id="indikator-h"`) || !strings.Contains(body, "5,33") || !strings.Contains(body, `data-chart="line"`) {
		t.Errorf("region page lacks its indicators")
	}
	// English.
	_, body = getLang(t, ts, "en", "/indikator/bps.pertumbuhan-ekonomi")
	if !strings.Contains(body, "Economic growth (GRDP at constant prices)") || !strings.Contains(body, "Higher is better") {
		t.Errorf("English page")
	}
	// Export through the page route.
	resp, body = get(t, c, ts.URL+"/observasi/ekspor?indikator=bps.pertumbuhan-ekonomi&wilayah=35.72&dari=2024&sampai=2024")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		body != "region_code,region_name,indicator_code,period,value,unit,source,note\n35.72,Kota Blitar,bps.pertumbuhan-ekonomi,2024,5.33,%,"+
			`"BPS Kota Blitar: laju pertumbuhan ekonomi Kota Blitar 2024, 5,33 %; angka ini dicatat dalam catatan rancangan Kolaborasi, rilis BPS-nya tidak tersedia bagi demo",`+"\n" {
		t.Errorf("export: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, _ := get(t, c, ts.URL+"/observasi/ekspor?dari=2024-13"); resp.StatusCode != 400 || resp.Header.Get("Content-Disposition") != "" {
		t.Errorf("export with a bad period: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if resp, _ := get(t, c, ts.URL+"/observasi/ekspor?format=pdf"); resp.StatusCode != 400 {
		t.Errorf("export as pdf: %d", resp.StatusCode)
	}
}

func TestObservationImportPage(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@obs.test", ownRegion, kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@obs.test")
	// Reachable from the workspace.
	if _, body := ts.getAs(t, session, "/ruang-kerja"); !strings.Contains(body, `href="/kelola/35.72/indikator/impor"`) {
		t.Fatal("the workspace does not link the import")
	}
	resp, body := ts.getAs(t, session, "/kelola/35.72/indikator/impor")
	if resp.StatusCode != 200 || !strings.Contains(body, "aduan.waktu-penyelesaian") || !strings.Contains(body, "1.234,5") {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	bad := "region_code;indicator_code;period;value\n35.72;layanan.daring;2026;\"61,5\"\n35.72;layanan.daring;2027;enam puluh\n32.73;layanan.daring;2026;50\n"
	fields := map[string]string{"csrf": csrfOf(t, ts, session)}
	resp, body = ts.upload(t, session, "/kelola/35.72/indikator/impor", fields, "file", []byte(bad))
	if resp.StatusCode != 422 || !strings.Contains(body, `id="import-errors"`) || !strings.Contains(body, `<td class="num">3</td><td><code>value</code></td>`) ||
		!strings.Contains(body, "akun Anda tidak boleh mengimpor nilai indikator untuk wilayah 32.73") ||
		!strings.Contains(body, "&#34;enam puluh&#34; bukan angka") || strings.Contains(body, "is not a number") {
		t.Fatalf("bad file: %d\n%s", resp.StatusCode, body)
	}
	obs, _ := ts.app.Observations(context.Background(), kolaborasi.ObservationFilter{Indicator: "layanan.daring", From: "2026"})
	if len(obs) != 0 {
		t.Fatalf("a refused file stored %d values", len(obs))
	}
	good := "region_code;indicator_code;period;value\n35.72;layanan.daring;2026;\"61,5\"\n35.72;layanan.daring;2027;63\n"
	resp, body = ts.upload(t, session, "/kelola/35.72/indikator/impor", fields, "file", []byte(good))
	if resp.StatusCode != 200 || !strings.Contains(body, `id="import-done"`) || !strings.Contains(body, "2 baris: 2 baru, 0 diubah, 0 tidak berubah.") {
		t.Fatalf("good file: %d\n%s", resp.StatusCode, body)
	}
	// Another region's import page is refused.
	if resp, _ := ts.getAs(t, session, "/kelola/32.73/indikator/impor"); resp.StatusCode != 403 {
		t.Errorf("other region: %d", resp.StatusCode)
	}
}

func TestObservationAPI(t *testing.T) {
	ts := newTestServer(t)
	editor := makeUser(t, ts.app, "editor@api.test", ownRegion, kolaborasi.RoleEditor)
	token, _, err := ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), editor), "t", []string{"read", "write"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := ts.api(t, "", "GET", "/api/v1/observations?indicator=bps.pertumbuhan-ekonomi&region=35.72", "")
	var list struct{ Data []kolaborasi.Observation }
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Data) != 11 || list.Data[9].Value != 5.33 {
		t.Fatalf("query: %d %s", resp.StatusCode, body)
	}
	if resp, _ := ts.api(t, "", "GET", "/api/v1/observations?from=2024-13", ""); resp.StatusCode != 400 {
		t.Errorf("bad period: %d", resp.StatusCode)
	}
	if resp, body := ts.api(t, "", "GET", "/api/v1/indicators/bps.ipm", ""); resp.StatusCode != 200 || !strings.Contains(body, `"period_kind":"year"`) {
		t.Errorf("indicator: %d %s", resp.StatusCode, body)
	}
	// raw sends a body of the content type with the editor's token.
	raw := func(method, path, ct string, file []byte) (*http.Response, []byte) {
		r, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(file))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		r.Header.Set("Authorization", "Bearer "+token)
		resp, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	send := func(ct string, file []byte) (*http.Response, string) {
		resp, b := raw("POST", "/api/v1/observations/import?region=35.72", ct, file)
		return resp, string(b)
	}
	resp, body = send("text/csv", []byte("region_code,indicator_code,period,value\n35.72,bps.ipm,2024,80\n35.72,bps.ipm,2024-Q1,81\n"))
	if resp.StatusCode != 400 || !strings.Contains(body, `"row 3, period"`) {
		t.Fatalf("bad import: %d %s", resp.StatusCode, body)
	}
	// Export the region as XLSX and import it back: nothing changes.
	er, xlsx := raw("GET", "/api/v1/observations/export?region=35.72&format=xlsx", "", nil)
	if er.StatusCode != 200 || !bytes.HasPrefix(xlsx, []byte("PK")) {
		t.Fatalf("export: %d", er.StatusCode)
	}
	resp, body = send("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx)
	var rep struct {
		Data struct{ Rows, Inserted, Updated, Unchanged int }
	}
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &rep) != nil || rep.Data.Rows == 0 || rep.Data.Unchanged != rep.Data.Rows {
		t.Fatalf("round trip: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send("application/pdf", []byte("%PDF")); resp.StatusCode != 400 {
		t.Errorf("pdf: %d", resp.StatusCode)
	}
	// Definitions: editors may not, admins may.
	def := `{"code":"custom.wifi","framework":"custom","name":{"id":"Titik Wi-Fi publik"},"unit":"titik","direction":"higher","period_kind":"year","source":"Diskominfo"}`
	if resp, _ := ts.api(t, token, "POST", "/api/v1/indicators", def); resp.StatusCode != 403 {
		t.Errorf("editor defines: %d", resp.StatusCode)
	}
}

// zeros is an endless reader of the byte '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// A file over the import limit is refused whole with 413, before the
// server reads it.
func TestObservationImportTooLarge(t *testing.T) {
	ts := newTestServer(t)
	admin := makeUser(t, ts.app, "admin@large.test", "", kolaborasi.RoleAdmin)
	token, _, err := ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), admin), "t", []string{"read", "write"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	size := int64(129 << 20)
	r, _ := http.NewRequest("POST", ts.URL+"/api/v1/observations/import", io.LimitReader(zeros{}, size))
	r.ContentLength = size
	r.Header.Set("Content-Type", "text/csv")
	r.Header.Set("Authorization", "Bearer "+token)
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(body), "too_large") {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

func TestIndicatorForm(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "admin@form.test", "", kolaborasi.RoleAdmin)
	session := ts.loginAs(t, "admin@form.test")
	if _, body := ts.getAs(t, session, "/indikator"); !strings.Contains(body, `href="/indikator/baru"`) {
		t.Fatal("the list does not offer the form to an admin")
	}
	if _, body := get(t, ts.client(t), ts.URL+"/indikator"); strings.Contains(body, `href="/indikator/baru"`) {
		t.Fatal("the list offers the form to a visitor")
	}
	csrf := csrfOf(t, ts, session)
	form := url.Values{"csrf": {csrf}, "code": {"custom.wifi"}, "framework": {"custom"}, "name_id": {"Titik Wi-Fi publik"}, "unit": {""},
		"direction": {"higher"}, "period_kind": {"year"}, "source": {"Diskominfo"}}
	resp, body := ts.post(t, session, "/indikator", form)
	if resp.StatusCode != 400 || !strings.Contains(body, `value="Titik Wi-Fi publik"`) || !strings.Contains(body, "Satuan wajib diisi.") {
		t.Fatalf("invalid: %d\n%s", resp.StatusCode, body)
	}
	form.Set("unit", "titik")
	if resp, _ := ts.post(t, session, "/indikator", form); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/indikator/custom.wifi" {
		t.Fatalf("create: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := ts.post(t, session, "/indikator", form); resp.StatusCode != 409 {
		t.Fatalf("create twice: %d", resp.StatusCode)
	}
	form.Set("unit", "lokasi")
	if resp, _ := ts.post(t, session, "/indikator/custom.wifi", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	if ind, err := ts.app.Indicator(context.Background(), "custom.wifi"); err != nil || ind.Unit != "lokasi" {
		t.Fatalf("stored %+v %v", ind, err)
	}
	if _, body := ts.getAs(t, session, "/indikator/custom.wifi/ubah"); !strings.Contains(body, `value="lokasi"`) || !strings.Contains(body, "readonly") {
		t.Fatal("edit form")
	}
}
