package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// With more savings than a report lists, the money-saved page and the API
// show the largest app.MaxSavingsItems, largest first, and say of how
// many.
func TestSavingsListTheLargest(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		ctx := context.Background()
		s := ts.db.Store()
		at := time.Date(2026, 3, 8, 10, 30, 0, 0, time.UTC)
		const extra = app.MaxSavingsItems + 30
		sols := make([]*kolaborasi.Solution, extra)
		for i := range sols {
			sols[i] = &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: "11.71", Name: kolaborasi.Texts{ID: fmt.Sprintf("Solusi hemat %d", i)},
				Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
				Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah},
				CostBuild: kolaborasi.Money{IDR: 9_000_000_000 + int64(i)*1_000_000, Source: "APBD"}, CreatedAt: at, UpdatedAt: at}
			storetest.AnalyzeSolution(sols[i])
		}
		if err := s.CreateSolutions(ctx, sols); err != nil {
			t.Fatal(err)
		}
		var largest int64
		for _, sol := range sols {
			a := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: "35.72", SourceRegion: sol.RegionCode, Stage: kolaborasi.StageLive,
				State: kolaborasi.AdoptionAccepted, Spent: &kolaborasi.Money{IDR: 0, Source: "Hibah"}, History: []kolaborasi.AdoptionChange{},
				CreatedAt: at, UpdatedAt: at}
			if err := s.CreateAdoption(ctx, a); err != nil {
				t.Fatal(err)
			}
			largest = a.ID // the last solution's cost to build is the largest
		}
		rep, err := ts.app.Savings(ctx, "nation", "")
		if err != nil {
			t.Fatal(err)
		}
		total := rep.Total.WithFigures
		if total < extra {
			t.Fatalf("%d adoptions with figures, want at least %d", total, extra)
		}

		anon := ts.client(t)
		resp, body := get(t, anon, ts.URL+"/penghematan")
		if resp.StatusCode != 200 {
			t.Fatalf("savings page: %d", resp.StatusCode)
		}
		wantIn(t, "the savings page", body, fmt.Sprintf("Penghematan terbesar: %d dari %d adopsi berangka lengkap", app.MaxSavingsItems, total))
		items := body[strings.Index(body, `id="items-h"`):]
		items = items[:strings.Index(items, "</section>")]
		if n := strings.Count(items, "<tr><td>"); n != app.MaxSavingsItems {
			t.Errorf("the page lists %d savings, want %d", n, app.MaxSavingsItems)
		}
		rows := items[strings.Index(items, "<tbody>"):]
		if first, row := fmt.Sprintf(`href="/adopsi/%d"`, largest), rows[:strings.Index(rows, "</tr>")]; !strings.Contains(row, first) {
			t.Errorf("the first row is not the largest saving (%s): %s", first, row)
		}
		en, err := http.NewRequest("GET", ts.URL+"/penghematan", nil)
		if err != nil {
			t.Fatal(err)
		}
		en.AddCookie(&http.Cookie{Name: "lang", Value: "en"})
		_, body = send(t, anon, en)
		wantIn(t, "the savings page in English", body, fmt.Sprintf("The largest savings: %d of %d adoptions with figures", app.MaxSavingsItems, total))

		_, body = ts.api(t, "", "GET", "/api/v1/savings", "")
		type answer struct {
			Data struct {
				Items []struct {
					Adoption kolaborasi.Adoption `json:"adoption"`
				} `json:"adoptions"`
				ItemsOf    int `json:"adoptions_with_saving"`
				ItemsLimit int `json:"adoptions_limit"`
			} `json:"data"`
		}
		got := decode[answer](t, body).Data
		if len(got.Items) != app.MaxSavingsItems || got.ItemsOf != total || got.ItemsLimit != app.MaxSavingsItems || got.Items[0].Adoption.ID != largest {
			t.Errorf("the API lists %d of %d (limit %d), first %d; want %d of %d, first %d",
				len(got.Items), got.ItemsOf, got.ItemsLimit, got.Items[0].Adoption.ID, app.MaxSavingsItems, total, largest)
		}
		// Below the limit the heading lists them all, without "the largest".
		_, body = get(t, anon, ts.URL+"/penghematan?provinsi=32")
		if strings.Contains(body, "Penghematan terbesar") {
			t.Error("a province with few savings says it lists the largest")
		}
	})
}

// A scope's code must name a region of that scope's kind: the page and the
// API say which kind it is, rather than answer with zeros; the page's JSON
// link is the report it shows.
func TestSavingsScopeCodes(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v1/savings?scope=province&code=35.72", http.StatusBadRequest, "35.72 is a kabupaten/kota, not a province"},
		{"/api/v1/savings?scope=region&code=35", http.StatusBadRequest, "35 is a province, not a kabupaten/kota"},
		{"/api/v1/savings?scope=province&code=99", http.StatusNotFound, ""},
		{"/api/v1/savings?scope=region&code=99.99", http.StatusNotFound, ""},
		{"/api/v1/savings?scope=nation&code=35", http.StatusBadRequest, "The national report takes no region code"},
		{"/api/v1/savings?scope=province&code=35", http.StatusOK, `"scope":"province","code":"35"`},
		{"/penghematan?provinsi=35.72", http.StatusBadRequest, "35.72 adalah kabupaten/kota, bukan provinsi"},
		{"/penghematan?provinsi=35", http.StatusOK, `href="/api/v1/savings?scope=province&amp;code=35"`},
		{"/penghematan", http.StatusOK, `href="/api/v1/savings"`},
	} {
		resp, body := get(t, anon, ts.URL+tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q in\n%.600s", tc.path, resp.StatusCode, tc.status, tc.want, body)
		}
	}
}
