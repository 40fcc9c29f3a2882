package match

import (
	"cmp"
	"math/bits"
	"slices"
)

// Reason says why a result is empty; the web layer turns it into a
// sentence. The zero value means the result is not empty.
type Reason string

// The reasons.
const (
	// ReasonNoNeeds: no need declared (by the region, or at all).
	ReasonNoNeeds Reason = "no_needs"
	// ReasonNoOffers: no solution on offer (not retired) from the region,
	// or at all, or — for a need — from any other region.
	ReasonNoOffers Reason = "no_offers"
	// ReasonNoMatch: needs and offers exist but no exchange closes.
	ReasonNoMatch Reason = "no_match"
	// ReasonUnknownNeed: the need ID is not in the input.
	ReasonUnknownNeed Reason = "unknown_need"
)

// Kind is an exchange's shape.
type Kind string

// The kinds of exchange.
const (
	KindPair   Kind = "pair"
	KindCycle3 Kind = "cycle3"
	KindCycle4 Kind = "cycle4"
)

// Item is one exchange item, what a draft agreement lists: the giver
// gives its solution to the receiver, which meets the receiver's need.
type Item struct {
	Giver, Solution, Receiver, Need string
	// Relevance is the candidate's relevance, Priority the need's; the
	// solution's evidence: its Maturity, Adopters and Evidence items.
	Relevance          float64
	Priority           int
	Maturity           Maturity
	Adopters, Evidence int
}

// Exchange is a reciprocal pair or a cycle with its items: everything a
// draft agreement (K4) needs, the parties and the exchange items.
type Exchange struct {
	Kind Kind
	// Parties are the region codes in edge order: Parties[i] gives to
	// Parties[i+1], the last to the first; Parties[0] is the smallest.
	Parties []string
	// Items lists, edge by edge in Parties order, the items of each edge
	// (every witness for a region-level exchange, one per edge in a Plan).
	Items []Item
	// NeedsMet is the number of distinct needs the items meet; Priority
	// the sum of those needs' priorities.
	NeedsMet, Priority int
}

// Gives returns the items region gives in e.
func (e Exchange) Gives(region string) []Item {
	return slices.DeleteFunc(slices.Clone(e.Items), func(it Item) bool { return it.Giver != region })
}

// Receives returns the items region receives in e.
func (e Exchange) Receives(region string) []Item {
	return slices.DeleteFunc(slices.Clone(e.Items), func(it Item) bool { return it.Receiver != region })
}

func kindOf(n int) Kind {
	return [...]Kind{2: KindPair, 3: KindCycle3, 4: KindCycle4}[n]
}

func (g *Graph) item(a, b RegionID, w Witness) Item {
	o := g.offers[w.Solution]
	return Item{Giver: g.codes[a], Solution: w.Solution, Receiver: g.codes[b], Need: w.Need, Relevance: w.Relevance,
		Priority: g.priority[w.Need], Maturity: o.Maturity, Adopters: o.Adopters, Evidence: o.Evidence}
}

// Exchange returns the region-level exchange along the cycle c (c[0] →
// c[1] → … → c[0], any rotation; it is returned in canonical rotation)
// with every witness of its edges as items. ok is false when c is not a
// simple cycle of 2 to 4 regions of g.
func (g *Graph) Exchange(c []RegionID) (e Exchange, ok bool) {
	if len(c) < 2 || len(c) > 4 {
		return e, false
	}
	for _, r := range c {
		if r < 0 || int(r) >= len(g.codes) {
			return e, false
		}
	}
	c = canonical(c)
	for i := range c {
		if slices.Contains(c[i+1:], c[i]) || !g.Has(c[i], c[(i+1)%len(c)]) {
			return e, false
		}
	}
	e.Kind = kindOf(len(c))
	for i, a := range c {
		b := c[(i+1)%len(c)]
		e.Parties = append(e.Parties, g.codes[a])
		k, _ := slices.BinarySearch(g.out[a], b)
		e.NeedsMet += int(g.edgeNeeds[a][k])
		e.Priority += int(g.edgePrio[a][k])
		for _, w := range g.wit[a][k] {
			e.Items = append(e.Items, g.item(a, b, w))
		}
	}
	return e, true
}

// canonical returns c rotated to start at its smallest region (a copy).
func canonical(c []RegionID) []RegionID {
	m := 0
	for i := range c {
		if c[i] < c[m] {
			m = i
		}
	}
	return append(slices.Clone(c[m:]), c[:m]...)
}

// Partners is "Mitra yang cocok" for one region: its reciprocal partners
// and the 3- and 4-cycles it belongs to, best first (more needs met, then
// higher priority sum, then parties in code order).
type Partners struct {
	Region string
	// Reason is set when there is nothing: no_needs (the region declared
	// none), no_offers (it offers nothing), no_match.
	Reason Reason
	Pairs  []Exchange
	Cycles []Exchange
	// PairsTotal and CyclesTotal count all of them; the lists hold at
	// most the limit asked for.
	PairsTotal, CyclesTotal int
}

type ranked struct {
	c           [4]RegionID // canonical rotation
	n           int
	needs, prio int
}

// better orders exchanges: more needs met, higher priority sum, then
// parties in code order (RegionIDs are in code order).
func better(x, y ranked) int {
	return cmp.Or(-cmp.Compare(x.needs, y.needs), -cmp.Compare(x.prio, y.prio), slices.Compare(x.c[:x.n], y.c[:y.n]))
}

// rank scores the cycle c (any rotation) without allocating.
func (g *Graph) rank(c ...RegionID) ranked {
	x := ranked{n: len(c)}
	m := 0
	for i := range c {
		if c[i] < c[m] {
			m = i
		}
	}
	for i := range c {
		a, b := c[(m+i)%len(c)], c[(m+i+1)%len(c)]
		x.c[i] = a
		k, _ := slices.BinarySearch(g.out[a], b)
		x.needs += int(g.edgeNeeds[a][k])
		x.prio += int(g.edgePrio[a][k])
	}
	return x
}

// Partners returns region's reciprocal partners and cycles, at most limit
// of each (limit ≤ 0: all). Each cycle through the region is found once
// (starting from the region): for each path region → b → c, the 4-cycles
// come from the bitset of c's successors that precede the region, so the
// cost is about d² bitset rows for d successors; memory is bounded by
// 2·limit.
func (g *Graph) Partners(region string, limit int) Partners {
	p := Partners{Region: region}
	switch {
	case !g.hasNeeds[region]:
		p.Reason = ReasonNoNeeds
		return p
	case !g.hasOffers[region]:
		p.Reason = ReasonNoOffers
		return p
	}
	r := g.region[region]
	// Each list keeps its best limit entries: once cut, anything not
	// better than the worst kept is dropped at once.
	type top struct {
		list []ranked
		cut  bool
	}
	var pairs, cycles top
	keep := func(t *top, x ranked) {
		if limit <= 0 {
			t.list = append(t.list, x)
			return
		}
		if t.cut && better(x, t.list[limit-1]) >= 0 {
			return
		}
		t.list = append(t.list, x)
		if len(t.list) >= 2*limit {
			slices.SortFunc(t.list, better)
			t.list, t.cut = t.list[:limit], true
		}
	}
	in := g.inBits[r]
	for _, b := range g.out[r] {
		if g.Has(b, r) {
			keep(&pairs, g.rank(r, b))
			p.PairsTotal++
		}
		for _, c := range g.out[b] {
			if c == r {
				continue
			}
			if g.Has(c, r) {
				keep(&cycles, g.rank(r, b, c))
				p.CyclesTotal++
			}
			oc := g.outBits[c]
			for w := range oc {
				m := oc[w] & in[w]
				for m != 0 {
					d := RegionID(w*64 + bits.TrailingZeros64(m))
					m &= m - 1
					if d != b { // d ≠ r, c: no self-loops
						keep(&cycles, g.rank(r, b, c, d))
						p.CyclesTotal++
					}
				}
			}
		}
	}
	finish := func(list []ranked) []Exchange {
		slices.SortFunc(list, better)
		if limit > 0 && len(list) > limit {
			list = list[:limit]
		}
		out := make([]Exchange, 0, len(list))
		for _, x := range list {
			e, _ := g.Exchange(x.c[:x.n])
			out = append(out, e)
		}
		return out
	}
	p.Pairs, p.Cycles = finish(pairs.list), finish(cycles.list)
	if p.PairsTotal+p.CyclesTotal == 0 {
		p.Reason = ReasonNoMatch
	}
	return p
}

// AllPairs returns every reciprocal pair as a region-level exchange, best
// first (needs met, priority sum, parties), with the reason when there is
// none.
func (g *Graph) AllPairs() ([]Exchange, Reason) {
	var out []Exchange
	g.EachPair(func(p Pair) bool {
		e, _ := g.Exchange([]RegionID{p.A, p.B})
		out = append(out, e)
		return true
	})
	slices.SortFunc(out, func(x, y Exchange) int {
		return cmp.Or(-cmp.Compare(x.NeedsMet, y.NeedsMet), -cmp.Compare(x.Priority, y.Priority), slices.Compare(x.Parties, y.Parties))
	})
	if len(out) == 0 {
		return nil, g.emptyReason()
	}
	return out, ""
}

func (g *Graph) emptyReason() Reason {
	switch {
	case len(g.hasNeeds) == 0:
		return ReasonNoNeeds
	case len(g.hasOffers) == 0:
		return ReasonNoOffers
	}
	return ReasonNoMatch
}
