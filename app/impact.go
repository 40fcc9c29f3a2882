package app

import (
	"context"
	"math"
	"slices"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/impact"
)

// Impact is the estimated effect of an adoption on one indicator.
type Impact struct {
	Adoption  *kolaborasi.Adoption
	Indicator *kolaborasi.Indicator
	// LiveFrom is the indicator's period in which the adoption went live;
	// "" when it has not (then Result is empty and NotLive is true).
	LiveFrom string
	NotLive  bool
	Result   impact.Result
}

// ImpactIndicators returns the indicators with values for the adoption's
// adopter, the choices of an impact estimate: those of the solution's
// smart-city dimensions first, then the others, each part by code.
func (a *App) ImpactIndicators(ctx context.Context, ad *kolaborasi.Adoption) ([]*kolaborasi.Indicator, error) {
	latest, err := a.store.LatestObservations(ctx, ad.AdopterRegion)
	if err != nil {
		return nil, err
	}
	sol, err := a.store.FindSolution(ctx, ad.SolutionID)
	if err != nil {
		return nil, err
	}
	var first, rest []*kolaborasi.Indicator
	for _, o := range latest {
		ind, err := a.store.Indicator(ctx, o.Indicator)
		if err != nil {
			return nil, err
		}
		if ind.Dimension != "" && slices.Contains(sol.Dimensions, ind.Dimension) {
			first = append(first, ind)
		} else {
			rest = append(rest, ind)
		}
	}
	return append(first, rest...), nil
}

// AdoptionImpact estimates the effect of an adoption the acting user may
// read on an indicator by difference in differences (package impact):
// the adopter's series against regions of its type and similar population
// that did not adopt the solution (nor published it). The after window
// starts in the period the adoption went live. The bootstrap is seeded by
// the adoption's ID, so a page shows the same interval on every visit.
func (a *App) AdoptionImpact(ctx context.Context, id int64, indicator string) (*Impact, error) {
	ad, err := a.Adoption(ctx, id)
	if err != nil {
		return nil, err
	}
	ind, err := a.store.Indicator(ctx, indicator)
	if err != nil {
		return nil, err
	}
	out := &Impact{Adoption: ad, Indicator: ind}
	live := ad.WentLive()
	if live.IsZero() {
		out.NotLive = true
		return out, nil
	}
	out.LiveFrom = kolaborasi.PeriodOf(ind.PeriodKind, live).String()
	adopter, err := a.store.FindRegion(ctx, ad.AdopterRegion)
	if err != nil {
		return nil, err
	}
	peers, err := a.store.FindRegions(ctx, kolaborasi.RegionFilter{Type: adopter.Type})
	if err != nil {
		return nil, err
	}
	adopted := map[string]bool{ad.SourceRegion: true}
	others, err := a.store.FindAdoptions(ctx, kolaborasi.AdoptionFilter{SolutionID: ad.SolutionID, State: kolaborasi.AdoptionAccepted})
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		adopted[o.AdopterRegion] = true
	}
	series := map[string]map[string]float64{}
	periodSet := map[string]bool{}
	err = a.store.IndicatorValues(ctx, []string{ind.Code}, func(region, _, period string, value float64) error {
		if series[region] == nil {
			series[region] = map[string]float64{}
		}
		series[region][period] = value
		periodSet[period] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	periods := make([]string, 0, len(periodSet))
	for p := range periodSet {
		periods = append(periods, p)
	}
	slices.Sort(periods)
	values := func(code string) []float64 {
		vs := make([]float64, len(periods))
		for i, p := range periods {
			v, ok := series[code][p]
			if !ok {
				v = math.NaN()
			}
			vs[i] = v
		}
		return vs
	}
	in := impact.Input{Periods: periods, LiveFrom: out.LiveFrom,
		Adopter: impact.Region{Code: adopter.Code, Type: string(adopter.Type), Population: float64(adopter.Population), Values: values(adopter.Code)}}
	for _, r := range peers {
		if r.Code == adopter.Code || series[r.Code] == nil {
			continue
		}
		in.Candidates = append(in.Candidates, impact.Region{Code: r.Code, Type: string(r.Type), Population: float64(r.Population),
			Adopted: adopted[r.Code], Values: values(r.Code)})
	}
	if out.Result, err = impact.Estimate(in, impact.Options{Seed: uint64(ad.ID)}); err != nil {
		return nil, err
	}
	return out, nil
}
