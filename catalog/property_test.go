package catalog

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

// model is the obvious implementation of a search: a scan over the live
// documents. The property test checks the index against it.
type model map[int64]Doc

func (m model) apply(docs []Doc) {
	for _, d := range docs {
		m[d.ID] = d
	}
}

func wordMatches(t kolaborasi.TextTerm, w string) bool {
	if t.Prefix {
		return strings.HasPrefix(w, t.Text)
	}
	return w == t.Text
}

func phraseMatches(ph []kolaborasi.TextTerm, words []string) bool {
	var ts []kolaborasi.TextTerm
	for _, t := range ph {
		if t.Text != "" {
			ts = append(ts, t)
		}
	}
	for p := 0; p+len(ts) <= len(words); p++ {
		ok := true
		for k, t := range ts {
			if !wordMatches(t, words[p+k]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func (m model) search(f kolaborasi.SolutionFilter) (*Result, bool) {
	positive := false
	if f.Text != nil {
		for _, c := range f.Text.Clauses {
			if !c.Negated {
				positive = true
			}
		}
		if !positive {
			return nil, false
		}
	}
	retiredAsked := slices.Contains(f.Facets[kolaborasi.FacetMaturity], string(kolaborasi.MaturityRetired))
	var hits []Doc
	for _, d := range m {
		words := strings.Fields(d.Terms)
		ok := true
		if f.Text != nil {
			for _, c := range f.Text.Clauses {
				any := slices.ContainsFunc(c.Alternatives, func(ph []kolaborasi.TextTerm) bool { return phraseMatches(ph, words) })
				if any == c.Negated {
					ok = false
					break
				}
			}
		}
		for name, values := range f.Facets {
			if len(values) > 0 && !slices.ContainsFunc(values, func(v string) bool { return slices.Contains(d.Facets[name], v) }) {
				ok = false
			}
		}
		if d.Retired && !f.IncludeRetired && !retiredAsked {
			ok = false
		}
		if ok {
			hits = append(hits, d)
		}
	}
	res := &Result{Total: len(hits), Facets: map[string][]kolaborasi.FacetCount{}}
	if len(hits) == 0 {
		return res, true
	}
	switch {
	case f.Sort == kolaborasi.SortRelevance && f.Text != nil:
		scores := m.bm25(f.Text, hits)
		slices.SortFunc(hits, func(a, b Doc) int {
			return cmp.Or(cmp.Compare(scores[b.ID], scores[a.ID]), cmp.Compare(b.ID, a.ID))
		})
	case f.Sort == kolaborasi.SortAdopted:
		slices.SortFunc(hits, func(a, b Doc) int { return cmp.Or(cmp.Compare(b.Adoptions, a.Adoptions), cmp.Compare(b.ID, a.ID)) })
	default:
		slices.SortFunc(hits, func(a, b Doc) int { return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(b.ID, a.ID)) })
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	for _, d := range hits[min(max(f.Offset, 0), len(hits)):min(max(f.Offset, 0)+limit, len(hits))] {
		res.IDs, res.Seqs = append(res.IDs, d.ID), append(res.Seqs, d.Seq)
	}
	if !f.NoFacets {
		counts := map[string]map[string]int{}
		for _, d := range hits {
			for name, values := range d.Facets {
				for _, v := range values {
					if v == "" {
						continue
					}
					if counts[name] == nil {
						counts[name] = map[string]int{}
					}
					counts[name][v]++
				}
			}
		}
		for name, vc := range counts {
			for v, c := range vc {
				res.Facets[name] = append(res.Facets[name], kolaborasi.FacetCount{Value: v, Count: c})
			}
			slices.SortFunc(res.Facets[name], func(a, b kolaborasi.FacetCount) int {
				return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
			})
		}
	}
	return res, true
}

// bm25 scores the hits over the statistics of every live document, summing
// in the index's order (query terms, then dictionary order) so that the
// float32 sums are the same.
func (m model) bm25(q *kolaborasi.TextQuery, hits []Doc) map[int64]float32 {
	const k1, b = 1.2, 0.75
	var total int
	df := map[string]int{}
	var dict []string
	for _, d := range m {
		words := strings.Fields(d.Terms)
		total += len(words)
		seen := map[string]bool{}
		for _, w := range words {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	for w := range df {
		dict = append(dict, w)
	}
	slices.Sort(dict)
	n := float64(len(m))
	avg := float64(total) / max(n, 1)
	scores := map[int64]float32{}
	for _, c := range q.Clauses {
		if c.Negated {
			continue
		}
		for _, ph := range c.Alternatives {
			for _, t := range ph {
				if t.Text == "" {
					continue
				}
				for _, w := range dict {
					if !wordMatches(t, w) {
						continue
					}
					idf := math.Max(math.Log((n-float64(df[w])+0.5)/(float64(df[w])+0.5)), 1e-6)
					for _, d := range hits {
						words := strings.Fields(d.Terms)
						tf := float64(0)
						for _, x := range words {
							if x == w {
								tf++
							}
						}
						if tf > 0 {
							scores[d.ID] += float32(idf * tf * (k1 + 1) / (tf + k1*(1-b+b*float64(len(words))/avg)))
						}
					}
				}
			}
		}
	}
	return scores
}

var (
	propWords   = []string{"kota", "kotak", "bank", "sampah", "layanan", "lay", "air", "bersih", "sehat", "sekolah"}
	propKinds   = []string{"software", "programme", "service"}
	propRegions = []string{"32.73", "35.72", "35.07", "51.71"}
)

func randomDoc(r *rand.Rand, id int64, fresh *int) Doc {
	var words []string
	for range 1 + r.IntN(8) {
		if r.IntN(40) == 0 {
			*fresh++
			words = append(words, fmt.Sprintf("baru%d", *fresh)) // a term the index has not seen
		} else {
			words = append(words, propWords[r.IntN(len(propWords))])
		}
	}
	region := propRegions[r.IntN(len(propRegions))]
	facets := map[string][]string{kolaborasi.FacetKind: {propKinds[r.IntN(len(propKinds))]},
		kolaborasi.FacetRegion: {region}, kolaborasi.FacetProvince: {region[:2]}}
	if r.IntN(3) == 0 {
		facets[kolaborasi.FacetSector] = []string{"health", "education"}[:1+r.IntN(2)]
	}
	retired := r.IntN(8) == 0
	if retired {
		facets[kolaborasi.FacetMaturity] = []string{string(kolaborasi.MaturityRetired)}
	} else {
		facets[kolaborasi.FacetMaturity] = []string{string(kolaborasi.MaturityLive)}
	}
	// Few distinct dates and adoption counts: many ties, broken by ID.
	return Doc{ID: id, CreatedAt: int64(r.IntN(50)), Adoptions: r.IntN(5), Retired: retired, Facets: facets,
		Terms: strings.Join(words, " "), Seq: r.Int64N(1 << 40)}
}

func randomTerm(r *rand.Rand, fresh int) kolaborasi.TextTerm {
	w := propWords[r.IntN(len(propWords))]
	if fresh > 0 && r.IntN(6) == 0 {
		w = fmt.Sprintf("baru%d", 1+r.IntN(fresh))
	}
	if r.IntN(3) == 0 {
		return kolaborasi.TextTerm{Text: w[:1+r.IntN(len(w))], Prefix: true}
	}
	return kolaborasi.TextTerm{Text: w}
}

func randomFilter(r *rand.Rand, fresh int) kolaborasi.SolutionFilter {
	f := kolaborasi.SolutionFilter{Facets: map[string][]string{}, Limit: 1 + r.IntN(12), Offset: r.IntN(3) * r.IntN(10),
		IncludeRetired: r.IntN(4) == 0, NoFacets: r.IntN(5) == 0,
		Sort: []kolaborasi.SolutionSort{kolaborasi.SortRelevance, kolaborasi.SortNewest, kolaborasi.SortAdopted}[r.IntN(3)]}
	if r.IntN(5) != 0 {
		f.Text = &kolaborasi.TextQuery{}
		for range 1 + r.IntN(2) {
			c := kolaborasi.TextClause{Negated: r.IntN(5) == 0}
			for range 1 + r.IntN(2) {
				var ph []kolaborasi.TextTerm
				for range 1 + r.IntN(2) {
					ph = append(ph, randomTerm(r, fresh))
				}
				c.Alternatives = append(c.Alternatives, ph)
			}
			f.Text.Clauses = append(f.Text.Clauses, c)
		}
	}
	switch r.IntN(6) {
	case 0:
		f.Facets[kolaborasi.FacetKind] = []string{propKinds[r.IntN(3)]}
	case 1:
		f.Facets[kolaborasi.FacetRegion] = []string{propRegions[r.IntN(4)], propRegions[r.IntN(4)]}
	case 2:
		f.Facets[kolaborasi.FacetMaturity] = []string{string(kolaborasi.MaturityRetired)}
	}
	return f
}

func checkSearch(t *testing.T, s *Snapshot, m model, f kolaborasi.SolutionFilter) {
	t.Helper()
	got, gok := s.Search(f)
	want, wok := m.search(f)
	// The model orders by the same scores but does not report them: the
	// index's must come one per ID, in non-increasing order, with a
	// relevance sort only.
	if got != nil {
		ranked := f.Sort == kolaborasi.SortRelevance && f.Text != nil
		if ranked && len(got.Scores) != len(got.IDs) || !ranked && got.Scores != nil {
			t.Fatalf("%d scores for %d IDs (relevance sort %v)", len(got.Scores), len(got.IDs), ranked)
		}
		for i := 1; i < len(got.Scores); i++ {
			if got.Scores[i] > got.Scores[i-1] {
				t.Fatalf("scores not in order: %v", got.Scores)
			}
		}
		got.Scores = nil
	}
	if gok != wok || !reflect.DeepEqual(got, want) {
		t.Fatalf("seq %d, filter %+v text %+v:\nindex %v %+v\nmodel %v %+v", s.Seq(), f, f.Text, gok, got, wok, want)
	}
}

// TestIndexProperty applies random batches (new documents, replacements,
// retirements, new terms, batches over 4,096) and after each one checks
// random searches against the model, while readers search the published
// snapshots concurrently and check that a snapshot never changes.
func TestIndexProperty(t *testing.T) {
	iterations := 300
	if testing.Short() {
		iterations = 60
	}
	r := rand.New(rand.NewPCG(1, 2))
	x := New()
	m := model{}
	fresh := 0
	var maxID int64

	// Readers: each repeats a search on a snapshot after newer ones were
	// published and expects the same answer.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var checks atomic.Int64
	for i := range 2 {
		wg.Go(func() {
			rr := rand.New(rand.NewPCG(uint64(i), 9))
			for {
				select {
				case <-stop:
					return
				default:
				}
				s := x.Snapshot()
				f := randomFilter(rr, 0)
				first, _ := s.Search(f)
				for range 3 {
					again, _ := s.Search(f)
					if !reflect.DeepEqual(first, again) {
						t.Errorf("snapshot %d changed: %+v then %+v", s.Seq(), first, again)
						return
					}
				}
				if all, _ := s.Search(kolaborasi.SolutionFilter{IncludeRetired: true, Limit: 1 << 20, NoFacets: true}); all.Total != s.Len() || len(all.IDs) != all.Total {
					t.Errorf("snapshot %d: %d of %d live documents listed", s.Seq(), len(all.IDs), s.Len())
					return
				}
				checks.Add(1)
			}
		})
	}

	for it := range iterations {
		var batch []Doc
		size := 1 + r.IntN(6)
		switch {
		case it%97 == 50:
			size = 4096 + r.IntN(600) // a batch over the old limit, replacing documents several times
		case r.IntN(10) == 0:
			size = 20 + r.IntN(200)
		}
		for range size {
			id := 1 + r.Int64N(maxID+1)
			if id > maxID || maxID < 700 && r.IntN(3) == 0 {
				maxID++
				id = maxID
			}
			batch = append(batch, randomDoc(r, id, &fresh))
		}
		x.Apply(batch, int64(it+1))
		m.apply(batch)
		s := x.Snapshot()
		if s.Seq() != int64(it+1) || s.Len() != len(m) {
			t.Fatalf("after batch %d: seq %d, %d live, model %d", it, s.Seq(), s.Len(), len(m))
		}
		for range 8 {
			checkSearch(t, s, m, randomFilter(r, fresh))
		}
		// A prefix of the newest term finds it.
		if fresh > 0 {
			w := fmt.Sprintf("baru%d", fresh)
			f := kolaborasi.SolutionFilter{Text: &kolaborasi.TextQuery{Clauses: []kolaborasi.TextClause{{Alternatives: [][]kolaborasi.TextTerm{{{Text: w[:5], Prefix: true}}}}}}, IncludeRetired: true}
			checkSearch(t, s, m, f)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d batches, %d documents, %d new terms, %d concurrent snapshot checks", iterations, len(m), fresh, checks.Load())
}

// TestPatchOrder checks the incremental sort orders against a sort.
func TestPatchOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		keys := make([]int, 200)
		for i := range keys {
			keys[i] = r.IntN(30)
		}
		cmpf := func(a, b uint32) int { return cmp.Or(cmp.Compare(keys[a], keys[b]), cmp.Compare(a, b)) }
		live := map[uint32]bool{}
		var order []uint32
		for i := range 100 {
			if r.IntN(2) == 0 {
				live[uint32(i)] = true
				order = append(order, uint32(i))
			}
		}
		slices.SortFunc(order, cmpf)
		var removed, added []uint32
		for o := range live {
			if r.IntN(4) == 0 {
				removed = append(removed, o)
				delete(live, o)
			}
		}
		for i := 100; i < 200; i++ {
			if r.IntN(5) == 0 {
				added = append(added, uint32(i))
				live[uint32(i)] = true
			}
		}
		got := patchOrder(order, removed, added, cmpf)
		var want []uint32
		for o := range live {
			want = append(want, o)
		}
		slices.SortFunc(want, cmpf)
		if !slices.Equal(got, want) {
			t.Fatalf("patch %v -%v +%v = %v, want %v", order, removed, added, got, want)
		}
	}
}
