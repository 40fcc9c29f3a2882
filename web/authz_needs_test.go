package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// needFixtures are the authorisation matrix's requests for the K6 routes:
// needs are made by the System actor in the target region, and a draft
// from a suggestion takes the current suggestion between the demo's
// Blitar (own) and Bandung (other), who need each other's solutions.
func needFixtures(t *testing.T, ts *testServer, fresh func() string) map[string]func(*actor, string) request {
	a := ts.app
	newNeed := func(region string) *kolaborasi.Need {
		n := &kolaborasi.Need{RegionCode: region, Title: "Kebutuhan " + fresh(), Text: "Uraian kebutuhan matriks", Priority: kolaborasi.PriorityLow}
		if err := a.CreateNeed(system, n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	suggestion := func(region string) ([]string, []app.SuggestionItem) {
		p, err := a.RegionPartners(context.Background(), region)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range p.Pairs {
			if slices.Equal(e.Parties, []string{otherRegion, ownRegion}) {
				var items []app.SuggestionItem
				for _, it := range e.Items {
					items = append(items, app.SuggestionItem{Giver: it.Giver, Solution: it.Solution.ID, Receiver: it.Receiver, Need: it.Need.ID})
				}
				return e.Parties, items
			}
		}
		t.Fatalf("no suggested pair of %s and %s: %+v", ownRegion, otherRegion, p)
		return nil, nil
	}
	needForm := func() url.Values {
		return url.Values{"title": {"Kebutuhan " + fresh()}, "text": {"Uraian"}, "priority": {"high"}, "sectors": {"umkm"}}
	}
	return map[string]func(*actor, string) request{
		"POST /wilayah/{code}/kebutuhan": func(*actor, string) request { return request{form: needForm()} },
		"GET /kebutuhan/{id}/ubah": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kebutuhan/%d/ubah", newNeed(region).ID)}
		},
		"POST /kebutuhan/{id}": func(_ *actor, region string) request {
			f := needForm()
			f.Set("version", "1")
			f.Set("status", "met")
			return request{path: fmt.Sprintf("/kebutuhan/%d", newNeed(region).ID), form: f}
		},
		"POST /kebutuhan/{id}/tarik": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kebutuhan/%d/tarik", newNeed(region).ID), form: url.Values{"version": {"1"}}}
		},
		"POST /wilayah/{code}/mitra/draf": func(_ *actor, region string) request {
			parties, items := suggestion(region)
			f := url.Values{"party": parties}
			for _, it := range items {
				f.Add("item", fmt.Sprintf("%s|%d|%s|%d", it.Giver, it.Solution, it.Receiver, it.Need))
			}
			return request{form: f}
		},
		"POST /api/v1/regions/{code}/needs": func(*actor, string) request {
			return request{json: `{"title":"Kebutuhan ` + fresh() + `","text":"Uraian","priority":"low","budget_min_idr":1,"budget_max_idr":2}`}
		},
		"PUT /api/v1/needs/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/needs/%d", newNeed(region).ID), json: `{"version":1,"status":"withdrawn","title":"T","text":"Uraian"}`}
		},
		"POST /api/v1/regions/{code}/partners/drafts": func(_ *actor, region string) request {
			parties, items := suggestion(region)
			b, err := json.Marshal(map[string]any{"parties": parties, "items": items})
			if err != nil {
				t.Fatal(err)
			}
			return request{json: string(b)}
		},
	}
}
