package gen

import (
	"math/rand/v2"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// Query is one search of the benchmark mix.
type Query struct {
	Q string
	// Facet and Value filter on one facet value; "" for none.
	Facet, Value string
}

// QueryMix returns the fixed benchmark mix of n queries for the seed: 1 to
// 3 words (each word taken from the generator's Indonesian vocabulary, a
// tenth from the English one, a twentieth a word no solution has), every
// other query with one facet filter (kind, dimension, sector, province,
// region, licence, maturity or reuse in turn), the region and province
// values taken from regions. The mix is documented in docs/BENCHMARKS.md.
func QueryMix(seed uint64, n int, regions []string) []Query {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var id, en []string
	for _, t := range topics {
		for _, p := range t.id {
			id = append(id, strings.Fields(p)...)
		}
		for _, p := range t.en {
			en = append(en, strings.Fields(p)...)
		}
	}
	id = append(id, objectsID...)
	id = append(id, "layanan", "warga", "daerah", "aplikasi", "sistem", "digital", "terpadu")
	misses := []string{"kapal selam", "gunung berapi", "tambang emas", "satelit"}
	facets := []string{kolaborasi.FacetKind, kolaborasi.FacetDimension, kolaborasi.FacetSector, kolaborasi.FacetProvince,
		kolaborasi.FacetRegion, kolaborasi.FacetLicence, kolaborasi.FacetMaturity, kolaborasi.FacetReuse}
	out := make([]Query, 0, n)
	for i := range n {
		var words []string
		for range 1 + r.IntN(3) {
			switch x := r.IntN(20); {
			case x == 0:
				words = append(words, misses[r.IntN(len(misses))])
			case x < 3:
				words = append(words, en[r.IntN(len(en))])
			default:
				words = append(words, id[r.IntN(len(id))])
			}
		}
		q := Query{Q: strings.Join(words, " ")}
		if i%2 == 1 {
			q.Facet = facets[(i/2)%len(facets)]
			switch q.Facet {
			case kolaborasi.FacetKind:
				q.Value = string(pick(r, kinds))
			case kolaborasi.FacetDimension:
				q.Value = string(pick(r, dims))
			case kolaborasi.FacetSector:
				q.Value = string(pick(r, topicWeights()).sector)
			case kolaborasi.FacetProvince:
				q.Value = regions[r.IntN(len(regions))][:2]
			case kolaborasi.FacetRegion:
				q.Value = regions[r.IntN(len(regions))]
			case kolaborasi.FacetLicence:
				q.Value = pick(r, licences)
			case kolaborasi.FacetMaturity:
				q.Value = string(pick(r, maturities[:3]))
			case kolaborasi.FacetReuse:
				q.Value = string(kolaborasi.ReuseTerms[r.IntN(len(kolaborasi.ReuseTerms))])
			}
		}
		out = append(out, q)
	}
	return out
}
