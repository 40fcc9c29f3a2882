package catalog

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ordinals answers as a map would, for consecutive IDs, IDs with gaps,
// IDs far out (which must not grow the slice) and IDs set again.
func TestOrdinalsAsMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var o ordinals
	want := map[int64]uint32{}
	ids := []int64{0, 1, 2, math.MaxInt64, -1, math.MinInt64, 1 << 40, 70000, 65535, 65536}
	for i := range 200000 {
		switch r.IntN(10) {
		case 0:
			ids = append(ids, r.Int64())
		case 1:
			ids = append(ids, int64(r.IntN(1<<20)))
		default:
			ids = append(ids, int64(i+1))
		}
	}
	for i, id := range ids {
		o.set(id, uint32(i))
		want[id] = uint32(i)
		if i%997 == 0 { // and set some again
			o.set(ids[i/2], uint32(i))
			want[ids[i/2]] = uint32(i)
		}
	}
	for id, ord := range want {
		if got, ok := o.get(id); !ok || got != ord {
			t.Fatalf("get(%d) = %d, %v; want %d", id, got, ok, ord)
		}
	}
	for _, id := range []int64{-2, 1<<40 + 1, math.MaxInt64 - 1} {
		if _, ok := want[id]; ok {
			continue
		}
		if _, ok := o.get(id); ok {
			t.Fatalf("get(%d) found an ID never set", id)
		}
	}
	if o.n != len(want) {
		t.Errorf("counted %d IDs, want %d", o.n, len(want))
	}
	if len(o.dense) > 4*len(want)+2*denseFloor {
		t.Errorf("the slice holds %d IDs for %d entries", len(o.dense), len(want))
	}
}
