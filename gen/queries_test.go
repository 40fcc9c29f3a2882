package gen_test

import (
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/search"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// nationalSize is the size of the benchmark catalog the mix is made for.
const nationalSize = 165000

// matchCounts returns how many of the solutions each query matches, as the
// catalog search does (every clause holds, retired solutions left out, the
// facet filter applied) except that phrases are not checked for adjacency:
// a count is an upper bound of the search's.
func matchCounts(t *testing.T, sols []*kolaborasi.Solution, names map[string]string, mix []gen.Query) []int {
	t.Helper()
	type doc struct {
		terms  map[string]bool
		facets map[string][]string
	}
	docs := make([]doc, 0, len(sols))
	for _, s := range sols {
		if s.Maturity == kolaborasi.MaturityRetired {
			continue
		}
		d := doc{terms: map[string]bool{}, facets: s.FacetValues()}
		for _, term := range strings.Fields(search.IndexTerms(s.SearchTexts(names[s.RegionCode]))) {
			d.terms[term] = true
		}
		docs = append(docs, d)
	}
	out := make([]int, len(mix))
	count := func(q gen.Query, lang string) int {
		pq, err := search.ParseQuery(q.Q, search.QueryOptions{Language: lang})
		if err != nil {
			t.Fatalf("%q: %v", q.Q, err)
		}
		n := 0
	docs:
		for _, d := range docs {
			if q.Facet != "" && !slices.Contains(d.facets[q.Facet], q.Value) {
				continue
			}
			for _, c := range pq.Clauses {
				hit := false
				for _, p := range c.Alternatives {
					all := true
					for _, term := range p.Terms {
						all = all && d.terms[term.Text]
					}
					hit = hit || all
				}
				if hit == c.Negated {
					continue docs
				}
			}
			n++
		}
		return n
	}
	for i, q := range mix {
		// A query that finds nothing is tried in English too, as the app
		// does.
		if out[i] = count(q, search.LangIndonesian); out[i] == 0 {
			out[i] = count(q, search.LangEnglish)
		}
	}
	return out
}

// TestQueryMixShare checks the benchmark mix against a generated catalog
// a twentieth of the national size (KOLABORASI_MIX_SOLUTIONS changes it),
// counts scaled up: at least 30 % of the queries match fewer than 100
// solutions or none, no miss matches anything, and the kinds come in the
// documented shares. With -v it lists every query's scaled count.
func TestQueryMixShare(t *testing.T) {
	n := nationalSize / 20
	if v, err := strconv.Atoi(os.Getenv("KOLABORASI_MIX_SOLUTIONS")); err == nil && v > 0 {
		n = v
	}
	rs, _, err := wilayah.Regions()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	var codes []string
	for _, r := range rs {
		names[r.Code] = r.Name
		if r.Type != kolaborasi.Province {
			codes = append(codes, r.Code)
		}
	}
	slices.Sort(codes)
	mix := gen.QueryMix(1, 200, codes)
	if !slices.Equal(mix, gen.QueryMix(1, 200, codes)) {
		t.Fatal("the same seed gave another mix")
	}
	counts := matchCounts(t, gen.Solutions(1, n, codes), names, mix)
	scale := float64(nationalSize) / float64(n)
	few, none := 0, 0
	kinds := map[string]int{}
	for i, c := range counts {
		kind := gen.QueryKind(i)
		kinds[kind]++
		if c == 0 {
			none++
		}
		if float64(c)*scale < 100 {
			few++
		}
		if kind == gen.QueryMiss && c != 0 {
			t.Errorf("the miss %q matches %d solutions", mix[i].Q, c)
		}
		t.Logf("%-7s %6.0f  %q %s=%s", kind, float64(c)*scale, mix[i].Q, mix[i].Facet, mix[i].Value)
	}
	t.Logf("%d solutions: %d of %d queries under 100 at national scale, %d none", n, few, len(mix), none)
	if few*100 < 30*len(mix) {
		t.Errorf("%d of %d queries match fewer than 100 solutions at national scale, want at least 30 %%", few, len(mix))
	}
	want := map[string]int{gen.QueryTopic: 90, gen.QueryCommon: 20, gen.QueryEnglish: 20, gen.QueryRare: 40, gen.QueryMiss: 30}
	if !maps.Equal(kinds, want) {
		t.Errorf("kinds of query: %v, want %v", kinds, want)
	}
}
