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

// Doc is one solution as the index sees it.
type Doc struct {
	ID int64
	// CreatedAt orders "newest" (any monotonic number, e.g. Unix µs).
	CreatedAt int64
	Adoptions int
	Retired   bool
	Facets    map[string][]string
	// Terms is the space-separated analysed text, as stored.
	Terms string
}

type docMeta struct {
	id        int64
	createdAt int64
	adoptions int
	terms     []uint32
}

type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i uint32) { b[i>>6] |= 1 << (i & 63) }

func (b bitset) has(i uint32) bool { return int(i>>6) < len(b) && b[i>>6]&(1<<(i&63)) != 0 }

func (b bitset) grow(n int) bitset {
	for len(b) < (n+63)/64 {
		b = append(b, 0)
	}
	return b
}

func (b bitset) and(o bitset) {
	for i := range b {
		if i < len(o) {
			b[i] &= o[i]
		} else {
			b[i] = 0
		}
	}
}

func (b bitset) or(o bitset) {
	for i := range min(len(b), len(o)) {
		b[i] |= o[i]
	}
}

func (b bitset) andNot(o bitset) {
	for i := range min(len(b), len(o)) {
		b[i] &^= o[i]
	}
}

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b bitset) countAnd(o bitset) int {
	n := 0
	for i := range min(len(b), len(o)) {
		n += bits.OnesCount64(b[i] & o[i])
	}
	return n
}

func (b bitset) each(fn func(i uint32)) {
	for wi, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			fn(uint32(wi*64 + t))
			w &= w - 1
		}
	}
}

// Index is safe for concurrent use: searches share a read lock, Apply
// takes the write lock.
type Index struct {
	mu       sync.RWMutex
	seq      int64
	docs     []docMeta
	byID     map[int64]uint32
	dead     bitset
	retired  bitset
	termID   map[string]uint32
	termText []string
	post     [][]uint32
	tf       [][]uint16
	// dict is termText sorted, for prefix expansion; rebuilt after Apply.
	dict   []string
	facets map[string]map[string]bitset
	// perDoc holds, for the facets with many values (region, province),
	// each document's value as an index into perDocValues plus one (0:
	// none): counting those by walking the matches is cheaper than one
	// popcount per value.
	perDoc       map[string][]uint32
	perDocValues map[string][]string
	perDocIndex  map[string]map[string]uint32
	newest       []uint32
	adopted      []uint32
	totalLen     int64
}

// New returns an empty index.
func New() *Index {
	x := &Index{byID: map[int64]uint32{}, termID: map[string]uint32{}, facets: map[string]map[string]bitset{},
		perDoc: map[string][]uint32{}, perDocValues: map[string][]string{}, perDocIndex: map[string]map[string]uint32{}}
	for _, f := range perDocFacets {
		x.perDocIndex[f] = map[string]uint32{}
	}
	return x
}

// perDocFacets are the single-valued facets with many values.
var perDocFacets = []string{kolaborasi.FacetRegion, kolaborasi.FacetProvince}

func (x *Index) setPerDoc(facet string, ord uint32, values []string) {
	arr := x.perDoc[facet]
	for len(arr) <= int(ord) {
		arr = append(arr, 0)
	}
	x.perDoc[facet] = arr
	if len(values) != 1 || values[0] == "" {
		return
	}
	id, ok := x.perDocIndex[facet][values[0]]
	if !ok {
		x.perDocValues[facet] = append(x.perDocValues[facet], values[0])
		id = uint32(len(x.perDocValues[facet]))
		x.perDocIndex[facet][values[0]] = id
	}
	arr[ord] = id
}

// Seq returns the change number the index has caught up to.
func (x *Index) Seq() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.seq
}

// Len returns the number of live documents.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.docs) - x.dead.count()
}

// Apply adds or replaces documents and records that the index is current
// up to change number seq.
func (x *Index) Apply(docs []Doc, seq int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, d := range docs {
		x.add(d)
	}
	x.reorder()
	if seq > x.seq {
		x.seq = seq
	}
}

// Add adds or replaces documents without updating the sort orders: for
// loading a new index in batches, finished by Apply.
func (x *Index) Add(docs []Doc) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, d := range docs {
		x.add(d)
	}
}

// Dead returns the share of ordinals held by replaced documents; the store
// rebuilds the index when it grows large.
func (x *Index) Dead() float64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.docs) == 0 {
		return 0
	}
	return float64(x.dead.count()) / float64(len(x.docs))
}

func (x *Index) add(d Doc) {
	ord := uint32(len(x.docs))
	n := len(x.docs) + 1
	x.dead = x.dead.grow(n)
	x.retired = x.retired.grow(n)
	if old, ok := x.byID[d.ID]; ok {
		x.dead.set(old)
		x.totalLen -= int64(len(x.docs[old].terms))
		x.docs[old].terms = nil
	}
	x.byID[d.ID] = ord
	words := strings.Fields(d.Terms)
	m := docMeta{id: d.ID, createdAt: d.CreatedAt, adoptions: d.Adoptions, terms: make([]uint32, len(words))}
	freq := map[uint32]uint16{}
	for i, w := range words {
		id, ok := x.termID[w]
		if !ok {
			id = uint32(len(x.termText))
			x.termID[w] = id
			x.termText = append(x.termText, w)
			x.post = append(x.post, nil)
			x.tf = append(x.tf, nil)
			x.dict = nil
		}
		m.terms[i] = id
		if freq[id] < math.MaxUint16 {
			freq[id]++
		}
	}
	for id, f := range freq {
		x.post[id] = append(x.post[id], ord)
		x.tf[id] = append(x.tf[id], f)
	}
	x.totalLen += int64(len(words))
	x.docs = append(x.docs, m)
	if d.Retired {
		x.retired.set(ord)
	}
	for _, f := range perDocFacets {
		x.setPerDoc(f, ord, d.Facets[f])
	}
	for facet, values := range d.Facets {
		vm := x.facets[facet]
		if vm == nil {
			vm = map[string]bitset{}
			x.facets[facet] = vm
		}
		for _, v := range values {
			if v == "" {
				continue
			}
			b := vm[v].grow(n)
			b.set(ord)
			vm[v] = b
		}
	}
}

// reorder rebuilds the sort orders and the prefix dictionary.
func (x *Index) reorder() {
	live := make([]uint32, 0, len(x.docs))
	for i := range x.docs {
		if !x.dead.has(uint32(i)) {
			live = append(live, uint32(i))
		}
	}
	x.newest = slices.Clone(live)
	slices.SortFunc(x.newest, func(a, b uint32) int {
		da, db := &x.docs[a], &x.docs[b]
		return cmp.Or(cmp.Compare(db.createdAt, da.createdAt), cmp.Compare(db.id, da.id))
	})
	x.adopted = live
	slices.SortFunc(x.adopted, func(a, b uint32) int {
		da, db := &x.docs[a], &x.docs[b]
		return cmp.Or(cmp.Compare(db.adoptions, da.adoptions), cmp.Compare(db.id, da.id))
	})
	if x.dict == nil {
		x.dict = slices.Clone(x.termText)
		slices.Sort(x.dict)
	}
}

// Result is what a search returns: the IDs of one page in order, the
// number of matches and the facet counts.
type Result struct {
	IDs    []int64
	Total  int
	Facets map[string][]kolaborasi.FacetCount
}

// termSet is one query term resolved to dictionary term IDs.
type termSet struct {
	ids    []uint32
	prefix bool
	text   string
}

func (x *Index) resolve(t kolaborasi.TextTerm) termSet {
	ts := termSet{prefix: t.Prefix, text: t.Text}
	if !t.Prefix {
		if id, ok := x.termID[t.Text]; ok {
			ts.ids = []uint32{id}
		}
		return ts
	}
	i := sort.SearchStrings(x.dict, t.Text)
	for ; i < len(x.dict) && strings.HasPrefix(x.dict[i], t.Text); i++ {
		ts.ids = append(ts.ids, x.termID[x.dict[i]])
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

func (x *Index) postingBits(sc *scratch, ts termSet, n int) bitset {
	b := sc.bitset(n)
	for _, id := range ts.ids {
		for _, ord := range x.post[id] {
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
func (x *Index) phraseBits(sc *scratch, ph []kolaborasi.TextTerm, n int) (bitset, []termSet) {
	var sets []termSet
	for _, t := range ph {
		if t.Text != "" {
			sets = append(sets, x.resolve(t))
		}
	}
	if len(sets) == 0 {
		return nil, nil
	}
	b := x.postingBits(sc, sets[0], n)
	for _, ts := range sets[1:] {
		b.and(x.postingBits(sc, ts, n))
	}
	if len(sets) == 1 {
		return b, sets
	}
	for i := range sets {
		slices.Sort(sets[i].ids)
	}
	out := sc.bitset(n)
	b.each(func(ord uint32) {
		terms := x.docs[ord].terms
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
func (x *Index) Search(f kolaborasi.SolutionFilter) (res *Result, ok bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.docs)
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
				b, ts := x.phraseBits(&sc, ph, n)
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
	match.andNot(x.dead)
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
		sel := sc.bitset(n)
		for _, v := range values {
			sel.or(x.facets[name][v])
		}
		match.and(sel)
	}
	if !f.IncludeRetired && !retiredAsked {
		match.andNot(x.retired)
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
	switch {
	case f.Sort == kolaborasi.SortRelevance && f.Text != nil:
		res.IDs = x.rank(match, scoring, offset, limit)
	case f.Sort == kolaborasi.SortAdopted:
		res.IDs = x.walk(x.adopted, match, offset, limit)
	default:
		res.IDs = x.walk(x.newest, match, offset, limit)
	}
	if !f.NoFacets {
		x.countPerDoc(match, res.Facets)
		for name, vm := range x.facets {
			if _, ok := x.perDocIndex[name]; ok {
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

// countPerDoc counts the per-document facets in one walk over the matches.
func (x *Index) countPerDoc(match bitset, out map[string][]kolaborasi.FacetCount) {
	counts := make([][]int, len(perDocFacets))
	arrs := make([][]uint32, len(perDocFacets))
	for i, f := range perDocFacets {
		counts[i] = make([]int, len(x.perDocValues[f])+1)
		arrs[i] = x.perDoc[f]
	}
	match.each(func(ord uint32) {
		for i, arr := range arrs {
			if int(ord) < len(arr) {
				counts[i][arr[ord]]++
			}
		}
	})
	for i, f := range perDocFacets {
		for v, c := range counts[i][1:] {
			if c > 0 {
				out[f] = append(out[f], kolaborasi.FacetCount{Value: x.perDocValues[f][v], Count: c})
			}
		}
	}
}

func (x *Index) walk(order []uint32, match bitset, offset, limit int) []int64 {
	var out []int64
	for _, ord := range order {
		if !match.has(ord) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		out = append(out, x.docs[ord].id)
		if len(out) == limit {
			break
		}
	}
	return out
}

var scorePool = sync.Pool{New: func() any { return new([]float32) }}

// rank orders the matches by BM25 (k1 1.2, b 0.75, the parameters of
// FTS5's bm25) over the positive query terms, ties by newest ID.
func (x *Index) rank(match bitset, sets []termSet, offset, limit int) []int64 {
	const k1, b = 1.2, 0.75
	sp := scorePool.Get().(*[]float32)
	defer scorePool.Put(sp)
	scores := *sp
	if cap(scores) < len(x.docs) {
		scores = make([]float32, len(x.docs))
	}
	scores = scores[:len(x.docs)]
	clear(scores)
	*sp = scores
	live := float64(len(x.docs))
	avg := float64(x.totalLen) / max(live, 1)
	for _, ts := range sets {
		for _, id := range ts.ids {
			post, tfs := x.post[id], x.tf[id]
			df := float64(len(post))
			idf := math.Max(math.Log((live-df+0.5)/(df+0.5)), 1e-6)
			for i, ord := range post {
				if !match.has(ord) {
					continue
				}
				tf := float64(tfs[i])
				dl := float64(len(x.docs[ord].terms))
				scores[ord] += float32(idf * tf * (k1 + 1) / (tf + k1*(1-b+b*dl/avg)))
			}
		}
	}
	type hit struct {
		score float32
		id    int64
	}
	want := offset + limit
	top := make([]hit, 0, want+1)
	less := func(a, b hit) bool { return a.score < b.score || a.score == b.score && a.id < b.id }
	match.each(func(ord uint32) {
		h := hit{scores[ord], x.docs[ord].id}
		if len(top) == want && !less(top[len(top)-1], h) {
			return
		}
		i := sort.Search(len(top), func(i int) bool { return less(top[i], h) })
		top = slices.Insert(top, i, h)
		if len(top) > want {
			top = top[:want]
		}
	})
	var out []int64
	for i := offset; i < len(top); i++ {
		out = append(out, top[i].id)
	}
	return out
}
