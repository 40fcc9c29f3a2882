package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/rank"
)

// CompositeIndices returns every composite index.
func (a *App) CompositeIndices(ctx context.Context) ([]*kolaborasi.CompositeIndex, error) {
	return a.store.CompositeIndices(ctx)
}

// CompositeIndex returns one composite index.
func (a *App) CompositeIndex(ctx context.Context, slug string) (*kolaborasi.CompositeIndex, error) {
	return a.store.CompositeIndex(ctx, slug)
}

// SaveCompositeIndex creates (create) or updates a composite index:
// platform administrators and national observers. An update names the
// version it changes (ci.Version); a stale one is a conflict.
func (a *App) SaveCompositeIndex(ctx context.Context, ci *kolaborasi.CompositeIndex, create bool) error {
	u, err := a.authorize(ctx, ActRankingManage, "")
	if err != nil {
		return err
	}
	if err := a.validateCompositeIndex(ctx, ci); err != nil {
		return err
	}
	return a.change(ctx, ActRankingManage, "", func(tx kolaborasi.Store) (string, string, error) {
		ci.UpdatedAt, ci.UpdatedByName = a.now(), u.Name
		if create {
			ci.CreatedAt, ci.CreatedByName = ci.UpdatedAt, u.Name
			if err := tx.CreateCompositeIndex(ctx, ci); err != nil {
				return "", "", err
			}
			return "composite_index:" + ci.Slug, fmt.Sprintf("Defined composite index %s.", ci.Slug), nil
		}
		if err := tx.UpdateCompositeIndex(ctx, ci); err != nil {
			return "", "", err
		}
		return "composite_index:" + ci.Slug, fmt.Sprintf("Changed composite index %s (version %d).", ci.Slug, ci.Version), nil
	})
}

// DeleteCompositeIndex removes a composite index.
func (a *App) DeleteCompositeIndex(ctx context.Context, slug string) error {
	return a.change(ctx, ActRankingManage, "", func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.DeleteCompositeIndex(ctx, slug); err != nil {
			return "", "", err
		}
		return "composite_index:" + slug, fmt.Sprintf("Deleted composite index %s.", slug), nil
	})
}

// Region sets' sizes are bounded by the kabupaten/kota of the country; an
// explicit list of more is a mistake.
const maxRegionList = 600

// validateCompositeIndex checks the definition: its own fields here, the
// method by rank.Index.Validate, with every problem as a sentence beside
// its field.
func (a *App) validateCompositeIndex(ctx context.Context, ci *kolaborasi.CompositeIndex) error {
	f := map[string]string{}
	ci.Slug = strings.TrimSpace(ci.Slug)
	if !kolaborasi.ValidIndexSlug(ci.Slug) {
		f["slug"] = "Use 2 to 64 lower-case letters, digits or '-', starting with a letter."
	}
	for k, v := range map[string]string{"name.id": ci.Name.ID, "name.en": ci.Name.EN} {
		if utf8.RuneCountInString(v) > 200 {
			f[k] = "At most 200 characters."
		}
	}
	for k, v := range map[string]string{"description.id": ci.Description.ID, "description.en": ci.Description.EN, "note.id": ci.Note.ID, "note.en": ci.Note.EN} {
		if utf8.RuneCountInString(v) > 4000 {
			f[k] = "At most 4000 characters."
		}
	}
	if ci.Missing == string(rank.Exclude) {
		ci.MinCoverage = 0
	}
	inds, err := a.store.Indicators(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]*kolaborasi.Indicator{}
	for _, ind := range inds {
		byCode[ind.Code] = ind
	}
	var kind kolaborasi.PeriodKind
	for i, c := range ci.Components {
		ind := byCode[c.Indicator]
		field := fmt.Sprintf("components[%d].indicator", i)
		switch {
		case c.Indicator == "":
		case ind == nil:
			f[field] = fmt.Sprintf("No indicator has the code %q.", c.Indicator)
		case kind == "":
			kind = ind.PeriodKind
		case ind.PeriodKind != kind:
			f[field] = fmt.Sprintf("This indicator is reported per %s, the first one per %s: an index ranks periods of one kind.", ind.PeriodKind, kind)
		}
	}
	regions, err := a.indexRegions(ctx, ci)
	if err != nil {
		if e, ok := err.(*kolaborasi.Error); ok && e.Code == kolaborasi.EINVALID {
			for k, v := range e.Fields {
				f[k] = v
			}
		} else {
			return err
		}
	}
	if err := rankIndex(ci, byCode, regions).Validate(); err != nil {
		for _, p := range err.(*rank.ValidationError).Problems {
			// A direction is missing because the indicator is; regions
			// because the set is not valid: the first problem says it.
			if comp, ok := strings.CutSuffix(p.Field, ".direction"); ok && f[comp+".indicator"] != "" || p.Field == "regions" && f["region_set"] != "" {
				continue
			}
			if _, ok := f[p.Field]; !ok {
				explainProblem(f, p)
			}
		}
	}
	if strings.TrimSpace(ci.Name.ID) == "" {
		f["name.id"] = "The Indonesian name is required."
		delete(f, "name")
	}
	if len(f) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The composite index is not valid.", Fields: f}
	}
	return nil
}

// problemKind names a problem of rank.Index.Validate by its field's last
// part (indices dropped) and code: "weight not_positive".
func problemKind(p rank.Problem) string {
	field := p.Field
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	} else if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i] + "[]"
	}
	return field + " " + p.Code
}

// explainProblem puts the sentence of a problem of rank.Index.Validate
// beside its field.
func explainProblem(f map[string]string, p rank.Problem) {
	k := p.Field
	switch problemKind(p) {
	case "components required":
		f[k] = "Add at least one indicator with its weight."
	case "indicator required":
		f[k] = "Choose an indicator."
	case "indicator duplicate":
		f[k] = "This indicator is already in the index."
	case "weight not_positive":
		f[k] = "The weight must be a number greater than zero."
	case "direction required", "direction unknown":
		f[k] = "The indicator does not say whether higher or lower is better."
	case "normalisation required", "normalisation unknown":
		f[k] = "Choose min-max or z-score normalisation."
	case "missing required", "missing unknown":
		f[k] = "Choose exclude, reweight or mean for missing values."
	case "min_coverage out_of_range":
		f[k] = "The minimum coverage must be more than 0 and at most 1."
	case "regions required":
		f[k] = "The region set holds no kabupaten or kota."
	case "regions[] duplicate":
		f[k] = "This region is already in the list."
	case "regions[] required":
		f[k] = "A region code is empty."
	default:
		f[k] = fmt.Sprintf("The value is not valid (%s).", p.Code)
	}
}

// rankIndex is the pure definition of ci for package rank.
func rankIndex(ci *kolaborasi.CompositeIndex, inds map[string]*kolaborasi.Indicator, regions []string) rank.Index {
	idx := rank.Index{Name: ci.Name.ID, Normalisation: rank.Normalisation(ci.Normalisation), Missing: rank.MissingPolicy(ci.Missing),
		MinCoverage: ci.MinCoverage, Regions: regions}
	for _, c := range ci.Components {
		comp := rank.Component{Indicator: c.Indicator, Weight: c.Weight}
		if ind := inds[c.Indicator]; ind != nil {
			comp.Direction = rank.Direction(ind.Direction)
		}
		idx.Components = append(idx.Components, comp)
	}
	return idx
}

// indexRegions resolves the index's region set to kabupaten/kota codes.
func (a *App) indexRegions(ctx context.Context, ci *kolaborasi.CompositeIndex) ([]string, error) {
	bad := func(msg string) error {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The region set is not valid.", Fields: map[string]string{"region_set": msg}}
	}
	var filter kolaborasi.RegionFilter
	switch set := ci.RegionSet; set {
	case kolaborasi.RegionSetKota:
		filter.Type = kolaborasi.City
	case kolaborasi.RegionSetKabupaten:
		filter.Type = kolaborasi.Regency
	case kolaborasi.RegionSetAll:
	case kolaborasi.RegionSetList:
		if len(ci.RegionList) == 0 {
			return nil, bad("List the codes of the kabupaten and kota to rank.")
		}
		if len(ci.RegionList) > maxRegionList {
			return nil, bad(fmt.Sprintf("List at most %d regions.", maxRegionList))
		}
		names, err := a.RegionNames(ctx)
		if err != nil {
			return nil, err
		}
		for i, code := range ci.RegionList {
			if _, ok := names[code]; !ok || len(code) != 5 {
				return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The region set is not valid.",
					Fields: map[string]string{fmt.Sprintf("regions[%d]", i): fmt.Sprintf("%q is not the code of a kabupaten or kota.", code)}}
			}
		}
		return slices.Clone(ci.RegionList), nil
	default:
		p, ok := kolaborasi.ProvinceOfSet(set)
		if !ok {
			return nil, bad("Choose all kota, all kabupaten, all kabupaten and kota, one province or a list.")
		}
		filter.ProvinceCode = p
	}
	ci.RegionList = nil
	rs, err := a.store.FindRegions(ctx, filter)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rs {
		if r.Type != kolaborasi.Province {
			out = append(out, r.Code)
		}
	}
	return out, nil
}

// Ranking is a composite index computed over every period with data.
type Ranking struct {
	Index   *kolaborasi.CompositeIndex
	Formula rank.Formula
	// Indicators are the components' definitions, by code.
	Indicators map[string]*kolaborasi.Indicator
	// Periods are the rankings, oldest first.
	Periods []rank.PeriodResult
	// Regions are the codes of the region set.
	Regions []string
}

// Period returns the ranking of one period ("" or an unknown period: the
// latest), nil when there is none.
func (r *Ranking) Period(p string) *rank.PeriodResult {
	if len(r.Periods) == 0 {
		return nil
	}
	for i := range r.Periods {
		if r.Periods[i].Period == p {
			return &r.Periods[i]
		}
	}
	return &r.Periods[len(r.Periods)-1]
}

// History returns a region's rank per period (rank.History).
func (r *Ranking) History(region string) []rank.HistoryPoint {
	return rank.History(r.Periods, region)
}

// rankingCache keeps computed rankings until their index, its indicators'
// directions or any observation change (the store's observation counter);
// every part of the key is read from the database on each call, so a
// change through another server copy is seen on the next one.
type rankingCache struct {
	mu      sync.Mutex
	entries map[string]rankingEntry
	// computed counts computations, for tests.
	computed int
}

type rankingEntry struct {
	key string
	r   *Ranking
}

// Ranking computes (or returns the cached) ranking of an index. Rankings
// are public.
func (a *App) Ranking(ctx context.Context, slug string) (*Ranking, error) {
	ci, err := a.store.CompositeIndex(ctx, slug)
	if err != nil {
		return nil, err
	}
	return a.ranking(ctx, ci)
}

func (a *App) ranking(ctx context.Context, ci *kolaborasi.CompositeIndex) (*Ranking, error) {
	obsVersion, err := a.store.ObservationsVersion(ctx)
	if err != nil {
		return nil, err
	}
	inds := map[string]*kolaborasi.Indicator{}
	key := fmt.Sprintf("%d|%d|%d", ci.Version, ci.UpdatedAt.UnixNano(), obsVersion)
	for _, c := range ci.Components {
		ind, err := a.store.Indicator(ctx, c.Indicator)
		if err != nil {
			return nil, err
		}
		inds[c.Indicator] = ind
		key += "|" + string(ind.Direction)
	}
	c := &a.rankings
	c.mu.Lock()
	if e, ok := c.entries[ci.Slug]; ok && e.key == key {
		c.mu.Unlock()
		// The computation depends only on what the key names; the
		// indicators' texts (a renamed indicator, its unit) are the ones
		// just read, not those of the time it was computed.
		r := *e.r
		r.Indicators = inds
		return &r, nil
	}
	c.mu.Unlock()

	r, err := a.computeRanking(ctx, ci, inds)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]rankingEntry{}
	}
	c.entries[ci.Slug] = rankingEntry{key: key, r: r}
	c.computed++
	c.mu.Unlock()
	return r, nil
}

// computeRanking reads the observations of the index's indicators in one
// query and ranks every period.
func (a *App) computeRanking(ctx context.Context, ci *kolaborasi.CompositeIndex, inds map[string]*kolaborasi.Indicator) (*Ranking, error) {
	regions, err := a.indexRegions(ctx, ci)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(ci.Components))
	for i, c := range ci.Components {
		codes[i] = c.Indicator
	}
	inSet := make(map[string]bool, len(regions))
	for _, r := range regions {
		inSet[r] = true
	}
	data := rank.NewData()
	err = a.store.IndicatorValues(ctx, codes, func(region, indicator, period string, value float64) error {
		if inSet[region] {
			data.Add(region, indicator, period, value)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	idx := rankIndex(ci, inds, regions)
	periods, err := rank.Compute(idx, data)
	if err != nil {
		return nil, fmt.Errorf("compute composite index %s: %w", ci.Slug, err)
	}
	return &Ranking{Index: ci, Formula: idx.Formula(), Indicators: inds, Periods: periods, Regions: regions}, nil
}

// RegionRank is a region's place in one composite index's latest period.
type RegionRank struct {
	Index  *kolaborasi.CompositeIndex
	Period string
	Rank   int
	Of     int
	Score  float64
}

// RegionRanks returns the region's rank in the latest period of every
// composite index that ranks it.
func (a *App) RegionRanks(ctx context.Context, region string) ([]RegionRank, error) {
	cis, err := a.store.CompositeIndices(ctx)
	if err != nil {
		return nil, err
	}
	var out []RegionRank
	for _, ci := range cis {
		r, err := a.ranking(ctx, ci)
		if err != nil {
			return nil, err
		}
		h := r.History(region)
		for i := len(h) - 1; i >= 0; i-- {
			if h[i].Ranked {
				out = append(out, RegionRank{Index: ci, Period: h[i].Period, Rank: h[i].Rank, Of: h[i].Of, Score: h[i].Score})
				break
			}
		}
	}
	return out, nil
}
