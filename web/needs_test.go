package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
)

var agreementEditPath = regexp.MustCompile(`^/kerjasama/[0-9]+/ubah$`)

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="(party|item)" value="([^"]+)">`)

// TestNeedPages walks the K6 pages as the demo's people: Blitar's needs,
// one need with its ranked solutions and reasons, "Mitra yang cocok" with
// the barter, the explained empty answer, the form's message beside the
// field, and a draft started from the Bandung suggestion.
func TestNeedPages(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)

	resp, body := get(t, anon, ts.URL+"/wilayah/35.72")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/wilayah/35.72/mitra"`) || !strings.Contains(body, `href="/wilayah/35.72/kebutuhan"`) {
		t.Fatalf("region page %d does not link needs and partners", resp.StatusCode)
	}
	resp, body = get(t, anon, ts.URL+"/wilayah/35.72/kebutuhan")
	if resp.StatusCode != 200 || !strings.Contains(body, "Informasi layanan publik di ponsel warga") || !strings.Contains(body, "Rencana dan penilaian kinerja pegawai elektronik") ||
		!strings.Contains(body, "Rp100.000.000 – Rp400.000.000") {
		t.Fatalf("needs page %d:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, `action="/wilayah/35.72/kebutuhan"`) {
		t.Error("a visitor sees the form to declare a need")
	}
	m := regexp.MustCompile(`href="/kebutuhan/(\d+)"[^>]*>Informasi layanan publik`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to the public-information need")
	}
	resp, body = get(t, anon, ts.URL+"/kebutuhan/"+m[1])
	if resp.StatusCode != 200 || !strings.Contains(body, "Hayu") || !strings.Contains(body, "<mark>layanan</mark>") ||
		!strings.Contains(body, "Dimensi kota cerdas sama.") {
		t.Fatalf("need page %d:\n%s", resp.StatusCode, body)
	}

	resp, body = get(t, anon, ts.URL+"/wilayah/35.72/mitra")
	if resp.StatusCode != 200 || !strings.Contains(body, "Pasangan timbal balik (1)") || !strings.Contains(body, "Kota Bandung → Kota Blitar → Kota Bandung") ||
		!strings.Contains(body, "Koperasi Daring Kota Blitar (sintetis)") || !strings.Contains(body, "e-RK") {
		t.Fatalf("partners page %d:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "/mitra/draf") {
		t.Error("a visitor sees the button to start a draft")
	}
	resp, body = get(t, anon, ts.URL+"/wilayah/51.71/mitra")
	if resp.StatusCode != 200 || !strings.Contains(body, "Lingkaran pertukaran (1)") || !strings.Contains(body, "Kota Surakarta → Kota Denpasar → Kota Balikpapan → Kota Surakarta") {
		t.Fatalf("cycle partners page %d:\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, anon, ts.URL+"/wilayah/11.01/mitra")
	if resp.StatusCode != 200 || !strings.Contains(body, "Daerah ini belum menyatakan kebutuhan") {
		t.Fatalf("empty region's partners %d:\n%s", resp.StatusCode, body)
	}

	// An editor declares a need; without text the form says so beside
	// the field and nothing is stored.
	ed := ts.client(t)
	csrf := signInAs(t, ts, ed, "umkm@blitarkota.test")
	resp, body = postForm(t, ed, ts.URL+"/wilayah/35.72/kebutuhan", url.Values{"csrf": {csrf}, "title": {"Pelatihan UMKM"}, "text": {"  "}, "priority": {"high"}})
	if resp.StatusCode != 400 || !regexp.MustCompile(`(?s)name="text"[^>]*>[^<]*</textarea><span class="field-error">uraikan apa yang dicari daerah</span>`).MatchString(body) {
		t.Fatalf("need without text: %d\n%s", resp.StatusCode, body)
	}
	resp, body = postForm(t, ed, ts.URL+"/wilayah/35.72/kebutuhan", url.Values{"csrf": {csrf}, "title": {"Pelatihan UMKM"}, "text": {"Pelatihan"},
		"budget_min": {"500.000"}, "budget_max": {"100.000"}})
	if resp.StatusCode != 400 || !strings.Contains(body, "tidak boleh kurang dari anggaran paling sedikit") {
		t.Fatalf("budget min above max: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = postForm(t, ed, ts.URL+"/wilayah/35.72/kebutuhan", url.Values{"csrf": {csrf}, "title": {"Pelatihan UMKM"}, "text": {"Pelatihan pemasaran daring"},
		"budget_min": {"5.000.000"}, "budget_max": {"25.000.000"}, "sectors": {"umkm"}, "priority": {"low"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/kebutuhan/") {
		t.Fatalf("declare a need: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// The coordinator starts a draft from the Bandung suggestion and lands
	// on the drafting form with the parties and items filled in.
	co := ts.client(t)
	csrf = signInAs(t, ts, co, "kerjasama@blitarkota.test")
	_, body = get(t, co, ts.URL+"/wilayah/35.72/mitra")
	form := url.Values{"csrf": {csrf}}
	for _, h := range hiddenInput.FindAllStringSubmatch(section(t, body, "pasangan"), -1) {
		form.Add(h[1], h[2])
	}
	if len(form["party"]) != 2 || len(form["item"]) < 2 {
		t.Fatalf("the coordinator's partners page has no draft form: %v\n%s", form, body)
	}
	forged := url.Values{"csrf": {csrf}, "party": form["party"], "item": {"32.73|1|35.72|999999"}}
	if resp, body = postForm(t, co, ts.URL+"/wilayah/35.72/mitra/draf", forged); resp.StatusCode != 400 || !strings.Contains(body, "Saran ini tidak termasuk") {
		t.Errorf("forged suggestion: %d", resp.StatusCode)
	}
	resp, _ = postForm(t, co, ts.URL+"/wilayah/35.72/mitra/draf", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/kerjasama/\d+/ubah$`).MatchString(loc) {
		t.Fatalf("start draft: %d %q", resp.StatusCode, loc)
	}
	resp, body = get(t, co, ts.URL+loc)
	if resp.StatusCode != 200 || !strings.Contains(body, "Kota Bandung") || !strings.Contains(body, "Hayu") ||
		!strings.Contains(body, "Koperasi Daring Kota Blitar (sintetis)") || !strings.Contains(body, "Draf kesepakatan bersama dibuat dari saran pencocokan") {
		t.Fatalf("drafting form %d:\n%s", resp.StatusCode, body)
	}

	// The workspace leads to both.
	_, body = get(t, co, ts.URL+"/ruang-kerja")
	if !strings.Contains(body, `href="/wilayah/35.72/mitra"`) {
		t.Error("the coordinator's workspace does not link the suggested partners")
	}
	_, body = get(t, ed, ts.URL+"/ruang-kerja")
	if !strings.Contains(body, `href="/wilayah/35.72/kebutuhan"`) {
		t.Error("the editor's workspace does not link the region's needs")
	}
}

func TestNeedAPI(t *testing.T) {
	ts := newTestServer(t)
	editor := makeUser(t, ts.app, "editor@needs.test", demo.Blitar, kolaborasi.RoleEditor)
	coord := makeUser(t, ts.app, "coord@needs.test", demo.Blitar, kolaborasi.RoleCoordinator)
	etok, ctok := tokenFor(t, ts, editor), tokenFor(t, ts, coord)

	resp, body := ts.api(t, etok, "POST", "/api/v1/regions/35.72/needs", `{"title":"Pelatihan","text":""}`)
	if resp.StatusCode != 400 || !strings.Contains(body, `"text"`) || !strings.Contains(resp.Header.Get("Content-Type"), "problem+json") {
		t.Fatalf("need without text: %d %s", resp.StatusCode, body)
	}
	resp, body = ts.api(t, etok, "POST", "/api/v1/regions/35.72/needs", `{"title":"Pelatihan","text":"Pelatihan pemasaran","budget_min_idr":9,"budget_max_idr":1}`)
	if resp.StatusCode != 400 || !strings.Contains(body, "budget_max_idr") {
		t.Fatalf("budget min above max: %d %s", resp.StatusCode, body)
	}
	resp, body = ts.api(t, etok, "POST", "/api/v1/regions/35.72/needs", `{"title":"Pelatihan","text":"Pelatihan pemasaran","sectors":["umkm"],"priority":"high"}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	var created struct{ Data kolaborasi.Need }
	json.Unmarshal([]byte(body), &created)
	resp, body = ts.api(t, etok, "PUT", resp.Header.Get("Location"), `{"version":1,"status":"withdrawn","title":"Pelatihan","text":"Pelatihan pemasaran"}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"withdrawn"`) {
		t.Fatalf("withdraw: %d %s", resp.StatusCode, body)
	}
	if resp, _ = ts.api(t, etok, "PUT", "/api/v1/needs/"+strconv.FormatInt(created.Data.ID, 10), `{"version":1,"status":"open","title":"x","text":"y"}`); resp.StatusCode != 409 {
		t.Errorf("stale update: %d", resp.StatusCode)
	}

	resp, body = ts.api(t, "", "GET", "/api/v1/regions/11.01/partners", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"reason":"no_needs"`) || !strings.Contains(body, `"pairs":[]`) {
		t.Fatalf("empty region: %d %s", resp.StatusCode, body)
	}
	resp, body = ts.api(t, "", "GET", "/api/v1/regions/35.72/partners", "")
	var partners struct {
		Data struct {
			Pairs []struct {
				Parties []string         `json:"parties"`
				Items   []map[string]any `json:"items"`
			} `json:"pairs"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &partners); err != nil || resp.StatusCode != 200 || len(partners.Data.Pairs) != 1 {
		t.Fatalf("partners: %d %v %s", resp.StatusCode, err, body)
	}
	pair := partners.Data.Pairs[0]
	items := make([]map[string]any, 0, len(pair.Items))
	for _, it := range pair.Items {
		items = append(items, map[string]any{"giver": it["giver"], "solution_id": it["solution_id"], "receiver": it["receiver"], "need_id": it["need_id"]})
	}
	good, _ := json.Marshal(map[string]any{"parties": pair.Parties, "items": items})
	forgedItems := append([]map[string]any{}, items...)
	forgedItems[0] = map[string]any{"giver": items[0]["giver"], "solution_id": 424242, "receiver": items[0]["receiver"], "need_id": items[0]["need_id"]}
	forged, _ := json.Marshal(map[string]any{"parties": pair.Parties, "items": forgedItems})
	if resp, body = ts.api(t, ctok, "POST", "/api/v1/regions/35.72/partners/drafts", string(forged)); resp.StatusCode != 400 {
		t.Errorf("forged suggestion: %d %s", resp.StatusCode, body)
	}
	if resp, _ = ts.api(t, etok, "POST", "/api/v1/regions/35.72/partners/drafts", string(good)); resp.StatusCode != 403 {
		t.Errorf("an editor started a draft: %d", resp.StatusCode)
	}
	resp, body = ts.api(t, ctok, "POST", "/api/v1/regions/35.72/partners/drafts", string(good))
	if resp.StatusCode != 201 || !strings.Contains(body, `"status":"draft"`) || !strings.Contains(body, `"region":"32.73"`) {
		t.Fatalf("draft: %d %s", resp.StatusCode, body)
	}
	// The title joins the parties as an Indonesian sentence does.
	if !strings.Contains(body, "Pertukaran Solusi antara Kota Bandung dan Kota Blitar") {
		t.Errorf("the draft's title does not join its parties with \"dan\": %s", body)
	}

	resp, body = ts.api(t, "", "GET", "/api/v1/needs/"+strconv.FormatInt(created.Data.ID, 10)+"/solutions", "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"reason":"no_needs"`) {
		t.Errorf("a withdrawn need's solutions: %d %s", resp.StatusCode, body)
	}
	resp, body = ts.api(t, "", "GET", "/api/v1/needs", "")
	if resp.StatusCode != 200 || !strings.Contains(body, "Rencana dan penilaian kinerja pegawai") || strings.Contains(body, `"status":"withdrawn"`) {
		t.Errorf("open needs: %d %s", resp.StatusCode, body)
	}
}
