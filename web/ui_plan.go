package web

import (
	"net/http"

	"github.com/kolaborasi/kolaborasi/app"
)

// The chosen exchange set (K6.5): a section of each region's partners page,
// the national page /mitra and GET /api/v1/matchmaking/plan.

// planMethod is the sentence saying how the chosen set was chosen, and
// whether it is proven optimal or how far from optimal it may be: on the
// national page (prefix "plan.method_"), or under a region's part of it
// ("plan.region_", which says its figures are national).
func planMethod(p pageBase, plan *app.MatchPlan, prefix string) string {
	if plan == nil {
		return ""
	}
	if plan.Exact {
		return p.T(prefix+"exact", "Count", p.Num(int64(plan.NeedsMet)))
	}
	return p.T(prefix+"bound", "Count", p.Num(int64(plan.NeedsMet)), "Bound", p.Num(int64(plan.UpperBound)))
}

// planPage is the whole chosen set.
type planPage struct {
	pageBase
	Plan  *app.MatchPlan
	Names map[string]string
}

// Int writes a count in the page's number format.
func (p planPage) Int(n int) string { return p.Num(int64(n)) }

// Method says how the set was chosen.
func (p planPage) Method() string { return planMethod(p.pageBase, p.Plan, "plan.method_") }

func (s *Server) uiPlan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := planPage{pageBase: s.base(r, "jaringan")}
	var err error
	if p.Plan, err = s.app.MatchmakingPlan(ctx); err != nil {
		return err
	}
	if p.Names, err = s.app.RegionNames(ctx); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "plan", p)
}

// planJSON is the chosen set in the API.
type planJSON struct {
	Reason     string         `json:"reason,omitempty"`
	NeedsMet   int            `json:"needs_met"`
	Exact      bool           `json:"exact"`
	UpperBound int            `json:"upper_bound"`
	Candidates int            `json:"candidates"`
	Truncated  bool           `json:"truncated"`
	Exchanges  []exchangeJSON `json:"exchanges,omitzero"`
}

// planSummary is the set without its exchanges, beside a region's part.
func planSummary(p *app.MatchPlan) planJSON {
	return planJSON{Reason: string(p.Reason), NeedsMet: p.NeedsMet, Exact: p.Exact, UpperBound: p.UpperBound,
		Candidates: p.Candidates, Truncated: p.Truncated}
}

func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	p, err := s.app.MatchmakingPlan(r.Context())
	if err != nil {
		return err
	}
	j := planSummary(p)
	j.Exchanges = exchangesJSON(p.Exchanges)
	return writeJSON(w, http.StatusOK, itemResponse{Data: j})
}
