package match

import (
	"cmp"
	"slices"
)

// PlanOptions bound the suggested-set search; zero means the default.
type PlanOptions struct {
	// MaxCandidates caps the concrete exchanges considered (default
	// 20,000); past it the plan is built from the first ones in
	// enumeration order (pairs, then cycles by region order) and
	// Plan.Truncated is set.
	MaxCandidates int
	// Budget caps the branch-and-bound work (default 20,000,000 steps:
	// one per search node and one per candidate the bound examines); past
	// it the best set found so far (at least the greedy set) is returned
	// and Plan.Exact is false.
	Budget int
}

// Plan is a suggested set of exchanges in which no offer (solution) is
// used twice and no need is met twice, chosen to meet as many needs as
// possible.
type Plan struct {
	Reason Reason
	// Exchanges are the chosen concrete exchanges, one item per edge,
	// longest first.
	Exchanges []Exchange
	// NeedsMet is the number of needs the set meets (= its items).
	NeedsMet int
	// Exact is true when the set is proven optimal over the candidates
	// (the search finished within the budget and nothing was truncated).
	Exact bool
	// UpperBound bounds the optimum over the candidates considered: equal
	// to NeedsMet when Exact, otherwise min(distinct needs, distinct
	// solutions) over all candidates.
	UpperBound int
	// Candidates is the number of concrete exchanges considered; Steps
	// the search work done.
	Candidates, Steps int
	Truncated         bool
}

// concrete is one candidate exchange: a region cycle with one witness
// per edge; needs and sols are dense ids.
type concrete struct {
	regions     []RegionID
	ws          []Witness
	needs, sols []int32
	prio        int
}

// candidates enumerates the concrete exchanges: for every reciprocal pair
// and every 3- and 4-cycle, every choice of one witness per edge, at most
// max of them (max ≤ 0: all). truncated says some were left out.
func (g *Graph) candidates(max int) (out []concrete, truncated bool) {
	solID := map[string]int32{}
	id := func(s string) int32 {
		if v, ok := solID[s]; ok {
			return v
		}
		solID[s] = int32(len(solID))
		return solID[s]
	}
	emit := func(c []RegionID) bool {
		lists := make([][]Witness, len(c))
		for i, a := range c {
			lists[i] = g.Witnesses(a, c[(i+1)%len(c)])
		}
		idx := make([]int, len(c))
		for {
			if max > 0 && len(out) >= max {
				truncated = true
				return false
			}
			x := concrete{regions: slices.Clone(c)}
			for i, l := range lists {
				w := l[idx[i]]
				x.ws = append(x.ws, w)
				x.needs = append(x.needs, int32(g.needIdx[w.Need]))
				x.sols = append(x.sols, id(w.Solution))
				x.prio += g.priority[w.Need]
			}
			out = append(out, x)
			i := 0
			for ; i < len(idx); i++ {
				if idx[i]++; idx[i] < len(lists[i]) {
					break
				}
				idx[i] = 0
			}
			if i == len(idx) {
				return true
			}
		}
	}
	g.EachPair(func(p Pair) bool { return emit([]RegionID{p.A, p.B}) })
	if !truncated {
		g.EachCycle(emit)
	}
	return out, truncated
}

// Suggest chooses the suggested set: an exact branch and bound over the
// concrete exchanges, seeded with the greedy set (see the package
// documentation).
func (g *Graph) Suggest(opt PlanOptions) Plan {
	if opt.MaxCandidates <= 0 {
		opt.MaxCandidates = 20_000
	}
	if opt.Budget <= 0 {
		opt.Budget = 20_000_000
	}
	cands, trunc := g.candidates(opt.MaxCandidates)
	p := Plan{Candidates: len(cands), Truncated: trunc}
	if len(cands) == 0 {
		p.Reason, p.Exact = g.emptyReason(), true
		return p
	}
	// Longest first, then higher priority; stable keeps enumeration order.
	slices.SortStableFunc(cands, func(x, y concrete) int {
		return cmp.Or(-cmp.Compare(len(x.ws), len(y.ws)), -cmp.Compare(x.prio, y.prio))
	})
	chosen, steps, done := packExchanges(cands, len(g.needs), opt.Budget)
	p.Steps = steps
	p.Exact = done && !trunc
	for _, i := range chosen {
		c := cands[i]
		e := Exchange{Kind: kindOf(len(c.regions)), NeedsMet: len(c.ws), Priority: c.prio}
		for k, a := range c.regions {
			e.Parties = append(e.Parties, g.codes[a])
			e.Items = append(e.Items, g.item(a, c.regions[(k+1)%len(c.regions)], c.ws[k]))
		}
		p.Exchanges = append(p.Exchanges, e)
		p.NeedsMet += len(c.ws)
	}
	if p.Exact {
		p.UpperBound = p.NeedsMet
	} else {
		p.UpperBound = newPacker(cands, len(g.needs)).bound(0)
	}
	return p
}

type packer struct {
	cands             []concrete
	usedNeed, usedSol []bool
	seenNeed, seenSol []int // stamps for bound
	stamp             int
	steps, budget     int
	cur, best         []int
	curVal, bestVal   int
	aborted           bool
}

func newPacker(cands []concrete, needs int) *packer {
	sols := 0
	for _, c := range cands {
		for _, s := range c.sols {
			sols = max(sols, int(s)+1)
		}
	}
	return &packer{cands: cands, usedNeed: make([]bool, needs), usedSol: make([]bool, sols),
		seenNeed: make([]int, needs), seenSol: make([]int, sols)}
}

func (p *packer) fits(c concrete) bool {
	for k := range c.needs {
		if p.usedNeed[c.needs[k]] || p.usedSol[c.sols[k]] {
			return false
		}
	}
	return true
}

func (p *packer) set(c concrete, v bool) {
	for k := range c.needs {
		p.usedNeed[c.needs[k]], p.usedSol[c.sols[k]] = v, v
	}
}

// bound is an upper bound on what candidates from..end can still add:
// each item uses one free need and one free solution, so at most the
// smaller of the distinct free needs and distinct free solutions among
// the candidates from index from on that still fit.
func (p *packer) bound(from int) int {
	p.stamp++
	n, s := 0, 0
	for _, c := range p.cands[from:] {
		p.steps++
		if !p.fits(c) {
			continue
		}
		for k := range c.needs {
			if p.seenNeed[c.needs[k]] != p.stamp {
				p.seenNeed[c.needs[k]] = p.stamp
				n++
			}
			if p.seenSol[c.sols[k]] != p.stamp {
				p.seenSol[c.sols[k]] = p.stamp
				s++
			}
		}
	}
	return min(n, s)
}

// packExchanges returns the indexes of a maximum-value set of pairwise
// disjoint candidates (value = items), the steps taken and whether the
// search finished within budget steps.
func packExchanges(cands []concrete, needs, budget int) (chosen []int, steps int, done bool) {
	p := newPacker(cands, needs)
	p.budget = budget
	// Greedy seed: in order, take what fits.
	for i, c := range cands {
		if p.fits(c) {
			p.set(c, true)
			p.best = append(p.best, i)
			p.bestVal += len(c.ws)
		}
	}
	for _, i := range p.best {
		p.set(cands[i], false)
	}
	p.search(0)
	return p.best, p.steps, !p.aborted
}

func (p *packer) search(i int) {
	if p.aborted {
		return
	}
	if p.steps++; p.steps > p.budget {
		p.aborted = true
		return
	}
	if p.curVal > p.bestVal {
		p.bestVal, p.best = p.curVal, slices.Clone(p.cur)
	}
	// skip candidates that no longer fit
	for i < len(p.cands) && !p.fits(p.cands[i]) {
		i++
	}
	if i == len(p.cands) || p.curVal+p.bound(i) <= p.bestVal {
		return
	}
	c := p.cands[i]
	p.set(c, true)
	p.cur = append(p.cur, i)
	p.curVal += len(c.ws)
	p.search(i + 1)
	p.curVal -= len(c.ws)
	p.cur = p.cur[:len(p.cur)-1]
	p.set(c, false)
	p.search(i + 1)
}
