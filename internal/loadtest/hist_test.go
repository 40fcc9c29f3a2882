package loadtest

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestHistogramQuantiles compares the histogram's percentiles with the
// exact ones of the same samples: within the bucket width (1/64).
func TestHistogramQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h, a, b Histogram
	var all []time.Duration
	for i := range 100_000 {
		// Log-normal-ish: most fast, a long tail up to seconds.
		d := time.Duration(r.ExpFloat64()*float64(2*time.Millisecond)) + time.Duration(r.IntN(50))*time.Microsecond
		if i%1000 == 0 {
			d = time.Duration(r.IntN(3000)) * time.Millisecond
		}
		all = append(all, d)
		h.Record(d)
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	a.Merge(&b)
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
		exact := all[int(q*float64(len(all))+0.999999)-1]
		for _, hh := range []*Histogram{&h, &a} {
			got := hh.Quantile(q)
			if got < exact.Truncate(time.Microsecond) || float64(got-exact) > float64(exact)/64+float64(time.Microsecond) {
				t.Errorf("q%.3f = %v, exact %v", q, got, exact)
			}
		}
	}
	if h.Max() != all[len(all)-1] || h.Count() != uint64(len(all)) || a.Count() != h.Count() {
		t.Errorf("max %v count %d, want %v %d", h.Max(), h.Count(), all[len(all)-1], len(all))
	}
	var empty Histogram
	if empty.Quantile(0.99) != 0 {
		t.Error("empty histogram has a p99")
	}
}

// TestHistogramBuckets checks that every bucket's upper bound maps back to
// it and the next value to the next bucket.
func TestHistogramBuckets(t *testing.T) {
	for i := range len(Histogram{}.counts) - 1 {
		u := upper(i)
		if bucket(u) != i || bucket(u+1) != i+1 {
			t.Fatalf("bucket %d: upper %d maps to %d, next to %d", i, u, bucket(u), bucket(u+1))
		}
	}
}
