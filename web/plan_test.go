package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestPlanPages shows the chosen exchange set (K6.5): the "Usulan terpilih"
// section of a region's partners page in both languages, the national
// page linked from the network page, a draft started from a chosen
// exchange, and the API.
func TestPlanPages(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)

	resp, body := get(t, anon, ts.URL+"/wilayah/35.72/mitra")
	chosen := section(t, body, "usulan-terpilih")
	if resp.StatusCode != 200 || !strings.Contains(chosen, "Usulan terpilih (1)") || !strings.Contains(chosen, "Kota Bandung → Kota Blitar → Kota Bandung") ||
		!strings.Contains(chosen, "tidak ada solusi yang diberikan dua kali") || !strings.Contains(chosen, "Himpunan ini terbukti optimal: secara nasional") ||
		!strings.Contains(chosen, `href="/mitra"`) || !strings.Contains(chosen, "Koperasi Daring Kota Blitar (sintetis)") {
		t.Fatalf("chosen section %d:\n%s", resp.StatusCode, chosen)
	}
	// One item per edge: Blitar receives one of Bandung's two solutions.
	if strings.Contains(chosen, "Hayu") == strings.Contains(chosen, "e-RK") {
		t.Errorf("the chosen pair should carry exactly one of Bandung's solutions:\n%s", chosen)
	}
	_, body = get(t, anon, ts.URL+"/wilayah/51.71/mitra")
	if c := section(t, body, "usulan-terpilih"); !strings.Contains(c, "Kota Surakarta → Kota Denpasar → Kota Balikpapan → Kota Surakarta") {
		t.Errorf("Denpasar's chosen cycle:\n%s", c)
	}
	_, body = get(t, anon, ts.URL+"/wilayah/11.01/mitra")
	if strings.Contains(body, `id="usulan-terpilih"`) {
		t.Error("a region without needs shows a chosen section beside its explanation")
	}

	en := ts.client(t)
	en.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lang", Value: "en"}})
	_, body = get(t, en, ts.URL+"/wilayah/35.72/mitra")
	if c := section(t, body, "usulan-terpilih"); !strings.Contains(c, "Chosen suggestions (1)") || !strings.Contains(c, "no solution is given twice") ||
		!strings.Contains(c, "This set is proven optimal: nationally it meets") || strings.Contains(c, "Usulan terpilih") {
		t.Errorf("English chosen section:\n%s", c)
	}

	// The national page, reached from the network page.
	_, body = get(t, anon, ts.URL+"/jaringan")
	if !strings.Contains(body, `href="/mitra"`) {
		t.Error("the network page does not link the chosen set")
	}
	resp, body = get(t, anon, ts.URL+"/mitra")
	if resp.StatusCode != 200 || !strings.Contains(body, "Terbukti optimal.") || !strings.Contains(body, `href="/wilayah/35.72/mitra#usulan-terpilih"`) ||
		!strings.Contains(body, `href="/wilayah/51.71/mitra#usulan-terpilih"`) || !regexp.MustCompile(`\d+ kebutuhan terpenuhi oleh \d+ pertukaran`).MatchString(body) {
		t.Fatalf("national plan page %d:\n%s", resp.StatusCode, body)
	}
	_, body = get(t, en, ts.URL+"/mitra")
	if !strings.Contains(body, "Chosen exchange suggestions") || !strings.Contains(body, "Proven optimal.") || strings.Contains(body, "Terbukti optimal") {
		t.Errorf("English national page:\n%s", body)
	}

	// The API: the whole set, and the region's part beside its partners.
	resp, body = ts.api(t, "", "GET", "/api/v1/matchmaking/plan", "")
	var plan struct {
		Data struct {
			NeedsMet   int  `json:"needs_met"`
			Exact      bool `json:"exact"`
			UpperBound int  `json:"upper_bound"`
			Exchanges  []struct {
				Parties  []string `json:"parties"`
				NeedsMet int      `json:"needs_met"`
				Items    []struct {
					Solution int64 `json:"solution_id"`
					Need     int64 `json:"need_id"`
				} `json:"items"`
			} `json:"exchanges"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &plan); err != nil || resp.StatusCode != 200 || !plan.Data.Exact || plan.Data.UpperBound != plan.Data.NeedsMet {
		t.Fatalf("plan API: %d %v %s", resp.StatusCode, err, body)
	}
	sols, total := map[int64]bool{}, 0
	var parties [][]string
	for _, e := range plan.Data.Exchanges {
		parties = append(parties, e.Parties)
		for _, it := range e.Items {
			if sols[it.Solution] {
				t.Errorf("solution %d used twice in the plan", it.Solution)
			}
			sols[it.Solution] = true
			total++
		}
	}
	if total != plan.Data.NeedsMet || !slices.ContainsFunc(parties, func(p []string) bool { return slices.Equal(p, []string{"32.73", "35.72"}) }) ||
		!slices.ContainsFunc(parties, func(p []string) bool { return slices.Equal(p, []string{"33.72", "51.71", "64.71"}) }) {
		t.Errorf("plan API: %d items for %d needs met, parties %v", total, plan.Data.NeedsMet, parties)
	}
	if resp, _ = ts.api(t, "", "GET", "/api/v1/matchmaking/plan?region=35.72", ""); resp.StatusCode != 400 {
		t.Errorf("unknown query parameter: %d", resp.StatusCode)
	}
	resp, body = ts.api(t, "", "GET", "/api/v1/regions/35.72/partners", "")
	var partners struct {
		Data struct {
			Chosen []struct {
				Parties []string `json:"parties"`
			} `json:"chosen"`
			Plan map[string]any `json:"plan"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &partners); err != nil || resp.StatusCode != 200 || len(partners.Data.Chosen) != 1 ||
		partners.Data.Plan["exact"] != true || partners.Data.Plan["exchanges"] != nil {
		t.Errorf("partners API with the chosen part: %d %v %s", resp.StatusCode, err, body)
	}

	// A coordinator starts a draft from the chosen exchange.
	co := ts.client(t)
	csrf := signInAs(t, ts, co, "kerjasama@blitarkota.test")
	_, body = get(t, co, ts.URL+"/wilayah/35.72/mitra")
	form := url.Values{"csrf": {csrf}}
	for _, h := range hiddenInput.FindAllStringSubmatch(section(t, body, "usulan-terpilih"), -1) {
		form.Add(h[1], h[2])
	}
	if len(form["party"]) != 2 || len(form["item"]) != 2 {
		t.Fatalf("the chosen exchange's draft form: %v", form)
	}
	resp, _ = postForm(t, co, ts.URL+"/wilayah/35.72/mitra/draf", form)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !agreementEditPath.MatchString(loc) {
		t.Fatalf("draft from the chosen exchange: %d %q", resp.StatusCode, loc)
	}
}
