package match

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func need(id, region string, prio int, sols ...string) Need {
	n := Need{ID: id, Region: region, Priority: prio}
	for i, s := range sols {
		n.Candidates = append(n.Candidates, Candidate{Solution: s, Relevance: float64(len(sols) - i)})
	}
	return n
}

func offer(sol, region string) Offer {
	return Offer{Solution: sol, Region: region, Maturity: MaturityLive}
}

func parties(es []Exchange) []string {
	var out []string
	for _, e := range es {
		out = append(out, strings.Join(e.Parties, ">"))
	}
	return out
}

func allCycles(g *Graph) []string {
	var out []string
	g.EachCycle(func(c []RegionID) bool {
		var s []string
		for _, r := range c {
			s = append(s, g.Code(r))
		}
		out = append(out, strings.Join(s, ">"))
		return true
	})
	return out
}

// Kota Blitar (35.72) needs online queueing, which Kota Bandung (32.73) offers;
// Bandung needs a farm-price board, which Blitar offers: the barter.
func TestBlitarBandungBarter(t *testing.T) {
	g := Build(Input{
		Needs:  []Need{need("n-blitar-antrean", "35.72", 3, "s-bandung-antrean"), need("n-bandung-harga", "32.73", 2, "s-blitar-harga")},
		Offers: []Offer{offer("s-bandung-antrean", "32.73"), offer("s-blitar-harga", "35.72")},
	})
	pairs, reason := g.AllPairs()
	if reason != "" || len(pairs) != 1 {
		t.Fatalf("pairs %v, reason %q", pairs, reason)
	}
	e := pairs[0]
	if e.Kind != KindPair || !slices.Equal(e.Parties, []string{"32.73", "35.72"}) || e.NeedsMet != 2 || e.Priority != 5 {
		t.Fatalf("pair %+v", e)
	}
	gives, gets := e.Gives("35.72"), e.Receives("35.72")
	if len(gives) != 1 || gives[0] != (Item{Giver: "35.72", Solution: "s-blitar-harga", Receiver: "32.73", Need: "n-bandung-harga", Relevance: 1, Priority: 2, Maturity: MaturityLive}) ||
		len(gets) != 1 || gets[0].Solution != "s-bandung-antrean" || gets[0].Need != "n-blitar-antrean" {
		t.Fatalf("Blitar gives %+v, receives %+v", gives, gets)
	}
	p := g.Partners("35.72", 10)
	if p.Reason != "" || p.PairsTotal != 1 || p.CyclesTotal != 0 || len(p.Pairs) != 1 || len(p.Cycles) != 0 {
		t.Fatalf("partners %+v", p)
	}
	plan := g.Suggest(PlanOptions{})
	if !plan.Exact || plan.NeedsMet != 2 || len(plan.Exchanges) != 1 || len(plan.Exchanges[0].Items) != 2 {
		t.Fatalf("plan %+v", plan)
	}
	if got := allCycles(g); len(got) != 0 {
		t.Fatalf("cycles %v", got)
	}
}

func TestThreeAndFourCycles(t *testing.T) {
	// A → B → C → A
	g := Build(Input{
		Needs:  []Need{need("nb", "B", 1, "sa"), need("nc", "C", 1, "sb"), need("na", "A", 1, "sc")},
		Offers: []Offer{offer("sa", "A"), offer("sb", "B"), offer("sc", "C")},
	})
	if got := allCycles(g); !slices.Equal(got, []string{"A>B>C"}) {
		t.Fatalf("3-cycle: %v", got)
	}
	if p, r := g.AllPairs(); len(p) != 0 || r != ReasonNoMatch {
		t.Fatalf("pairs %v %q", p, r)
	}
	p := g.Partners("C", 0)
	if len(p.Cycles) != 1 || !slices.Equal(p.Cycles[0].Parties, []string{"A", "B", "C"}) || p.Cycles[0].Kind != KindCycle3 {
		t.Fatalf("C's partners %+v", p)
	}
	if gv := p.Cycles[0].Gives("C"); len(gv) != 1 || gv[0].Receiver != "A" || gv[0].Need != "na" {
		t.Fatalf("C gives %+v", gv)
	}
	// the reverse direction A → C → B → A is a different cycle
	g = Build(Input{
		Needs: []Need{need("nb", "B", 1, "sa"), need("nc", "C", 1, "sb"), need("na", "A", 1, "sc"),
			need("nc2", "C", 1, "sa2"), need("nb2", "B", 1, "sc2"), need("na2", "A", 1, "sb2")},
		Offers: []Offer{offer("sa", "A"), offer("sb", "B"), offer("sc", "C"), offer("sa2", "A"), offer("sb2", "B"), offer("sc2", "C")},
	})
	// Every pair is reciprocal now, and both 3-cycles exist.
	if got := allCycles(g); !slices.Equal(got, []string{"A>B>C", "A>C>B"}) {
		t.Fatalf("both directions: %v", got)
	}
	// A → B → C → D → A, with no chords
	g = Build(Input{
		Needs:  []Need{need("nb", "B", 1, "sa"), need("nc", "C", 1, "sb"), need("nd", "D", 1, "sc"), need("na", "A", 1, "sd")},
		Offers: []Offer{offer("sa", "A"), offer("sb", "B"), offer("sc", "C"), offer("sd", "D")},
	})
	if got := allCycles(g); !slices.Equal(got, []string{"A>B>C>D"}) {
		t.Fatalf("4-cycle: %v", got)
	}
	plan := g.Suggest(PlanOptions{})
	if plan.NeedsMet != 4 || len(plan.Exchanges) != 1 || plan.Exchanges[0].Kind != KindCycle4 || !plan.Exact {
		t.Fatalf("plan %+v", plan)
	}
}

// A pair that is also part of a 3-cycle: A ⇄ B and A → B → C → A, where
// A's one solution is wanted both by B's pair need and the cycle. The plan
// cannot use it twice and takes the cycle (3 needs) over the pair (2).
func TestPairInsideCycle(t *testing.T) {
	g := Build(Input{
		Needs:  []Need{need("nb", "B", 1, "sa"), need("na", "A", 1, "sb"), need("nc", "C", 1, "sb"), need("na2", "A", 1, "sc")},
		Offers: []Offer{offer("sa", "A"), offer("sb", "B"), offer("sc", "C")},
	})
	pairs, _ := g.AllPairs()
	if got := parties(pairs); !slices.Equal(got, []string{"A>B"}) {
		t.Fatalf("pairs %v", got)
	}
	if got := allCycles(g); !slices.Equal(got, []string{"A>B>C"}) {
		t.Fatalf("cycles %v", got)
	}
	p := g.Partners("A", 0)
	if parties(p.Pairs)[0] != "A>B" || parties(p.Cycles)[0] != "A>B>C" {
		t.Fatalf("A's partners %+v", p)
	}
	plan := g.Suggest(PlanOptions{})
	if !plan.Exact || plan.NeedsMet != 3 || len(plan.Exchanges) != 1 || plan.Exchanges[0].Kind != KindCycle3 {
		t.Fatalf("plan %+v", plan)
	}
	// With a second solution of B for A the pair and cycle can both run.
	g = Build(Input{
		Needs:  []Need{need("nb", "B", 1, "sa"), need("na", "A", 1, "sb2"), need("nc", "C", 1, "sb"), need("na2", "A", 1, "sc"), need("nb2", "B", 1, "sa2")},
		Offers: []Offer{offer("sa", "A"), offer("sa2", "A"), offer("sb", "B"), offer("sb2", "B"), offer("sc", "C")},
	})
	plan = g.Suggest(PlanOptions{})
	if !plan.Exact || plan.NeedsMet != 5 || len(plan.Exchanges) != 2 {
		t.Fatalf("plan %+v", plan)
	}
}

// A region's own solution, a retired solution and an unknown one make no
// edge, and are skipped in the need's ranking.
func TestSameRegionRetiredAndUnknownExcluded(t *testing.T) {
	retired := offer("s-old", "B")
	retired.Maturity = MaturityRetired
	g := Build(Input{
		Needs:  []Need{need("na", "A", 1, "s-own", "s-old", "s-missing"), need("nb", "B", 1, "s-own")},
		Offers: []Offer{offer("s-own", "A"), retired, offer("s-b", "B")},
	})
	if e, w := g.Edges(); e != 1 || w != 1 {
		t.Fatalf("%d edges, %d witnesses; want only A → B", e, w)
	}
	a, _ := g.ID("A")
	if ws := g.Witnesses(a, a); ws != nil || g.Has(a, a) {
		t.Fatal("self-loop")
	}
	r := g.Solutions("na")
	if r.Reason != ReasonNoOffers || r.Skipped != 3 || len(r.Suggestions) != 0 {
		t.Fatalf("ranking %+v", r)
	}
	if p := g.Partners("A", 0); p.Reason != ReasonNoMatch {
		t.Fatalf("A: %+v", p)
	}
}

func TestEmptyAnswersExplained(t *testing.T) {
	empty := Build(Input{})
	if p := empty.Suggest(PlanOptions{}); p.Reason != ReasonNoNeeds || len(p.Exchanges) != 0 || !p.Exact {
		t.Fatalf("empty plan %+v", p)
	}
	if p, r := empty.AllPairs(); p != nil || r != ReasonNoNeeds {
		t.Fatalf("empty pairs %v %q", p, r)
	}
	if p := empty.Partners("35.72", 5); p.Reason != ReasonNoNeeds || p.Pairs != nil || p.Cycles != nil {
		t.Fatalf("empty partners %+v", p)
	}
	if r := empty.Solutions("x"); r.Reason != ReasonUnknownNeed {
		t.Fatalf("unknown need %+v", r)
	}
	onlyNeeds := Build(Input{Needs: []Need{need("n", "A", 1, "s")}})
	if p := onlyNeeds.Suggest(PlanOptions{}); p.Reason != ReasonNoOffers {
		t.Fatalf("needs only: %+v", p)
	}
	if p := onlyNeeds.Partners("A", 0); p.Reason != ReasonNoOffers {
		t.Fatalf("A with needs only: %+v", p)
	}
	g := Build(Input{Needs: []Need{need("n", "A", 1, "s")}, Offers: []Offer{offer("s", "B"), offer("t", "A")}})
	if p := g.Suggest(PlanOptions{}); p.Reason != ReasonNoMatch || p.NeedsMet != 0 {
		t.Fatalf("one-way: %+v", p)
	}
	if p := g.Partners("B", 0); p.Reason != ReasonNoNeeds {
		t.Fatalf("B offers only: %+v", p)
	}
	if p := g.Partners("A", 0); p.Reason != ReasonNoMatch {
		t.Fatalf("A one-way: %+v", p)
	}
}

func TestSolutionsScore(t *testing.T) {
	pilot := Offer{Solution: "s2", Region: "C", Maturity: MaturityPilot, Adopters: 20, Evidence: 0}
	g := Build(Input{
		Needs: []Need{{ID: "n", Region: "A", Candidates: []Candidate{{"s1", 8}, {"s2", 4}, {"s1", 2}, {"s3", 1}}}},
		Offers: []Offer{{Solution: "s1", Region: "B", Maturity: MaturityLive, Adopters: 0, Evidence: 10}, pilot,
			{Solution: "s3", Region: "D", Maturity: MaturityIdea, Adopters: 1, Evidence: 1}},
	})
	r := g.Solutions("n")
	if r.Reason != "" || len(r.Suggestions) != 3 {
		t.Fatalf("ranking %+v", r)
	}
	// s1: 0.6·1 + 0.2·1 + 0 + 0.1·1 = 0.9; s2: 0.6·0.5 + 0.2·0.5 + 0.1·1 + 0 = 0.5;
	// s3: 0.6·0.125 + 0 + 0.1·ln2/ln21 + 0.1·ln2/ln11.
	want3 := 0.6*0.125 + 0.1*math.Log(2)/math.Log(21) + 0.1*math.Log(2)/math.Log(11)
	s := r.Suggestions
	if s[0].Solution != "s1" || s[0].Score != 0.9 || s[1].Solution != "s2" || s[1].Score != 0.5 ||
		s[2].Solution != "s3" || math.Abs(s[2].Score-want3) > 1e-9 {
		t.Fatalf("suggestions %+v", s)
	}
	k := s[1].Components
	if k.Relevance != 0.5 || k.Maturity != 0.5 || k.Adoption != 1 || k.Evidence != 0 || s[1].Relevance != 4 || s[1].Adopters != 20 {
		t.Fatalf("s2 components %+v", s[1])
	}
	for _, x := range s {
		c := x.Components
		if math.Abs(c.RelevancePart+c.MaturityPart+c.AdoptionPart+c.EvidencePart-x.Score) > 1e-9 {
			t.Fatalf("parts do not sum to the score: %+v", x)
		}
	}
}

func TestPartnersLimit(t *testing.T) {
	// A ⇄ each of B..F; A's pairs are ranked by needs met then priority.
	in := Input{Offers: []Offer{offer("sa", "A")}}
	for i, r := range []string{"B", "C", "D", "E", "F"} {
		in.Offers = append(in.Offers, offer("s"+r, r))
		in.Needs = append(in.Needs, need("n"+r, r, 1, "sa"), need("na"+r, "A", i+1, "s"+r))
	}
	g := Build(in)
	p := g.Partners("A", 2)
	if p.PairsTotal != 5 || !slices.Equal(parties(p.Pairs), []string{"A>F", "A>E"}) {
		t.Fatalf("top 2: %v of %d", parties(p.Pairs), p.PairsTotal)
	}
	// Every pair shares A's one solution: the plan takes one of them.
	if plan := g.Suggest(PlanOptions{}); plan.NeedsMet != 2 || !plan.Exact {
		t.Fatalf("plan %+v", plan)
	}
}

// The exchange of a cycle given in any rotation comes back canonical;
// non-cycles are refused.
func TestExchangeRotation(t *testing.T) {
	g := Build(Input{
		Needs:  []Need{need("nb", "B", 1, "sa"), need("nc", "C", 1, "sb"), need("na", "A", 1, "sc")},
		Offers: []Offer{offer("sa", "A"), offer("sb", "B"), offer("sc", "C")},
	})
	e, ok := g.Exchange([]RegionID{2, 0, 1})
	if !ok || !slices.Equal(e.Parties, []string{"A", "B", "C"}) || e.NeedsMet != 3 || e.Items[0].Giver != "A" {
		t.Fatalf("exchange %+v", e)
	}
	for _, bad := range [][]RegionID{{0}, {0, 1}, {0, 2, 1}, {0, 1, 0}, {0, 1, 2, 9}, {0, 1, 2, 1000}, {-1, 0, 1}, {0, 1, 2, 0, 1}} {
		if _, ok := g.Exchange(bad); ok {
			t.Fatalf("%v accepted", bad)
		}
	}
}
