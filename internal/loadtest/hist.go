package loadtest

import (
	"math/bits"
	"time"
)

// subBits sets the histogram's precision: each power of two of
// microseconds is split into 2^subBits buckets, so a recorded value is
// known to within 1/2^subBits (about 1.6 %).
const subBits = 6

const subCount = 1 << subBits

// maxExp bounds the range: values from 0 to 2^maxExp µs (about 12.7 days)
// fall in distinct buckets; larger ones land in the last.
const maxExp = 40

// Histogram counts latencies in logarithmic buckets (the HDR histogram's
// layout): memory is fixed (about 20 KiB) whatever the number of samples,
// and every percentile is exact to the bucket's width. The zero value is
// ready to use; it is not safe for concurrent use.
type Histogram struct {
	counts [(maxExp - subBits + 2) * subCount]uint64
	n      uint64
	max    time.Duration
	sum    time.Duration
}

// bucket returns the index of the bucket holding v microseconds.
func bucket(v uint64) int {
	if v < subCount {
		return int(v)
	}
	e := bits.Len64(v) - 1 // v in [2^e, 2^(e+1))
	if e > maxExp {
		return len(Histogram{}.counts) - 1
	}
	// Shift so that the top subBits+1 bits remain; the leading 1 is
	// implicit in the exponent.
	return (e-subBits+1)*subCount + int(v>>(e-subBits))&(subCount-1)
}

// upper returns the largest value, in microseconds, that bucket i holds.
func upper(i int) uint64 {
	if i < subCount {
		return uint64(i)
	}
	e := i/subCount + subBits - 1
	m := uint64(i%subCount) | subCount
	return (m+1)<<(e-subBits) - 1
}

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucket(uint64(d/time.Microsecond))]++
	h.n++
	h.sum += d
	if d > h.max {
		h.max = d
	}
}

// Merge adds o's samples to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Count returns the number of samples.
func (h *Histogram) Count() uint64 { return h.n }

// Max returns the largest sample.
func (h *Histogram) Max() time.Duration { return h.max }

// Quantile returns the smallest recorded bucket bound below which at least
// the fraction q of the samples lie (0 < q ≤ 1), never more than the
// largest sample; 0 without samples.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.999999999)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(upper(i))*time.Microsecond, h.max)
		}
	}
	return h.max
}
