package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

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

// DateSyntheticAdoption moves the dates of a synthetic adoption's history
// so that it went live at liveAt, keeping the order and spacing of its
// events: the demo's adoptions are seeded today, but an impact estimate
// needs periods after going live. Only the System actor may, and only for
// adoptions marked synthetic; a real adoption's history is never changed.
func (a *App) DateSyntheticAdoption(ctx context.Context, id int64, liveAt time.Time) (*kolaborasi.Adoption, error) {
	if kolaborasi.UserFrom(ctx) != kolaborasi.System {
		return nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Only the platform itself dates demo adoptions.")
	}
	return a.editAdoption(ctx, ActAdoptionManage, id, 0, adopterSide, func(ad *kolaborasi.Adoption, _ *kolaborasi.User, _ time.Time) (string, string, error) {
		live := ad.WentLive()
		switch {
		case !ad.Synthetic:
			return "", "", kolaborasi.Errorf(kolaborasi.EINVALID, "Adoption %d is not synthetic; its history stays as recorded.", ad.ID)
		case live.IsZero():
			return "", "", kolaborasi.Errorf(kolaborasi.EINVALID, "Adoption %d has not gone live.", ad.ID)
		}
		shift := liveAt.Sub(live)
		for i := range ad.History {
			ad.History[i].At = ad.History[i].At.Add(shift)
		}
		ad.CreatedAt = ad.CreatedAt.Add(shift)
		if !ad.DecidedAt.IsZero() {
			ad.DecidedAt = ad.DecidedAt.Add(shift)
		}
		return adoptionEntity(ad.ID), fmt.Sprintf("Dated synthetic adoption %d to go live on %s.", ad.ID, liveAt.Format(time.DateOnly)), nil
	})
}
