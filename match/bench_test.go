package match

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// national returns a deterministic national-scale instance: 552 regions,
// 165,000 offers and 5,000 needs with up to 20 candidates each. Skew:
// publishers follow a Zipf-like law (large cities publish more), the 8
// dimensions and 24 sectors are drawn with Zipf weights for both offers and
// needs, and within a (dimension, sector) bucket the candidates of a need
// favour the bucket's first offers (popular solutions) with a power law.
// About 3 % of offers are retired; relevance is uniform in (0, 1].
func national(seed uint64, regions, offers, needs int) Input {
	rng := rand.New(rand.NewPCG(seed, 11))
	codes := make([]string, regions)
	for i := range codes {
		codes[i] = fmt.Sprintf("%02d.%02d", 11+i/40, i%40)
	}
	zipf := func(n int, s float64) func() int {
		w := make([]float64, n)
		total := 0.0
		for i := range w {
			total += 1 / math.Pow(float64(i+1), s)
			w[i] = total
		}
		return func() int {
			x := rng.Float64() * total
			lo, hi := 0, n-1
			for lo < hi {
				mid := (lo + hi) / 2
				if w[mid] < x {
					lo = mid + 1
				} else {
					hi = mid
				}
			}
			return lo
		}
	}
	const dims, sectors = 8, 24
	publisher, dim, sector := zipf(regions, 0.8), zipf(dims, 0.7), zipf(sectors, 0.9)
	// A random permutation keeps the big publishers away from low codes.
	perm := rng.Perm(regions)
	in := Input{Offers: make([]Offer, offers), Needs: make([]Need, needs)}
	bucket := make([][]int, dims*sectors)
	matur := []Maturity{MaturityIdea, MaturityPilot, MaturityPilot, MaturityLive, MaturityLive, MaturityLive}
	for i := range in.Offers {
		m := matur[rng.IntN(len(matur))]
		if rng.IntN(100) < 3 {
			m = MaturityRetired
		}
		in.Offers[i] = Offer{Solution: fmt.Sprintf("S%06d", i), Region: codes[perm[publisher()]], Maturity: m,
			Adopters: int(rng.ExpFloat64() * 2), Evidence: int(rng.ExpFloat64())}
		k := dim()*sectors + sector()
		bucket[k] = append(bucket[k], i)
	}
	for i := range in.Needs {
		d, s := dim(), sector()
		n := Need{ID: fmt.Sprintf("N%05d", i), Region: codes[rng.IntN(regions)], Dimensions: []string{fmt.Sprint("D", d)},
			Sectors: []string{fmt.Sprint("E", s)}, Priority: 1 + rng.IntN(3)}
		b := bucket[d*sectors+s]
		for range rng.IntN(21) {
			if len(b) == 0 {
				break
			}
			// power law over the bucket: popular solutions first
			j := int(float64(len(b)) * math.Pow(rng.Float64(), 3))
			n.Candidates = append(n.Candidates, Candidate{Solution: in.Offers[b[j]].Solution, Relevance: 1 - rng.Float64()})
		}
		in.Needs[i] = n
	}
	return in
}

// BenchmarkNational builds the region graph of the national instance
// (outside the timer) and, per op, computes every reciprocal pair and
// every cycle of length 3 and 4 (each cycle visited once through
// EachCycle, counted). Run with -cpu 1.
func BenchmarkNational(b *testing.B) {
	in := national(1, 552, 165_000, 5_000)
	g := Build(in)
	e, w := g.Edges()
	var p, c3, c4 int
	b.ReportAllocs()
	for b.Loop() {
		p, c3, c4 = g.Count()
	}
	b.ReportMetric(float64(e), "edges")
	b.ReportMetric(float64(w), "witnesses")
	b.ReportMetric(float64(p), "pairs")
	b.ReportMetric(float64(c3), "cycles3")
	b.ReportMetric(float64(c4), "cycles4")
}

// BenchmarkBuild measures building the national region graph.
func BenchmarkBuild(b *testing.B) {
	in := national(1, 552, 165_000, 5_000)
	b.ReportAllocs()
	for b.Loop() {
		Build(in)
	}
}

// BenchmarkNationalPartners lists "Mitra yang cocok" (top 20 pairs and
// cycles) for the national instance's region with the most successors.
func BenchmarkNationalPartners(b *testing.B) {
	g := Build(national(1, 552, 165_000, 5_000))
	busiest := RegionID(0)
	for r := range g.Regions() {
		if len(g.Successors(RegionID(r))) > len(g.Successors(busiest)) {
			busiest = RegionID(r)
		}
	}
	var p Partners
	b.ReportAllocs()
	for b.Loop() {
		p = g.Partners(g.Code(busiest), 20)
	}
	b.ReportMetric(float64(len(g.Successors(busiest))), "successors")
	b.ReportMetric(float64(p.PairsTotal), "pairs")
	b.ReportMetric(float64(p.CyclesTotal), "cycles")
}

// BenchmarkNationalSuggest chooses the suggested set over the national
// instance with the default options (the candidates are truncated at
// 20,000 concrete exchanges and the search at its budget).
func BenchmarkNationalSuggest(b *testing.B) {
	g := Build(national(1, 552, 165_000, 5_000))
	var p Plan
	b.ReportAllocs()
	for b.Loop() {
		p = g.Suggest(PlanOptions{})
	}
	b.ReportMetric(float64(p.Candidates), "candidates")
	b.ReportMetric(float64(p.NeedsMet), "needs-met")
	b.ReportMetric(float64(p.UpperBound), "bound")
}
