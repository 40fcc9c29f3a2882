package catalog

import (
	"bytes"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

// randomIndex builds an index of random documents through the writer's
// paths: a bulk build, then batches with replacements (dead ordinals),
// retirements and new terms.
func randomIndex(r *rand.Rand, batches int) (*Index, model, *int) {
	fresh := 0
	m := model{}
	b := NewBuilder()
	var first []Doc
	for id := range int64(40 + r.IntN(200)) {
		first = append(first, randomDoc(r, id+1, &fresh))
	}
	b.Add(first)
	m.apply(first)
	x := b.Finish(1)
	maxID := int64(len(first))
	for it := range batches {
		var batch []Doc
		for range 1 + r.IntN(30) {
			id := 1 + r.Int64N(maxID+5)
			maxID = max(maxID, id)
			batch = append(batch, randomDoc(r, id, &fresh))
		}
		x.Apply(batch, int64(it+2))
		m.apply(batch)
	}
	return x, m, &fresh
}

func sameAnswers(t *testing.T, r *rand.Rand, built, loaded *Snapshot, m model, fresh int) {
	t.Helper()
	if built.Seq() != loaded.Seq() || built.Len() != loaded.Len() {
		t.Fatalf("loaded seq %d len %d, built seq %d len %d", loaded.Seq(), loaded.Len(), built.Seq(), built.Len())
	}
	for range 200 {
		f := randomFilter(r, fresh)
		want, wok := built.Search(f)
		got, gok := loaded.Search(f)
		if gok != wok || !reflect.DeepEqual(got, want) {
			t.Fatalf("filter %+v text %+v:\nloaded %v %+v\nbuilt %v %+v", f, f.Text, gok, got, wok, want)
		}
		checkSearch(t, loaded, m, f)
	}
}

// TestPersistRoundTrip: a loaded snapshot answers every query exactly as
// the one it was saved from (scores included), and both go on answering
// alike after the same changes are applied to each.
func TestPersistRoundTrip(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 77))
		x, m, fresh := randomIndex(r, int(seed*3))
		data := x.Snapshot().Encode()
		y, err := Decode(data)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		sameAnswers(t, r, x.Snapshot(), y.Snapshot(), m, *fresh)
		if again := y.Snapshot().Encode(); !bytes.Equal(again, data) && x.Snapshot().Dead() == 0 {
			t.Fatalf("seed %d: encoding the loaded snapshot gives other bytes", seed)
		}
		// The same changes applied to both.
		for it := range 5 {
			var batch []Doc
			for range 1 + r.IntN(20) {
				batch = append(batch, randomDoc(r, 1+r.Int64N(300), fresh))
			}
			seq := x.Seq() + int64(it) + 1
			x.Apply(batch, seq)
			y.Apply(batch, seq)
			m.apply(batch)
		}
		sameAnswers(t, r, x.Snapshot(), y.Snapshot(), m, *fresh)
	}
}

// TestPersistEmpty: an empty index round-trips and can be filled.
func TestPersistEmpty(t *testing.T) {
	y, err := Decode(New().Snapshot().Encode())
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != 0 || y.Seq() != 0 {
		t.Fatalf("len %d seq %d", y.Len(), y.Seq())
	}
	y.Apply([]Doc{{ID: 1, Terms: "air bersih", Facets: map[string][]string{kolaborasi.FacetRegion: {"35.72"}}}}, 3)
	res, _ := y.Search(kolaborasi.SolutionFilter{Text: q(kolaborasi.TextClause{Alternatives: [][]kolaborasi.TextTerm{{term("air", false)}}})})
	if res.Total != 1 || res.Facets[kolaborasi.FacetRegion][0].Value != "35.72" {
		t.Fatalf("%+v", res)
	}
}

// TestPersistDamaged: every truncation and every changed byte is refused.
func TestPersistDamaged(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	x, _, _ := randomIndex(r, 3)
	data := x.Snapshot().Encode()
	for n := range len(data) {
		if _, err := Decode(data[:n]); !errors.Is(err, ErrSnapshotFormat) {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
	for i := range len(data) {
		bad := bytes.Clone(data)
		bad[i] ^= 1 << (i % 8)
		if _, err := Decode(bad); !errors.Is(err, ErrSnapshotFormat) {
			t.Fatalf("byte %d changed: %v", i, err)
		}
	}
}

// FuzzDecode feeds the decoder damaged and crafted snapshots (the data
// comes from the database, which an attacker might write to): it must
// refuse them or load an index that searches, takes changes and encodes
// again without crashing. Inputs get a valid checksum half the time, to
// reach the parser behind it.
func FuzzDecode(f *testing.F) {
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 1))
		x, _, _ := randomIndex(r, int(seed))
		f.Add(x.Snapshot().Encode(), false)
	}
	f.Add(New().Snapshot().Encode(), false)
	f.Fuzz(func(t *testing.T, data []byte, fixSum bool) {
		if fixSum && len(data) >= len(persistMagic)+4 {
			data = bytes.Clone(data)
			body := data[:len(data)-4]
			copy(body, persistMagic)
			putSum(data)
		}
		x, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrSnapshotFormat) {
				t.Fatalf("error not ErrSnapshotFormat: %v", err)
			}
			return
		}
		r := rand.New(rand.NewPCG(uint64(len(data)), 3))
		for range 20 {
			x.Search(randomFilter(r, 3))
		}
		fresh := 0
		x.Apply([]Doc{randomDoc(r, 1, &fresh), randomDoc(r, 2, &fresh)}, x.Seq()+1)
		x.Search(randomFilter(r, 3))
		if _, err := Decode(x.Snapshot().Encode()); err != nil {
			t.Fatalf("a loaded index encodes to a snapshot Decode refuses: %v", err)
		}
	})
}

// putSum writes the checksum of data's body into its last four bytes.
func putSum(data []byte) {
	body := data[:len(data)-4]
	sum := crc32.Checksum(body, castagnoli)
	data[len(data)-4], data[len(data)-3], data[len(data)-2], data[len(data)-1] = byte(sum), byte(sum>>8), byte(sum>>16), byte(sum>>24)
}
