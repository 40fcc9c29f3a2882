package rank

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

type obs struct {
	region, indicator, period string
	value                     float64
}

// synthetic returns deterministic observations: regions R0000.., indicators
// I00.., periods 2015.., values on different scales per indicator, about
// missingShare of them left out.
func synthetic(seed uint64, regions, indicators, periods int, missingShare float64) ([]obs, []string, []Component) {
	rng := rand.New(rand.NewPCG(seed, 7))
	codes := make([]string, regions)
	for r := range codes {
		codes[r] = fmt.Sprintf("R%04d", r)
	}
	comps := make([]Component, indicators)
	for i := range comps {
		dir := HigherIsBetter
		if i%3 == 2 {
			dir = LowerIsBetter
		}
		comps[i] = Component{Indicator: fmt.Sprintf("I%02d", i), Weight: 1 + float64(rng.IntN(5)), Direction: dir}
	}
	var out []obs
	for p := range periods {
		for r := range regions {
			for i := range indicators {
				if rng.Float64() < missingShare {
					continue
				}
				scale := math.Pow(10, float64(i%5))
				out = append(out, obs{codes[r], comps[i].Indicator, fmt.Sprint(2015 + p), scale * (rng.NormFloat64() + float64(r%7))})
			}
		}
	}
	return out, codes, comps
}

func load(os []obs) *Data {
	d := NewData()
	for _, o := range os {
		d.Add(o.region, o.indicator, o.period, o.value)
	}
	return d
}

var policies = []struct {
	missing  MissingPolicy
	coverage float64
}{{Exclude, 0}, {Reweight, 0.6}, {Mean, 0.6}}

func eachIndex(codes []string, comps []Component, f func(Index)) {
	for _, norm := range []Normalisation{MinMax, ZScore} {
		for _, p := range policies {
			f(Index{Name: "p", Components: comps, Normalisation: norm, Missing: p.missing, MinCoverage: p.coverage, Regions: codes})
		}
	}
}

func TestPermutingRegionsChangesNothing(t *testing.T) {
	for seed := range uint64(5) {
		os, codes, comps := synthetic(seed, 40, 4, 3, 0.15)
		rng := rand.New(rand.NewPCG(seed, 99))
		shuffled := append([]obs(nil), os...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		codes2 := append([]string(nil), codes...)
		rng.Shuffle(len(codes2), func(i, j int) { codes2[i], codes2[j] = codes2[j], codes2[i] })
		eachIndex(codes, comps, func(idx Index) {
			a := mustCompute(t, idx, load(os))
			idx.Regions = codes2
			b := mustCompute(t, idx, load(shuffled))
			if !reflect.DeepEqual(a, b) {
				t.Errorf("seed %d %s/%s: permuting regions and observations changed the result", seed, idx.Normalisation, idx.Missing)
			}
		})
	}
}

func TestScalingAnIndicatorChangesNothing(t *testing.T) {
	for seed := range uint64(5) {
		os, codes, comps := synthetic(seed, 40, 4, 3, 0.1)
		for _, factor := range []float64{1e-3, 3.7, 1e6} {
			scaled := append([]obs(nil), os...)
			for n := range scaled {
				if scaled[n].indicator == "I01" {
					scaled[n].value *= factor
				}
			}
			eachIndex(codes, comps, func(idx Index) {
				a := mustCompute(t, idx, load(os))
				b := mustCompute(t, idx, load(scaled))
				for p := range a {
					for n, ra := range a[p].Results {
						rb := b[p].Results[n]
						if ra.Region != rb.Region || ra.Rank != rb.Rank || math.Abs(ra.Score-rb.Score) > 1e-6 {
							t.Fatalf("seed %d ×%g %s/%s %s: %s #%d %.9f vs %s #%d %.9f", seed, factor, idx.Normalisation, idx.Missing,
								a[p].Period, ra.Region, ra.Rank, ra.Score, rb.Region, rb.Rank, rb.Score)
						}
					}
				}
			})
		}
	}
}

func TestDominantRegionRanksFirst(t *testing.T) {
	for seed := range uint64(10) {
		os, codes, comps := synthetic(seed, 30, 5, 2, 0)
		// "R0017" gets a value strictly better than everyone's on every
		// component in every period.
		best := map[string]float64{}
		for _, o := range os {
			k := o.indicator + o.period
			if cur, ok := best[k]; !ok || o.value > cur {
				best[k] = o.value
			}
		}
		worst := map[string]float64{}
		for _, o := range os {
			k := o.indicator + o.period
			if cur, ok := worst[k]; !ok || o.value < cur {
				worst[k] = o.value
			}
		}
		var dom []obs
		for _, o := range os {
			if o.region == "R0017" {
				var c Component
				for _, cc := range comps {
					if cc.Indicator == o.indicator {
						c = cc
					}
				}
				k := o.indicator + o.period
				if c.Direction == HigherIsBetter {
					o.value = best[k] + 1
				} else {
					o.value = worst[k] - 1
				}
			}
			dom = append(dom, o)
		}
		eachIndex(codes, comps, func(idx Index) {
			for _, p := range mustCompute(t, idx, load(dom)) {
				if r := p.Results[0]; r.Region != "R0017" || r.Rank != 1 || p.Results[1].Rank != 2 {
					t.Errorf("seed %d %s/%s %s: first is %s (rank %d)", seed, idx.Normalisation, idx.Missing, p.Period, r.Region, r.Rank)
				}
			}
		})
	}
}
