package app

import (
	"context"
	"slices"

	"github.com/kolaborasi/kolaborasi/match"
)

// MatchPlan is the chosen set of exchanges (K6.5): pairs and 3- and
// 4-cycles with one item per edge, in which no solution is given twice and
// no need is met twice, chosen to meet as many needs as possible
// (match.Graph.Suggest). It is computed once per matchmaking graph and
// cached with it, so it changes exactly when the graph does.
type MatchPlan struct {
	// Reason is set when the set is empty: no_needs, no_offers, no_match.
	Reason match.Reason
	// Exchanges are the chosen exchanges, longest first; each item is
	// one of its edge's witnesses, so each is a suggestion that
	// DraftFromSuggestion accepts.
	Exchanges []Exchange
	// NeedsMet is the number of needs the set meets.
	NeedsMet int
	// Exact says the set is proven optimal; otherwise no set meets more
	// than UpperBound needs (over the candidates considered).
	Exact      bool
	UpperBound int
	// Candidates is the number of concrete exchanges considered;
	// Truncated says some were left out (then Exact is false).
	Candidates int
	Truncated  bool
}

// For returns the chosen exchanges in which region is a party.
func (p *MatchPlan) For(region string) []Exchange {
	out := []Exchange{}
	for _, e := range p.Exchanges {
		if slices.Contains(e.Parties, region) {
			out = append(out, e)
		}
	}
	return out
}

// suggested returns m's suggested set, computing it on first use.
func (m *matchmaking) suggested() *MatchPlan {
	m.planOnce.Do(func() {
		sp := m.graph.Suggest(match.PlanOptions{})
		p := &MatchPlan{Reason: sp.Reason, NeedsMet: sp.NeedsMet, Exact: sp.Exact, UpperBound: sp.UpperBound,
			Candidates: sp.Candidates, Truncated: sp.Truncated, Exchanges: make([]Exchange, 0, len(sp.Exchanges))}
		for _, e := range sp.Exchanges {
			p.Exchanges = append(p.Exchanges, m.exchange(e))
		}
		m.plan = p
	})
	return m.plan
}

// MatchmakingPlan returns the chosen set of exchanges over the current
// needs and catalogue. The result is shared and must not be modified.
func (a *App) MatchmakingPlan(ctx context.Context) (*MatchPlan, error) {
	m, err := a.graph(ctx)
	if err != nil {
		return nil, err
	}
	return m.suggested(), nil
}
