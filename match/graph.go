package match

import (
	"cmp"
	"math/bits"
	"slices"
)

// Maturity is an offer's maturity level, spelled as the catalogue spells
// it.
type Maturity string

// The maturity levels. A retired solution is never offered.
const (
	MaturityIdea    Maturity = "idea"
	MaturityPilot   Maturity = "pilot"
	MaturityLive    Maturity = "live"
	MaturityRetired Maturity = "retired"
)

// Candidate is a solution the app found for a need, with its relevance
// (any non-negative scale, e.g. the catalogue search score; only the ratio
// to the need's best candidate is used).
type Candidate struct {
	Solution  string
	Relevance float64
}

// Need is what a region is looking for.
type Need struct {
	ID     string
	Region string
	// Dimensions and Sectors are carried for the app (the candidates were
	// found with them); matchmaking itself does not read them.
	Dimensions []string
	Sectors    []string
	// Priority is the region's priority for the need, higher first (the
	// app uses 1–3); it breaks ties between exchanges meeting as many
	// needs.
	Priority int
	// Candidates are the solutions that satisfy the need; unknown
	// solutions are ignored.
	Candidates []Candidate
}

// Offer is a published solution that can be given.
type Offer struct {
	Solution string
	Region   string // the publisher
	Maturity Maturity
	Adopters int // regions that adopted it
	Evidence int // evidence items (impact results, documents) attached
}

// Input is everything matchmaking works on.
type Input struct {
	Needs  []Need
	Offers []Offer
}

// RegionID is a region's index in a Graph, in region-code order.
type RegionID int32

// Witness is one reason for an edge giver → receiver: the giver's
// solution meets the receiver's need.
type Witness struct {
	Need, Solution string
	// Relevance is the candidate's relevance as given.
	Relevance float64
}

// Graph is the region graph: an edge A → B when A has an offer (not
// retired) that is a candidate of some need of B, A ≠ B; each edge keeps
// its witnesses. Build it once with Build; it is read-only afterwards and
// safe for concurrent use.
type Graph struct {
	codes  []string
	region map[string]RegionID
	// out[a] are a's successors in increasing order, wit[a][k] the
	// witnesses of edge a → out[a][k] ordered by need then solution.
	out [][]RegionID
	wit [][][]Witness
	// edgeNeeds, edgePrio: per edge, the number of distinct needs its
	// witnesses meet and the sum of their priorities.
	edgeNeeds, edgePrio [][]int32
	// outBits[a], inBits[a] are the successor and predecessor sets as
	// bitsets of words words each.
	outBits, inBits [][]uint64
	words           int

	needs    []Need // in input order
	needIdx  map[string]int
	offers   map[string]Offer
	priority map[string]int // need → priority
	// regions that have needs / live offers
	hasNeeds, hasOffers map[string]bool
}

// Build makes the region graph of in. Duplicate need IDs or offers keep
// the first; needs and offers without a region are ignored; a candidate of
// a need listed twice counts once (the higher relevance).
func Build(in Input) *Graph {
	g := &Graph{region: map[string]RegionID{}, needIdx: map[string]int{}, offers: map[string]Offer{},
		priority: map[string]int{}, hasNeeds: map[string]bool{}, hasOffers: map[string]bool{}}
	names := map[string]bool{}
	for _, o := range in.Offers {
		if _, dup := g.offers[o.Solution]; dup || o.Region == "" {
			continue
		}
		g.offers[o.Solution] = o
		names[o.Region] = true
		if o.Maturity != MaturityRetired {
			g.hasOffers[o.Region] = true
		}
	}
	for _, n := range in.Needs {
		if _, dup := g.needIdx[n.ID]; dup || n.Region == "" {
			continue
		}
		g.needIdx[n.ID] = len(g.needs)
		g.needs = append(g.needs, n)
		g.priority[n.ID] = n.Priority
		names[n.Region] = true
		g.hasNeeds[n.Region] = true
	}
	for c := range names {
		g.codes = append(g.codes, c)
	}
	slices.Sort(g.codes)
	for i, c := range g.codes {
		g.region[c] = RegionID(i)
	}
	n := len(g.codes)
	g.words = (n + 63) / 64
	g.outBits, g.inBits = bitRows(n, g.words), bitRows(n, g.words)

	type raw struct {
		from, to RegionID
		w        Witness
	}
	var ws []raw
	for _, need := range g.needs {
		to := g.region[need.Region]
		for _, c := range need.Candidates {
			o, ok := g.offers[c.Solution]
			if !ok || o.Maturity == MaturityRetired || o.Region == need.Region {
				continue
			}
			ws = append(ws, raw{g.region[o.Region], to, Witness{need.ID, c.Solution, max(c.Relevance, 0)}})
		}
	}
	slices.SortFunc(ws, func(x, y raw) int {
		return cmp.Or(cmp.Compare(x.from, y.from), cmp.Compare(x.to, y.to), cmp.Compare(x.w.Need, y.w.Need),
			cmp.Compare(x.w.Solution, y.w.Solution), -cmp.Compare(x.w.Relevance, y.w.Relevance))
	})
	g.out, g.wit = make([][]RegionID, n), make([][][]Witness, n)
	for i, r := range ws {
		if i > 0 && ws[i-1].from == r.from && ws[i-1].to == r.to && ws[i-1].w.Need == r.w.Need && ws[i-1].w.Solution == r.w.Solution {
			continue // the same candidate listed twice
		}
		a, b := r.from, r.to
		if k := len(g.out[a]); k == 0 || g.out[a][k-1] != b {
			g.out[a] = append(g.out[a], b)
			g.wit[a] = append(g.wit[a], nil)
			g.outBits[a][b/64] |= 1 << (b % 64)
			g.inBits[b][a/64] |= 1 << (a % 64)
		}
		k := len(g.wit[a]) - 1
		g.wit[a][k] = append(g.wit[a][k], r.w)
	}
	g.edgeNeeds, g.edgePrio = make([][]int32, n), make([][]int32, n)
	for a := range g.wit {
		for _, ws := range g.wit[a] {
			var needs, prio int32
			for i, w := range ws {
				if i == 0 || ws[i-1].Need != w.Need {
					needs++
					prio += int32(g.priority[w.Need])
				}
			}
			g.edgeNeeds[a] = append(g.edgeNeeds[a], needs)
			g.edgePrio[a] = append(g.edgePrio[a], prio)
		}
	}
	return g
}

func bitRows(n, words int) [][]uint64 {
	flat := make([]uint64, n*words)
	rows := make([][]uint64, n)
	for i := range rows {
		rows[i] = flat[i*words : (i+1)*words : (i+1)*words]
	}
	return rows
}

// Regions returns the region codes the graph knows, in order; a RegionID
// indexes it.
func (g *Graph) Regions() []string { return slices.Clone(g.codes) }

// Code returns the code of region r.
func (g *Graph) Code(r RegionID) string { return g.codes[r] }

// ID returns the RegionID of a region code and whether the graph knows it.
func (g *Graph) ID(code string) (RegionID, bool) {
	r, ok := g.region[code]
	return r, ok
}

// Has reports whether the edge a → b exists.
func (g *Graph) Has(a, b RegionID) bool { return g.outBits[a][b/64]>>(b%64)&1 == 1 }

// Successors returns the regions a can meet a need of, in order (shared;
// do not modify).
func (g *Graph) Successors(a RegionID) []RegionID { return g.out[a] }

// Witnesses returns the (need, solution) witnesses of edge a → b, nil when
// there is no edge (shared; do not modify).
func (g *Graph) Witnesses(a, b RegionID) []Witness {
	k, ok := slices.BinarySearch(g.out[a], b)
	if !ok {
		return nil
	}
	return g.wit[a][k]
}

// Edges returns the number of edges and of witnesses.
func (g *Graph) Edges() (edges, witnesses int) {
	for a := range g.out {
		edges += len(g.out[a])
		for _, w := range g.wit[a] {
			witnesses += len(w)
		}
	}
	return edges, witnesses
}

// Pair is a reciprocal pair A < B (by code): A meets needs of B and B
// meets needs of A.
type Pair struct {
	A, B RegionID
}

// EachPair calls f for every reciprocal pair, A < B, in order, until f
// returns false.
func (g *Graph) EachPair(f func(Pair) bool) {
	for a := range g.out {
		for _, b := range g.out[a] {
			if int(b) > a && g.Has(b, RegionID(a)) && !f(Pair{RegionID(a), b}) {
				return
			}
		}
	}
}

// EachCycle calls f for every simple directed cycle of length 3 or 4 in
// the region graph, each once, in its canonical rotation: c[0] is the
// smallest region, then the regions in edge order (c[0] → c[1] → … →
// c[0]). The cycles come in lexicographic order of c. The slice is reused
// between calls; copy it to keep it. f returning false stops.
//
// Cost: Σ over a of (paths a → b → c with b, c > a) × (words of a bitset
// row), plus one call per cycle.
func (g *Graph) EachCycle(f func(c []RegionID) bool) {
	var buf [4]RegionID
	mask := make([]uint64, g.words)
	for a := range g.out {
		ra := RegionID(a)
		// mask = predecessors of a above a
		lo := a / 64
		for w := range mask {
			mask[w] = 0
		}
		for w := lo; w < g.words; w++ {
			mask[w] = g.inBits[a][w]
		}
		mask[lo] &^= (uint64(2) << (a % 64)) - 1 // clear bits ≤ a
		buf[0] = ra
		for _, b := range g.out[a] {
			if int(b) <= a {
				continue
			}
			buf[1] = b
			for _, c := range g.out[b] {
				if int(c) <= a || c == b {
					continue
				}
				buf[2] = c
				// interleave 3-cycles (a b c) and 4-cycles (a b c d) in
				// lexicographic order: (a b c) precedes (a b c d).
				if mask[c/64]>>(c%64)&1 == 1 && !f(buf[:3]) {
					return
				}
				oc := g.outBits[c]
				for w := lo; w < g.words; w++ {
					m := oc[w] & mask[w]
					if w == int(b)/64 {
						m &^= 1 << (b % 64)
					}
					for m != 0 {
						t := bits.TrailingZeros64(m)
						m &= m - 1
						buf[3] = RegionID(w*64 + t)
						if !f(buf[:4]) {
							return
						}
					}
				}
			}
		}
	}
}

// Count returns the number of reciprocal pairs and of 3- and 4-cycles.
func (g *Graph) Count() (pairs, cycles3, cycles4 int) {
	g.EachPair(func(Pair) bool { pairs++; return true })
	g.EachCycle(func(c []RegionID) bool {
		if len(c) == 3 {
			cycles3++
		} else {
			cycles4++
		}
		return true
	})
	return pairs, cycles3, cycles4
}
