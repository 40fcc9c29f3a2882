package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/search"
)

// uiFacetParams maps each facet to its query parameter on the pages
// (Indonesian, like the rest of the page URLs).
var uiFacetParams = map[string]string{
	kolaborasi.FacetKind:      "jenis",
	kolaborasi.FacetDimension: "dimensi",
	kolaborasi.FacetSector:    "sektor",
	kolaborasi.FacetProvince:  "provinsi",
	kolaborasi.FacetRegion:    "wilayah",
	kolaborasi.FacetLicence:   "lisensi",
	kolaborasi.FacetMaturity:  "kematangan",
	kolaborasi.FacetReuse:     "pemanfaatan",
}

// CatalogPageParam returns the catalog page's query parameter of a facet
// ("" for an unknown facet); the API's parameter is the facet's name.
func CatalogPageParam(facet string) string { return uiFacetParams[facet] }

// facetGroup is one facet's values with counts, as the page shows them.
type facetGroup struct {
	Name   string
	Param  string
	Values []facetValue
}

type facetValue struct {
	Value    string
	Label    string
	Count    int
	Selected bool
}

type catalogHit struct {
	Solution *kolaborasi.Solution
	Name     string
	Short    string
	Region   string
	Snippet  []search.Segment
}

type catalogPage struct {
	pageBase
	Query    string
	Sort     string
	Facets   []facetGroup
	Hits     []catalogHit
	Total    int
	Next     string
	Selected bool
	// NoWords: the query had no word and was left out (a note says so).
	NoWords bool
	droppedFilters
}

// droppedFilters are filter values a page left out because the search does
// not know them ("kategori=xxx" in a shared or edited link): the page says
// so by the filter's label instead of refusing the search. The API keeps
// answering 400.
type droppedFilters struct {
	Dropped []droppedFilter
}

// droppedFilter is one value left out: Key names the filter's label.
type droppedFilter struct{ Key, Value string }

// keepValid returns the values valid for facet and notes the others under
// the label key.
func (d *droppedFilters) keepValid(values []string, facet, labelKey string, valid func(facet, v string) bool) []string {
	var out []string
	for _, v := range values {
		if valid(facet, v) {
			out = append(out, v)
		} else {
			d.Dropped = append(d.Dropped, droppedFilter{Key: labelKey, Value: v})
		}
	}
	return out
}

func (s *Server) uiCatalog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := catalogPage{pageBase: s.base(r, "katalog"), Query: q.Get("q"), Sort: q.Get("urut")}
	sq := app.SolutionQuery{Q: p.Query, Lang: p.Lang, PrefixLast: q.Get("ketik") == "1", Sort: kolaborasi.SolutionSort(p.Sort),
		After: q.Get("setelah"), Facets: map[string][]string{}}
	for facet, param := range uiFacetParams {
		if vs := p.keepValid(q[param], facet, "facet."+facet, app.ValidSolutionFacetValue); len(vs) > 0 {
			sq.Facets[facet] = vs
			p.Selected = true
		}
	}
	res, err := s.app.SearchSolutions(ctx, sq)
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return err
	}
	p.Total, p.NoWords = res.Total, res.NoWords
	for _, h := range res.Items {
		p.Hits = append(p.Hits, catalogHit{Solution: h.Solution, Name: h.Solution.Name.Get(p.Lang), Short: h.Solution.Short.Get(p.Lang),
			Region: names[h.Solution.RegionCode], Snippet: h.Snippet.Segments()})
	}
	for _, facet := range kolaborasi.FacetNames {
		g := facetGroup{Name: facet, Param: uiFacetParams[facet]}
		selected := map[string]bool{}
		for _, v := range q[g.Param] {
			selected[v] = true
		}
		for _, fc := range res.Facets[facet] {
			g.Values = append(g.Values, facetValue{Value: fc.Value, Label: s.facetLabel(p.pageBase, facet, fc.Value, names),
				Count: fc.Count, Selected: selected[fc.Value]})
		}
		if len(g.Values) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	if res.Next != "" {
		p.Next = nextPageURL("/katalog", q, "setelah", res.Next, "ketik")
	}
	if q.Get("bagian") == "hasil" {
		// Search as you type asks for the results only.
		return s.renderFragment(w, r, "catalog", "live", p)
	}
	return s.render(w, r, http.StatusOK, "catalog", p)
}

// nextPageURL is the address of the next page of a list at path: the query
// q with param set to the cursor, without the parameters in drop.
func nextPageURL(path string, q url.Values, param, cursor string, drop ...string) string {
	next := maps.Clone(q)
	if next == nil {
		next = url.Values{}
	}
	next.Set(param, cursor)
	for _, d := range drop {
		next.Del(d)
	}
	return path + "?" + next.Encode()
}

// facetLabel is how a facet value reads on the page.
func (s *Server) facetLabel(p pageBase, facet, value string, names map[string]string) string {
	switch facet {
	case kolaborasi.FacetProvince, kolaborasi.FacetRegion:
		if n, ok := names[value]; ok {
			return n
		}
	case kolaborasi.FacetLicence:
		return value
	}
	return p.T(facet + "." + value)
}

type solutionPage struct {
	pageBase
	S       *kolaborasi.Solution
	Region  *kolaborasi.Region
	OPD     *kolaborasi.OPD
	Name    string
	Short   string
	Long    string
	CanEdit bool
	History []*kolaborasi.SolutionVersion
	// Adopters is the "used by N regions" section (K5).
	Adopters *adoptersView
	// Exportable says the solution's publiccode.yml can be downloaded;
	// ExportMissing, for its editors, what it still lacks.
	Exportable    bool
	ExportMissing fieldErrors
	// The labels of the solution's kind, maturity, dimensions, sectors and
	// reuse terms, the lists joined by commas (one field each where the
	// template called T through print per value).
	KindLabel, MaturityLabel                   string
	DimensionLabels, SectorLabels, ReuseLabels string
}

// joinLabels joins the labels of values (message prefix+value) by commas.
func joinLabels[V ~string](p pageBase, prefix string, values []V) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.T(prefix + string(v)))
	}
	return b.String()
}

// solutionFromPath reads the solution named in the path with read:
// App.Solution for a copy to edit, App.SharedSolution for one to show.
func (s *Server) solutionFromPath(r *http.Request, read func(context.Context, int64) (*kolaborasi.Solution, error)) (*kolaborasi.Solution, error) {
	id, err := solutionID(r)
	if err != nil {
		return nil, err
	}
	return read(r.Context(), id)
}

// solutionID is the solution ID the path names.
func solutionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is no solution %q.", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) uiSolution(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := solutionID(r)
	if err != nil {
		return err
	}
	sp, err := s.app.SolutionPage(ctx, id)
	if err != nil {
		return err
	}
	sol := sp.Solution
	p := solutionPage{pageBase: s.base(r, "katalog"), S: sol, Region: sp.Region, History: sp.History}
	p.Name, p.Short, p.Long = sol.Name.Get(p.Lang), sol.Short.Get(p.Lang), sol.Long.Get(p.Lang)
	p.KindLabel, p.MaturityLabel = p.T("kind."+string(sol.Kind)), p.T("maturity."+string(sol.Maturity))
	p.DimensionLabels, p.SectorLabels = joinLabels(p.pageBase, "dimension.", sol.Dimensions), joinLabels(p.pageBase, "sector.", sol.Sectors)
	p.ReuseLabels = joinLabels(p.pageBase, "reuse.", sol.Reuse)
	if sol.OPDID != 0 {
		if o, err := s.app.OPD(ctx, sol.OPDID); err == nil {
			p.OPD = o
		}
	}
	p.CanEdit = app.Allowed(p.User, app.ActSolutionPublish, sol.RegionCode)
	if p.Adopters, err = s.adoptersView(ctx, p.pageBase, sol, p.Region, sp.Adopters); err != nil {
		return err
	}
	if sol.Kind == kolaborasi.KindSoftware {
		// Link the file only when the export succeeds; tell its editors
		// what it lacks.
		var e *kolaborasi.Error
		switch {
		case sp.ExportProblem == nil:
			p.Exportable = true
		case p.CanEdit && errors.As(sp.ExportProblem, &e):
			p.ExportMissing = p.tr.FieldErrors(e.Fields)
		}
	}
	return s.writePage(w, r, http.StatusOK, p.pageBase, templ.EscapeString(p.Name), solutionContent(p))
}

func (s *Server) uiSolutionPublicCode(w http.ResponseWriter, r *http.Request) error {
	sol, err := s.solutionFromPath(r, s.app.SharedSolution)
	if err != nil {
		return err
	}
	b, err := s.app.ExportPublicCode(r.Context(), sol.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="publiccode.yml"`)
	_, err = w.Write(b)
	return err
}

// ClaimValue writes an evidence figure in the page's number format: an amount
// in rupiah in words of its scale ("Rp500 miliar", "Rp500 billion"), any
// other value with its unit ("5,6 %/tahun").
func (p pageBase) ClaimValue(c kolaborasi.Claim) string {
	switch strings.ToUpper(strings.TrimSpace(c.Unit)) {
	case "IDR", "RP", "RUPIAH":
		for _, s := range []struct {
			size float64
			key  string
		}{{1e12, "claim.trillion"}, {1e9, "claim.billion"}, {1e6, "claim.million"}} {
			if c.Value >= s.size || c.Value <= -s.size {
				return "Rp" + p.Value(c.Value/s.size) + " " + p.T(s.key)
			}
		}
		return "Rp" + p.Value(c.Value)
	}
	if c.Unit == "" {
		return p.Value(c.Value)
	}
	return p.Value(c.Value) + " " + c.Unit
}
