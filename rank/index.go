package rank

import (
	"fmt"
	"math"
	"strings"
)

// Direction says whether a higher or a lower value of an indicator is better.
type Direction string

// The directions of a component.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// Normalisation names how raw values are made comparable across indicators.
type Normalisation string

// The normalisations (see the package documentation for the formulas).
const (
	// MinMax maps each indicator, per period, to 0..1 over the region set
	// (1 = best); composite scores are on a 0–100 scale.
	MinMax Normalisation = "minmax"
	// ZScore subtracts the region set's mean and divides by its population
	// standard deviation (sign flipped for lower-is-better); composite
	// scores are weighted means of z-scores (0 = average, unbounded).
	ZScore Normalisation = "zscore"
)

// MissingPolicy names what happens when a region has no value for a
// component in a period.
type MissingPolicy string

// The missing-value policies (see the package documentation).
const (
	// Exclude leaves a region out of a period's ranking unless it has a
	// value for every component.
	Exclude MissingPolicy = "exclude"
	// Reweight scores a region over the components it has, their weights
	// rescaled to sum to one, if its coverage is at least MinCoverage.
	Reweight MissingPolicy = "reweight"
	// Mean imputes the region set's mean of the indicator in that period
	// for a missing value, if the region's coverage is at least MinCoverage.
	Mean MissingPolicy = "mean"
)

// Component is one indicator of a composite index.
type Component struct {
	// Indicator is the indicator's code, as in Data.Add.
	Indicator string
	// Weight is the relative weight (> 0); weights need not sum to one,
	// they are used as shares of their total.
	Weight float64
	// Direction says which end of the indicator is better.
	Direction Direction
}

// Index is the definition of a composite index.
type Index struct {
	Name          string
	Components    []Component
	Normalisation Normalisation
	Missing       MissingPolicy
	// MinCoverage is the least share of the total weight (0 < c ≤ 1) a
	// region must have real values for to be ranked under Reweight or
	// Mean. Exclude ignores it (it needs full coverage).
	MinCoverage float64
	// Regions is the region set, resolved by the caller ("all kota",
	// "province 35", ...): the regions ranked and the population over
	// which values are normalised.
	Regions []string
}

// Problem codes of a ValidationError, stable so the app can turn them into
// sentences in either language.
const (
	ProblemRequired    = "required"     // the field is empty
	ProblemNotPositive = "not_positive" // a weight is zero, negative or not a finite number
	ProblemDuplicate   = "duplicate"    // the value appears earlier in the list
	ProblemUnknown     = "unknown"      // the value is not one of the allowed names
	ProblemOutOfRange  = "out_of_range" // MinCoverage is not in (0, 1]
)

// Problem is one invalid field of an Index.
type Problem struct {
	// Field is the field's path: "name", "components",
	// "components[2].weight", "normalisation", "missing", "min_coverage",
	// "regions", "regions[4]".
	Field string
	// Code is one of the Problem* constants.
	Code string
}

// ValidationError lists every invalid field of an Index, in field order.
type ValidationError struct {
	Problems []Problem
}

// Error implements error.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Code
	}
	return "invalid index: " + strings.Join(parts, ", ")
}

// Validate checks the definition and returns a *ValidationError naming
// every invalid field, or nil. An index needs a name, at least one
// component, distinct non-empty indicator codes, finite positive weights,
// known directions, a known normalisation and missing-value policy,
// MinCoverage in (0, 1] for Reweight and Mean, and a non-empty region set
// without duplicates.
func (idx Index) Validate() error {
	var ps []Problem
	add := func(field, code string) { ps = append(ps, Problem{Field: field, Code: code}) }
	if strings.TrimSpace(idx.Name) == "" {
		add("name", ProblemRequired)
	}
	if len(idx.Components) == 0 {
		add("components", ProblemRequired)
	}
	seen := make(map[string]bool, len(idx.Components))
	for i, c := range idx.Components {
		f := fmt.Sprintf("components[%d].", i)
		switch {
		case c.Indicator == "":
			add(f+"indicator", ProblemRequired)
		case seen[c.Indicator]:
			add(f+"indicator", ProblemDuplicate)
		}
		seen[c.Indicator] = true
		if !(c.Weight > 0) || math.IsInf(c.Weight, 1) {
			add(f+"weight", ProblemNotPositive)
		}
		switch c.Direction {
		case HigherIsBetter, LowerIsBetter:
		case "":
			add(f+"direction", ProblemRequired)
		default:
			add(f+"direction", ProblemUnknown)
		}
	}
	switch idx.Normalisation {
	case MinMax, ZScore:
	case "":
		add("normalisation", ProblemRequired)
	default:
		add("normalisation", ProblemUnknown)
	}
	switch idx.Missing {
	case Exclude:
	case Reweight, Mean:
		if !(idx.MinCoverage > 0 && idx.MinCoverage <= 1) {
			add("min_coverage", ProblemOutOfRange)
		}
	case "":
		add("missing", ProblemRequired)
	default:
		add("missing", ProblemUnknown)
	}
	if len(idx.Regions) == 0 {
		add("regions", ProblemRequired)
	}
	seenRegion := make(map[string]bool, len(idx.Regions))
	for i, r := range idx.Regions {
		switch {
		case r == "":
			add(fmt.Sprintf("regions[%d]", i), ProblemRequired)
		case seenRegion[r]:
			add(fmt.Sprintf("regions[%d]", i), ProblemDuplicate)
		}
		seenRegion[r] = true
	}
	if ps != nil {
		return &ValidationError{Problems: ps}
	}
	return nil
}

// Formula is the method of an index with its actual numbers, for a
// methodology page: the web layer writes the sentences.
type Formula struct {
	Name          string
	Normalisation Normalisation
	Missing       MissingPolicy
	// MinCoverage is the index's MinCoverage (1 under Exclude).
	MinCoverage float64
	// Scale is the score's scale: ScalePercent under MinMax, ScaleZ under
	// ZScore.
	Scale Scale
	// Components with their weights as given and as shares of the total.
	Components []FormulaComponent
	// Regions is the size of the region set.
	Regions int
}

// Scale names the scale of composite scores.
type Scale string

// The scales.
const (
	// ScalePercent: 0 (worst possible: last on every component) to 100
	// (best on every component).
	ScalePercent Scale = "0-100"
	// ScaleZ: weighted mean of z-scores; 0 is the region set's average and
	// one unit is one standard deviation; unbounded.
	ScaleZ Scale = "z"
)

// FormulaComponent is one term of the weighted sum.
type FormulaComponent struct {
	Indicator string
	Direction Direction
	Weight    float64
	// Share is Weight divided by the sum of the weights (the shares sum
	// to one).
	Share float64
}

// Formula describes the index's method with its actual weights. It does
// not validate; call Validate first.
func (idx Index) Formula() Formula {
	f := Formula{
		Name:          idx.Name,
		Normalisation: idx.Normalisation,
		Missing:       idx.Missing,
		MinCoverage:   idx.MinCoverage,
		Scale:         ScalePercent,
		Regions:       len(idx.Regions),
	}
	if idx.Missing == Exclude {
		f.MinCoverage = 1
	}
	if idx.Normalisation == ZScore {
		f.Scale = ScaleZ
	}
	total := 0.0
	for _, c := range idx.Components {
		total += c.Weight
	}
	for _, c := range idx.Components {
		f.Components = append(f.Components, FormulaComponent{
			Indicator: c.Indicator, Direction: c.Direction, Weight: c.Weight, Share: c.Weight / total,
		})
	}
	return f
}
