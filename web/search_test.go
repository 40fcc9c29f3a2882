package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/kolaborasi/kolaborasi"
)

type apiList struct {
	Data []struct {
		ID   int64
		Name kolaborasi.Texts
	}
	Total int
}

// The issue's queries, on the catalog page and the API: words find the
// demo's solutions; a query without a word is the whole catalog with a
// note on the page, never an error.
func TestSearchQueriesOfTheIssue(t *testing.T) {
	ts := newTestServer(t)
	_, all := ts.api(t, "", "GET", "/api/v1/solutions", "")
	everything := decode[apiList](t, all).Total
	if everything < 5 {
		t.Fatalf("demo catalog has %d solutions", everything)
	}
	// A visitor reading Indonesian, and one who switched to English.
	clients := map[string]*http.Client{"id": ts.client(t), "en": ts.client(t)}
	resp, err := clients["en"].PostForm(ts.URL+"/bahasa", url.Values{"lang": {"en"}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range []struct {
		q, lang string
		want    string // a solution the query must find; "" for no words
	}{
		{"UMKM", "id", "Ekonomi Kerakyatan Kota Blitar"},
		{"umkm", "en", "Ekonomi Kerakyatan Kota Blitar"},
		{"e-government", "id", "e-Budgeting"},
		{"e-government", "en", "e-Budgeting"},
		{"pengaduan", "id", "Bandung Command Center"},
		{"Blitar", "id", "Ekonomi Kerakyatan Kota Blitar"},
		{`"`, "id", ""},
		{"-", "id", ""},
		{"*", "id", ""},
		{"OR", "id", ""},
		{"(", "en", ""},
	} {
		resp, body := ts.api(t, "", "GET", "/api/v1/solutions?lang="+c.lang+"&page[size]=100&q="+url.QueryEscape(c.q), "")
		list := decode[apiList](t, body)
		names := make([]string, len(list.Data))
		wantID := int64(0)
		for i, d := range list.Data {
			names[i] = d.Name.ID
			if d.Name.ID == c.want {
				wantID = d.ID
			}
		}
		switch {
		case resp.StatusCode != 200:
			t.Errorf("API %q: %d %.300s", c.q, resp.StatusCode, body)
		case c.want == "" && list.Total != everything:
			t.Errorf("API %q: %d solutions, want the whole catalog (%d)", c.q, list.Total, everything)
		case c.want != "" && (list.Total == everything || !strings.Contains(strings.Join(names, "|"), c.want)):
			t.Errorf("API %q (%s): found %q, want %s among fewer than all", c.q, c.lang, names, c.want)
		}

		page := "/katalog?q=" + url.QueryEscape(c.q)
		resp, body = get(t, clients[c.lang], ts.URL+page)
		note := map[string]string{"id": "Pencarian Anda tidak berisi kata", "en": "Your search has no words"}[c.lang]
		count := map[string]string{"id": fmt.Sprintf("%d solusi ditemukan", list.Total), "en": fmt.Sprintf("%d solution", list.Total)}[c.lang]
		switch {
		case resp.StatusCode != 200:
			t.Errorf("page %s: %d", page, resp.StatusCode)
		case !strings.Contains(body, count):
			t.Errorf("page %s: no %q", page, count)
		case (c.want == "") != strings.Contains(body, note):
			t.Errorf("page %s: note %q shown %v, want %v", page, note, !(c.want == ""), c.want == "")
		case c.want != "" && !strings.Contains(body, fmt.Sprintf(`href="/solusi/%d"`, wantID)):
			t.Errorf("page %s does not list %s", page, c.want)
		}
	}
}

// Every kind, dimension and sector label of the locales is the label of
// the domain's table, and searching it (as a phrase, in its language)
// finds every solution with that value.
func TestCatalogLabelsAreSearchable(t *testing.T) {
	ts := newTestServer(t)
	sys := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	// One solution per kind; together they have every dimension and sector.
	dims, secs := kolaborasi.Dimensions, kolaborasi.Sectors
	for i, k := range kolaborasi.SolutionKinds {
		s := &kolaborasi.Solution{Kind: k, RegionCode: "35.72", Name: kolaborasi.Texts{ID: fmt.Sprintf("Contoh %d", i)}, Short: kolaborasi.Texts{ID: "Contoh."},
			Dimensions: dims[i*len(dims)/3 : (i+1)*len(dims)/3], Sectors: secs[i*len(secs)/3 : (i+1)*len(secs)/3],
			Maturity: kolaborasi.MaturityIdea, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
		if k == kolaborasi.KindSoftware {
			s.Licence = "MIT"
		}
		if err := ts.app.CreateSolution(sys, s); err != nil {
			t.Fatal(err)
		}
	}
	checked := 0
	for _, lang := range []string{"id", "en"} {
		b, err := os.ReadFile("locales/" + lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any // plural messages are tables; labels are strings
		if err := toml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for key, v := range m {
			label, _ := v.(string)
			facet, value, _ := strings.Cut(key, ".")
			if facet != kolaborasi.FacetKind && facet != kolaborasi.FacetDimension && facet != kolaborasi.FacetSector {
				continue
			}
			want := kolaborasi.Labels[key].ID
			if lang == "en" {
				want = kolaborasi.Labels[key].EN
			}
			if label != want {
				t.Errorf("%s.toml %s = %q, but the search indexes %q (kolaborasi.Labels)", lang, key, label, want)
			}
			base := "/api/v1/solutions?page[size]=1&lang=" + lang + "&" + facet + "=" + url.QueryEscape(value)
			_, body := ts.api(t, "", "GET", base, "")
			with := decode[apiList](t, body).Total
			_, body = ts.api(t, "", "GET", base+"&q="+url.QueryEscape(`"`+label+`"`), "")
			if found := decode[apiList](t, body).Total; with == 0 || found != with {
				t.Errorf("%s %q finds %d of the %d solutions with %s", lang, label, found, with, key)
			}
			checked++
		}
	}
	if want := 2 * (len(kolaborasi.SolutionKinds) + len(dims) + len(secs)); checked != want {
		t.Errorf("checked %d labels, want %d", checked, want)
	}
}
