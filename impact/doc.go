// Package impact estimates the effect of an adopted solution on an
// indicator by difference in differences: pure logic, no SQL, no HTTP,
// standard library only. The app gives it the adopter's series of the
// indicator, the period the adoption went live and every candidate
// comparison region's series, type, population and whether it adopted the
// solution; the web layer turns the structured Result (numbers, shortfall
// reasons and caveat codes) into a before/after chart and sentences.
//
// # Windows
//
// The before window is every period ordered before Input.LiveFrom, the
// after window LiveFrom and every later period. For each region,
// before_r and after_r are the means of its values in each window (missing
// values skipped) and Δ_r = after_r − before_r.
//
// # Comparison group
//
// A candidate is in the comparison group when it did not adopt the
// solution, has the adopter's type (kota or kabupaten), a known population
// within a factor F of the adopter's, P/F ≤ p ≤ P·F (F = 2 by default:
// half to twice the adopter's population), and at least MinPeriods values
// (2) in each window; the first rule a candidate fails is counted in
// Result.Excluded. A population band rather than the k nearest keeps the
// group's meaning fixed ("regions of similar size") and lets it grow with
// the data; its size is reported and checked (at least MinComparison = 5).
//
// # Conditions
//
// The adopter needs at least MinPeriods values before and after (live for
// two periods, two periods of history), a known population, and the group
// at least MinComparison regions. Each unmet condition is a Shortfall with
// its Reason and the counts found and needed; the Result then carries no
// estimate. Only malformed input (series not aligned with the periods,
// periods out of order, options out of range) is an error.
//
// # Estimate
//
// With the comparison group's changes Δ_1..Δ_n and their mean m:
//
//	effect = Δ_adopter − m
//
// # Interval
//
// The error of the estimate has two parts: the adopter's own deviation
// from the common change (ε_a), and the error of the comparison mean (ē):
// effect − true effect = ε_a − ē. With one adopter, ε_a is the larger part,
// so an interval that only resampled the comparison mean would be far too
// narrow. The bootstrap resamples comparison regions (with replacement,
// B = 2,000 by default, PCG seeded by Options.Seed, so deterministic) for
// both parts. Each replicate draws n regions (mean m*) and one more region
// J, and is
//
//	θ* = effect − (Δ_J − m)·√(n/(n−1)) + (m* − m)
//
// (√(n/(n−1)) undoes the shrinking of the spread of residuals around their
// own mean). The interval is the 2.5 and 97.5 percentiles of θ* (Level
// 0.95; linear interpolation between order statistics). This is the idea
// of Conley and Taber (2011) for few treated units: the comparison
// regions' spread around the common change stands in for the adopter's.
// It assumes the adopter's deviation is distributed like theirs; regions of
// similar type and size make that plausible. On synthetic panels (parallel
// trends, normal noise, 4 + 4 periods) the interval covered the true
// effect in 93.5 % of 2,000 panels with 40 comparison regions and 88 %
// with 10, hence the small-group caveat below 20; an interval from the
// comparison mean's resampling alone covered it in about a quarter.
//
// # Caveats
//
// Result.Caveats always holds CaveatObservational (not a randomised
// experiment; parallel trends are assumed), and adds
// CaveatIntervalIncludesZero, CaveatSmallComparison (n < 20),
// CaveatShortWindow (fewer than three periods with a value on a side) and
// CaveatPreTrend (with three or more periods before: the difference of the
// least-squares slopes of the adopter and the comparison means before
// adoption, projected over the distance between the windows' centres, is
// more than half the interval's width), each with its number.
package impact
