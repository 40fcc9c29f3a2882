package rank

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// FuzzCompute builds an index and observations from arbitrary bytes
// (values are raw float64 bits, so NaN, infinities, subnormals and extreme
// magnitudes all occur) and checks that Compute never panics, never gives a
// non-finite score and ranks consistently.
func FuzzCompute(f *testing.F) {
	f.Add(uint8(3), uint8(2), uint8(0), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17})
	f.Add(uint8(5), uint8(3), uint8(5), []byte("\x00\x00\x00\x00\x00\x00\xf0\x7f\x00\x00\x00\x00\x00\x00\xf0\xff\xff\xff\xff\xff\xff\xff\xef\x7f"))
	f.Fuzz(func(t *testing.T, nRegions, nIndicators, mode uint8, raw []byte) {
		nr, ni := int(nRegions%12)+1, int(nIndicators%5)+1
		idx := Index{Name: "fuzz", Normalisation: []Normalisation{MinMax, ZScore}[mode%2]}
		idx.Missing = []MissingPolicy{Exclude, Reweight, Mean}[(mode/2)%3]
		idx.MinCoverage = []float64{1, 0.5, 0.01}[(mode/6)%3]
		for r := range nr {
			idx.Regions = append(idx.Regions, fmt.Sprintf("r%d", r))
		}
		for i := range ni {
			dir := HigherIsBetter
			if (mode>>(i%8))&1 == 1 {
				dir = LowerIsBetter
			}
			idx.Components = append(idx.Components, Component{Indicator: fmt.Sprintf("i%d", i), Weight: float64(1 + (i*7+int(mode))%5), Direction: dir})
		}
		d := NewData()
		// Each 9-byte record: region, indicator and period from the first
		// byte, the value from the next eight.
		for n := 0; n+9 <= len(raw); n += 9 {
			b := raw[n]
			v := math.Float64frombits(binary.LittleEndian.Uint64(raw[n+1 : n+9]))
			d.Add(fmt.Sprintf("r%d", int(b)%(nr+1)), fmt.Sprintf("i%d", int(b>>4)%ni), fmt.Sprint(2020+int(b>>6)), v)
		}
		out, err := Compute(idx, d)
		if err != nil {
			t.Fatalf("Compute: %v", err)
		}
		for _, p := range out {
			if len(p.Results)+len(p.Excluded) != nr {
				t.Fatalf("%s: %d ranked + %d excluded ≠ %d regions", p.Period, len(p.Results), len(p.Excluded), nr)
			}
			for n, r := range p.Results {
				if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
					t.Fatalf("%s: %s has score %v", p.Period, r.Region, r.Score)
				}
				if idx.Normalisation == MinMax && (r.Score < 0 || r.Score > 100) {
					t.Fatalf("%s: %s has min-max score %v", p.Period, r.Region, r.Score)
				}
				if n > 0 {
					prev := p.Results[n-1]
					if prev.Score < r.Score || (prev.Score == r.Score && (prev.Rank != r.Rank || prev.Region > r.Region)) ||
						(prev.Score > r.Score && r.Rank != n+1) {
						t.Fatalf("%s: inconsistent order %+v then %+v", p.Period, prev, r)
					}
				}
				for _, c := range r.Components {
					if math.IsNaN(c.Contribution) || math.IsInf(c.Contribution, 0) || math.IsNaN(c.Value) {
						t.Fatalf("%s: %s component %+v", p.Period, r.Region, c)
					}
				}
			}
		}
	})
}
