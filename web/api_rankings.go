package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/rank"
)

func (s *Server) apiRankingList(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	cis, err := s.app.CompositeIndices(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, r, cis)
}

func (s *Server) apiRankingShow(w http.ResponseWriter, r *http.Request) error {
	ci, err := s.app.CompositeIndex(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ci})
}

func (s *Server) apiRankingCreate(w http.ResponseWriter, r *http.Request) error {
	var ci kolaborasi.CompositeIndex
	if err := decodeJSON(r, &ci); err != nil {
		return err
	}
	if err := s.app.SaveCompositeIndex(r.Context(), &ci, true); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/composite-indices/"+url.PathEscape(ci.Slug))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: &ci})
}

func (s *Server) apiRankingPut(w http.ResponseWriter, r *http.Request) error {
	var ci kolaborasi.CompositeIndex
	if err := decodeJSON(r, &ci); err != nil {
		return err
	}
	if ci.Slug == "" {
		ci.Slug = r.PathValue("slug")
	}
	if ci.Slug != r.PathValue("slug") {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The slug in the body differs from the address.",
			Fields: map[string]string{"slug": "must be the slug in the address"}}
	}
	if err := s.app.SaveCompositeIndex(r.Context(), &ci, false); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: &ci})
}

func (s *Server) apiRankingDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.DeleteCompositeIndex(r.Context(), r.PathValue("slug")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiRankingResult is one region's place in the API's ranking.
type apiRankingResult struct {
	Region     string           `json:"region"`
	Name       string           `json:"name"`
	Rank       int              `json:"rank"`
	Score      float64          `json:"score"`
	Coverage   float64          `json:"coverage"`
	Components []apiRankingTerm `json:"components"`
}

type apiRankingTerm struct {
	Indicator    string   `json:"indicator"`
	Value        *float64 `json:"value"`
	Imputed      bool     `json:"imputed"`
	Normalised   float64  `json:"normalised"`
	Weight       float64  `json:"weight"`
	Contribution float64  `json:"contribution"`
}

type apiExcluded struct {
	Region   string  `json:"region"`
	Coverage float64 `json:"coverage"`
}

type apiRanking struct {
	Index    string             `json:"index"`
	Period   string             `json:"period"`
	Periods  []string           `json:"periods"`
	Scale    rank.Scale         `json:"scale"`
	Regions  int                `json:"regions"`
	Results  []apiRankingResult `json:"results"`
	Excluded []apiExcluded      `json:"excluded"`
	Dropped  []string           `json:"dropped"`
}

func (s *Server) apiRanking(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "period"); err != nil {
		return err
	}
	res, err := s.app.Ranking(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(r.Context())
	if err != nil {
		return err
	}
	out := apiRanking{Index: res.Index.Slug, Periods: []string{}, Scale: res.Formula.Scale, Regions: len(res.Regions),
		Results: []apiRankingResult{}, Excluded: []apiExcluded{}, Dropped: []string{}}
	for _, p := range res.Periods {
		out.Periods = append(out.Periods, p.Period)
	}
	p := res.Period(q.Get("period"))
	if want := q.Get("period"); want != "" && (p == nil || p.Period != want) {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Composite index %s has no ranking for period %s.", res.Index.Slug, want)
	}
	if p != nil {
		out.Period = p.Period
		out.Dropped = append(out.Dropped, p.Dropped...)
		for _, x := range p.Results {
			ar := apiRankingResult{Region: x.Region, Name: names[x.Region], Rank: x.Rank, Score: x.Score, Coverage: x.Coverage, Components: []apiRankingTerm{}}
			for _, c := range x.Components {
				t := apiRankingTerm{Indicator: c.Indicator, Imputed: c.Imputed, Normalised: c.Normalised, Weight: c.Weight, Contribution: c.Contribution}
				if !c.Missing || c.Imputed {
					v := c.Value
					t.Value = &v
				}
				ar.Components = append(ar.Components, t)
			}
			out.Results = append(out.Results, ar)
		}
		for _, e := range p.Excluded {
			out.Excluded = append(out.Excluded, apiExcluded{Region: e.Region, Coverage: e.Coverage})
		}
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: out})
}

type apiHistoryPoint struct {
	Period   string  `json:"period"`
	Ranked   bool    `json:"ranked"`
	Rank     int     `json:"rank,omitempty"`
	Of       int     `json:"of"`
	Score    float64 `json:"score"`
	Coverage float64 `json:"coverage"`
}

func (s *Server) apiRankingHistory(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	res, err := s.app.Ranking(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	region, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if !slices.Contains(res.Regions, region.Code) {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Composite index %s does not rank region %s.", res.Index.Slug, region.Code)
	}
	points := []apiHistoryPoint{}
	for _, h := range res.History(region.Code) {
		points = append(points, apiHistoryPoint{Period: h.Period, Ranked: h.Ranked, Rank: h.Rank, Of: h.Of, Score: h.Score, Coverage: h.Coverage})
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: map[string]any{"index": res.Index.Slug, "region": region.Code, "name": region.Name, "history": points}})
}
