package rank

import (
	"cmp"
	"math"
	"slices"
)

// PeriodResult is the ranking of one period.
type PeriodResult struct {
	Period string
	// Results are the ranked regions, by rank and then region code.
	Results []Result
	// Excluded are the regions of the set left out of this period's
	// ranking by the missing-value policy, by region code.
	Excluded []Excluded
	// Dropped lists the components no region of the set has a value for
	// in this period; under Reweight and Mean the others share their
	// weight.
	Dropped []string
}

// Result is one region's place in a period's ranking.
type Result struct {
	Region string
	// Score is the composite score (0–100 under MinMax, a weighted mean
	// of z-scores under ZScore), rounded to 1e-9 so that ties are exact.
	Score float64
	// Rank is the competition rank: equal scores share a rank and the
	// next rank skips (1, 2, 2, 4).
	Rank int
	// Coverage is the share of the index's total weight the region has
	// real (not imputed) values for, 0..1.
	Coverage float64
	// Components in the index's order; their Contributions sum to Score
	// (up to its rounding).
	Components []ComponentResult
}

// ComponentResult is one component's part in a region's score.
type ComponentResult struct {
	Indicator string
	// Value is the raw value (the imputed mean when Imputed).
	Value float64
	// Missing: the region has no value; under Reweight the component is
	// left out (Weight 0), under Mean it is Imputed.
	Missing, Imputed bool
	// Normalised is the value after normalisation and direction (MinMax:
	// 0..1, 1 best; ZScore: z, positive is better than average).
	Normalised float64
	// Weight is the share of the score this component carried for this
	// region (after reweighting); the Weights of a result sum to one.
	Weight float64
	// Contribution is Weight × Normalised, times 100 under MinMax.
	Contribution float64
}

// Excluded is a region left out of a period's ranking.
type Excluded struct {
	Region   string
	Coverage float64
}

// stats of one indicator in one period over the region set.
type stats struct {
	n                   int
	min, max, mean      float64 // of the raw values
	scale               float64 // values are divided by scale before use (1 unless extreme)
	minS, maxS, spreadS float64 // min, max, max−min of the scaled values
	meanS, sd           float64 // mean and population standard deviation of the scaled values
}

// Compute ranks the index's region set in every period of data that has a
// value for at least one component in the region set, oldest period first.
// It returns the index's *ValidationError if the index is invalid.
func Compute(idx Index, data *Data) ([]PeriodResult, error) {
	if err := idx.Validate(); err != nil {
		return nil, err
	}
	data.build()
	c := newComputation(idx, data)
	var out []PeriodResult
	for k, period := range data.sorted {
		if pr, ok := c.period(k, period); ok {
			out = append(out, pr)
		}
	}
	return out, nil
}

type computation struct {
	idx     Index
	data    *Data
	regions []string // region set, sorted by code
	rows    []int    // data region index per region, -1 if absent
	cols    []int    // data indicator index per component, -1 if absent
	shares  []float64
	scale   float64 // 100 under MinMax, 1 under ZScore
	st      []stats
	norm    []float64 // per region × component, NaN when missing
	imputed []bool
}

func newComputation(idx Index, data *Data) *computation {
	c := &computation{idx: idx, data: data, scale: 1}
	if idx.Normalisation == MinMax {
		c.scale = 100
	}
	c.regions = slices.Clone(idx.Regions)
	slices.Sort(c.regions)
	c.rows = make([]int, len(c.regions))
	for i, r := range c.regions {
		c.rows[i] = -1
		if j, ok := data.region[r]; ok {
			c.rows[i] = j
		}
	}
	total := 0.0
	for _, comp := range idx.Components {
		total += comp.Weight
	}
	c.cols = make([]int, len(idx.Components))
	c.shares = make([]float64, len(idx.Components))
	for j, comp := range idx.Components {
		c.cols[j] = -1
		if i, ok := data.indicator[comp.Indicator]; ok {
			c.cols[j] = i
		}
		c.shares[j] = comp.Weight / total
	}
	c.st = make([]stats, len(idx.Components))
	c.norm = make([]float64, len(c.regions)*len(idx.Components))
	c.imputed = make([]bool, len(c.norm))
	return c
}

// value returns the raw value of region i, component j in sorted period k.
func (c *computation) value(k, i, j int) float64 {
	if c.rows[i] < 0 || c.cols[j] < 0 {
		return math.NaN()
	}
	return c.data.dense[c.data.at(k, c.rows[i], c.cols[j])]
}

// measure computes the statistics of component j in period k.
func (c *computation) measure(k, j int) stats {
	s := stats{min: math.Inf(1), max: math.Inf(-1), scale: 1}
	for i := range c.regions {
		v := c.value(k, i, j)
		if math.IsNaN(v) {
			continue
		}
		s.n++
		s.min = min(s.min, v)
		s.max = max(s.max, v)
	}
	if s.n == 0 {
		return s
	}
	// Both normalisations are invariant under a positive scaling of the
	// values, so extreme magnitudes are scaled towards 1 first to keep
	// sums and squares finite.
	if m := max(math.Abs(s.min), math.Abs(s.max)); m > 1e100 || (m > 0 && m < 1e-100) {
		s.scale = m
	}
	s.minS, s.maxS = s.min/s.scale, s.max/s.scale
	s.spreadS = s.maxS - s.minS
	sum := 0.0
	for i := range c.regions {
		if v := c.value(k, i, j); !math.IsNaN(v) {
			sum += v / s.scale
		}
	}
	s.meanS = sum / float64(s.n)
	ss := 0.0
	for i := range c.regions {
		if v := c.value(k, i, j); !math.IsNaN(v) {
			d := v/s.scale - s.meanS
			ss += d * d
		}
	}
	s.mean = s.meanS * s.scale
	s.sd = math.Sqrt(ss / float64(s.n)) // population standard deviation, scaled
	// The mean of values all equal can differ from them by rounding;
	// zero spread is decided on min and max, exactly.
	if s.spreadS == 0 {
		s.sd = 0
	}
	return s
}

// normalise maps a raw value of component j with statistics s.
func (c *computation) normalise(j int, s stats, v float64) float64 {
	x := v / s.scale
	higher := c.idx.Components[j].Direction == HigherIsBetter
	switch c.idx.Normalisation {
	case MinMax:
		if !(s.spreadS > 0) {
			return 0.5 // no spread: every region gets the midpoint
		}
		var n float64
		if higher {
			n = (x - s.minS) / s.spreadS
		} else {
			n = (s.maxS - x) / s.spreadS
		}
		return min(max(n, 0), 1)
	default: // ZScore
		if !(s.sd > 0) {
			return 0 // no spread: every region is average
		}
		z := (x - s.meanS) / s.sd
		if !higher {
			z = -z
		}
		return z
	}
}

func (c *computation) period(k int, period string) (PeriodResult, bool) {
	nc := len(c.idx.Components)
	pr := PeriodResult{Period: period}
	some := false
	for j := range c.idx.Components {
		c.st[j] = c.measure(k, j)
		if c.st[j].n > 0 {
			some = true
		} else {
			pr.Dropped = append(pr.Dropped, c.idx.Components[j].Indicator)
		}
	}
	if !some {
		return pr, false
	}
	type scored struct {
		i        int
		score    float64
		coverage float64
		used     float64
	}
	var ranked []scored
	for i := range c.regions {
		coverage, used, sum := 0.0, 0.0, 0.0
		complete := true
		for j := range nc {
			at := i*nc + j
			c.imputed[at] = false
			v := c.value(k, i, j)
			switch {
			case !math.IsNaN(v):
				c.norm[at] = c.normalise(j, c.st[j], v)
				coverage += c.shares[j]
			case c.idx.Missing == Mean && c.st[j].n > 0:
				c.norm[at] = c.normalise(j, c.st[j], c.st[j].mean)
				c.imputed[at] = true
				complete = false
			default:
				c.norm[at] = math.NaN()
				complete = false
				continue
			}
			used += c.shares[j]
			sum += c.shares[j] * c.norm[at]
		}
		ok := coverage > 0
		switch c.idx.Missing {
		case Exclude:
			ok = ok && complete
		default:
			ok = ok && coverage >= c.idx.MinCoverage-1e-12
		}
		coverage = min(coverage, 1)
		if !ok {
			pr.Excluded = append(pr.Excluded, Excluded{Region: c.regions[i], Coverage: coverage})
			continue
		}
		score := math.Round(sum/used*c.scale*1e9) / 1e9
		ranked = append(ranked, scored{i: i, score: score, coverage: coverage, used: used})
	}
	// Regions are already in code order; a stable sort by score keeps it
	// within ties.
	slices.SortStableFunc(ranked, func(a, b scored) int { return cmp.Compare(b.score, a.score) })
	pr.Results = make([]Result, len(ranked))
	comps := make([]ComponentResult, len(ranked)*nc)
	for n, s := range ranked {
		r := &pr.Results[n]
		r.Region, r.Score, r.Coverage = c.regions[s.i], s.score, s.coverage
		r.Rank = n + 1
		if n > 0 && s.score == ranked[n-1].score {
			r.Rank = pr.Results[n-1].Rank
		}
		r.Components = comps[n*nc : (n+1)*nc : (n+1)*nc]
		for j, comp := range c.idx.Components {
			at := s.i*nc + j
			cr := &r.Components[j]
			cr.Indicator = comp.Indicator
			v := c.value(k, s.i, j)
			switch {
			case c.imputed[at]:
				cr.Value, cr.Missing, cr.Imputed = c.st[j].mean, true, true
			case math.IsNaN(v):
				cr.Missing = true
				continue
			default:
				cr.Value = v
			}
			cr.Normalised = c.norm[at]
			cr.Weight = c.shares[j] / s.used
			cr.Contribution = cr.Weight * cr.Normalised * c.scale
		}
	}
	return pr, true
}

// HistoryPoint is a region's place in one period.
type HistoryPoint struct {
	Period string
	// Ranked is false when the region was excluded in this period (Rank,
	// Score are then zero).
	Ranked bool
	Rank   int
	// Of is the number of regions ranked in the period.
	Of       int
	Score    float64
	Coverage float64
}

// History returns a region's rank in each period of a Compute result, in
// the same order (oldest first), for a rank-history chart ("200 → 1").
// Periods where the region is neither ranked nor excluded (it is not in the
// region set) are left out.
func History(periods []PeriodResult, region string) []HistoryPoint {
	var h []HistoryPoint
	for _, p := range periods {
		pt := HistoryPoint{Period: p.Period, Of: len(p.Results)}
		found := false
		for _, r := range p.Results {
			if r.Region == region {
				pt.Ranked, pt.Rank, pt.Score, pt.Coverage = true, r.Rank, r.Score, r.Coverage
				found = true
				break
			}
		}
		if !found {
			for _, e := range p.Excluded {
				if e.Region == region {
					pt.Coverage = e.Coverage
					found = true
					break
				}
			}
		}
		if found {
			h = append(h, pt)
		}
	}
	return h
}
