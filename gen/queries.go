package gen

import (
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// Query is one search of the benchmark mix.
type Query struct {
	Q string
	// Facet and Value filter on one facet value; "" for none.
	Facet, Value string
}

// APIPath returns the query as a search of the JSON API with a page of
// size results: /api/v1/solutions?q=…&facet=value&page[size]=size.
func (q Query) APIPath(size int) string {
	v := url.Values{"q": {q.Q}, "page[size]": {strconv.Itoa(size)}}
	if q.Facet != "" {
		v.Set(q.Facet, q.Value)
	}
	return "/api/v1/solutions?" + v.Encode()
}

// Kinds of query in the mix, in the order of MixShares.
const (
	QueryTopic   = "topic"   // a field of work's Indonesian phrase, maybe with a common word
	QueryCommon  = "common"  // one or two words most solutions have
	QueryEnglish = "english" // a field of work's English phrase
	QueryRare    = "rare"    // a solution's name: a rare prefix, a phrase, a rare suffix
	QueryMiss    = "miss"    // a word no solution has
)

// mixPattern gives the kind of the i-th query of a mix (i mod 20): 45 %
// topic, 10 % common, 10 % English, 20 % rare, 15 % misses.
var mixPattern = [20]string{
	QueryTopic, QueryRare, QueryTopic, QueryMiss, QueryTopic, QueryCommon, QueryRare, QueryTopic, QueryEnglish, QueryMiss,
	QueryTopic, QueryRare, QueryTopic, QueryCommon, QueryTopic, QueryMiss, QueryRare, QueryEnglish, QueryTopic, QueryTopic,
}

// QueryKind returns the kind of the i-th query of every mix.
func QueryKind(i int) string { return mixPattern[i%len(mixPattern)] }

// Words of the rare names: each appears only in the name of about one
// solution in nine, so a name with both matches fewer than 100 of the
// national 165,000 (about 40 on average, 61 for the commonest phrase).
var (
	rarePrefix = []string{"Gerakan", "Dashboard", "Pusat"}
	rareSuffix = []string{"Online", "Cerdas", "Mandiri"}
	// missWords are smart-city words the generator never writes.
	missWords = []string{"nelayan", "irigasi sawah", "posyandu", "stunting", "banjir", "kapal selam", "gunung berapi",
		"tambang emas", "satelit", "sertifikat halal", "mangrove", "drone", "blockchain", "karhutla", "sensor gempa"}
	commonWords = []string{"layanan", "warga", "daerah", "aplikasi", "sistem", "digital", "terpadu", "solusi", "dinas"}
)

// QueryMix returns the fixed benchmark mix of n queries for the seed, with
// the kinds of QueryKind in turn: a topic's Indonesian phrase ("bank
// sampah"), half the time with a common word or an object ("bank sampah
// warga"); one or two common words ("layanan", "aplikasi digital"); a
// topic's English phrase; the name of a solution the generator may have
// made from rare words ("Dashboard Antrean Puskesmas Cerdas"); and a word
// no generated solution has, alone or with a common word. Every other query
// has one facet filter (kind, dimension, sector, province, region, licence,
// maturity or reuse in turn), the region and province values taken from
// regions. At the national 165,000 solutions over a third of the queries
// match fewer than 100 solutions (TestQueryMixShare). The mix is
// documented in docs/BENCHMARKS.md.
func QueryMix(seed uint64, n int, regions []string) []Query {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	facets := []string{kolaborasi.FacetKind, kolaborasi.FacetDimension, kolaborasi.FacetSector, kolaborasi.FacetProvince,
		kolaborasi.FacetRegion, kolaborasi.FacetLicence, kolaborasi.FacetMaturity, kolaborasi.FacetReuse}
	out := make([]Query, 0, n)
	for i := range n {
		tp := topics[r.IntN(len(topics))]
		k := r.IntN(len(tp.id))
		var words []string
		switch QueryKind(i) {
		case QueryTopic:
			words = append(words, tp.id[k])
			if r.IntN(2) == 0 {
				words = append(words, append(commonWords, objectsID...)[r.IntN(len(commonWords)+len(objectsID))])
			}
		case QueryCommon:
			for range 1 + r.IntN(2) {
				words = append(words, commonWords[r.IntN(len(commonWords))])
			}
		case QueryEnglish:
			words = append(words, tp.en[k])
		case QueryRare:
			// Not e-government's phrases: each is in 4 % of solutions.
			tp = topics[1+r.IntN(len(topics)-1)]
			k = r.IntN(len(tp.id))
			words = append(words, rarePrefix[r.IntN(len(rarePrefix))], titleCase(tp.id[k]), rareSuffix[r.IntN(len(rareSuffix))])
		case QueryMiss:
			words = append(words, missWords[r.IntN(len(missWords))])
			if r.IntN(2) == 0 {
				words = append(words, commonWords[r.IntN(len(commonWords))])
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
