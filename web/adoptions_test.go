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
	"github.com/kolaborasi/kolaborasi/demo"
)

// demoSolution finds a demo solution by its Indonesian name.
func demoSolution(t *testing.T, ts *testServer, name string) *kolaborasi.Solution {
	t.Helper()
	res, err := ts.app.SearchSolutions(context.Background(), app.SolutionQuery{Size: app.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range res.Items {
		if it.Solution.Name.ID == name {
			return it.Solution
		}
	}
	t.Fatalf("no demo solution %q", name)
	return nil
}

func wantIn(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s lacks %q", what, p)
		}
	}
}

// The pages of adoptions over the demo data, and the request, decision and
// stage forms as the demo accounts use them.
func TestAdoptionPagesAndForms(t *testing.T) {
	ts := newTestServer(t)
	bcc := demoSolution(t, ts, "Bandung Command Center")
	hayu := demoSolution(t, ts, "Hayu")
	anon := ts.client(t)

	// A solution page: used by Kota Blitar, the map's data and the table.
	resp, body := get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, bcc.ID))
	if resp.StatusCode != 200 {
		t.Fatalf("solution page: %d", resp.StatusCode)
	}
	wantIn(t, "the solution page", body, "Dipakai oleh 1 daerah", `id="adopters-data"`, `"code":"35.72"`, "Kota Blitar", "adopters-map.js", "vendor/leaflet.js")
	if strings.Contains(body, "/adopsi/baru") {
		t.Error("a visitor is offered the adoption form")
	}
	// Home, money saved, region pages.
	_, body = get(t, anon, ts.URL+"/")
	wantIn(t, "the home page", body, "dihemat lewat adopsi", "5 dari 14 adopsi berangka lengkap", `href="/penghematan"`)
	resp, body = get(t, anon, ts.URL+"/penghematan")
	if resp.StatusCode != 200 {
		t.Fatalf("savings page: %d", resp.StatusCode)
	}
	wantIn(t, "the savings page", body, `id="metode"`, "Jawa Timur", "/penghematan?provinsi=35")
	_, body = get(t, anon, ts.URL+"/penghematan?provinsi=35")
	wantIn(t, "the province's savings", body, "Kabupaten Sidoarjo", "Per kabupaten/kota")
	_, body = get(t, anon, ts.URL+"/wilayah/35.72")
	wantIn(t, "Blitar's page", body, "Solusi yang diadopsi", "Bandung Command Center", "Solusinya diadopsi oleh", "Kota Bandung")
	// None of Blitar's adoptions has both figures: unknown, never Rp0.
	wantIn(t, "Blitar's page", body, "Penghematan: belum diketahui", "0 dari 3 adopsi berangka lengkap")
	if strings.Contains(body, "Penghematan: Rp0") {
		t.Error("Blitar's unknown savings are shown as Rp0")
	}
	if strings.Contains(body, "GAMPIL") {
		t.Error("a visitor sees Blitar's pending request on its region page")
	}
	_, body = get(t, anon, ts.URL+"/wilayah/35")
	wantIn(t, "Jawa Timur's page", body, "Penghematan: Rp2.750.000.000", "3 dari 11 adopsi berangka lengkap", "/penghematan?provinsi=35")
	_, body = get(t, anon, ts.URL+"/kerjasama/1")
	wantIn(t, "the KSB page", body, "Adopsi dari kerja sama ini", "Bandung Command Center")
	resp, _ = get(t, anon, ts.URL+"/adopsi/5") // Blitar's pending GAMPIL request
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a visitor reads a pending request: %d", resp.StatusCode)
	}

	// Blitar's editor requests Hayu: the form refuses a figure without its
	// source beside the field, keeping the input.
	blitar := ts.client(t)
	csrf := signInAs(t, ts, blitar, "umkm@blitarkota.test")
	_, body = get(t, blitar, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	wantIn(t, "the solution page for Blitar's editor", body, fmt.Sprintf("/adopsi/baru?solusi=%d", hayu.ID), "Adopsi solusi ini")
	form := url.Values{"csrf": {csrf}, "budget_planned": {"80.000.000"}, "note": {"Untuk layanan warga."}}
	resp, body = postForm(t, blitar, fmt.Sprintf("%s/adopsi?solusi=%d", ts.URL, hayu.ID), form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a figure without source: %d", resp.StatusCode)
	}
	wantIn(t, "the refused form", body, "wajib menyebut sumber", "Untuk layanan warga.")
	form.Set("budget_planned_source", "RKA Diskominfo 2027 (perkiraan)")
	// A request made earlier is entered with its date; a future date is
	// refused beside the field, the input kept.
	form.Set("on", time.Now().AddDate(0, 0, 3).Format(time.DateOnly))
	resp, body = postForm(t, blitar, fmt.Sprintf("%s/adopsi?solusi=%d", ts.URL, hayu.ID), form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a request dated in the future: %d", resp.StatusCode)
	}
	wantIn(t, "the form refusing a future date", body, `name="on"`, form.Get("on"), "Untuk layanan warga.", "Tanggal kejadian tidak boleh di masa depan.")
	form.Set("on", "2026-03-09")
	resp, _ = postForm(t, blitar, fmt.Sprintf("%s/adopsi?solusi=%d", ts.URL, hayu.ID), form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/adopsi/") {
		t.Fatalf("request: %d to %q", resp.StatusCode, loc)
	}
	_, body = get(t, blitar, ts.URL+loc)
	wantIn(t, "the new adoption", body, "menunggu keputusan", "Rp80.000.000", "RKA Diskominfo 2027 (perkiraan)", "9 Maret 2026")
	_, body = get(t, blitar, ts.URL+"/ruang-kerja")
	wantIn(t, "Blitar's workspace", body, "Adopsi daerah Anda yang sedang berjalan", "Hayu")
	_, body = get(t, blitar, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	wantIn(t, "the solution page while Blitar's request is open", body, "Daerah Anda sedang mengadopsi solusi ini:", `href="`+loc+`"`)
	if strings.Contains(body, "/adopsi/baru") {
		t.Error("the adoption form is offered again while the request is open")
	}

	// Bandung's editor decides from the workspace; the solution page then
	// counts Blitar.
	bandung := ts.client(t)
	bcsrf := signInAs(t, ts, bandung, "diskominfo@bandung.test")
	_, body = get(t, bandung, ts.URL+"/ruang-kerja")
	wantIn(t, "Bandung's workspace", body, "Permohonan adopsi yang menunggu keputusan", `href="`+loc+`"`)
	_, body = get(t, bandung, ts.URL+loc)
	wantIn(t, "the adoption page for the publisher", body, `action="`+loc+`/keputusan"`)
	resp, body = postForm(t, bandung, ts.URL+loc+"/keputusan", url.Values{"csrf": {bcsrf}, "decision": {"decline"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Sebutkan alasan permohonan ditolak.") {
		t.Errorf("declining without a reason: %d", resp.StatusCode)
	}
	resp, _ = postForm(t, bandung, ts.URL+loc+"/keputusan", url.Values{"csrf": {bcsrf}, "decision": {"accept"}, "message": {"Silakan."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accepting: %d", resp.StatusCode)
	}
	_, body = get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	wantIn(t, "Hayu's page after acceptance", body, "Dipakai oleh 2 daerah", "Kota Blitar")

	// Blitar moves it on; a move backwards is refused on the page.
	resp, _ = postForm(t, blitar, ts.URL+loc+"/tahap", url.Values{"csrf": {csrf}, "to": {"pilot"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("moving to pilot: %d", resp.StatusCode)
	}
	resp, body = postForm(t, blitar, ts.URL+loc+"/tahap", url.Values{"csrf": {csrf}, "to": {"study_visit"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Tahap adopsi hanya maju.") {
		t.Errorf("moving backwards: %d", resp.StatusCode)
	}

	// The API: the public list leaves out requests; the adopters and the
	// savings of a region.
	type list struct {
		Data []kolaborasi.Adoption `json:"data"`
	}
	_, body = ts.api(t, "", "GET", "/api/v1/adoptions?adopter=35.72&page[size]=2", "")
	l := decode[list](t, body)
	if len(l.Data) != 2 || !strings.Contains(body, `"next":"/api/v1/adoptions?`) {
		t.Errorf("first page: %s", body)
	}
	_, body = ts.api(t, "", "GET", "/api/v1/adoptions?adopter=35.72&state=requested", "")
	if l = decode[list](t, body); len(l.Data) != 0 {
		t.Errorf("a visitor lists requests: %s", body)
	}
	_, body = ts.api(t, "", "GET", fmt.Sprintf("/api/v1/solutions/%d/adopters", bcc.ID), "")
	if l = decode[list](t, body); len(l.Data) != 1 || l.Data[0].AdopterRegion != demo.Blitar || l.Data[0].Stage != kolaborasi.StageLive {
		t.Errorf("adopters: %s", body)
	}
	_, body = ts.api(t, "", "GET", "/api/v1/savings?scope=region&code=35.15", "")
	wantIn(t, "Sidoarjo's savings", body, `"saved_idr":1020000000`, `"with_figures":1`)
	resp, _ = ts.api(t, "", "GET", "/api/v1/savings?scope=planet", "")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown scope: %d", resp.StatusCode)
	}
}

// The demo's adoptions under the KSB happened in 2017 and were recorded
// when the demo was seeded: the page and the API give both dates, and a
// date in the future is refused on the page and in the API.
func TestAdoptionEventDates(t *testing.T) {
	ts := newTestServer(t)
	bcc := demoSolution(t, ts, "Bandung Command Center")
	ads, err := ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{SolutionID: bcc.ID, AdopterRegion: demo.Blitar})
	if err != nil || len(ads) != 1 {
		t.Fatalf("Blitar's Command Center: %v, %v", ads, err)
	}
	page := fmt.Sprintf("%s/adopsi/%d", ts.URL, ads[0].ID)
	recorded := ts.app.Now().UTC()
	today := fmt.Sprintf("%d %s %d", recorded.Day(), []string{"", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
		"September", "Oktober", "November", "Desember"}[recorded.Month()], recorded.Year())
	_, body := get(t, ts.client(t), page)
	wantIn(t, "the adoption page", body, "8 Maret 2017, dicatat "+today, "8 Maret 2021, dicatat "+today, "Sebagian kejadian dicatat di Kolaborasi sesudah terjadi",
		"diterima · 8 Maret 2017, dicatat "+today)
	_, body = get(t, englishClient(t, ts), page)
	wantIn(t, "the English adoption page", body, "8 March 2017, recorded ", "Some events were recorded on Kolaborasi after they happened")
	_, body = get(t, ts.client(t), fmt.Sprintf("%s/solusi/%d", ts.URL, bcc.ID))
	wantIn(t, "the solution's adopters", body, "<td>8 Maret 2017</td>")
	_, body = ts.api(t, "", "GET", fmt.Sprintf("/api/v1/adoptions/%d", ads[0].ID), "")
	wantIn(t, "the adoption in the API", body, `"on":"2017-03-08"`, `"on":"2021-03-08"`)

	// Blitar's editor moves Panic Button (at pilot) to live: not tomorrow.
	panic := demoSolution(t, ts, "Panic Button")
	ads, err = ts.app.Adoptions(context.Background(), kolaborasi.AdoptionFilter{SolutionID: panic.ID, AdopterRegion: demo.Blitar})
	if err != nil || len(ads) != 1 {
		t.Fatalf("Blitar's Panic Button: %v, %v", ads, err)
	}
	tomorrow := recorded.Add(31 * time.Hour).Format(time.DateOnly)
	blitar := ts.client(t)
	csrf := signInAs(t, ts, blitar, "umkm@blitarkota.test")
	move := fmt.Sprintf("%s/adopsi/%d/tahap", ts.URL, ads[0].ID)
	resp, body := postForm(t, blitar, move, url.Values{"csrf": {csrf}, "to": {"live"}, "on": {tomorrow}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Tanggal kejadian tidak boleh di masa depan.") {
		t.Errorf("a move dated tomorrow: %d", resp.StatusCode)
	}
	editor := makeUser(t, ts.app, "editor@dates.test", demo.Blitar, kolaborasi.RoleEditor)
	resp, body = ts.api(t, tokenFor(t, ts, editor), "POST", fmt.Sprintf("/api/v1/adoptions/%d/stage", ads[0].ID), `{"to":"live","on":"`+tomorrow+`"}`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(resp.Header.Get("Content-Type"), "application/problem+json") || !strings.Contains(body, `"on"`) {
		t.Errorf("an API move dated tomorrow: %d %s", resp.StatusCode, body)
	}
	resp, _ = postForm(t, blitar, move, url.Values{"csrf": {csrf}, "to": {"live"}, "on": {"2021-06-01"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a move dated 1 June 2021: %d", resp.StatusCode)
	}
	_, body = get(t, blitar, fmt.Sprintf("%s/adopsi/%d", ts.URL, ads[0].ID))
	wantIn(t, "Panic Button after the move", body, "1 Juni 2021, dicatat "+today, `name="on"`)
}
