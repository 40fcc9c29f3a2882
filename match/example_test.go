package match_test

import (
	"fmt"

	"github.com/kolaborasi/kolaborasi/match"
)

// Kota Blitar (35.72) needs online queueing, which Kota Bandung (32.73)
// offers; Bandung needs a farm-price board, which Blitar offers; Kota
// Malang (35.73) closes a 3-cycle with Bandung and Blitar.
func ExampleGraph_Partners() {
	g := match.Build(match.Input{
		Needs: []match.Need{
			{ID: "antrean", Region: "35.72", Priority: 3, Candidates: []match.Candidate{{Solution: "sipandu", Relevance: 12.5}}},
			{ID: "harga-tani", Region: "32.73", Priority: 2, Candidates: []match.Candidate{{Solution: "info-harga", Relevance: 8}}},
			{ID: "sampah", Region: "35.73", Priority: 1, Candidates: []match.Candidate{{Solution: "bank-sampah", Relevance: 3}}},
			{ID: "parkir", Region: "32.73", Priority: 1, Candidates: []match.Candidate{{Solution: "e-parkir", Relevance: 5}}},
		},
		Offers: []match.Offer{
			{Solution: "sipandu", Region: "32.73", Maturity: match.MaturityLive, Adopters: 4},
			{Solution: "info-harga", Region: "35.72", Maturity: match.MaturityPilot},
			{Solution: "bank-sampah", Region: "35.72", Maturity: match.MaturityLive},
			{Solution: "e-parkir", Region: "35.73", Maturity: match.MaturityLive},
		},
	})
	p := g.Partners("35.72", 10)
	for _, e := range append(p.Pairs, p.Cycles...) {
		fmt.Println(e.Kind, e.Parties, "needs met:", e.NeedsMet)
		for _, it := range e.Gives("35.72") {
			fmt.Println("  gives", it.Solution, "to", it.Receiver, "for", it.Need)
		}
		for _, it := range e.Receives("35.72") {
			fmt.Println("  receives", it.Solution, "from", it.Giver, "for", it.Need)
		}
	}
	plan := g.Suggest(match.PlanOptions{})
	fmt.Println("plan:", len(plan.Exchanges), "exchanges,", plan.NeedsMet, "needs met, exact:", plan.Exact)
	// Output:
	// pair [32.73 35.72] needs met: 2
	//   gives info-harga to 32.73 for harga-tani
	//   receives sipandu from 32.73 for antrean
	// cycle3 [32.73 35.72 35.73] needs met: 3
	//   gives bank-sampah to 35.73 for sampah
	//   receives sipandu from 32.73 for antrean
	// plan: 1 exchanges, 3 needs met, exact: true
}
