package match

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// FuzzMatch builds an instance from bytes and checks that nothing panics
// and the invariants hold: the pairs and cycles equal brute force (when the
// instance is small enough), cycles come canonical and once, every region's
// partners add up to the global counts, rankings are ordered with scores in
// 0..1, and the plan never uses an offer or a need twice.
//
// Bytes, in records of three: (kind|region, a, b). kind 0–1: an offer a
// from the region with maturity from b; kind 2–3: a need of the region
// with priority from b; any other: a candidate (solution a, relevance b)
// of the latest need.
func FuzzMatch(f *testing.F) {
	f.Add([]byte{0x00, 1, 3, 0x11, 2, 3, 0x21, 0, 1, 0xf0, 1, 9, 0x30, 1, 1, 0xf0, 2, 200})
	f.Add([]byte{0x00, 0, 3, 0x01, 1, 3, 0x02, 2, 3, 0x03, 3, 3, 0x21, 0, 1, 0xf0, 0, 1, 0x22, 0, 1, 0xf0, 1, 1, 0x23, 0, 1, 0xf0, 2, 1, 0x20, 0, 1, 0xf0, 3, 1})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var in Input
		for i := 0; i+3 <= len(raw); i += 3 {
			kind, region, a, b := raw[i]>>4, fmt.Sprintf("R%d", raw[i]&7), raw[i+1], raw[i+2]
			switch {
			case kind < 2:
				m := []Maturity{MaturityIdea, MaturityPilot, MaturityLive, MaturityLive, MaturityRetired, "odd"}[int(b)%6]
				in.Offers = append(in.Offers, Offer{Solution: fmt.Sprintf("s%d", a%24), Region: region, Maturity: m, Adopters: int(int8(b)), Evidence: int(b) - 100})
			case kind < 4:
				in.Needs = append(in.Needs, Need{ID: fmt.Sprintf("n%d", a%24), Region: region, Priority: int(b % 4)})
			case len(in.Needs) > 0:
				n := &in.Needs[len(in.Needs)-1]
				rel := []float64{float64(b), math.NaN(), math.Inf(1), -1, 0}[min(4, int(b)/200*int(b%5))]
				n.Candidates = append(n.Candidates, Candidate{Solution: fmt.Sprintf("s%d", a%24), Relevance: rel})
			}
		}
		g := Build(in)
		if len(in.Needs) <= 24 && len(in.Offers) <= 24 {
			b := bruteOf(dedupe(in))
			if got := found(t, g); !slices.Equal(got, b.cycles) {
				t.Fatalf("found %v, brute force %v", got, b.cycles)
			}
			checkPlan(t, g, b, g.Suggest(PlanOptions{Budget: 20_000}))
		}
		pairs, c3, c4 := g.Count()
		sp, sc := 0, 0
		for _, r := range g.Regions() {
			p := g.Partners(r, 3)
			sp += p.PairsTotal
			sc += p.CyclesTotal
			if len(p.Pairs) > 3 || len(p.Cycles) > 3 || (p.PairsTotal+p.CyclesTotal == 0) != (p.Reason != "") {
				t.Fatalf("partners of %s: %+v", r, p)
			}
			for _, e := range append(p.Pairs, p.Cycles...) {
				if !slices.Contains(e.Parties, r) || len(e.Gives(r)) == 0 || len(e.Receives(r)) == 0 {
					t.Fatalf("%s in %+v", r, e)
				}
			}
		}
		if sp != 2*pairs || sc != 3*c3+4*c4 {
			t.Fatalf("partners count %d pairs, %d cycle places; global %d, %d, %d", sp, sc, pairs, c3, c4)
		}
		for _, n := range in.Needs {
			r := g.Solutions(n.ID)
			for i, s := range r.Suggestions {
				if !(s.Score >= 0 && s.Score <= 1) || (i > 0 && r.Suggestions[i-1].Score < s.Score) {
					t.Fatalf("need %s: %+v", n.ID, r.Suggestions)
				}
			}
		}
	})
}

// dedupe keeps the first of each need ID and offer solution, as Build does,
// for the brute force.
func dedupe(in Input) Input {
	var out Input
	seen := map[string]bool{}
	for _, o := range in.Offers {
		if !seen["o"+o.Solution] {
			seen["o"+o.Solution] = true
			out.Offers = append(out.Offers, o)
		}
	}
	for _, n := range in.Needs {
		if !seen["n"+n.ID] {
			seen["n"+n.ID] = true
			out.Needs = append(out.Needs, n)
		}
	}
	return out
}
