package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// indicatorFixtures are the authorisation matrix's requests for the K5
// routes: each succeeds for an allowed caller.
func indicatorFixtures(t *testing.T, a *app.App, fresh func() string) map[string]func(ac *actor, region string) request {
	obsFile := func(region string) []byte {
		return []byte("region_code,indicator_code,period,value\n" + region + ",bps.pertumbuhan-ekonomi,2024,\"5,33\"\n")
	}
	newIndicator := func() string {
		code := "custom." + fresh()
		ind := &kolaborasi.Indicator{Code: code, Framework: kolaborasi.FrameworkCustom, Name: kolaborasi.Texts{ID: "Uji"}, Unit: "%",
			Direction: kolaborasi.HigherIsBetter, PeriodKind: kolaborasi.Yearly, Source: "Uji"}
		if err := a.SaveIndicator(kolaborasi.WithUser(context.Background(), kolaborasi.System), ind, true); err != nil {
			t.Fatal(err)
		}
		return code
	}
	indicatorJSON := func(code string) string {
		return `{"code":"` + code + `","framework":"custom","name":{"id":"Titik Wi-Fi publik"},"unit":"titik","direction":"higher",` +
			`"period_kind":"year","source":"Diskominfo"}`
	}
	indicatorForm := func(code string) url.Values {
		return url.Values{"code": {code}, "framework": {"custom"}, "name_id": {"Titik Wi-Fi publik"}, "unit": {"titik"},
			"direction": {"higher"}, "period_kind": {"year"}, "source": {"Diskominfo"}}
	}
	return map[string]func(ac *actor, region string) request{
		"GET /kelola/{code}/indikator/impor": func(*actor, string) request { return request{} },
		"POST /kelola/{code}/indikator/impor": func(_ *actor, region string) request {
			return request{multipart: true, file: "file", fileBody: obsFile(region), form: map[string][]string{}}
		},
		"POST /api/v1/observations/import": func(_ *actor, region string) request {
			return request{path: "/api/v1/observations/import?region=" + region, raw: obsFile(region), rawType: "text/csv"}
		},
		"GET /indikator/baru": func(*actor, string) request { return request{} },
		"POST /indikator": func(*actor, string) request {
			return request{form: indicatorForm("custom." + fresh())}
		},
		"GET /indikator/{code}/ubah": func(*actor, string) request {
			return request{path: "/indikator/" + newIndicator() + "/ubah"}
		},
		"POST /indikator/{code}": func(*actor, string) request {
			return request{path: "/indikator/" + newIndicator(), form: indicatorForm("")}
		},
		"POST /api/v1/indicators": func(*actor, string) request {
			return request{json: indicatorJSON("custom." + fresh())}
		},
		"PUT /api/v1/indicators/{code}": func(*actor, string) request {
			code := newIndicator()
			return request{path: "/api/v1/indicators/" + code, json: indicatorJSON(code)}
		},
	}
}
