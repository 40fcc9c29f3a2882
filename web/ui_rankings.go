package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/rank"
)

type rankingListPage struct {
	pageBase
	Indices   []*kolaborasi.CompositeIndex
	CanManage bool
}

func (s *Server) uiRankings(w http.ResponseWriter, r *http.Request) error {
	cis, err := s.app.CompositeIndices(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rankings", rankingListPage{pageBase: s.base(r, "peringkat"), Indices: cis,
		CanManage: s.app.Check(r.Context(), app.ActRankingManage, "") == nil})
}

// rankingRow is one ranked region of a period's table (and map).
type rankingRow struct {
	rank.Result
	Name  string
	Class int
}

// ClassName is the row's legend class for the map.
func (r rankingRow) ClassName() string { return fmt.Sprintf("q%d", r.Class) }

type rankingPage struct {
	pageBase
	R *app.Ranking
	// Periods newest first; P the period shown.
	Periods  []string
	P        *rank.PeriodResult
	Rows     []rankingRow
	Excluded []rankingRow
	Legend   []legendClass
	// SetNote describes the region set in words.
	SetNote   string
	CanManage bool
}

// Score formats a composite score with two decimals.
func (p pageBase) Score(v float64) string { return p.Dec(v) }

// Share formats a share (0..1) as a percentage with up to one decimal.
func (p pageBase) Share(v float64) string { return p.Value(math.Round(v*1000)/10) + " %" }

// regionSetNote says which regions an index ranks.
func (s *Server) regionSetNote(r *http.Request, tr translator, ci *kolaborasi.CompositeIndex, n int) (string, error) {
	if prov, ok := kolaborasi.ProvinceOfSet(ci.RegionSet); ok {
		names, err := s.app.RegionNames(r.Context())
		if err != nil {
			return "", err
		}
		return tr.T("rank.set.province", "Province", names[prov], "Count", n), nil
	}
	return tr.T("rank.set."+ci.RegionSet, "Count", n), nil
}

func (s *Server) uiRanking(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	res, err := s.app.Ranking(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return err
	}
	p := rankingPage{pageBase: s.base(r, "peringkat"), R: res, P: res.Period(r.URL.Query().Get("periode")),
		CanManage: s.app.Check(ctx, app.ActRankingManage, "") == nil}
	for i := len(res.Periods) - 1; i >= 0; i-- {
		p.Periods = append(p.Periods, res.Periods[i].Period)
	}
	if p.SetNote, err = s.regionSetNote(r, p.tr, res.Index, len(res.Regions)); err != nil {
		return err
	}
	if p.P != nil {
		vals := make([]mapValue, len(p.P.Results))
		for i, x := range p.P.Results {
			vals[i] = mapValue{Code: x.Region, Value: x.Score}
		}
		p.Legend = classify(vals, kolaborasi.HigherIsBetter)
		class := make(map[string]int, len(vals))
		for _, v := range vals {
			class[v.Code] = v.Class
		}
		for _, x := range p.P.Results {
			p.Rows = append(p.Rows, rankingRow{Result: x, Name: names[x.Region], Class: class[x.Region]})
		}
		for _, x := range p.P.Excluded {
			p.Excluded = append(p.Excluded, rankingRow{Result: rank.Result{Region: x.Region, Coverage: x.Coverage}, Name: names[x.Region]})
		}
	}
	return s.render(w, r, http.StatusOK, "ranking", p)
}

// methodComponent is one term of the methodology's formula.
type methodComponent struct {
	rank.FormulaComponent
	Ind *kolaborasi.Indicator
}

type rankingMethodPage struct {
	pageBase
	R          *app.Ranking
	Components []methodComponent
	SetNote    string
}

func (s *Server) uiRankingMethod(w http.ResponseWriter, r *http.Request) error {
	res, err := s.app.Ranking(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	p := rankingMethodPage{pageBase: s.base(r, "peringkat"), R: res}
	for _, c := range res.Formula.Components {
		p.Components = append(p.Components, methodComponent{FormulaComponent: c, Ind: res.Indicators[c.Indicator]})
	}
	if p.SetNote, err = s.regionSetNote(r, p.tr, res.Index, len(res.Regions)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "ranking_method", p)
}

type rankingRegionPage struct {
	pageBase
	R      *app.Ranking
	Region *kolaborasi.Region
	// History is the region's place per period, oldest first; First and
	// Last its first and last ranked periods (nil when never ranked).
	History     []rank.HistoryPoint
	First, Last *rank.HistoryPoint
}

func (s *Server) uiRankingRegion(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	res, err := s.app.Ranking(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	region, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if !slices.Contains(res.Regions, region.Code) {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Composite index %s does not rank region %s.", res.Index.Slug, region.Code)
	}
	p := rankingRegionPage{pageBase: s.base(r, "peringkat"), R: res, Region: region, History: res.History(region.Code)}
	for i := range p.History {
		if p.History[i].Ranked {
			if p.First == nil {
				p.First = &p.History[i]
			}
			p.Last = &p.History[i]
		}
	}
	return s.render(w, r, http.StatusOK, "ranking_region", p)
}

// rankingFormPage defines or changes a composite index.
type rankingFormPage struct {
	pageBase
	CI         *kolaborasi.CompositeIndex
	IsNew      bool
	Message    string
	Errors     fieldErrors
	Indicators []*kolaborasi.Indicator
	// Rows are the components shown: the index's and blank ones.
	Rows      []kolaborasi.IndexComponent
	Provinces []regionOption
	Province  string
	List      string
	// The choices of the selects, and the minimum coverage in percent.
	Normalisations, Missings, Sets []string
	MinCoverage                    string
	// RegionErrors are the problems of single regions of a list.
	RegionErrors fieldErrors
}

// blankComponentRows are offered beyond an index's components, so that the
// form adds indicators without script.
const blankComponentRows = 3

func (s *Server) rankingForm(w http.ResponseWriter, r *http.Request, ci *kolaborasi.CompositeIndex, isNew bool, status int, err error) error {
	ctx := r.Context()
	if cerr := s.app.Check(ctx, app.ActRankingManage, ""); cerr != nil {
		return cerr
	}
	inds, ierr := s.app.Indicators(ctx)
	if ierr != nil {
		return ierr
	}
	names, nerr := s.app.RegionNames(ctx)
	if nerr != nil {
		return nerr
	}
	p := rankingFormPage{pageBase: s.base(r, "peringkat"), CI: ci, IsNew: isNew, Indicators: inds, List: strings.Join(ci.RegionList, "\n"),
		Normalisations: []string{string(rank.MinMax), string(rank.ZScore)}, Missings: []string{string(rank.Exclude), string(rank.Reweight), string(rank.Mean)},
		Sets: []string{kolaborasi.RegionSetKota, kolaborasi.RegionSetKabupaten, kolaborasi.RegionSetAll, "province", kolaborasi.RegionSetList}}
	if ci.MinCoverage > 0 {
		p.MinCoverage = p.Raw(math.Round(ci.MinCoverage*1e6) / 1e4)
	}
	p.Rows = append(slices.Clone(ci.Components), make([]kolaborasi.IndexComponent, blankComponentRows)...)
	p.Province, _ = kolaborasi.ProvinceOfSet(ci.RegionSet)
	for code, name := range names {
		if len(code) == 2 {
			p.Provinces = append(p.Provinces, regionOption{Code: code, Name: name, Selected: code == p.Province})
		}
	}
	slices.SortFunc(p.Provinces, func(a, b regionOption) int { return cmp.Compare(a.Name, b.Name) })
	if err != nil {
		p.Message, p.Errors = p.tr.explain(err)
		for _, e := range p.Errors {
			if strings.HasPrefix(e.Field, "regions[") {
				p.RegionErrors = append(p.RegionErrors, e)
			}
		}
	}
	return s.render(w, r, status, "ranking_form", p)
}

func (s *Server) uiRankingNew(w http.ResponseWriter, r *http.Request) error {
	return s.rankingForm(w, r, &kolaborasi.CompositeIndex{Normalisation: string(rank.MinMax), Missing: string(rank.Reweight), MinCoverage: 0.5,
		RegionSet: kolaborasi.RegionSetKota}, true, http.StatusOK, nil)
}

func (s *Server) uiRankingEdit(w http.ResponseWriter, r *http.Request) error {
	ci, err := s.app.CompositeIndex(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return s.rankingForm(w, r, ci, false, http.StatusOK, nil)
}

// formCompositeIndex reads the form: components from the parallel lists
// indicator and weight (blank rows skipped), the region set from its
// choice and the province or the list.
func formCompositeIndex(r *http.Request, slug string) *kolaborasi.CompositeIndex {
	v := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	ci := &kolaborasi.CompositeIndex{Slug: slug, Name: kolaborasi.Texts{ID: v("name_id"), EN: v("name_en")},
		Description: kolaborasi.Texts{ID: v("description_id"), EN: v("description_en")}, Normalisation: v("normalisation"),
		Missing: v("missing"), RegionSet: v("region_set")}
	ci.Version, _ = strconv.Atoi(v("version"))
	if c, err := strconv.ParseFloat(strings.ReplaceAll(v("min_coverage"), ",", "."), 64); err == nil {
		ci.MinCoverage = c / 100
	}
	weights := r.PostForm["weight"]
	for i, ind := range r.PostForm["indicator"] {
		w := ""
		if i < len(weights) {
			w = strings.TrimSpace(weights[i])
		}
		if strings.TrimSpace(ind) == "" && w == "" {
			continue
		}
		weight, err := strconv.ParseFloat(strings.ReplaceAll(w, ",", "."), 64)
		if err != nil {
			weight = math.NaN()
		}
		ci.Components = append(ci.Components, kolaborasi.IndexComponent{Indicator: strings.TrimSpace(ind), Weight: weight})
	}
	switch ci.RegionSet {
	case "province":
		ci.RegionSet = kolaborasi.RegionSetProvincePrefix + v("province")
	case kolaborasi.RegionSetList:
		ci.RegionList = strings.FieldsFunc(v("region_list"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
	}
	return ci
}

func (s *Server) saveRanking(w http.ResponseWriter, r *http.Request, ci *kolaborasi.CompositeIndex, isNew bool) error {
	if err := s.app.SaveCompositeIndex(r.Context(), ci, isNew); err != nil {
		switch kolaborasi.ErrorCode(err) {
		case kolaborasi.EINVALID:
			return s.rankingForm(w, r, ci, isNew, http.StatusBadRequest, err)
		case kolaborasi.ECONFLICT:
			return s.rankingForm(w, r, ci, isNew, http.StatusConflict, err)
		}
		return err
	}
	return redirectFlash(w, r, "/peringkat/"+url.PathEscape(ci.Slug), "flash.ranking_saved")
}

func (s *Server) uiRankingCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	return s.saveRanking(w, r, formCompositeIndex(r, strings.TrimSpace(r.PostForm.Get("slug"))), true)
}

func (s *Server) uiRankingUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	ci := formCompositeIndex(r, r.PathValue("slug"))
	// What the form does not edit stays as it was.
	if old, err := s.app.CompositeIndex(r.Context(), ci.Slug); err == nil {
		ci.Synthetic, ci.Note = old.Synthetic, old.Note
	}
	return s.saveRanking(w, r, ci, false)
}

func (s *Server) uiRankingDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.app.DeleteCompositeIndex(r.Context(), r.PathValue("slug")); err != nil {
		return err
	}
	return redirectFlash(w, r, "/peringkat", "flash.ranking_deleted")
}
