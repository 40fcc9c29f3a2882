package web_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// rankingFixtures are the authorisation matrix's requests for the ranking
// routes: each succeeds for an allowed caller.
func rankingFixtures(t *testing.T, a *app.App, fresh func() string) map[string]func(ac *actor, region string) request {
	newIndex := func() string {
		ci := &kolaborasi.CompositeIndex{Slug: "idx-" + fresh(), Name: kolaborasi.Texts{ID: "Uji"},
			Components:    []kolaborasi.IndexComponent{{Indicator: "bps.pertumbuhan-ekonomi", Weight: 1}},
			Normalisation: "minmax", Missing: "exclude", RegionSet: kolaborasi.RegionSetKota}
		if err := a.SaveCompositeIndex(kolaborasi.WithUser(context.Background(), kolaborasi.System), ci, true); err != nil {
			t.Fatal(err)
		}
		return ci.Slug
	}
	form := func(slug string) url.Values {
		return url.Values{"slug": {slug}, "version": {"1"}, "name_id": {"Indeks uji"}, "indicator": {"bps.pertumbuhan-ekonomi", "spbe.indeks", ""},
			"weight": {"2", "1", ""}, "normalisation": {"minmax"}, "missing": {"reweight"}, "min_coverage": {"50"}, "region_set": {"province"}, "province": {"35"}}
	}
	body := func(slug string) string {
		return fmt.Sprintf(`{"slug":%q,"version":1,"name":{"id":"Indeks uji"},"components":[{"indicator":"bps.pertumbuhan-ekonomi","weight":1}],`+
			`"normalisation":"zscore","missing":"exclude","region_set":"kabupaten"}`, slug)
	}
	return map[string]func(ac *actor, region string) request{
		"GET /peringkat/baru": func(*actor, string) request { return request{} },
		"POST /peringkat": func(*actor, string) request {
			return request{form: form("idx-" + fresh())}
		},
		"GET /peringkat/{slug}/ubah": func(*actor, string) request {
			return request{path: "/peringkat/" + newIndex() + "/ubah"}
		},
		"POST /peringkat/{slug}": func(*actor, string) request {
			return request{path: "/peringkat/" + newIndex(), form: form("")}
		},
		"POST /peringkat/{slug}/hapus": func(*actor, string) request {
			return request{path: "/peringkat/" + newIndex() + "/hapus"}
		},
		"POST /api/v1/composite-indices": func(*actor, string) request {
			return request{json: body("idx-" + fresh())}
		},
		"PUT /api/v1/composite-indices/{slug}": func(*actor, string) request {
			slug := newIndex()
			return request{path: "/api/v1/composite-indices/" + slug, json: body(slug)}
		},
		"DELETE /api/v1/composite-indices/{slug}": func(*actor, string) request {
			return request{path: "/api/v1/composite-indices/" + newIndex()}
		},
	}
}
