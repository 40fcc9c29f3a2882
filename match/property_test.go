package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// small returns a random instance of at most regions regions, needs needs
// and offers offers, each need with 0–maxCand candidates (sometimes an
// unknown solution, sometimes a retired offer or the need's own region's).
func small(rng *rand.Rand, regions, needs, offers, maxCand int) Input {
	var in Input
	nr := 1 + rng.IntN(regions)
	if rng.IntN(4) > 0 {
		nr = max(nr, 2+rng.IntN(regions-1)) // mostly several regions
	}
	code := func() string { return fmt.Sprintf("R%d", rng.IntN(nr)) }
	no := rng.IntN(offers + 1)
	for i := range no {
		m := []Maturity{MaturityIdea, MaturityPilot, MaturityLive, MaturityLive, MaturityRetired}[rng.IntN(5)]
		in.Offers = append(in.Offers, Offer{Solution: fmt.Sprintf("s%d", i), Region: code(), Maturity: m, Adopters: rng.IntN(30), Evidence: rng.IntN(12)})
	}
	for i := range rng.IntN(needs + 1) {
		n := Need{ID: fmt.Sprintf("n%d", i), Region: code(), Priority: 1 + rng.IntN(3)}
		for range rng.IntN(maxCand + 1) {
			n.Candidates = append(n.Candidates, Candidate{Solution: fmt.Sprintf("s%d", rng.IntN(no+1)), Relevance: rng.Float64() * 10})
		}
		in.Needs = append(in.Needs, n)
	}
	return in
}

// brute is the straightforward model, computed from the input alone.
type brute struct {
	regions []string
	wit     map[[2]string][]Witness // edge → witnesses (any order, deduplicated)
	cycles  []string                // "A>B" pairs (A<B) and "A>B>C(>D)" canonical cycles, sorted
}

func bruteOf(in Input) brute {
	b := brute{wit: map[[2]string][]Witness{}}
	set := map[string]bool{}
	offers := map[string]Offer{}
	for _, o := range in.Offers {
		offers[o.Solution] = o
		set[o.Region] = true
	}
	for _, n := range in.Needs {
		set[n.Region] = true
		for _, c := range n.Candidates {
			o, ok := offers[c.Solution]
			if !ok || o.Maturity == MaturityRetired || o.Region == n.Region {
				continue
			}
			k := [2]string{o.Region, n.Region}
			if !slices.ContainsFunc(b.wit[k], func(w Witness) bool { return w.Need == n.ID && w.Solution == c.Solution }) {
				b.wit[k] = append(b.wit[k], Witness{n.ID, c.Solution, c.Relevance})
			}
		}
	}
	for r := range set {
		b.regions = append(b.regions, r)
	}
	slices.Sort(b.regions)
	has := func(x, y string) bool { return len(b.wit[[2]string{x, y}]) > 0 }
	var walk func(path []string)
	walk = func(path []string) {
		if len(path) >= 2 && has(path[len(path)-1], path[0]) && (len(path) > 2 || path[0] < path[1]) {
			b.cycles = append(b.cycles, strings.Join(path, ">"))
		}
		if len(path) == 4 {
			return
		}
		for _, r := range b.regions {
			if r > path[0] && !slices.Contains(path, r) && has(path[len(path)-1], r) {
				walk(append(slices.Clone(path), r))
			}
		}
	}
	for _, r := range b.regions {
		walk([]string{r})
	}
	slices.Sort(b.cycles)
	return b
}

// optimum is the brute-force best number of needs met: every subset of the
// concrete exchanges (pruned only by conflicts), or -1 when there are more
// than limit of them.
func (b brute) optimum(in Input, limit int) int {
	type ex struct{ needs, sols []string }
	var all []ex
	for _, c := range b.cycles {
		rs := strings.Split(c, ">")
		var rec func(k int, cur ex)
		rec = func(k int, cur ex) {
			if k == len(rs) {
				all = append(all, cur)
				return
			}
			for _, w := range b.wit[[2]string{rs[k], rs[(k+1)%len(rs)]}] {
				rec(k+1, ex{append(slices.Clone(cur.needs), w.Need), append(slices.Clone(cur.sols), w.Solution)})
			}
		}
		rec(0, ex{})
		if len(all) > limit {
			return -1
		}
	}
	best := 0
	var rec func(i int, needs, sols map[string]bool, val int)
	rec = func(i int, needs, sols map[string]bool, val int) {
		best = max(best, val)
		if i == len(all) {
			return
		}
		e := all[i]
		ok := true
		for k := range e.needs {
			ok = ok && !needs[e.needs[k]] && !sols[e.sols[k]]
		}
		if ok {
			for k := range e.needs {
				needs[e.needs[k]], sols[e.sols[k]] = true, true
			}
			rec(i+1, needs, sols, val+len(e.needs))
			for k := range e.needs {
				delete(needs, e.needs[k])
				delete(sols, e.sols[k])
			}
		}
		rec(i+1, needs, sols, val)
	}
	rec(0, map[string]bool{}, map[string]bool{}, 0)
	return best
}

// found lists the graph's pairs and cycles in the brute-force notation,
// checking on the way that cycles come canonical, once and in order.
func found(t *testing.T, g *Graph) []string {
	t.Helper()
	var out []string
	g.EachPair(func(p Pair) bool {
		out = append(out, g.Code(p.A)+">"+g.Code(p.B))
		return true
	})
	var prev []RegionID
	g.EachCycle(func(c []RegionID) bool {
		var names []string
		for i, r := range c {
			if i > 0 && r <= c[0] {
				t.Fatalf("cycle %v not canonical", c)
			}
			names = append(names, g.Code(r))
		}
		if prev != nil && slices.Compare(prev, c) >= 0 {
			t.Fatalf("cycle %v after %v", c, prev)
		}
		prev = slices.Clone(c)
		out = append(out, strings.Join(names, ">"))
		return true
	})
	slices.Sort(out)
	return out
}

// checkPlan checks that a plan never reuses an offer or a need, that every
// item is a real witness along a real cycle, and that the counts add up.
func checkPlan(t *testing.T, g *Graph, b brute, p Plan) {
	t.Helper()
	needs, sols := map[string]bool{}, map[string]bool{}
	total := 0
	for _, e := range p.Exchanges {
		if len(e.Items) != len(e.Parties) || e.NeedsMet != len(e.Items) || kindOf(len(e.Parties)) != e.Kind {
			t.Fatalf("malformed exchange %+v", e)
		}
		key := strings.Join(e.Parties, ">")
		if !slices.Contains(b.cycles, key) {
			t.Fatalf("exchange %s is not a cycle", key)
		}
		for k, it := range e.Items {
			if it.Giver != e.Parties[k] || it.Receiver != e.Parties[(k+1)%len(e.Parties)] {
				t.Fatalf("item %+v out of place in %s", it, key)
			}
			if !slices.ContainsFunc(b.wit[[2]string{it.Giver, it.Receiver}], func(w Witness) bool { return w.Need == it.Need && w.Solution == it.Solution }) {
				t.Fatalf("item %+v is no witness", it)
			}
			if needs[it.Need] || sols[it.Solution] {
				t.Fatalf("need %s or solution %s used twice in %+v", it.Need, it.Solution, p)
			}
			needs[it.Need], sols[it.Solution] = true, true
			total++
		}
	}
	if total != p.NeedsMet || p.UpperBound < p.NeedsMet {
		t.Fatalf("plan meets %d needs, says %d (bound %d)", total, p.NeedsMet, p.UpperBound)
	}
	if (len(b.cycles) == 0) != (p.Reason != "") {
		t.Fatalf("%d exchanges possible but reason %q", len(b.cycles), p.Reason)
	}
}

// TestAgainstBruteForce compares pairs, cycles, partners and the plan with
// brute force on 5,000 random small instances (≤ 8 regions, ≤ 20 needs,
// ≤ 20 offers); the optimum is compared on every instance with at most 18
// concrete exchanges, and at least 500 of those must have a non-empty
// optimum.
func TestAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 1))
	compared, withCycles, greedyShort, long := 0, 0, 0, 0
	for i := range 5000 {
		in := small(rng, 8, 20, 20, 1+i%4)
		g := Build(in)
		b := bruteOf(in)
		if got := found(t, g); !slices.Equal(got, b.cycles) {
			t.Fatalf("instance %d: found %v, brute force %v", i, got, b.cycles)
		}
		if len(b.cycles) > 0 {
			withCycles++
		}
		if slices.ContainsFunc(b.cycles, func(c string) bool { return strings.Count(c, ">") >= 2 }) {
			long++
		}
		// Partners: every region's exchanges are the brute-force ones
		// containing it.
		for _, r := range b.regions {
			p := g.Partners(r, 0)
			var got, want []string
			for _, e := range append(p.Pairs, p.Cycles...) {
				got = append(got, strings.Join(e.Parties, ">"))
				if len(e.Gives(r)) == 0 || len(e.Receives(r)) == 0 {
					t.Fatalf("instance %d: %s neither gives nor receives in %v", i, r, e.Parties)
				}
			}
			for _, c := range b.cycles {
				if slices.Contains(strings.Split(c, ">"), r) {
					want = append(want, c)
				}
			}
			for _, list := range [][]Exchange{p.Pairs, p.Cycles} {
				for k := 1; k < len(list); k++ {
					x, y := list[k-1], list[k]
					if x.NeedsMet < y.NeedsMet || (x.NeedsMet == y.NeedsMet && x.Priority < y.Priority) {
						t.Fatalf("instance %d region %s: %v before %v", i, r, x, y)
					}
				}
			}
			// the best two of each list are the first two of the full list
			p2 := g.Partners(r, 2)
			if !slices.Equal(parties(p2.Pairs), parties(p.Pairs[:min(2, len(p.Pairs))])) ||
				!slices.Equal(parties(p2.Cycles), parties(p.Cycles[:min(2, len(p.Cycles))])) {
				t.Fatalf("instance %d region %s: top 2 %v %v of %v %v", i, r, parties(p2.Pairs), parties(p2.Cycles), parties(p.Pairs), parties(p.Cycles))
			}
			slices.Sort(got)
			if !slices.Equal(got, want) || p.PairsTotal+p.CyclesTotal != len(want) || (len(want) == 0) != (p.Reason != "") {
				t.Fatalf("instance %d region %s: partners %v (reason %q), want %v", i, r, got, p.Reason, want)
			}
		}
		plan := g.Suggest(PlanOptions{})
		checkPlan(t, g, b, plan)
		if opt := b.optimum(in, 18); opt >= 0 {
			if opt > 0 {
				compared++
			}
			if g.Suggest(PlanOptions{Budget: 1}).NeedsMet < opt {
				greedyShort++ // the search, not the greedy seed, found it
			}
			if !plan.Exact || plan.NeedsMet != opt {
				t.Fatalf("instance %d: plan meets %d needs (exact %v), optimum %d", i, plan.NeedsMet, plan.Exact, opt)
			}
		}
	}
	t.Logf("%d instances with exchanges (%d with a 3- or 4-cycle), optimum compared on %d, beyond the greedy seed on %d",
		withCycles, long, compared, greedyShort)
	if compared < 500 || withCycles < 500 || long < 100 || greedyShort == 0 {
		t.Fatalf("too few interesting instances: %d compared, %d with exchanges, %d with a long cycle, %d beyond greedy",
			compared, withCycles, long, greedyShort)
	}
}

// TestBudgetExhausted: with a tiny node budget the plan is still valid,
// not exact, at least the greedy set and within its bound.
func TestBudgetExhausted(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	inexact := 0
	for range 200 {
		in := small(rng, 8, 20, 20, 4)
		g := Build(in)
		b := bruteOf(in)
		full := g.Suggest(PlanOptions{})
		p := g.Suggest(PlanOptions{Budget: 3})
		checkPlan(t, g, b, p)
		if !p.Exact {
			inexact++
			if p.NeedsMet > full.NeedsMet || p.UpperBound < full.NeedsMet || 8*p.NeedsMet < full.NeedsMet {
				t.Fatalf("budget plan %d, full %d, bound %d", p.NeedsMet, full.NeedsMet, p.UpperBound)
			}
		}
		tr := g.Suggest(PlanOptions{MaxCandidates: 1})
		checkPlan(t, g, b, tr)
		if tr.Candidates > 1 || (tr.Truncated && tr.Exact) {
			t.Fatalf("truncated plan %+v", tr)
		}
	}
	if inexact == 0 {
		t.Fatal("the budget never ran out")
	}
}
