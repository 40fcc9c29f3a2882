package impact

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Region is one region's series of the chosen indicator and what the
// comparison-group rules need to know about it.
type Region struct {
	Code string
	// Type is the region's kind ("kota" or "kabupaten"); comparison
	// regions must have the adopter's Type.
	Type string
	// Population is the region's population; 0 or less means unknown.
	Population float64
	// Adopted says the region adopted the solution too (at any stage the
	// caller counts); such a candidate is never in the comparison group.
	// Ignored for the adopter.
	Adopted bool
	// Values holds the indicator by period, aligned with Input.Periods;
	// NaN (or ±Inf) marks a missing value.
	Values []float64
}

// Input is everything one estimate needs.
type Input struct {
	// Periods are the period labels of every series, oldest first, in
	// strictly increasing label order ("2021", "2022", ... or "2024-Q1",
	// "2024-Q2", ...: one kind of period).
	Periods []string
	// LiveFrom is the first period the adoption was live: the before
	// window is every period ordered before it, the after window LiveFrom
	// and every later period. It need not be one of Periods.
	LiveFrom string
	Adopter  Region
	// Candidates are the possible comparison regions, usually every other
	// region with data for the indicator; the rules pick the group. The
	// adopter itself (same Code), if listed, is skipped.
	Candidates []Region
}

// Options tune an estimate; the zero value of a field means its default.
type Options struct {
	// Resamples is the number of bootstrap resamples B (default 2,000).
	Resamples int
	// Seed seeds the bootstrap (PCG), so an estimate is reproducible.
	Seed uint64
	// Level is the confidence level of the interval (default 0.95).
	Level float64
	// PopulationFactor F bounds the comparison regions' population to
	// [P/F, P·F] around the adopter's P (default 2).
	PopulationFactor float64
	// MinPeriods is the least number of periods with a value each region
	// needs in each window (default 2).
	MinPeriods int
	// MinComparison is the least size of the comparison group (default 5).
	MinComparison int
}

// Defaults of Options.
const (
	DefaultResamples        = 2000
	DefaultLevel            = 0.95
	DefaultPopulationFactor = 2
	DefaultMinPeriods       = 2
	DefaultMinComparison    = 5
	// SmallComparison is the group size under which CaveatSmallComparison
	// is given.
	SmallComparison = 20
)

func (o Options) withDefaults() Options {
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Level == 0 {
		o.Level = DefaultLevel
	}
	if o.PopulationFactor == 0 {
		o.PopulationFactor = DefaultPopulationFactor
	}
	if o.MinPeriods == 0 {
		o.MinPeriods = DefaultMinPeriods
	}
	if o.MinComparison == 0 {
		o.MinComparison = DefaultMinComparison
	}
	return o
}

// Reason names a condition for an estimate that the data does not meet.
type Reason string

// The reasons of a Shortfall.
const (
	// ReasonBefore: the adopter has fewer than MinPeriods values before
	// LiveFrom.
	ReasonBefore Reason = "too_few_periods_before"
	// ReasonAfter: the adoption has been live for fewer than MinPeriods
	// periods with a value (LiveFrom onwards).
	ReasonAfter Reason = "too_few_periods_after"
	// ReasonPopulation: the adopter's population is unknown, so no
	// comparison group can be formed.
	ReasonPopulation Reason = "population_unknown"
	// ReasonComparison: fewer than MinComparison regions meet the
	// comparison-group rules.
	ReasonComparison Reason = "too_few_comparison_regions"
)

// Shortfall is one unmet condition: Have against Need (counts of periods
// or regions; both 0 for ReasonPopulation).
type Shortfall struct {
	Reason     Reason
	Have, Need int
}

// CaveatCode names a fact the reader should weigh; the web layer turns each
// into a sentence in the page's language.
type CaveatCode string

// The caveats.
const (
	// CaveatObservational is always given: adoption was not assigned at
	// random; the estimate assumes that without the adoption the adopter
	// would have changed like the comparison group (parallel trends), and
	// other changes at the same time are not separated out.
	CaveatObservational CaveatCode = "observational"
	// CaveatIntervalIncludesZero: the interval contains 0, so the data are
	// consistent with no effect. Value is 0.
	CaveatIntervalIncludesZero CaveatCode = "interval_includes_zero"
	// CaveatSmallComparison: fewer than SmallComparison comparison
	// regions. Value is their number.
	CaveatSmallComparison CaveatCode = "small_comparison_group"
	// CaveatShortWindow: fewer than three periods before or after. Value
	// is the shorter window's number of periods with an adopter value.
	CaveatShortWindow CaveatCode = "short_window"
	// CaveatPreTrend: before adoption the adopter's trend differed from
	// the comparison group's by enough to move the estimate by more than
	// half the interval's width if it continued. Value is that projected
	// drift (in the indicator's unit). Only checked with three or more
	// periods before.
	CaveatPreTrend CaveatCode = "pre_trend"
)

// Caveat is one caveat with its number.
type Caveat struct {
	Code  CaveatCode
	Value float64
}

// Group is the before/after summary of one group: for the comparison
// group, the mean over its regions of each region's window means.
type Group struct {
	N                     int
	Before, After, Change float64
}

// Point is one period of the before/after chart.
type Point struct {
	Period string
	// After is true from LiveFrom on.
	After bool
	// Adopter is the adopter's value, valid when HasAdopter.
	Adopter    float64
	HasAdopter bool
	// Comparison is the mean of the comparison regions with a value in
	// this period, ComparisonN of them (0: no mean).
	Comparison  float64
	ComparisonN int
}

// Excluded counts the candidates left out of the comparison group, by the
// first rule each failed, in this order.
type Excluded struct {
	Adopted    int // adopted the solution
	OtherType  int // not the adopter's Type
	Population int // population unknown or outside [P/F, P·F]
	Data       int // fewer than MinPeriods values in a window
}

// Result is a difference-in-differences estimate, or the reasons there is
// none.
type Result struct {
	// Shortfalls lists every unmet condition. When it is not empty there is
	// no estimate: Effect, Low, High, the groups' means, Series and
	// Caveats are zero; Before, After, Excluded and ComparisonRegions
	// still describe what was found.
	Shortfalls []Shortfall
	// Effect is the DiD estimate: the adopter's change minus the
	// comparison group's mean change, in the indicator's unit.
	Effect float64
	// Low and High bound the bootstrap confidence interval at Level.
	Low, High float64
	Level     float64
	Resamples int
	Seed      uint64
	// Before and After are the periods of each window.
	Before, After []string
	Adopter       Group
	Comparison    Group
	// ComparisonRegions are the codes of the comparison group, sorted.
	ComparisonRegions []string
	Excluded          Excluded
	Series            []Point
	Caveats           []Caveat
}

// OK reports whether the result carries an estimate.
func (r Result) OK() bool { return len(r.Shortfalls) == 0 }

// Estimate computes the difference-in-differences estimate of the
// adoption's effect on the indicator (see the package documentation). An
// error means malformed input (series not aligned with Periods, periods
// out of order, options out of range); data that are merely too few give
// a Result with Shortfalls.
func Estimate(in Input, opt Options) (Result, error) {
	opt = opt.withDefaults()
	if err := check(in, opt); err != nil {
		return Result{}, err
	}
	res := Result{Level: opt.Level, Resamples: opt.Resamples, Seed: opt.Seed}
	after := make([]bool, len(in.Periods))
	for i, p := range in.Periods {
		after[i] = p >= in.LiveFrom
		if after[i] {
			res.After = append(res.After, p)
		} else {
			res.Before = append(res.Before, p)
		}
	}
	a := summarise(in.Adopter.Values, after)
	if a.nBefore < opt.MinPeriods {
		res.Shortfalls = append(res.Shortfalls, Shortfall{Reason: ReasonBefore, Have: a.nBefore, Need: opt.MinPeriods})
	}
	if a.nAfter < opt.MinPeriods {
		res.Shortfalls = append(res.Shortfalls, Shortfall{Reason: ReasonAfter, Have: a.nAfter, Need: opt.MinPeriods})
	}
	pop := in.Adopter.Population
	if !(pop > 0) || math.IsInf(pop, 0) {
		res.Shortfalls = append(res.Shortfalls, Shortfall{Reason: ReasonPopulation})
	}

	// The comparison group, in code order so that the candidates' order
	// changes no number.
	type member struct {
		Region
		window
	}
	var group []member
	for _, c := range in.Candidates {
		if c.Code == in.Adopter.Code {
			continue
		}
		s := summarise(c.Values, after)
		switch {
		case c.Adopted:
			res.Excluded.Adopted++
		case c.Type != in.Adopter.Type:
			res.Excluded.OtherType++
		case !(pop > 0) || !(c.Population >= pop/opt.PopulationFactor && c.Population <= pop*opt.PopulationFactor):
			res.Excluded.Population++
		case s.nBefore < opt.MinPeriods || s.nAfter < opt.MinPeriods:
			res.Excluded.Data++
		default:
			group = append(group, member{c, s})
		}
	}
	slices.SortStableFunc(group, func(x, y member) int { return strings.Compare(x.Code, y.Code) })
	changes := make([]float64, len(group))
	for i, g := range group {
		res.ComparisonRegions = append(res.ComparisonRegions, g.Code)
		changes[i] = g.after - g.before
	}
	if len(group) < opt.MinComparison {
		res.Shortfalls = append(res.Shortfalls, Shortfall{Reason: ReasonComparison, Have: len(group), Need: opt.MinComparison})
	}
	if !res.OK() {
		return res, nil
	}

	// The estimate.
	n := float64(len(group))
	res.Adopter = Group{N: 1, Before: a.before, After: a.after, Change: a.after - a.before}
	res.Comparison.N = len(group)
	for _, g := range group {
		res.Comparison.Before += g.before / n
		res.Comparison.After += g.after / n
	}
	m := mean(changes)
	res.Comparison.Change = m
	res.Effect = res.Adopter.Change - m
	res.Low, res.High = bootstrap(res.Effect, changes, m, opt)

	// The chart.
	for t, p := range in.Periods {
		pt := Point{Period: p, After: after[t]}
		if v := in.Adopter.Values[t]; finite(v) {
			pt.Adopter, pt.HasAdopter = v, true
		}
		sum := 0.0
		for _, g := range group {
			if v := g.Values[t]; finite(v) {
				sum += v
				pt.ComparisonN++
			}
		}
		if pt.ComparisonN > 0 {
			pt.Comparison = sum / float64(pt.ComparisonN)
		}
		res.Series = append(res.Series, pt)
	}

	// The caveats.
	res.Caveats = []Caveat{{Code: CaveatObservational}}
	if res.Low <= 0 && res.High >= 0 {
		res.Caveats = append(res.Caveats, Caveat{Code: CaveatIntervalIncludesZero})
	}
	if len(group) < SmallComparison {
		res.Caveats = append(res.Caveats, Caveat{Code: CaveatSmallComparison, Value: n})
	}
	if w := min(a.nBefore, a.nAfter); w < 3 {
		res.Caveats = append(res.Caveats, Caveat{Code: CaveatShortWindow, Value: float64(w)})
	}
	if drift, ok := preTrendDrift(res.Series, after); ok && math.Abs(drift) > (res.High-res.Low)/2 {
		res.Caveats = append(res.Caveats, Caveat{Code: CaveatPreTrend, Value: drift})
	}
	return res, nil
}

// check refuses malformed input.
func check(in Input, opt Options) error {
	var errs []error
	for i := 1; i < len(in.Periods); i++ {
		if in.Periods[i] <= in.Periods[i-1] {
			errs = append(errs, fmt.Errorf("periods not in increasing order at %q", in.Periods[i]))
			break
		}
	}
	if in.LiveFrom == "" {
		errs = append(errs, errors.New("no live-from period"))
	}
	if len(in.Adopter.Values) != len(in.Periods) {
		errs = append(errs, fmt.Errorf("adopter %s has %d values for %d periods", in.Adopter.Code, len(in.Adopter.Values), len(in.Periods)))
	}
	for _, c := range in.Candidates {
		if len(c.Values) != len(in.Periods) {
			errs = append(errs, fmt.Errorf("candidate %s has %d values for %d periods", c.Code, len(c.Values), len(in.Periods)))
			break
		}
	}
	if opt.Resamples < 1 {
		errs = append(errs, fmt.Errorf("resamples %d below 1", opt.Resamples))
	}
	if !(opt.Level > 0 && opt.Level < 1) {
		errs = append(errs, fmt.Errorf("level %v outside (0, 1)", opt.Level))
	}
	if !(opt.PopulationFactor >= 1) || math.IsInf(opt.PopulationFactor, 1) {
		errs = append(errs, fmt.Errorf("population factor %v below 1", opt.PopulationFactor))
	}
	if opt.MinPeriods < 1 || opt.MinComparison < 1 {
		errs = append(errs, fmt.Errorf("minimum periods %d or comparison regions %d below 1", opt.MinPeriods, opt.MinComparison))
	}
	return errors.Join(errs...)
}

// window is a series' means and counts before and after.
type window struct {
	before, after   float64
	nBefore, nAfter int
}

func summarise(values []float64, after []bool) window {
	var w window
	for t, v := range values {
		if !finite(v) {
			continue
		}
		if after[t] {
			w.after += v
			w.nAfter++
		} else {
			w.before += v
			w.nBefore++
		}
	}
	if w.nBefore > 0 {
		w.before /= float64(w.nBefore)
	}
	if w.nAfter > 0 {
		w.after /= float64(w.nAfter)
	}
	return w
}

// bootstrap returns the percentile interval of B replicates
//
//	θ* = effect − (Δ_J − m)·√(n/(n−1)) + (m* − m)
//
// where m* is the mean change of n comparison regions drawn with
// replacement and J one more comparison region drawn at random: m* − m
// resamples the error of the comparison mean, Δ_J − m the adopter's own
// deviation from the common change (see the package documentation).
func bootstrap(effect float64, changes []float64, m float64, opt Options) (lo, hi float64) {
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6b6f6c61626f7261)) // "kolabora"
	n := len(changes)
	reps := make([]float64, opt.Resamples)
	inflate := 1.0
	if n > 1 {
		inflate = math.Sqrt(float64(n) / float64(n-1))
	}
	for b := range reps {
		sum := 0.0
		for range n {
			sum += changes[rng.IntN(n)]
		}
		reps[b] = effect - (changes[rng.IntN(n)]-m)*inflate + (sum/float64(n) - m)
	}
	slices.Sort(reps)
	tail := (1 - opt.Level) / 2
	return quantile(reps, tail), quantile(reps, 1-tail)
}

// quantile interpolates linearly between order statistics (type 7).
func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// preTrendDrift fits a least-squares line over the before periods to the
// adopter's values and to the comparison means, and projects the slopes'
// difference over the distance between the windows' centres.
func preTrendDrift(series []Point, after []bool) (float64, bool) {
	var xa, ya, xc, yc []float64
	var beforeX, afterX []float64
	for t, p := range series {
		if after[t] {
			afterX = append(afterX, float64(t))
			continue
		}
		beforeX = append(beforeX, float64(t))
		if p.HasAdopter {
			xa, ya = append(xa, float64(t)), append(ya, p.Adopter)
		}
		if p.ComparisonN > 0 {
			xc, yc = append(xc, float64(t)), append(yc, p.Comparison)
		}
	}
	if len(xa) < 3 || len(xc) < 3 || len(afterX) == 0 {
		return 0, false
	}
	return (slope(xa, ya) - slope(xc, yc)) * (mean(afterX) - mean(beforeX)), true
}

func slope(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	var sxy, sxx float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	return sxy / sxx
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
