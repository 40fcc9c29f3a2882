package catalog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
)

// The persisted form of a Snapshot (Encode, Decode) lets a server start
// from the index it last saved and catch it up from its change number
// instead of building it from every stored document. It holds the live
// documents only (renumbered in ordinal order) and what cannot be derived
// cheaply; the posting lists are rebuilt from the documents' terms
// (buildPostings), which is a counting pass over integers.
//
// Layout, every number a varint (u: unsigned, s: signed):
//
//	magic "KOLIDX" 0x00, u format version
//	s change number, u documents, u terms
//	per document: s id, s seq, s created, s adoptions, u term count,
//	  u byte length, the term IDs as uvarints
//	dictionary, sorted: per term u shared prefix with the previous term,
//	  u suffix length, suffix bytes, u term ID
//	u retired count, ordinals as u gaps
//	u facet count, per facet (sorted): u name length, name, u value
//	  count, per value (sorted): u value length, value, u ordinal count,
//	  ordinals as u gaps
//	per per-document facet: u value count, values (u length, bytes), per
//	  document u value index plus one
//	newest and adopted orders: u count, ordinals
//	4 bytes CRC-32C (Castagnoli) of everything before, little-endian
//
// Decode checks the checksum and every count, ordinal and term ID against
// the sizes read, so that a damaged or replaced file is refused with an
// error rather than loaded or crashing the server; the caller then builds
// the index from the database.
const (
	persistMagic = "KOLIDX\x00"
	// PersistFormat is the version of the layout; Decode refuses others.
	PersistFormat = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrSnapshotFormat is returned by Decode for data that is not a snapshot
// of this format (damaged, truncated, another version).
var ErrSnapshotFormat = errors.New("not a catalog index snapshot of this format")

// Encode returns the persisted form of the snapshot. It only reads the
// snapshot, which is immutable: it may run beside searches and writers.
func (s *Snapshot) Encode() []byte {
	remap := make([]uint32, len(s.docs)) // ordinal -> new ordinal + 1 (0: dead)
	live := 0
	for ord := range s.docs {
		if !s.dead.has(uint32(ord)) {
			live++
			remap[ord] = uint32(live)
		}
	}
	b := make([]byte, 0, 64+len(s.docs)*48)
	b = append(b, persistMagic...)
	b = binary.AppendUvarint(b, PersistFormat)
	b = binary.AppendVarint(b, s.seq)
	b = binary.AppendUvarint(b, uint64(live))
	b = binary.AppendUvarint(b, uint64(len(s.dict)))
	for ord := range s.docs {
		if remap[ord] == 0 {
			continue
		}
		m := &s.docs[ord]
		b = binary.AppendVarint(b, m.id)
		b = binary.AppendVarint(b, m.seq)
		b = binary.AppendVarint(b, m.createdAt)
		b = binary.AppendVarint(b, int64(m.adoptions))
		b = binary.AppendUvarint(b, uint64(s.lens[ord]))
		b = binary.AppendUvarint(b, uint64(len(m.terms)))
		b = append(b, m.terms...)
	}
	prev := ""
	for i, t := range s.dict {
		k := commonPrefix(prev, t)
		b = binary.AppendUvarint(b, uint64(k))
		b = appendString(b, t[k:])
		b = binary.AppendUvarint(b, uint64(s.dictIDs[i]))
		prev = t
	}
	appendOrds := func(b []byte, set bitset) []byte {
		var ords []uint32
		set.each(func(ord uint32) {
			if int(ord) < len(remap) && remap[ord] != 0 {
				ords = append(ords, remap[ord]-1)
			}
		})
		b = binary.AppendUvarint(b, uint64(len(ords)))
		last := uint32(0)
		for i, o := range ords {
			if i == 0 {
				b = binary.AppendUvarint(b, uint64(o))
			} else {
				b = binary.AppendUvarint(b, uint64(o-last))
			}
			last = o
		}
		return b
	}
	b = appendOrds(b, s.retired)
	names := slices.Sorted(maps.Keys(s.facets))
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, name := range names {
		b = appendString(b, name)
		values := slices.Sorted(maps.Keys(s.facets[name]))
		b = binary.AppendUvarint(b, uint64(len(values)))
		for _, v := range values {
			b = appendString(b, v)
			b = appendOrds(b, s.facets[name][v])
		}
	}
	for i := range perDocFacets {
		b = binary.AppendUvarint(b, uint64(len(s.perDocValues[i])))
		for _, v := range s.perDocValues[i] {
			b = appendString(b, v)
		}
		for ord := range s.docs {
			if remap[ord] == 0 {
				continue
			}
			var v uint32
			if ord < len(s.perDoc[i]) {
				v = s.perDoc[i][ord]
			}
			b = binary.AppendUvarint(b, uint64(v))
		}
	}
	for _, order := range [][]uint32{s.newest, s.adopted} {
		b = binary.AppendUvarint(b, uint64(len(order)))
		for _, o := range order {
			b = binary.AppendUvarint(b, uint64(remap[o]-1))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// decoder reads the persisted form; the first error sticks and every
// later read returns zero values.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", ErrSnapshotFormat, fmt.Sprintf(format, args...))
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail("bad number")
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) varint() int64 {
	v, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail("bad number")
		return 0
	}
	d.b = d.b[k:]
	return v
}

// count reads a number of items that take at least one byte each, so that
// a damaged count cannot make the decoder allocate more than the input.
func (d *decoder) count() int {
	v := d.uvarint()
	if v > uint64(len(d.b)) {
		d.fail("count %d beyond the %d bytes left", v, len(d.b))
		return 0
	}
	return int(v)
}

// below reads a number that must be less than n.
func (d *decoder) below(n int) uint32 {
	v := d.uvarint()
	if v >= uint64(n) {
		d.fail("%d out of range (%d)", v, n)
		return 0
	}
	return uint32(v)
}

func (d *decoder) bytes(n int) []byte {
	if n > len(d.b) {
		d.fail("truncated")
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) string() string { return string(d.bytes(d.count())) }

// ords reads a list of strictly increasing ordinals below n.
func (d *decoder) ords(n int) []uint32 {
	c := d.count()
	out := make([]uint32, 0, c)
	var last uint64
	for i := range c {
		v := d.uvarint()
		if i > 0 {
			if v == 0 {
				d.fail("ordinals not increasing")
				return nil
			}
			v += last
		}
		if v >= uint64(n) {
			d.fail("ordinal %d out of range (%d)", v, n)
			return nil
		}
		out = append(out, uint32(v))
		last = v
	}
	return out
}

// Decode loads an index from its persisted form (Encode). The index is
// at the snapshot's change number; the caller catches it up from there.
func Decode(data []byte) (*Index, error) {
	if len(data) < len(persistMagic)+4 || string(data[:len(persistMagic)]) != persistMagic {
		return nil, fmt.Errorf("%w: no header", ErrSnapshotFormat)
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrSnapshotFormat)
	}
	d := &decoder{b: body[len(persistMagic):]}
	if v := d.uvarint(); v != PersistFormat {
		return nil, fmt.Errorf("%w: format %d, want %d", ErrSnapshotFormat, v, PersistFormat)
	}
	x := New()
	s := &Snapshot{seq: d.varint(), facets: map[string]map[string]bitset{}}
	ndocs, nterms := d.count(), d.count()
	if d.err != nil {
		return nil, d.err
	}
	// The documents' terms, copied into one arena so that data can go.
	s.docs, s.lens = make([]docMeta, ndocs), make([]uint32, ndocs)
	var termBytes [][]byte
	total := 0
	for ord := range ndocs {
		m := &s.docs[ord]
		m.id, m.seq, m.createdAt, m.adoptions = d.varint(), d.varint(), d.varint(), int(d.varint())
		n := d.count()
		raw := d.bytes(d.count())
		if d.err != nil {
			return nil, d.err
		}
		// Every term ID a uvarint below nterms, n of them.
		got := 0
		for b := raw; len(b) > 0; got++ {
			v, k := binary.Uvarint(b)
			if k <= 0 || v >= uint64(nterms) {
				return nil, fmt.Errorf("%w: document %d: bad term", ErrSnapshotFormat, ord)
			}
			b = b[k:]
		}
		if got != n {
			return nil, fmt.Errorf("%w: document %d: %d terms, header says %d", ErrSnapshotFormat, ord, got, n)
		}
		s.lens[ord] = uint32(n)
		termBytes = append(termBytes, raw)
		total += len(raw)
		if _, dup := x.byID.get(m.id); dup {
			return nil, fmt.Errorf("%w: document %d twice", ErrSnapshotFormat, m.id)
		}
		x.byID.set(m.id, uint32(ord))
		s.live++
		s.totalLen += int64(n)
	}
	arena := make([]byte, 0, total)
	for ord, raw := range termBytes {
		start := len(arena)
		arena = append(arena, raw...)
		s.docs[ord].terms = arena[start:len(arena):len(arena)]
	}
	// The dictionary: sorted, every term ID once.
	s.dict, s.dictIDs = make([]string, 0, nterms), make([]uint32, 0, nterms)
	seen := newBitset(nterms)
	prev := ""
	for i := range nterms {
		k := d.uvarint()
		suffix := d.bytes(d.count())
		id := d.below(nterms)
		if d.err != nil {
			return nil, d.err
		}
		if k > uint64(len(prev)) || seen.has(id) {
			return nil, fmt.Errorf("%w: dictionary entry %d", ErrSnapshotFormat, i)
		}
		t := prev[:k] + string(suffix)
		if i > 0 && t <= prev {
			return nil, fmt.Errorf("%w: dictionary not sorted at %d", ErrSnapshotFormat, i)
		}
		seen.set(id)
		s.dict, s.dictIDs = append(s.dict, t), append(s.dictIDs, id)
		x.termID[t] = id
		prev = t
	}
	s.post = make([][]posting, (nterms+chunkSize-1)/chunkSize)
	for ci := range s.post {
		s.post[ci] = make([]posting, min(chunkSize, nterms-ci*chunkSize), chunkSize)
	}
	s.retired = newBitset(ndocs)
	for _, o := range d.ords(ndocs) {
		s.retired.set(o)
	}
	// The facet bitsets are as long as their last ordinal needs (as built);
	// their words are bounded by the input's size, so that a crafted
	// snapshot cannot make the decoder allocate far more than it.
	budget := len(data)
	nfacets := d.count()
	for range nfacets {
		name := d.string()
		nvalues := d.count()
		if _, dup := s.facets[name]; dup || d.err != nil {
			d.fail("facet %q", name)
			return nil, d.err
		}
		vm := make(map[string]bitset, nvalues)
		for range nvalues {
			v := d.string()
			ords := d.ords(ndocs)
			if _, dup := vm[v]; dup || d.err != nil {
				d.fail("facet value %q", v)
				return nil, d.err
			}
			var b bitset
			if len(ords) > 0 {
				if budget -= int(ords[len(ords)-1]/64 + 1); budget < 0 {
					d.fail("facet bitsets larger than the snapshot")
					return nil, d.err
				}
				b = newBitset(int(ords[len(ords)-1]) + 1)
				for _, o := range ords {
					b.set(o)
				}
			}
			vm[v] = b
		}
		s.facets[name] = vm
	}
	// Snapshots saved before keepPerDoc held bitsets of these too.
	for _, f := range perDocFacets {
		delete(s.facets, f)
	}
	for i := range perDocFacets {
		nv := d.count()
		for range nv {
			v := d.string()
			if _, dup := x.perDocIndex[i][v]; dup || d.err != nil {
				d.fail("value %q", v)
				return nil, d.err
			}
			s.perDocValues[i] = append(s.perDocValues[i], v)
			x.perDocIndex[i][v] = uint32(len(s.perDocValues[i]))
		}
		s.perDoc[i] = make([]uint32, ndocs)
		for ord := range ndocs {
			s.perDoc[i][ord] = d.below(nv + 1)
		}
	}
	orders := [2][]uint32{}
	for k := range orders {
		if c := d.count(); c != ndocs {
			d.fail("order of %d documents, want %d", c, ndocs)
			return nil, d.err
		}
		placed := newBitset(ndocs)
		orders[k] = make([]uint32, ndocs)
		for i := range ndocs {
			o := d.below(ndocs)
			if placed.has(o) {
				d.fail("ordinal %d twice in an order", o)
			}
			if d.err != nil {
				return nil, d.err
			}
			placed.set(o)
			orders[k][i] = o
		}
	}
	s.newest, s.adopted = orders[0], orders[1]
	if d.err != nil {
		return nil, d.err
	}
	// Catch-ups place documents in the orders by binary search.
	if !slices.IsSortedFunc(s.newest, s.byNewest) || !slices.IsSortedFunc(s.adopted, s.byAdopted) {
		return nil, fmt.Errorf("%w: sort orders out of order", ErrSnapshotFormat)
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the end", ErrSnapshotFormat, len(d.b))
	}
	buildPostings(s)
	x.snap.Store(s)
	return x, nil
}
