package impact

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// panel is a synthetic panel with parallel trends: value = region level +
// common period effect + noise, plus effect on the adopter from period live
// on. Besides comparable candidates it holds one of each kind the rules
// must leave out.
func panel(seed uint64, comparable, periods, live int, effect, noise float64) Input {
	rng := rand.New(rand.NewPCG(seed, 1))
	in := Input{LiveFrom: fmt.Sprint(2015 + live)}
	common := make([]float64, periods)
	for t := range periods {
		in.Periods = append(in.Periods, fmt.Sprint(2015+t))
		if t > 0 {
			common[t] = common[t-1] + rng.NormFloat64()*3 + 1 // a trend every region shares
		}
	}
	series := func(treated bool) []float64 {
		level := rng.NormFloat64() * 20
		v := make([]float64, periods)
		for t := range v {
			v[t] = 50 + level + common[t] + rng.NormFloat64()*noise
			if treated && t >= live {
				v[t] += effect
			}
		}
		return v
	}
	in.Adopter = Region{Code: "3578", Type: "kota", Population: 500_000, Values: series(true)}
	for i := range comparable {
		in.Candidates = append(in.Candidates, Region{
			Code: fmt.Sprintf("K%03d", i), Type: "kota", Population: 250_000 + rng.Float64()*750_000, Values: series(false)})
	}
	// Regions the rules exclude; some adopted the solution too and carry
	// the effect, so including them would bias the estimate.
	in.Candidates = append(in.Candidates,
		Region{Code: "X-adopted", Type: "kota", Population: 500_000, Adopted: true, Values: series(true)},
		Region{Code: "X-kab", Type: "kabupaten", Population: 500_000, Values: series(false)},
		Region{Code: "X-big", Type: "kota", Population: 3_000_000, Values: series(false)},
		Region{Code: "X-gaps", Type: "kota", Population: 500_000, Values: gaps(series(false), live)},
	)
	return in
}

// gaps leaves one value in the before window.
func gaps(v []float64, live int) []float64 {
	for t := 1; t < live; t++ {
		v[t] = math.NaN()
	}
	return v
}

func mustEstimate(t testing.TB, in Input, opt Options) Result {
	t.Helper()
	res, err := Estimate(in, opt)
	if err != nil {
		t.Fatalf("Estimate: %v", err)
	}
	return res
}

// TestRecoversKnownEffect: over 200 random panels with an effect of 5, the
// estimate lies within its interval every time and the interval covers the
// true effect in at least 90 % of them.
func TestRecoversKnownEffect(t *testing.T) {
	const effect, seeds = 5.0, 200
	covered := 0
	for seed := range uint64(seeds) {
		res := mustEstimate(t, panel(seed, 40, 8, 4, effect, 2), Options{Seed: seed})
		if !res.OK() {
			t.Fatalf("seed %d: %+v", seed, res.Shortfalls)
		}
		if res.Effect < res.Low || res.Effect > res.High {
			t.Errorf("seed %d: estimate %.3f outside [%.3f, %.3f]", seed, res.Effect, res.Low, res.High)
		}
		if res.Low <= effect && effect <= res.High {
			covered++
		}
		if res.Comparison.N != 40 || res.Excluded != (Excluded{Adopted: 1, OtherType: 1, Population: 1, Data: 1}) {
			t.Fatalf("seed %d: group %d, excluded %+v", seed, res.Comparison.N, res.Excluded)
		}
	}
	t.Logf("the interval covered the true effect in %d of %d panels", covered, seeds)
	if covered < seeds*90/100 {
		t.Errorf("coverage %d/%d below 90 %%", covered, seeds)
	}
}

// TestNoEffectCoversZero: without an effect the interval covers 0 in at
// least 90 % of 200 panels, and says so with its caveat.
func TestNoEffectCoversZero(t *testing.T) {
	const seeds = 200
	covered := 0
	for seed := range uint64(seeds) {
		res := mustEstimate(t, panel(1000+seed, 40, 8, 4, 0, 2), Options{Seed: seed})
		zero := res.Low <= 0 && res.High >= 0
		if zero {
			covered++
		}
		if hasCaveat(res, CaveatIntervalIncludesZero) != zero {
			t.Errorf("seed %d: interval [%v, %v] but caveats %+v", seed, res.Low, res.High, res.Caveats)
		}
	}
	t.Logf("the interval covered 0 in %d of %d panels", covered, seeds)
	if covered < seeds*90/100 {
		t.Errorf("coverage of 0: %d/%d below 90 %%", covered, seeds)
	}
}

// TestLargeEffectIsSeen: an effect far above the noise gives an interval
// that excludes 0.
func TestLargeEffectIsSeen(t *testing.T) {
	res := mustEstimate(t, panel(3, 40, 8, 4, 30, 2), Options{})
	if res.Low <= 0 || hasCaveat(res, CaveatIntervalIncludesZero) {
		t.Errorf("effect 30: interval [%v, %v], caveats %+v", res.Low, res.High, res.Caveats)
	}
}

func hasCaveat(r Result, c CaveatCode) bool {
	return slices.ContainsFunc(r.Caveats, func(x Caveat) bool { return x.Code == c })
}

func TestByHand(t *testing.T) {
	nan := math.NaN()
	in := Input{
		Periods:  []string{"2021", "2022", "2023", "2024"},
		LiveFrom: "2023",
		// Adopter: before (1+3)/2 = 2, after (10+12)/2 = 11, change 9.
		Adopter: Region{Code: "A", Type: "kota", Population: 100, Values: []float64{1, 3, 10, 12}},
		Candidates: []Region{
			// Changes: 2, 4 and 3 (C's missing 2024: after = 7): mean 3.
			{Code: "C", Type: "kota", Population: 60, Values: []float64{4, 4, 7, nan}},
			{Code: "B", Type: "kota", Population: 200, Values: []float64{0, 2, 3, 3}},
			{Code: "D", Type: "kota", Population: 50, Values: []float64{10, 12, 14, 16}},
		},
	}
	// With a value missing, C needs MinPeriods 1 here.
	res := mustEstimate(t, in, Options{MinComparison: 3, MinPeriods: 1})
	if !res.OK() {
		t.Fatalf("shortfalls %+v", res.Shortfalls)
	}
	if res.Effect != 6 || res.Adopter != (Group{N: 1, Before: 2, After: 11, Change: 9}) {
		t.Errorf("effect %v, adopter %+v", res.Effect, res.Adopter)
	}
	// Comparison: before (1+4+11)/3, after (3+7+15)/3.
	if c := res.Comparison; c.N != 3 || math.Abs(c.Before-16.0/3) > 1e-12 || math.Abs(c.After-25.0/3) > 1e-12 || c.Change != 3 {
		t.Errorf("comparison %+v", c)
	}
	if !reflect.DeepEqual(res.ComparisonRegions, []string{"B", "C", "D"}) ||
		!reflect.DeepEqual(res.Before, []string{"2021", "2022"}) || !reflect.DeepEqual(res.After, []string{"2023", "2024"}) {
		t.Errorf("regions %v, windows %v %v", res.ComparisonRegions, res.Before, res.After)
	}
	wantSeries := []Point{
		{Period: "2021", Adopter: 1, HasAdopter: true, Comparison: 14.0 / 3, ComparisonN: 3},
		{Period: "2022", Adopter: 3, HasAdopter: true, Comparison: 6, ComparisonN: 3},
		{Period: "2023", After: true, Adopter: 10, HasAdopter: true, Comparison: 8, ComparisonN: 3},
		{Period: "2024", After: true, Adopter: 12, HasAdopter: true, Comparison: 9.5, ComparisonN: 2},
	}
	for i, p := range res.Series {
		w := wantSeries[i]
		if p.Period != w.Period || p.After != w.After || p.Adopter != w.Adopter || p.ComparisonN != w.ComparisonN || math.Abs(p.Comparison-w.Comparison) > 1e-12 {
			t.Errorf("series[%d] = %+v, want %+v", i, p, w)
		}
	}
	// Every replicate is 6 − (Δ_J − 3) + (m* − 3) with Δ_J ∈ {2, 3, 4} and
	// m* ∈ [2, 4]: the interval lies within [4, 8].
	if res.Low < 4 || res.High > 8 || res.Low > 6 || res.High < 6 {
		t.Errorf("interval [%v, %v]", res.Low, res.High)
	}
	if !hasCaveat(res, CaveatObservational) || !hasCaveat(res, CaveatSmallComparison) || !hasCaveat(res, CaveatShortWindow) {
		t.Errorf("caveats %+v", res.Caveats)
	}
	if res.Resamples != DefaultResamples || res.Level != DefaultLevel {
		t.Errorf("defaults not applied: %d %v", res.Resamples, res.Level)
	}
}

func TestShortfalls(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		edit func(*Input)
		want []Shortfall
	}{
		// Comparison regions need the same windows, so short windows
		// leave no comparison group either.
		{"live too recently", func(in *Input) { in.LiveFrom = "2022" }, // 2022 only after
			[]Shortfall{{ReasonAfter, 1, 2}, {ReasonComparison, 0, 5}}},
		{"live after the data", func(in *Input) { in.LiveFrom = "2030" },
			[]Shortfall{{ReasonAfter, 0, 2}, {ReasonComparison, 0, 5}}},
		{"live too early", func(in *Input) { in.LiveFrom = "2016" }, // 2015 only before
			[]Shortfall{{ReasonBefore, 1, 2}, {ReasonComparison, 0, 5}}},
		{"adopter's values missing", func(in *Input) {
			in.Adopter.Values = []float64{nan, 1, nan, nan, 3, nan, nan, nan}
		}, []Shortfall{{ReasonBefore, 1, 2}, {ReasonAfter, 1, 2}}},
		{"population unknown", func(in *Input) { in.Adopter.Population = 0 },
			[]Shortfall{{ReasonPopulation, 0, 0}, {ReasonComparison, 0, 5}}},
		{"everyone adopted", func(in *Input) {
			for i := range in.Candidates {
				in.Candidates[i].Adopted = true
			}
		}, []Shortfall{{ReasonComparison, 0, 5}}},
		{"too few of the same type", func(in *Input) {
			for i := range in.Candidates[4:] {
				in.Candidates[4+i].Type = "kabupaten"
			}
		}, []Shortfall{{ReasonComparison, 4, 5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := panel(7, 10, 8, 4, 5, 1)
			tc.edit(&in)
			res := mustEstimate(t, in, Options{})
			if !reflect.DeepEqual(res.Shortfalls, tc.want) {
				t.Errorf("shortfalls %+v, want %+v", res.Shortfalls, tc.want)
			}
			if res.OK() || res.Effect != 0 || res.Series != nil || res.Caveats != nil {
				t.Errorf("an estimate despite the shortfall: %+v", res)
			}
		})
	}
	if res := mustEstimate(t, panel(7, 10, 8, 4, 5, 1), Options{}); !res.OK() {
		t.Errorf("the unedited panel falls short: %+v", res.Shortfalls)
	}
}

func TestComparisonRules(t *testing.T) {
	vals := []float64{1, 2, 3, 4}
	in := Input{Periods: []string{"2021", "2022", "2023", "2024"}, LiveFrom: "2023",
		Adopter: Region{Code: "A", Type: "kota", Population: 1000, Values: vals}}
	add := func(code, typ string, pop float64, adopted bool) {
		in.Candidates = append(in.Candidates, Region{Code: code, Type: typ, Population: pop, Adopted: adopted, Values: vals})
	}
	add("A", "kota", 1000, false) // the adopter itself, skipped
	add("in-low", "kota", 500, false)
	add("in-high", "kota", 2000, false)
	add("out-low", "kota", 499, false)
	add("out-high", "kota", 2001, false)
	add("unknown", "kota", 0, false)
	add("kab", "kabupaten", 1000, false)
	add("adopted", "kota", 1000, true)
	add("adopted-kab", "kabupaten", 1000, true) // counted once, as adopted
	res := mustEstimate(t, in, Options{MinComparison: 2})
	if !reflect.DeepEqual(res.ComparisonRegions, []string{"in-high", "in-low"}) ||
		res.Excluded != (Excluded{Adopted: 2, OtherType: 1, Population: 3}) {
		t.Errorf("group %v, excluded %+v", res.ComparisonRegions, res.Excluded)
	}
	res = mustEstimate(t, in, Options{MinComparison: 2, PopulationFactor: 3})
	if len(res.ComparisonRegions) != 4 {
		t.Errorf("factor 3: group %v", res.ComparisonRegions)
	}
}

func TestDeterministic(t *testing.T) {
	in := panel(11, 30, 8, 4, 5, 2)
	a := mustEstimate(t, in, Options{Seed: 42})
	b := mustEstimate(t, in, Options{Seed: 42})
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different results")
	}
	rev := in
	rev.Candidates = slices.Clone(in.Candidates)
	slices.Reverse(rev.Candidates)
	if c := mustEstimate(t, rev, Options{Seed: 42}); !reflect.DeepEqual(a, c) {
		t.Error("the candidates' order changed the result")
	}
	if c := mustEstimate(t, in, Options{Seed: 43}); c.Low == a.Low && c.High == a.High {
		t.Error("another seed gave the same interval")
	}
}

// TestUnits: adding a constant to every value changes nothing; scaling every
// value scales the effect, the interval and the means.
func TestUnits(t *testing.T) {
	in := panel(21, 30, 8, 4, 5, 2)
	base := mustEstimate(t, in, Options{Seed: 9})
	transform := func(f func(float64) float64) Input {
		out := in
		out.Adopter.Values = slices.Clone(in.Adopter.Values)
		out.Candidates = slices.Clone(in.Candidates)
		for i, v := range out.Adopter.Values {
			out.Adopter.Values[i] = f(v)
		}
		for c := range out.Candidates {
			out.Candidates[c].Values = slices.Clone(in.Candidates[c].Values)
			for i, v := range out.Candidates[c].Values {
				out.Candidates[c].Values[i] = f(v)
			}
		}
		return out
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a)) }
	shifted := mustEstimate(t, transform(func(v float64) float64 { return v + 1000 }), Options{Seed: 9})
	if !near(shifted.Effect, base.Effect) || !near(shifted.Low, base.Low) || !near(shifted.High, base.High) ||
		!near(shifted.Comparison.Before, base.Comparison.Before+1000) {
		t.Errorf("shift: %v [%v, %v], base %v [%v, %v]", shifted.Effect, shifted.Low, shifted.High, base.Effect, base.Low, base.High)
	}
	scaled := mustEstimate(t, transform(func(v float64) float64 { return v * -3 }), Options{Seed: 9})
	// A negative factor also swaps the interval's ends.
	if !near(scaled.Effect, -3*base.Effect) || !near(scaled.Low, -3*base.High) || !near(scaled.High, -3*base.Low) ||
		!near(scaled.Adopter.After, -3*base.Adopter.After) {
		t.Errorf("scale: %v [%v, %v], base %v [%v, %v]", scaled.Effect, scaled.Low, scaled.High, base.Effect, base.Low, base.High)
	}
}

func TestPreTrendCaveat(t *testing.T) {
	in := panel(5, 40, 8, 4, 0, 0.5)
	if res := mustEstimate(t, in, Options{}); hasCaveat(res, CaveatPreTrend) {
		t.Errorf("parallel trends flagged: %+v", res.Caveats)
	}
	// The adopter climbs 3 a period faster from the start: the before
	// windows' centres are 4 periods apart, so the drift is about 12.
	for i := range in.Adopter.Values {
		in.Adopter.Values[i] += 3 * float64(i)
	}
	res := mustEstimate(t, in, Options{})
	i := slices.IndexFunc(res.Caveats, func(c Caveat) bool { return c.Code == CaveatPreTrend })
	if i < 0 || math.Abs(res.Caveats[i].Value-12) > 2 {
		t.Errorf("caveats %+v", res.Caveats)
	}
}

func TestMalformedInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Input, *Options)
	}{
		{"adopter misaligned", func(in *Input, _ *Options) { in.Adopter.Values = in.Adopter.Values[1:] }},
		{"candidate misaligned", func(in *Input, _ *Options) { in.Candidates[2].Values = nil }},
		{"periods out of order", func(in *Input, _ *Options) { in.Periods[3], in.Periods[4] = in.Periods[4], in.Periods[3] }},
		{"no live-from", func(in *Input, _ *Options) { in.LiveFrom = "" }},
		{"level", func(_ *Input, o *Options) { o.Level = 1.5 }},
		{"resamples", func(_ *Input, o *Options) { o.Resamples = -1 }},
		{"factor", func(_ *Input, o *Options) { o.PopulationFactor = 0.5 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, opt := panel(1, 10, 8, 4, 5, 1), Options{}
			tc.edit(&in, &opt)
			if _, err := Estimate(in, opt); err == nil {
				t.Error("no error")
			}
		})
	}
}

// BenchmarkEstimate: one estimate with 100 comparison regions, 10 periods
// and B = 2,000.
func BenchmarkEstimate(b *testing.B) {
	in := panel(1, 100, 10, 5, 5, 2)
	b.ReportAllocs()
	for b.Loop() {
		if res, err := Estimate(in, Options{Seed: 1}); err != nil || res.Comparison.N != 100 {
			b.Fatal(err, res.Shortfalls)
		}
	}
}
