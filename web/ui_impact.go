package web

import (
	"net/http"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// impactView is the "Dampak" section of an adoption page: the indicator
// chooser, the estimate or why there is none, and the caveats in words.
type impactView struct {
	Choices []*kolaborasi.Indicator
	I       *app.Impact
	// Shortfalls and Caveats are sentences in the page's language.
	Shortfalls []string
	Caveats    []string
	// LevelPercent is the interval's confidence level in percent.
	LevelPercent int
}

// adoptionImpact estimates the adoption's impact on the indicator the
// visitor chose (?indikator=), or else on the first of the choices that
// gives an estimate (the solution's own dimensions come first).
func (s *Server) adoptionImpact(r *http.Request, tr translator, ad *kolaborasi.Adoption) (*impactView, error) {
	ctx := r.Context()
	choices, err := s.app.ImpactIndicators(ctx, ad)
	if err != nil || len(choices) == 0 {
		return &impactView{}, err
	}
	v := &impactView{Choices: choices}
	try := []string{}
	if chosen := r.URL.Query().Get("indikator"); chosen != "" {
		try = append(try, chosen)
	} else {
		for _, ind := range choices {
			try = append(try, ind.Code)
		}
	}
	for _, code := range try {
		imp, err := s.app.AdoptionImpact(ctx, ad.ID, code)
		if err != nil {
			return nil, err
		}
		if v.I == nil || imp.Result.OK() {
			v.I = imp
		}
		if imp.NotLive || imp.Result.OK() {
			break
		}
	}
	res := v.I.Result
	v.LevelPercent = int(res.Level*100 + 0.5)
	for _, sf := range res.Shortfalls {
		v.Shortfalls = append(v.Shortfalls, tr.T("impact.shortfall."+string(sf.Reason), "Have", sf.Have, "Need", sf.Need))
	}
	p := pageBase{tr: tr, Lang: tr.lang}
	for _, c := range res.Caveats {
		v.Caveats = append(v.Caveats, tr.T("impact.caveat."+string(c.Code), "N", int(c.Value), "Value", p.Dec(c.Value), "Unit", v.I.Indicator.Unit,
			"Level", v.LevelPercent))
	}
	return v, nil
}

// apiImpact is an adoption's impact on an indicator in the API.
type apiImpact struct {
	Adoption   int64             `json:"adoption"`
	Indicator  string            `json:"indicator"`
	Unit       string            `json:"unit"`
	LiveFrom   string            `json:"live_from"`
	Live       bool              `json:"live"`
	Estimated  bool              `json:"estimated"`
	Effect     *float64          `json:"effect"`
	Low        *float64          `json:"low"`
	High       *float64          `json:"high"`
	Level      float64           `json:"level"`
	Resamples  int               `json:"resamples"`
	Before     []string          `json:"before"`
	After      []string          `json:"after"`
	Adopter    apiImpactGroup    `json:"adopter"`
	Comparison apiImpactGroup    `json:"comparison"`
	Regions    []string          `json:"comparison_regions"`
	Excluded   map[string]int    `json:"excluded"`
	Series     []apiImpactPoint  `json:"series"`
	Shortfalls []apiImpactShort  `json:"shortfalls"`
	Caveats    []apiImpactCaveat `json:"caveats"`
}

type apiImpactGroup struct {
	N      int     `json:"n"`
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Change float64 `json:"change"`
}

type apiImpactPoint struct {
	Period      string   `json:"period"`
	After       bool     `json:"after"`
	Adopter     *float64 `json:"adopter"`
	Comparison  *float64 `json:"comparison"`
	ComparisonN int      `json:"comparison_n"`
}

type apiImpactShort struct {
	Reason string `json:"reason"`
	Have   int    `json:"have"`
	Need   int    `json:"need"`
}

type apiImpactCaveat struct {
	Code  string  `json:"code"`
	Value float64 `json:"value"`
}

func (s *Server) apiAdoptionImpact(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "indicator"); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Adoption %s does not exist.", r.PathValue("id"))
	}
	if q.Get("indicator") == "" {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Name the indicator of the estimate.", Fields: map[string]string{"indicator": "Choose an indicator."}}
	}
	imp, err := s.app.AdoptionImpact(r.Context(), id, q.Get("indicator"))
	if err != nil {
		return err
	}
	res := imp.Result
	out := apiImpact{Adoption: id, Indicator: imp.Indicator.Code, Unit: imp.Indicator.Unit, LiveFrom: imp.LiveFrom, Live: !imp.NotLive,
		Estimated: !imp.NotLive && res.OK(), Level: res.Level, Resamples: res.Resamples, Before: nonNil(res.Before), After: nonNil(res.After),
		Adopter:    apiImpactGroup{N: res.Adopter.N, Before: res.Adopter.Before, After: res.Adopter.After, Change: res.Adopter.Change},
		Comparison: apiImpactGroup{N: res.Comparison.N, Before: res.Comparison.Before, After: res.Comparison.After, Change: res.Comparison.Change},
		Regions:    nonNil(res.ComparisonRegions), Series: []apiImpactPoint{}, Shortfalls: []apiImpactShort{}, Caveats: []apiImpactCaveat{},
		Excluded: map[string]int{"adopted": res.Excluded.Adopted, "other_type": res.Excluded.OtherType, "population": res.Excluded.Population, "data": res.Excluded.Data}}
	if out.Estimated {
		out.Effect, out.Low, out.High = &res.Effect, &res.Low, &res.High
	}
	for _, pt := range res.Series {
		ap := apiImpactPoint{Period: pt.Period, After: pt.After, ComparisonN: pt.ComparisonN}
		if pt.HasAdopter {
			ap.Adopter = &pt.Adopter
		}
		if pt.ComparisonN > 0 {
			ap.Comparison = &pt.Comparison
		}
		out.Series = append(out.Series, ap)
	}
	for _, sf := range res.Shortfalls {
		out.Shortfalls = append(out.Shortfalls, apiImpactShort{Reason: string(sf.Reason), Have: sf.Have, Need: sf.Need})
	}
	for _, c := range res.Caveats {
		out.Caveats = append(out.Caveats, apiImpactCaveat{Code: string(c.Code), Value: c.Value})
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: out})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
