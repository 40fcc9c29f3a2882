package web

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"

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
}

func (s *Server) uiCatalog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := catalogPage{pageBase: s.base(r, "katalog"), Query: q.Get("q"), Sort: q.Get("urut")}
	sq := app.SolutionQuery{Q: p.Query, Lang: p.Lang, PrefixLast: q.Get("ketik") == "1", Sort: kolaborasi.SolutionSort(p.Sort),
		After: q.Get("setelah"), Facets: map[string][]string{}}
	for facet, param := range uiFacetParams {
		if vs := q[param]; len(vs) > 0 {
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
	S        *kolaborasi.Solution
	Region   *kolaborasi.Region
	OPD      *kolaborasi.OPD
	Name     string
	Short    string
	Long     string
	CanEdit  bool
	History  []*kolaborasi.SolutionVersion
	Contacts []kolaborasi.SolutionContact
	// Adopters is the "used by N regions" section (K5).
	Adopters *adoptersView
}

func (s *Server) solutionFromPath(r *http.Request) (*kolaborasi.Solution, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is no solution %q.", r.PathValue("id"))
	}
	return s.app.Solution(r.Context(), id)
}

func (s *Server) uiSolution(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sol, err := s.solutionFromPath(r)
	if err != nil {
		return err
	}
	p := solutionPage{pageBase: s.base(r, "katalog"), S: sol}
	p.Name, p.Short, p.Long = sol.Name.Get(p.Lang), sol.Short.Get(p.Lang), sol.Long.Get(p.Lang)
	if p.Region, err = s.app.Region(ctx, sol.RegionCode); err != nil {
		return err
	}
	if sol.OPDID != 0 {
		if o, err := s.app.OPD(ctx, sol.OPDID); err == nil {
			p.OPD = o
		}
	}
	p.CanEdit = app.Allowed(p.User, app.ActSolutionPublish, sol.RegionCode)
	if p.History, err = s.app.SolutionHistory(ctx, sol.ID); err != nil {
		return err
	}
	if p.Adopters, err = s.adoptersView(ctx, p.pageBase, sol, p.Region); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "solution", p)
}

func (s *Server) uiSolutionPublicCode(w http.ResponseWriter, r *http.Request) error {
	sol, err := s.solutionFromPath(r)
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
