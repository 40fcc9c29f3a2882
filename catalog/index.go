package catalog

import (
	"cmp"
	"encoding/binary"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kolaborasi/kolaborasi"
)

// Doc is one solution as the index sees it.
type Doc struct {
	ID int64
	// CreatedAt orders "newest" (any monotonic number, e.g. Unix µs).
	CreatedAt int64
	Adoptions int
	Retired   bool
	// Facets are the document's values by facet; the region and the
	// province take one value each (a document given several is counted
	// and found under none of them).
	Facets map[string][]string
	// Terms is the space-separated analysed text, as stored.
	Terms string
	// Seq is the document's change number (the row's), returned with
	// search results.
	Seq int64
}

type docMeta struct {
	id        int64
	seq       int64
	createdAt int64
	adoptions int
	// terms is the document's sequence of term IDs (phrases, and the
	// removal of a replaced document), each a uvarint: most take one or two
	// bytes instead of four, and the slices of many documents share one
	// arena block. Snapshot.lens counts them.
	terms []byte
}

// termIDs appends the document's term IDs to buf.
func (m *docMeta) termIDs(buf []uint32) []uint32 {
	for b := m.terms; len(b) > 0; {
		v, k := binary.Uvarint(b)
		buf = append(buf, uint32(v))
		b = b[k:]
	}
	return buf
}

// arenaBlock is the size of the blocks the documents' encoded terms are
// appended to.
const arenaBlock = 256 << 10

// posting lists the documents containing one term, by ordinal, with the
// term's frequency in each (counted up to 255: BM25 saturates long before,
// a 256th occurrence would add under 0.2 % to the term's score in a
// document of up to 10,000 terms; one byte a posting instead of two saved
// 5.5 MiB nationally). Posting lists only grow: a replaced document's
// ordinal stays (the dead bitset hides it), so a new snapshot appends past
// the end its predecessors read and shares the rest with them.
type posting struct {
	ords []uint32
	tfs  []uint8
	// df counts the live documents containing the term (BM25).
	df int32
}

// Posting lists are kept in chunks, so that a new snapshot copies only the
// chunks holding terms it changed.
const (
	chunkBits = 7
	chunkSize = 1 << chunkBits
)

// perDocFacets are the single-valued facets with many values.
var perDocFacets = [...]string{kolaborasi.FacetRegion, kolaborasi.FacetProvince}

// Snapshot is the index at one change number. It is immutable once
// published: searches read it without any lock while the writer prepares
// the next one beside it (see the package documentation).
type Snapshot struct {
	seq  int64
	docs []docMeta
	// lens holds each ordinal's number of terms (BM25's document length),
	// dense for the ranking loop.
	lens []uint32
	// dead marks ordinals of replaced documents; retired those of retired
	// solutions.
	dead, retired bitset
	// live and totalLen count the documents that are not dead and their
	// terms (BM25's N and average length).
	live     int
	totalLen int64
	// dict is every term sorted, dictIDs their term IDs: exact lookups and
	// prefix expansion by binary search.
	dict    []string
	dictIDs []uint32
	post    [][]posting
	facets  map[string]map[string]bitset
	// perDoc holds, for the facets with many values (region, province),
	// each document's value as an index into perDocValues plus one (0:
	// none): counting those by walking the matches is cheaper than one
	// popcount per value.
	perDoc       [len(perDocFacets)][]uint32
	perDocValues [len(perDocFacets)][]string
	// newest and adopted are the live ordinals in each sort order.
	newest, adopted []uint32
}

func (s *Snapshot) posting(id uint32) *posting { return &s.post[id>>chunkBits][id&(chunkSize-1)] }

// Seq returns the change number the snapshot is current to.
func (s *Snapshot) Seq() int64 { return s.seq }

// Len returns the number of live documents (retired ones included).
func (s *Snapshot) Len() int { return s.live }

// Dead returns the share of ordinals held by replaced documents; the app
// rebuilds the index when it grows large.
func (s *Snapshot) Dead() float64 {
	if len(s.docs) == 0 {
		return 0
	}
	return float64(len(s.docs)-s.live) / float64(len(s.docs))
}

// Index is the published snapshot plus the writer's bookkeeping. Searches
// load the snapshot with one atomic read; Apply, serialised by its own
// mutex, builds the next snapshot from the current one and publishes it
// with one atomic write.
type Index struct {
	snap atomic.Pointer[Snapshot]
	// mu serialises writers; readers never take it.
	mu sync.Mutex
	// Writer-only state (under mu).
	byID        ordinals
	termID      map[string]uint32
	perDocIndex [len(perDocFacets)]map[string]uint32
	// arena is the block new documents' terms are appended to: only past
	// its length, which the slices of published documents end before.
	arena []byte
	// ids is scratch for one document's term IDs.
	ids []uint32
}

// appendTerms stores one document's term IDs in the arena and returns
// them, capped so that appending past them never writes into them.
func (x *Index) appendTerms(ids []uint32) []byte {
	if cap(x.arena)-len(x.arena) < len(ids)*binary.MaxVarintLen32 {
		x.arena = make([]byte, 0, max(arenaBlock, len(ids)*binary.MaxVarintLen32))
	}
	start := len(x.arena)
	for _, id := range ids {
		x.arena = binary.AppendUvarint(x.arena, uint64(id))
	}
	return x.arena[start:len(x.arena):len(x.arena)]
}

// New returns an empty index at change number 0.
func New() *Index {
	x := &Index{termID: map[string]uint32{}}
	for i := range x.perDocIndex {
		x.perDocIndex[i] = map[string]uint32{}
	}
	x.snap.Store(&Snapshot{facets: map[string]map[string]bitset{}})
	return x
}

// Snapshot returns the latest published snapshot.
func (x *Index) Snapshot() *Snapshot { return x.snap.Load() }

// Seq returns the change number the index has caught up to.
func (x *Index) Seq() int64 { return x.Snapshot().Seq() }

// Len returns the number of live documents.
func (x *Index) Len() int { return x.Snapshot().Len() }

// Dead returns the share of ordinals held by replaced documents.
func (x *Index) Dead() float64 { return x.Snapshot().Dead() }

// Search runs f on the latest published snapshot.
func (x *Index) Search(f kolaborasi.SolutionFilter) (*Result, bool) { return x.Snapshot().Search(f) }

// Apply adds or replaces documents and publishes a snapshot current up to
// change number seq. Its cost is proportional to the changes plus a copy
// of the sort orders (binary-search insertion and removal, no re-sort).
func (x *Index) Apply(docs []Doc, seq int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	a := x.begin(false)
	for _, d := range docs {
		a.add(d)
	}
	x.snap.Store(a.finish(seq))
}

// Builder loads a new index in batches before anyone searches it.
type Builder struct {
	x *Index
	a *applier
}

// NewBuilder starts a new index.
func NewBuilder() *Builder {
	x := New()
	return &Builder{x: x, a: x.begin(true)}
}

// Add adds documents to the index being built.
func (b *Builder) Add(docs []Doc) {
	for _, d := range docs {
		b.a.add(d)
	}
}

// Finish sorts the orders once and returns the index at change number seq.
func (b *Builder) Finish(seq int64) *Index {
	b.x.snap.Store(b.a.finish(seq))
	return b.x
}

// applier builds the next snapshot. Whatever it changes it first copies
// (bitsets, facet maps, posting chunks: once per snapshot), and it only
// appends past the ends the published snapshot reads, so that snapshot
// stays intact for the searches still reading it.
type applier struct {
	x    *Index
	base *Snapshot
	s    *Snapshot
	// bulk: build the sort orders with one sort in finish.
	bulk                bool
	ownDead, ownRetired bool
	ownFacet            map[string]bool
	ownBits             map[[2]string]bool
	ownChunk            map[int]bool
	removed, added      []uint32
	newTerms            []string
	// freq counts one document's terms (reused from one to the next).
	freq map[uint32]uint8
	// postingsBuilt says a bulk build made its posting lists.
	postingsBuilt bool
}

func (x *Index) begin(bulk bool) *applier {
	base := x.snap.Load()
	s := *base
	s.post = slices.Clone(base.post)
	s.facets = maps.Clone(base.facets)
	return &applier{x: x, base: base, s: &s, bulk: bulk, ownFacet: map[string]bool{}, ownBits: map[[2]string]bool{},
		ownChunk: map[int]bool{}}
}

func (a *applier) ownBitset(b bitset, owned *bool, n int) bitset {
	if !*owned {
		*owned = true
		return b.cloneFor(n)
	}
	return b.grow(n)
}

// chunk returns posting chunk ci, copied if the snapshot does not own it.
func (a *applier) chunk(ci int) []posting {
	if !a.ownChunk[ci] {
		c := make([]posting, len(a.s.post[ci]), chunkSize)
		copy(c, a.s.post[ci])
		a.s.post[ci] = c
		a.ownChunk[ci] = true
	}
	return a.s.post[ci]
}

func (a *applier) posting(id uint32) *posting {
	return &a.chunk(int(id >> chunkBits))[id&(chunkSize-1)]
}

func (a *applier) newTerm(w string) uint32 {
	id := uint32(len(a.x.termID))
	w = strings.Clone(w) // not a slice of the document's terms, which it would keep alive
	a.x.termID[w] = id
	ci := int(id >> chunkBits)
	if ci == len(a.s.post) {
		a.s.post = append(a.s.post, make([]posting, 0, chunkSize))
		a.ownChunk[ci] = true
	}
	a.s.post[ci] = append(a.chunk(ci), posting{})
	a.newTerms = append(a.newTerms, w)
	return id
}

// remove marks a replaced document's ordinal dead and takes it out of the
// live statistics.
func (a *applier) remove(ord uint32) {
	s := a.s
	s.dead = a.ownBitset(s.dead, &a.ownDead, len(s.docs))
	s.dead.set(ord)
	m := &s.docs[ord]
	s.live--
	s.totalLen -= int64(s.lens[ord])
	if !a.bulk || a.postingsBuilt {
		seen := map[uint32]bool{}
		for _, id := range m.termIDs(nil) {
			if !seen[id] {
				seen[id] = true
				a.posting(id).df--
			}
		}
	}
	if int(ord) < len(a.base.docs) {
		a.removed = append(a.removed, ord)
	}
}

func (a *applier) add(d Doc) {
	x, s := a.x, a.s
	if old, ok := x.byID.get(d.ID); ok {
		a.remove(old)
	}
	ord := uint32(len(s.docs))
	n := len(s.docs) + 1
	x.byID.set(d.ID, ord)
	m := docMeta{id: d.ID, seq: d.Seq, createdAt: d.CreatedAt, adoptions: d.Adoptions}
	ids := x.ids[:0]
	for w := range strings.FieldsSeq(d.Terms) {
		id, ok := x.termID[w]
		if !ok {
			id = a.newTerm(w)
		}
		ids = append(ids, id)
	}
	x.ids = ids
	m.terms = x.appendTerms(ids)
	if !a.bulk {
		// A bulk build makes the posting lists at the end, at their
		// exact sizes (buildPostings).
		if a.freq == nil {
			a.freq = map[uint32]uint8{}
		}
		freq := a.freq
		clear(freq)
		for _, id := range ids {
			if freq[id] < math.MaxUint8 {
				freq[id]++
			}
		}
		for id, f := range freq {
			p := a.posting(id)
			p.ords = append(p.ords, ord)
			p.tfs = append(p.tfs, f)
			p.df++
		}
	}
	s.docs = append(s.docs, m)
	s.lens = append(s.lens, uint32(len(ids)))
	s.live++
	s.totalLen += int64(len(ids))
	if d.Retired {
		s.retired = a.ownBitset(s.retired, &a.ownRetired, n)
		s.retired.set(ord)
	}
	for i, f := range perDocFacets {
		var v uint32
		if values := d.Facets[f]; len(values) == 1 && values[0] != "" {
			var ok bool
			if v, ok = x.perDocIndex[i][values[0]]; !ok {
				s.perDocValues[i] = append(s.perDocValues[i], values[0])
				v = uint32(len(s.perDocValues[i]))
				x.perDocIndex[i][values[0]] = v
			}
		}
		s.perDoc[i] = append(s.perDoc[i], v)
	}
	for facet, values := range d.Facets {
		if slices.Contains(perDocFacets[:], facet) {
			continue // in s.perDoc, without bitsets (see keepPerDoc)
		}
		if !a.ownFacet[facet] {
			a.ownFacet[facet] = true
			vm := maps.Clone(s.facets[facet])
			if vm == nil {
				vm = map[string]bitset{}
			}
			s.facets[facet] = vm
		}
		vm := s.facets[facet]
		for _, v := range values {
			if v == "" {
				continue
			}
			var b bitset
			if a.bulk {
				// A new index: every bitset is this applier's own.
				b = vm[v].grow(n)
			} else {
				key := [2]string{facet, v}
				owned := a.ownBits[key]
				b = a.ownBitset(vm[v], &owned, n)
				a.ownBits[key] = owned
			}
			b.set(ord)
			vm[v] = b
		}
	}
	a.added = append(a.added, ord)
}

func (s *Snapshot) byNewest(a, b uint32) int {
	da, db := &s.docs[a], &s.docs[b]
	return cmp.Or(cmp.Compare(db.createdAt, da.createdAt), cmp.Compare(db.id, da.id))
}

func (s *Snapshot) byAdopted(a, b uint32) int {
	da, db := &s.docs[a], &s.docs[b]
	return cmp.Or(cmp.Compare(db.adoptions, da.adoptions), cmp.Compare(db.id, da.id))
}

// finish completes the snapshot: the prefix dictionary and the sort
// orders.
func (a *applier) finish(seq int64) *Snapshot {
	s := a.s
	s.seq = max(a.base.seq, seq)
	if len(a.newTerms) > 0 {
		s.dict, s.dictIDs = mergeDict(s.dict, s.dictIDs, a.newTerms, a.x.termID)
	}
	// Documents added and replaced within this batch are dead already.
	added := slices.DeleteFunc(a.added, func(o uint32) bool { return s.dead.has(o) })
	if a.bulk {
		buildPostings(s)
		a.postingsBuilt = true
		s.newest = slices.SortedFunc(slices.Values(added), s.byNewest)
		s.adopted = slices.SortedFunc(slices.Values(added), s.byAdopted)
		return s
	}
	s.newest = patchOrder(s.newest, a.removed, added, s.byNewest)
	s.adopted = patchOrder(s.adopted, a.removed, added, s.byAdopted)
	return s
}

// buildPostings makes the posting lists of a new index from its live
// documents' terms, each at its exact size in two shared arrays (one
// allocation instead of two growing slices per term): one pass counts
// the documents per term, the next fills the lists in ordinal order.
func buildPostings(s *Snapshot) {
	nterms := len(s.dict)
	df := make([]int32, nterms)
	last := make([]uint32, nterms) // ordinal+1 of the last document counted
	var buf []uint32
	for ord := range s.docs {
		if s.dead.has(uint32(ord)) {
			continue
		}
		buf = s.docs[ord].termIDs(buf[:0])
		for _, id := range buf {
			if last[id] != uint32(ord)+1 {
				last[id] = uint32(ord) + 1
				df[id]++
			}
		}
	}
	total := 0
	for _, n := range df {
		total += int(n)
	}
	ords, tfs := make([]uint32, total), make([]uint8, total)
	off := 0
	for id, n := range df {
		p := s.posting(uint32(id))
		end := off + int(n)
		*p = posting{ords: ords[off:off:end], tfs: tfs[off:off:end], df: n}
		off = end
	}
	for ord := range s.docs {
		if s.dead.has(uint32(ord)) {
			continue
		}
		buf = s.docs[ord].termIDs(buf[:0])
		for _, id := range buf {
			p := s.posting(id)
			if k := len(p.ords) - 1; k >= 0 && p.ords[k] == uint32(ord) {
				if p.tfs[k] < math.MaxUint8 {
					p.tfs[k]++
				}
				continue
			}
			p.ords = append(p.ords, uint32(ord))
			p.tfs = append(p.tfs, 1)
		}
	}
}

// mergeDict returns the sorted dictionary with the new terms merged in.
func mergeDict(dict []string, ids []uint32, terms []string, termID map[string]uint32) ([]string, []uint32) {
	slices.Sort(terms)
	outD := make([]string, 0, len(dict)+len(terms))
	outI := make([]uint32, 0, len(dict)+len(terms))
	i := 0
	for _, t := range terms {
		j, _ := slices.BinarySearch(dict[i:], t)
		outD, outI = append(outD, dict[i:i+j]...), append(outI, ids[i:i+j]...)
		i += j
		outD, outI = append(outD, t), append(outI, termID[t])
	}
	return append(outD, dict[i:]...), append(outI, ids[i:]...)
}

// patchOrder returns a copy of order (sorted by cmp) without the removed
// ordinals and with the added ones, each placed by binary search: a copy of
// the slice plus O(k log n) comparisons, instead of a sort.
func patchOrder(order, removed, added []uint32, cmp func(a, b uint32) int) []uint32 {
	var rm []int
	for _, r := range removed {
		if i, ok := slices.BinarySearchFunc(order, r, cmp); ok && order[i] == r {
			rm = append(rm, i)
		}
	}
	slices.Sort(rm)
	slices.SortFunc(added, cmp)
	ins := make([]int, len(added))
	for k, o := range added {
		ins[k], _ = slices.BinarySearchFunc(order, o, cmp)
	}
	out := make([]uint32, 0, len(order)-len(rm)+len(added))
	i, ri, ai := 0, 0, 0
	for i < len(order) || ai < len(added) {
		next := len(order)
		if ri < len(rm) {
			next = rm[ri]
		}
		if ai < len(ins) && ins[ai] < next {
			next = ins[ai]
		}
		out = append(out, order[i:next]...)
		i = next
		for ai < len(ins) && ins[ai] == i {
			out = append(out, added[ai])
			ai++
		}
		if ri < len(rm) && rm[ri] == i {
			i++
			ri++
		}
	}
	return out
}
