package web

import (
	"cmp"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
)

type indicatorGroup struct {
	Framework  kolaborasi.Framework
	Indicators []*kolaborasi.Indicator
}

type indicatorListPage struct {
	pageBase
	Groups []indicatorGroup
	// CanManage offers the definition form (platform administrators).
	CanManage bool
}

func (s *Server) uiIndicators(w http.ResponseWriter, r *http.Request) error {
	inds, err := s.app.Indicators(r.Context())
	if err != nil {
		return err
	}
	p := indicatorListPage{pageBase: s.base(r, "indikator"), CanManage: s.app.Check(r.Context(), app.ActIndicatorManage, "") == nil}
	for _, fw := range kolaborasi.Frameworks {
		g := indicatorGroup{Framework: fw}
		for _, ind := range inds {
			if ind.Framework == fw {
				g.Indicators = append(g.Indicators, ind)
			}
		}
		if len(g.Indicators) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	return s.render(w, r, http.StatusOK, "indicators", p)
}

// mapValue is one kabupaten/kota's value on the choropleth.
type mapValue struct {
	Code, Name string
	Value      float64
	// Rank is the place, 1 the best.
	Rank int
	// Class is the value's legend class, 0 (worst) to 4 (best).
	Class int
}

// legendClass is one range of the choropleth's legend.
type legendClass struct {
	Class    int
	From, To float64
}

// seriesRow is one period of the time-series table: a value per chosen
// region, nil where it has none.
type seriesRow struct {
	Period string
	Values []*float64
}

// PeriodName writes a period in words (pageBase.Period, which the page's
// Period field hides).
func (p indicatorPage) PeriodName(code string) string { return p.pageBase.Period(code) }

type indicatorPage struct {
	pageBase
	Indicator *kolaborasi.Indicator
	// Periods are the periods with values, newest first; Period is the
	// one the map shows.
	Periods []string
	Period  string
	Map     []mapValue
	Legend  []legendClass
	// Missing counts kabupaten/kota without a value for Period.
	Missing int
	// Regions are the regions with values (for choosing the series);
	// Chosen those the series shows.
	Regions   []regionOption
	Chosen    []regionOption
	Series    []seriesRow
	Export    string
	CanManage bool
}

type regionOption struct {
	Code, Name string
	Selected   bool
}

// Value formats a value in the page's language with up to four decimals.
func (p pageBase) Value(v float64) string {
	s := p.printer().Sprintf("%.4f", v)
	sep := "."
	if p.Lang == "id" {
		sep = ","
	}
	if strings.Contains(s, sep) {
		s = strings.TrimRight(strings.TrimRight(s, "0"), sep)
	}
	return s
}

// Raw writes a value for scripts (data-* attributes).
func (p pageBase) Raw(v float64) string { return obsfile.FormatNumber(v) }

// defaultSeriesRegions are shown in an indicator's series when the visitor
// chose none: the two cities of the issue, then the first with values.
var defaultSeriesRegions = []string{"35.72", "32.73"}

func (s *Server) uiIndicator(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ind, err := s.app.Indicator(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := indicatorPage{pageBase: s.base(r, "indikator"), Indicator: ind,
		Export: "/observasi/ekspor?" + url.Values{"indikator": {ind.Code}}.Encode(), CanManage: s.app.Check(ctx, app.ActIndicatorManage, "") == nil}
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return err
	}
	byPeriod := map[string][]*kolaborasi.Observation{}
	byRegion := map[string]bool{}
	err = s.app.EachObservation(ctx, kolaborasi.ObservationFilter{Indicator: ind.Code}, func(o *kolaborasi.Observation) error {
		byPeriod[o.Period] = append(byPeriod[o.Period], o)
		byRegion[o.RegionCode] = true
		return nil
	})
	if err != nil {
		return err
	}
	for per := range byPeriod {
		p.Periods = append(p.Periods, per)
	}
	slices.Sort(p.Periods)
	slices.Reverse(p.Periods)
	p.Period = q.Get("periode")
	if _, ok := byPeriod[p.Period]; !ok && len(p.Periods) > 0 {
		p.Period = p.Periods[0]
	}
	regencies := 0
	for code := range names {
		if len(code) == 5 {
			regencies++
		}
	}
	for _, o := range byPeriod[p.Period] {
		if len(o.RegionCode) == 5 {
			p.Map = append(p.Map, mapValue{Code: o.RegionCode, Name: names[o.RegionCode], Value: o.Value})
		}
	}
	p.Missing = regencies - len(p.Map)
	p.Legend = classify(p.Map, ind.Direction)

	chosen := q["wilayah"]
	if len(chosen) == 0 {
		for _, c := range defaultSeriesRegions {
			if byRegion[c] {
				chosen = append(chosen, c)
			}
		}
	}
	for code := range byRegion {
		p.Regions = append(p.Regions, regionOption{Code: code, Name: names[code], Selected: slices.Contains(chosen, code)})
	}
	slices.SortFunc(p.Regions, func(a, b regionOption) int { return cmp.Compare(a.Name, b.Name) })
	if len(chosen) == 0 && len(p.Regions) > 0 {
		p.Regions[0].Selected = true
	}
	for _, o := range p.Regions {
		if o.Selected && len(p.Chosen) < 8 {
			p.Chosen = append(p.Chosen, o)
		}
	}
	for i := len(p.Periods) - 1; i >= 0; i-- {
		per := p.Periods[i]
		row := seriesRow{Period: per, Values: make([]*float64, len(p.Chosen))}
		any := false
		for _, o := range byPeriod[per] {
			for j, c := range p.Chosen {
				if o.RegionCode == c.Code {
					row.Values[j] = &o.Value
					any = true
				}
			}
		}
		if any {
			p.Series = append(p.Series, row)
		}
	}
	return s.render(w, r, http.StatusOK, "indicator", p)
}

// classify sorts the values best first and puts each into one of five
// classes of about equal size (quintiles), 4 the best; it returns the
// legend's ranges, best first.
func classify(vals []mapValue, dir kolaborasi.Direction) []legendClass {
	if len(vals) == 0 {
		return nil
	}
	slices.SortFunc(vals, func(a, b mapValue) int {
		if dir == kolaborasi.LowerIsBetter {
			return cmp.Or(cmp.Compare(a.Value, b.Value), cmp.Compare(a.Code, b.Code))
		}
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Code, b.Code))
	})
	classes := min(5, len(vals))
	var legend []legendClass
	for i := range vals {
		// Position from the worst: the last value is class 0.
		c := (len(vals) - 1 - i) * classes / len(vals)
		vals[i].Class, vals[i].Rank = c, i+1
		if i > 0 && vals[i].Value == vals[i-1].Value {
			vals[i].Rank = vals[i-1].Rank // equal values share a place: 1, 2, 2, 4
		}
		if len(legend) == 0 || legend[len(legend)-1].Class != c {
			legend = append(legend, legendClass{Class: c, From: vals[i].Value, To: vals[i].Value})
		} else {
			legend[len(legend)-1].To = vals[i].Value
		}
	}
	return legend
}

func (s *Server) uiObservationExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "indikator", "wilayah", "provinsi", "dari", "sampai", "format"); err != nil {
		return err
	}
	api := url.Values{"indicator": {q.Get("indikator")}, "region": {q.Get("wilayah")}, "province": {q.Get("provinsi")},
		"from": {q.Get("dari")}, "to": {q.Get("sampai")}}
	return s.exportObservations(w, r, q.Get("format"), api)
}

type observationImportPage struct {
	pageBase
	Region     *kolaborasi.Region
	Indicators []*kolaborasi.Indicator
	Report     *app.ImportReport
	Failed     bool
	Columns    []string
	MaxMiB     int
}

// ProblemLang marks a problem's message as English on an Indonesian page
// when it has no translation (the file reader's own messages).
func (p observationImportPage) ProblemLang(msg string) template.HTMLAttr {
	if p.Lang != "en" && p.tr.Sentence(msg) == "" {
		return template.HTMLAttr(` lang="en"`)
	}
	return ""
}

// ProblemTotal counts every problem of a refused import.
func (p observationImportPage) ProblemTotal() int {
	return len(p.Report.Problems) + p.Report.MoreProblems
}

func (s *Server) uiObservationImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.observationImportPage(w, r, nil, false, http.StatusOK)
}

func (s *Server) observationImportPage(w http.ResponseWriter, r *http.Request, rep *app.ImportReport, failed bool, status int) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActObservationImport, code); err != nil {
		return err
	}
	region, err := s.app.Region(r.Context(), code)
	if err != nil {
		return err
	}
	inds, err := s.app.Indicators(r.Context())
	if err != nil {
		return err
	}
	p := observationImportPage{pageBase: s.base(r, "kelola"), Region: region, Indicators: inds, Report: rep, Failed: failed,
		Columns: obsfile.Columns, MaxMiB: obsfile.MaxBytes >> 20}
	return s.render(w, r, status, "observation_import", p)
}

func (s *Server) uiObservationImport(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActObservationImport, code); err != nil {
		return err
	}
	body, format, done, err := uploadedFile(w, r)
	defer done()
	if err != nil {
		return s.refuse(w, r, s.uiObservationImportForm, "file", err)
	}
	rep, err := s.app.ImportObservations(r.Context(), code, body, format, 0)
	if err != nil {
		if rep == nil || len(rep.Problems) == 0 {
			return s.refuse(w, r, s.uiObservationImportForm, "file", tooLargeOr(err, err))
		}
		return s.observationImportPage(w, r, rep, true, http.StatusUnprocessableEntity)
	}
	return s.observationImportPage(w, r, rep, false, http.StatusOK)
}

// regionIndicator is one indicator's latest value on a region page.
type regionIndicator struct {
	Indicator   *kolaborasi.Indicator
	Observation *kolaborasi.Observation
}

// regionSeriesFirst is the indicator whose series a region page draws
// when the region has values of it; otherwise the first yearly one.
const regionSeriesFirst = "bps.pertumbuhan-ekonomi"

// regionIndicators returns the region's latest indicator values and the
// series of one of them (regionSeriesFirst, else the first yearly
// indicator with more than one value).
func (s *Server) regionIndicators(r *http.Request, region string) ([]regionIndicator, *kolaborasi.Indicator, []*kolaborasi.Observation, error) {
	ctx := r.Context()
	latest, err := s.app.LatestObservations(ctx, region)
	if err != nil {
		return nil, nil, nil, err
	}
	var out []regionIndicator
	var candidates []*kolaborasi.Indicator
	for _, o := range latest {
		ind, err := s.app.Indicator(ctx, o.Indicator)
		if err != nil {
			return nil, nil, nil, err
		}
		out = append(out, regionIndicator{Indicator: ind, Observation: o})
		if ind.Code == regionSeriesFirst {
			candidates = append([]*kolaborasi.Indicator{ind}, candidates...)
		} else if ind.PeriodKind == kolaborasi.Yearly {
			candidates = append(candidates, ind)
		}
	}
	for _, ind := range candidates {
		obs, err := s.app.Observations(ctx, kolaborasi.ObservationFilter{Indicator: ind.Code, Region: region})
		if err != nil {
			return nil, nil, nil, err
		}
		if len(obs) > 1 {
			return out, ind, obs, nil
		}
	}
	return out, nil, nil, nil
}

// Class names a choropleth class for CSS.
func (v mapValue) ClassName() string { return fmt.Sprintf("q%d", v.Class) }
