package web

import (
	"net/http"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// needRequest is the body of a need's creation or update.
type needRequest struct {
	Title     string                  `json:"title"`
	Text      string                  `json:"text"`
	OPDID     int64                   `json:"opd_id"`
	Dimension kolaborasi.Dimension    `json:"dimension"`
	Sectors   []kolaborasi.Sector     `json:"sectors"`
	Priority  kolaborasi.NeedPriority `json:"priority"`
	BudgetMin int64                   `json:"budget_min_idr"`
	BudgetMax int64                   `json:"budget_max_idr"`
	// Status and Version are read on update only.
	Status  kolaborasi.NeedStatus `json:"status"`
	Version int                   `json:"version"`
}

func (q needRequest) apply(n *kolaborasi.Need) {
	n.Title, n.Text, n.OPDID, n.Dimension, n.Sectors, n.Priority = q.Title, q.Text, q.OPDID, q.Dimension, q.Sectors, q.Priority
	n.BudgetMin, n.BudgetMax = q.BudgetMin, q.BudgetMax
}

func (s *Server) apiNeedList(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	needs, err := s.app.OpenNeeds(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, r, needs)
}

func (s *Server) apiRegionNeeds(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	region, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	needs, err := s.app.Needs(r.Context(), region.Code)
	if err != nil {
		return err
	}
	return writeList(w, r, needs)
}

func (s *Server) apiNeedCreate(w http.ResponseWriter, r *http.Request) error {
	var req needRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	n := &kolaborasi.Need{RegionCode: r.PathValue("code")}
	req.apply(n)
	if err := s.app.CreateNeed(r.Context(), n); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/needs/"+strconv.FormatInt(n.ID, 10))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: n})
}

func (s *Server) apiNeedShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	n, err := s.needFromPath(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: n})
}

func (s *Server) apiNeedUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.needFromPath(r)
	if err != nil {
		return err
	}
	var req needRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	n := *old
	req.apply(&n)
	n.Status, n.Version = req.Status, req.Version
	if err := s.app.UpdateNeed(r.Context(), &n); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: &n})
}

// rankedSolutionJSON is one ranked solution with its reasons.
type rankedSolutionJSON struct {
	SolutionID int64   `json:"solution_id"`
	Name       string  `json:"name"`
	Region     string  `json:"region_code"`
	Score      float64 `json:"score"`
	Relevance  float64 `json:"relevance"`
	Maturity   string  `json:"maturity"`
	Adopters   int     `json:"adopters"`
	Evidence   int     `json:"evidence"`
	Components struct {
		Relevance     float64 `json:"relevance"`
		Maturity      float64 `json:"maturity"`
		Adoption      float64 `json:"adoption"`
		Evidence      float64 `json:"evidence"`
		RelevancePart float64 `json:"relevance_part"`
		MaturityPart  float64 `json:"maturity_part"`
		AdoptionPart  float64 `json:"adoption_part"`
		EvidencePart  float64 `json:"evidence_part"`
	} `json:"components"`
	Matched app.CandidateWhy `json:"matched"`
}

func (s *Server) apiNeedSolutions(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := s.app.SolutionsForNeed(r.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		NeedID int64                `json:"need_id"`
		Reason string               `json:"reason,omitempty"`
		Items  []rankedSolutionJSON `json:"items"`
	}{NeedID: id, Reason: string(res.Reason), Items: []rankedSolutionJSON{}}
	for _, it := range res.Items {
		j := rankedSolutionJSON{SolutionID: it.Solution.ID, Name: it.Solution.Name.Get("id"), Region: it.Solution.RegionCode, Score: it.Score,
			Relevance: it.Relevance, Maturity: string(it.Maturity), Adopters: it.Adopters, Evidence: it.Evidence, Matched: it.Why}
		c := it.Components
		j.Components.Relevance, j.Components.Maturity, j.Components.Adoption, j.Components.Evidence = c.Relevance, c.Maturity, c.Adoption, c.Evidence
		j.Components.RelevancePart, j.Components.MaturityPart, j.Components.AdoptionPart, j.Components.EvidencePart = c.RelevancePart, c.MaturityPart, c.AdoptionPart, c.EvidencePart
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: out})
}

// exchangeJSON is one suggested exchange: what POST …/partners/drafts takes
// back as the suggestion.
type exchangeJSON struct {
	Kind     string         `json:"kind"`
	Parties  []string       `json:"parties"`
	NeedsMet int            `json:"needs_met"`
	Priority int            `json:"priority"`
	Items    []exchangeItem `json:"items"`
}

type exchangeItem struct {
	app.SuggestionItem
	SolutionName string           `json:"solution_name"`
	NeedTitle    string           `json:"need_title"`
	Relevance    float64          `json:"relevance"`
	Maturity     string           `json:"maturity"`
	Adopters     int              `json:"adopters"`
	Evidence     int              `json:"evidence"`
	Matched      app.CandidateWhy `json:"matched"`
}

func exchangesJSON(es []app.Exchange) []exchangeJSON {
	out := make([]exchangeJSON, 0, len(es))
	for _, e := range es {
		j := exchangeJSON{Kind: string(e.Kind), Parties: e.Parties, NeedsMet: e.NeedsMet, Priority: e.Priority, Items: []exchangeItem{}}
		for _, it := range e.Items {
			j.Items = append(j.Items, exchangeItem{SuggestionItem: app.SuggestionItem{Giver: it.Giver, Solution: it.Solution.ID, Receiver: it.Receiver, Need: it.Need.ID},
				SolutionName: it.Solution.Name.Get("id"), NeedTitle: it.Need.Title, Relevance: it.Relevance, Maturity: string(it.Maturity),
				Adopters: it.Adopters, Evidence: it.Item.Evidence, Matched: it.Why})
		}
		out = append(out, j)
	}
	return out
}

func (s *Server) apiPartners(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	p, err := s.app.RegionPartners(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	plan, err := s.app.MatchmakingPlan(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: struct {
		Region      string         `json:"region_code"`
		Reason      string         `json:"reason,omitempty"`
		Pairs       []exchangeJSON `json:"pairs"`
		Cycles      []exchangeJSON `json:"cycles"`
		PairsTotal  int            `json:"pairs_total"`
		CyclesTotal int            `json:"cycles_total"`
		// Chosen are the region's exchanges in the chosen set; Plan
		// describes the whole set.
		Chosen []exchangeJSON `json:"chosen"`
		Plan   planJSON       `json:"plan"`
	}{p.Region, string(p.Reason), exchangesJSON(p.Pairs), exchangesJSON(p.Cycles), p.PairsTotal, p.CyclesTotal,
		exchangesJSON(plan.For(p.Region)), planSummary(plan)}})
}

// draftRequest is a suggestion sent back to start a draft agreement.
type draftRequest struct {
	Parties []string             `json:"parties"`
	Items   []app.SuggestionItem `json:"items"`
}

func (s *Server) apiPartnerDraft(w http.ResponseWriter, r *http.Request) error {
	var req draftRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	ag, err := s.app.DraftFromSuggestion(r.Context(), r.PathValue("code"), req.Parties, req.Items)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/agreements/"+strconv.FormatInt(ag.ID, 10))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: ag})
}
