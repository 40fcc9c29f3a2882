package catalog

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/kolaborasi/kolaborasi"
)

// Result is what a search returns: the IDs of one page in order, the
// number of matches and the facet counts.
type Result struct {
	IDs []int64
	// Seqs are the change numbers of IDs' documents, in the same order
	// (Doc.Seq): what a cache of the documents checks its copies against.
	Seqs   []int64
	Total  int
	Facets map[string][]kolaborasi.FacetCount
	// Scores are the BM25 scores of IDs, in the same order, when the
	// results are sorted by relevance; nil otherwise.
	Scores []float64
}

// termSet is one query term resolved to dictionary term IDs.
type termSet struct {
	ids    []uint32
	prefix bool
	text   string
}

func (s *Snapshot) resolve(t kolaborasi.TextTerm) termSet {
	ts := termSet{prefix: t.Prefix, text: t.Text}
	if !t.Prefix {
		if i, ok := slices.BinarySearch(s.dict, t.Text); ok {
			ts.ids = []uint32{s.dictIDs[i]}
		}
		return ts
	}
	i := sort.SearchStrings(s.dict, t.Text)
	for ; i < len(s.dict) && strings.HasPrefix(s.dict[i], t.Text); i++ {
		ts.ids = append(ts.ids, s.dictIDs[i])
	}
	return ts
}

// scratch hands out the temporary bitsets of one search from a pool, so
// that a search allocates (and the collector scans) almost nothing.
type scratch struct{ used []*bitset }

var bitsetPool sync.Pool

func (sc *scratch) bitset(n int) bitset {
	p, _ := bitsetPool.Get().(*bitset)
	if p == nil || cap(*p) < (n+63)/64 {
		b := newBitset(n)
		p = &b
	}
	*p = (*p)[:(n+63)/64]
	clear(*p)
	sc.used = append(sc.used, p)
	return *p
}

func (sc *scratch) release() {
	for _, p := range sc.used {
		bitsetPool.Put(p)
	}
	sc.used = nil
}

func (s *Snapshot) postingBits(sc *scratch, ts termSet, n int) bitset {
	b := sc.bitset(n)
	for _, id := range ts.ids {
		for _, ord := range s.posting(id).ords {
			b.set(ord)
		}
	}
	return b
}

func (ts termSet) matches(id uint32) bool {
	if len(ts.ids) == 1 {
		return ts.ids[0] == id
	}
	_, ok := slices.BinarySearch(ts.ids, id)
	return ok
}

// phraseBits returns the documents containing the phrase.
func (s *Snapshot) phraseBits(sc *scratch, ph []kolaborasi.TextTerm, n int) (bitset, []termSet) {
	var sets []termSet
	for _, t := range ph {
		if t.Text != "" {
			sets = append(sets, s.resolve(t))
		}
	}
	if len(sets) == 0 {
		return nil, nil
	}
	b := s.postingBits(sc, sets[0], n)
	for _, ts := range sets[1:] {
		b.and(s.postingBits(sc, ts, n))
	}
	if len(sets) == 1 {
		return b, sets
	}
	for i := range sets {
		slices.Sort(sets[i].ids)
	}
	out := sc.bitset(n)
	var terms []uint32
	b.each(func(ord uint32) {
		terms = s.docs[ord].termIDs(terms[:0])
		for p := 0; p+len(sets) <= len(terms); p++ {
			ok := true
			for k, ts := range sets {
				if !ts.matches(terms[p+k]) {
					ok = false
					break
				}
			}
			if ok {
				out.set(ord)
				return
			}
		}
	})
	return out, sets
}

// Search runs f. ok is false when the query has no positive clause (the
// caller reports that as the SQL search does).
func (s *Snapshot) Search(f kolaborasi.SolutionFilter) (res *Result, ok bool) {
	n := len(s.docs)
	var sc scratch
	defer sc.release()
	var match bitset
	var scoring []termSet
	if f.Text != nil {
		var neg []bitset
		for _, c := range f.Text.Clauses {
			var clause bitset
			var sets []termSet
			for _, ph := range c.Alternatives {
				b, ts := s.phraseBits(&sc, ph, n)
				if b == nil {
					continue
				}
				if clause == nil {
					clause = b
				} else {
					clause.or(b)
				}
				sets = append(sets, ts...)
			}
			if clause == nil {
				continue
			}
			if c.Negated {
				neg = append(neg, clause)
				continue
			}
			scoring = append(scoring, sets...)
			if match == nil {
				match = clause
			} else {
				match.and(clause)
			}
		}
		if match == nil {
			return nil, false
		}
		for _, b := range neg {
			match.andNot(b)
		}
	} else {
		match = sc.bitset(n)
		for i := range match {
			match[i] = ^uint64(0)
		}
		if r := n % 64; r != 0 && len(match) > 0 {
			match[len(match)-1] = (1 << r) - 1
		}
	}
	match.andNot(s.dead)
	retiredAsked := false
	names := make([]string, 0, len(f.Facets))
	for name := range f.Facets {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		values := f.Facets[name]
		if len(values) == 0 {
			continue
		}
		if name == kolaborasi.FacetMaturity && slices.Contains(values, string(kolaborasi.MaturityRetired)) {
			retiredAsked = true
		}
		if i := slices.Index(perDocFacets[:], name); i >= 0 {
			s.keepPerDoc(match, i, values)
			continue
		}
		sel := sc.bitset(n)
		for _, v := range values {
			sel.or(s.facets[name][v])
		}
		match.and(sel)
	}
	if !f.IncludeRetired && !retiredAsked {
		match.andNot(s.retired)
	}
	res = &Result{Total: match.count(), Facets: map[string][]kolaborasi.FacetCount{}}
	if res.Total == 0 {
		return res, true
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	offset := max(f.Offset, 0)
	var ords []uint32
	switch {
	case f.Sort == kolaborasi.SortRelevance && f.Text != nil:
		ords, res.Scores = s.rank(match, scoring, offset, limit)
	case f.Sort == kolaborasi.SortAdopted:
		ords = s.walk(s.adopted, match, offset, limit)
	default:
		ords = s.walk(s.newest, match, offset, limit)
	}
	for _, ord := range ords {
		res.IDs, res.Seqs = append(res.IDs, s.docs[ord].id), append(res.Seqs, s.docs[ord].seq)
	}
	if !f.NoFacets {
		s.countPerDoc(match, res.Facets)
		for name, vm := range s.facets {
			if slices.Contains(perDocFacets[:], name) {
				continue
			}
			for v, b := range vm {
				if c := match.countAnd(b); c > 0 {
					res.Facets[name] = append(res.Facets[name], kolaborasi.FacetCount{Value: v, Count: c})
				}
			}
		}
		for _, cs := range res.Facets {
			slices.SortFunc(cs, func(a, b kolaborasi.FacetCount) int {
				return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
			})
		}
	}
	return res, true
}

// keepPerDoc keeps in match the documents whose value of per-document
// facet i is one of values. These facets have no bitsets: a region's
// would be as long as the catalog for a few hundred documents (552 of
// them were 11 MiB of the national index, K8); walking the matches and
// looking each one's value up is as quick as combining the bitsets was.
func (s *Snapshot) keepPerDoc(match bitset, i int, values []string) {
	want := make([]bool, len(s.perDocValues[i])+1)
	for _, v := range values {
		if k := slices.Index(s.perDocValues[i], v); k >= 0 {
			want[k+1] = true
		}
	}
	arr := s.perDoc[i]
	for w, word := range match {
		for word != 0 {
			bit := bits.TrailingZeros64(word)
			word &= word - 1
			if ord := w*64 + bit; ord >= len(arr) || !want[arr[ord]] {
				match[w] &^= 1 << bit
			}
		}
	}
}

// countPerDoc counts the per-document facets in one walk over the matches.
func (s *Snapshot) countPerDoc(match bitset, out map[string][]kolaborasi.FacetCount) {
	counts := make([][]int, len(perDocFacets))
	arrs := make([][]uint32, len(perDocFacets))
	for i := range perDocFacets {
		counts[i] = make([]int, len(s.perDocValues[i])+1)
		arrs[i] = s.perDoc[i]
	}
	match.each(func(ord uint32) {
		for i, arr := range arrs {
			if int(ord) < len(arr) {
				counts[i][arr[ord]]++
			}
		}
	})
	for i, f := range perDocFacets {
		n := 0
		for _, c := range counts[i][1:] {
			if c > 0 {
				n++
			}
		}
		if n == 0 {
			continue
		}
		// Sized once: growing by appending was a tenth of the bytes a
		// search allocated (K8 memory).
		out[f] = slices.Grow(out[f], n)
		for v, c := range counts[i][1:] {
			if c > 0 {
				out[f] = append(out[f], kolaborasi.FacetCount{Value: s.perDocValues[i][v], Count: c})
			}
		}
	}
}

func (s *Snapshot) walk(order []uint32, match bitset, offset, limit int) []uint32 {
	var out []uint32
	for _, ord := range order {
		if !match.has(ord) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		out = append(out, ord)
		if len(out) == limit {
			break
		}
	}
	return out
}

// scorePool holds score arrays that are all zero: rank writes scores only
// at matches and zeroes them again as it reads them.
var scorePool = sync.Pool{New: func() any { return new([]float32) }}

// rank orders the matches by BM25 (k1 1.2, b 0.75, the parameters of
// FTS5's bm25) over the positive query terms, ties by newest ID, and
// returns the page's ordinals with their scores.
func (s *Snapshot) rank(match bitset, sets []termSet, offset, limit int) ([]uint32, []float64) {
	const k1, b = 1.2, 0.75
	sp := scorePool.Get().(*[]float32)
	defer scorePool.Put(sp)
	scores := *sp
	if cap(scores) < len(s.docs) {
		scores = make([]float32, len(s.docs))
	}
	scores = scores[:len(s.docs)]
	*sp = scores
	live := float64(s.live)
	avg := float64(s.totalLen) / max(live, 1)
	for _, ts := range sets {
		for _, id := range ts.ids {
			p := s.posting(id)
			post, tfs := p.ords, p.tfs
			df := float64(p.df)
			idf := math.Max(math.Log((live-df+0.5)/(df+0.5)), 1e-6)
			for i, ord := range post {
				if !match.has(ord) {
					continue
				}
				tf := float64(tfs[i])
				dl := float64(s.lens[ord])
				scores[ord] += float32(idf * tf * (k1 + 1) / (tf + k1*(1-b+b*dl/avg)))
			}
		}
	}
	type hit struct {
		score float32
		id    int64
		ord   uint32
	}
	want := offset + limit
	top := make([]hit, 0, want+1)
	less := func(a, b hit) bool { return a.score < b.score || a.score == b.score && a.id < b.id }
	match.each(func(ord uint32) {
		score := scores[ord]
		scores[ord] = 0
		if len(top) == want && score < top[len(top)-1].score {
			return
		}
		h := hit{score, s.docs[ord].id, ord}
		if len(top) == want && !less(top[len(top)-1], h) {
			return
		}
		i := sort.Search(len(top), func(i int) bool { return less(top[i], h) })
		top = slices.Insert(top, i, h)
		if len(top) > want {
			top = top[:want]
		}
	})
	var out []uint32
	var outScores []float64
	for i := offset; i < len(top); i++ {
		out = append(out, top[i].ord)
		outScores = append(outScores, float64(top[i].score))
	}
	return out, outScores
}
