// Package rank computes composite-index rankings of regions: pure logic, no
// SQL, no HTTP, standard library only. The app fills a Data with
// observations (region × indicator × period → value), resolves the index's
// region set to region codes and calls Compute; the web layer writes the
// methodology page from Index.Formula and the rank-history chart from
// History.
//
// # Method
//
// An Index has components k with weights w_k > 0, used as shares
// s_k = w_k / Σ w. Each period is ranked on its own, over the region set R.
// For component k in period t, let V be the values of the regions of R that
// have one (n of them).
//
// MinMax: n_rk = (x_rk − min V) / (max V − min V) when higher is better,
// (max V − x_rk) / (max V − min V) when lower is better; 0..1, 1 = best.
// ZScore: n_rk = ±(x_rk − mean V) / sd V with the population standard
// deviation sd V = √(Σ (x − mean V)² / n), the sign flipped when lower is
// better; 0 = the set's average.
//
// Zero spread (every value of V equal, including a single value): the
// indicator separates no one, so every region gets the same neutral value,
// 0.5 under MinMax and 0 under ZScore. Values of extreme magnitude are
// divided by their largest absolute value first (both normalisations are
// invariant under positive scaling), so sums stay finite.
//
// The score of region r is the weighted mean of its normalised values over
// the components it is scored on, P_r:
//
//	score_r = S · Σ_{k∈P_r} s_k · n_rk / Σ_{k∈P_r} s_k
//
// with S = 100 under MinMax (scores 0..100: 100 is best of the set on every
// component, 0 worst on every one) and S = 1 under ZScore (a weighted mean
// of z-scores, unbounded, 0 = average). Scores are rounded to 1e-9 so that
// equal scores are exactly equal. Each component's Contribution is
// S · s_k · n_rk / Σ_{k∈P_r} s_k; they sum to the score.
//
// # Missing values
//
// Coverage_r = Σ s_k over the components r has a real value for (0..1).
// Normalisation statistics always use every region of R that has a value.
//
//   - Exclude: a region is ranked only with a value for every component
//     (coverage 1); the others are listed in PeriodResult.Excluded.
//   - Reweight: a region is scored over the components it has (P_r = its
//     components), if its coverage is at least Index.MinCoverage.
//   - Mean: a missing value is replaced by mean V of that component in that
//     period (so n_rk is the normalised mean: 0 under ZScore), if the
//     region's coverage of real values is at least Index.MinCoverage.
//
// A region with no value at all is never ranked. A component no region of R
// has in a period is listed in PeriodResult.Dropped; under Reweight and
// Mean the others share its weight, under Exclude nobody is complete. A
// period in which no component has any value is left out of the result.
//
// # Ranks
//
// Results are ordered by score, best first; equal scores share the
// competition rank (1, 2, 2, 4) and are listed by region code. Regions are
// processed in code order, so the order of Index.Regions and of Data.Add
// calls does not change any number.
package rank
