package rank

import (
	"testing"
)

// BenchmarkCompute ranks 514 regions on 20 indicators in each of 10 periods
// (deterministic synthetic values, about 5 % missing): one op is one whole
// ranking, every period. The Data is filled and its matrix built once,
// outside the timer (BenchmarkDataLoad measures that step).
func BenchmarkCompute(b *testing.B) {
	os, codes, comps := synthetic(1, 514, 20, 10, 0.05)
	d := load(os)
	d.Periods() // build the matrix
	for _, tc := range []struct {
		name string
		norm Normalisation
		miss MissingPolicy
	}{{"minmax-reweight", MinMax, Reweight}, {"zscore-mean", ZScore, Mean}, {"minmax-exclude", MinMax, Exclude}} {
		idx := Index{Name: "bench", Components: comps, Normalisation: tc.norm, Missing: tc.miss, MinCoverage: 0.5, Regions: codes}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := Compute(idx, d)
				if err != nil || len(out) != 10 {
					b.Fatalf("Compute: %d periods, %v", len(out), err)
				}
			}
		})
	}
}

// BenchmarkDataLoad fills a Data with the benchmark's 97,000-odd
// observations and builds its matrix.
func BenchmarkDataLoad(b *testing.B) {
	os, _, _ := synthetic(1, 514, 20, 10, 0.05)
	b.ReportAllocs()
	for b.Loop() {
		load(os).Periods()
	}
}
