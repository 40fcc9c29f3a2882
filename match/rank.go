package match

import (
	"cmp"
	"math"
	"slices"
)

// The weights of a suggestion's score (they sum to 1) and the counts at
// which the adoption and evidence terms saturate.
const (
	WeightRelevance = 0.6
	WeightMaturity  = 0.2
	WeightAdoption  = 0.1
	WeightEvidence  = 0.1

	AdoptersFull = 20 // adopters for a full adoption term
	EvidenceFull = 10 // evidence items for a full evidence term
)

// Components are the terms of a suggestion's score, each in 0..1, and
// their weighted contributions, which sum to Score.
type Components struct {
	Relevance, Maturity, Adoption, Evidence float64
	// Contribution of each term: weight × term.
	RelevancePart, MaturityPart, AdoptionPart, EvidencePart float64
}

// Suggestion is one solution for a need with the reason for its place.
type Suggestion struct {
	Solution, Region string
	Score            float64
	// Relevance is the candidate's relevance as given; Maturity, Adopters
	// and Evidence the offer's.
	Relevance          float64
	Maturity           Maturity
	Adopters, Evidence int
	Components         Components
}

// Ranking is the ranked solutions for one need, or why there are none.
type Ranking struct {
	Need        string
	Reason      Reason
	Suggestions []Suggestion
	// Skipped counts candidates left out: unknown solution, retired,
	// published by the need's own region, or a NaN relevance.
	Skipped int
}

func maturityTerm(m Maturity) float64 {
	switch m {
	case MaturityLive:
		return 1
	case MaturityPilot:
		return 0.5
	}
	return 0
}

// saturating is ln(1+x) / ln(1+full), at most 1; 0 for x ≤ 0.
func saturating(x, full int) float64 {
	if x <= 0 {
		return 0
	}
	return min(1, math.Log1p(float64(x))/math.Log1p(float64(full)))
}

// Solutions ranks the candidate solutions of need id (see the package
// documentation for the score).
func (g *Graph) Solutions(id string) Ranking {
	r := Ranking{Need: id}
	i, ok := g.needIdx[id]
	if !ok {
		r.Reason = ReasonUnknownNeed
		return r
	}
	n := g.needs[i]
	best := map[string]Candidate{}
	for _, c := range n.Candidates {
		o, ok := g.offers[c.Solution]
		if !ok || o.Maturity == MaturityRetired || o.Region == n.Region || math.IsNaN(c.Relevance) {
			r.Skipped++
			continue
		}
		if b, dup := best[c.Solution]; !dup || c.Relevance > b.Relevance {
			best[c.Solution] = c
		}
	}
	top := 0.0
	for _, c := range best {
		top = max(top, c.Relevance)
	}
	for _, c := range best {
		o := g.offers[c.Solution]
		var k Components
		if top > 0 && !math.IsInf(top, 1) {
			k.Relevance = max(0, c.Relevance) / top
		} else if math.IsInf(c.Relevance, 1) || top == 0 {
			k.Relevance = 1
		}
		k.Maturity, k.Adoption, k.Evidence = maturityTerm(o.Maturity), saturating(o.Adopters, AdoptersFull), saturating(o.Evidence, EvidenceFull)
		k.RelevancePart, k.MaturityPart = WeightRelevance*k.Relevance, WeightMaturity*k.Maturity
		k.AdoptionPart, k.EvidencePart = WeightAdoption*k.Adoption, WeightEvidence*k.Evidence
		score := math.Round((k.RelevancePart+k.MaturityPart+k.AdoptionPart+k.EvidencePart)*1e9) / 1e9
		r.Suggestions = append(r.Suggestions, Suggestion{Solution: c.Solution, Region: o.Region, Score: score, Relevance: c.Relevance,
			Maturity: o.Maturity, Adopters: o.Adopters, Evidence: o.Evidence, Components: k})
	}
	slices.SortFunc(r.Suggestions, func(x, y Suggestion) int {
		return cmp.Or(-cmp.Compare(x.Score, y.Score), cmp.Compare(x.Solution, y.Solution))
	})
	if len(r.Suggestions) == 0 {
		r.Reason = ReasonNoOffers
	}
	return r
}
