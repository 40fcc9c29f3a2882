package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

type homePage struct {
	pageBase
	Provinces, Autonomous int64
	// Overview holds the live numbers: solutions, regions taking part,
	// agreements signed, adoptions and money saved with its coverage.
	Overview *app.Overview
	// The overview's counts as the templates' Num takes them.
	Solutions, Regions, Signed, Adoptions int64
}

func (s *Server) uiHome(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.app.Summary(r.Context())
	if err != nil {
		return err
	}
	p := homePage{pageBase: s.base(r, "home"), Provinces: int64(sum.Provinces), Autonomous: int64(sum.Autonomous)}
	if p.Overview, err = s.app.Overview(r.Context()); err != nil {
		return err
	}
	p.Solutions, p.Regions = int64(p.Overview.Solutions), int64(p.Overview.Regions)
	p.Signed, p.Adoptions = int64(p.Overview.AgreementsSigned), int64(p.Overview.Savings.Adoptions)
	return s.render(w, r, http.StatusOK, "home", p)
}

type regionListPage struct {
	pageBase
	Query, Province, Type string
	Provinces             []*kolaborasi.Region
	Types                 []kolaborasi.RegionType
	Regions               []*kolaborasi.Region
	More                  bool
	Next                  string
}

// uiPageSize is the number of regions on one list page.
const uiPageSize = 100

func (s *Server) uiRegionList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := regionListPage{pageBase: s.base(r, "wilayah"), Query: q.Get("q"), Province: q.Get("provinsi"), Type: q.Get("jenis"),
		Types: []kolaborasi.RegionType{kolaborasi.Province, kolaborasi.Regency, kolaborasi.City}}
	f, err := regionFilter(p.Type, p.Province, "", p.Query)
	if err != nil {
		return err
	}
	f.After, f.Limit = q.Get("setelah"), uiPageSize
	if p.Regions, err = s.app.Regions(r.Context(), f); err != nil {
		return err
	}
	if p.Provinces, err = s.app.Provinces(r.Context()); err != nil {
		return err
	}
	if len(p.Regions) == uiPageSize {
		p.More = true
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("setelah", p.Regions[len(p.Regions)-1].Code)
		p.Next = "/wilayah?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, "regions", p)
}

type regionPage struct {
	pageBase
	Region  *kolaborasi.Region
	Members []*kolaborasi.Region
	Map     *wilayah.Map
	// Solutions are the region's published solutions (the first page);
	// SolutionTotal counts them all.
	Solutions     []*kolaborasi.Solution
	SolutionTotal int
	// Agreements are the region's agreements past drafting, with the
	// names of their parties.
	Agreements []regionAgreement
	// Partners are the other region parties of those agreements, drawn on
	// PartnerMap with the region itself.
	Partners   []*kolaborasi.Region
	PartnerMap *partnerMap
	// Keys are the active signing keys of the region's signatories.
	Keys []*kolaborasi.SigningKey
	// Indicators are the region's latest indicator values; Series the
	// values of SeriesOf, the first with more than one (K5).
	Indicators []regionIndicator
	SeriesOf   *kolaborasi.Indicator
	Series     []*kolaborasi.Observation
	// Ranks are the region's places in the composite indices (K5).
	Ranks []app.RegionRank

	// Adoptions are what the region adopted and who adopted its
	// solutions, with the money it saved (K5).
	Adoptions *regionAdoptions
}

// Count formats a count with the language's digit grouping.
func (p regionPage) Count(n int) string { return p.Num(int64(n)) }

// regionAgreement is an agreement on a region page with its partners.
type regionAgreement struct {
	*kolaborasi.Agreement
	Partners []string
}

// regionSolutions is how many solutions a region page lists.
const regionSolutions = 50

func (s *Server) uiRegionShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	region, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	p := regionPage{pageBase: s.base(r, "wilayah"), Region: region}
	neighbours, err := s.app.RegionsOfProvince(ctx, region.ProvinceCode)
	if err != nil {
		return err
	}
	if region.Type == kolaborasi.Province {
		p.Members = neighbours
	}
	context := make([]string, len(neighbours))
	for i, n := range neighbours {
		context[i] = n.Code
	}
	if p.Map, err = wilayah.MapOf(region.Code, context, 320); err != nil {
		s.log.Warn("region map", "code", region.Code, "err", err)
	}
	res, err := s.app.SearchSolutions(ctx, app.SolutionQuery{Lang: p.Lang, Sort: kolaborasi.SortNewest, Size: regionSolutions,
		Facets: map[string][]string{kolaborasi.FacetRegion: {region.Code}}})
	if err != nil {
		return err
	}
	p.SolutionTotal = res.Total
	for _, h := range res.Items {
		p.Solutions = append(p.Solutions, h.Solution)
	}
	ags, err := s.app.Agreements(ctx, kolaborasi.AgreementFilter{Region: region.Code})
	if err != nil {
		return err
	}
	seen := map[string]bool{region.Code: true}
	for _, ag := range ags {
		// The public face shows what has left drafting, the same for
		// every visitor; officers find drafts in their workspace.
		if ag.Status == kolaborasi.StatusDraft {
			continue
		}
		ra := regionAgreement{Agreement: ag}
		for _, party := range ag.Content.Parties {
			if party.Region == region.Code {
				continue
			}
			ra.Partners = append(ra.Partners, party.Name)
			if party.Region != "" && !seen[party.Region] {
				seen[party.Region] = true
				partner, err := s.app.Region(ctx, party.Region)
				if err != nil {
					return err
				}
				p.Partners = append(p.Partners, partner)
			}
		}
		p.Agreements = append(p.Agreements, ra)
	}
	if len(p.Partners) > 0 {
		if p.PartnerMap, err = newPartnerMap(region, p.Partners); err != nil {
			s.log.Warn("partner map", "code", region.Code, "err", err)
		}
	}
	if p.Keys, err = s.app.PublicSigningKeys(ctx, region.Code); err != nil {
		return err
	}
	if p.Indicators, p.SeriesOf, p.Series, err = s.regionIndicators(r, region.Code); err != nil {
		return err
	}
	if region.Type != kolaborasi.Province {
		if p.Ranks, err = s.app.RegionRanks(ctx, region.Code); err != nil {
			return err
		}
	}
	if p.Adoptions, err = s.regionAdoptions(ctx, p.Lang, region.Code); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "region", p)
}

// partnerMap places a region and its agreement partners on the national
// map, cropped to the area they span.
type partnerMap struct {
	ViewBox   string
	Provinces []string
	Own       mapPoint
	Partners  []mapPoint
	// Line, Edge, Dot and Font are sizes in map units that look the same
	// whatever the crop: outlines, partner lines, dot radius, label size.
	Line, Edge, Dot, Font string
}

type mapPoint struct {
	X, Y float64
	Name string
	// Left puts the label on the point's left, to stay inside the frame.
	Left bool
}

func newPartnerMap(own *kolaborasi.Region, partners []*kolaborasi.Region) (*partnerMap, error) {
	m, err := wilayah.NationalMap()
	if err != nil {
		return nil, err
	}
	pm := &partnerMap{Provinces: m.Provinces}
	x, y := m.Project(own.Lng, own.Lat)
	pm.Own = mapPoint{X: x, Y: y, Name: own.Name}
	minX, maxX, minY, maxY := x, x, y, y
	for _, p := range partners {
		px, py := m.Project(p.Lng, p.Lat)
		pm.Partners = append(pm.Partners, mapPoint{X: px, Y: py, Name: p.Name})
		minX, maxX, minY, maxY = min(minX, px), max(maxX, px), min(minY, py), max(maxY, py)
	}
	// Pad the span, keep at least a province's worth of context and a
	// 2:1 frame that fits beside the text.
	w, h := max(maxX-minX, 40)*1.5, max(maxY-minY, 20)*1.5
	if w < 2*h {
		w = 2 * h
	} else {
		h = w / 2
	}
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	pm.Own.Left = pm.Own.X > cx
	for i := range pm.Partners {
		pm.Partners[i].Left = pm.Partners[i].X > cx
	}
	pm.ViewBox = fmt.Sprintf("%.1f %.1f %.1f %.1f", cx-w/2, cy-h/2, w, h)
	// The figure is about 640 px wide: k map units make one pixel.
	k := w / 640
	size := func(px float64) string { return strconv.FormatFloat(px*k, 'f', 2, 64) }
	pm.Line, pm.Edge, pm.Dot, pm.Font = size(.6), size(2.5), size(6), size(17)
	return pm, nil
}

func (s *Server) uiSetLanguage(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	lang := r.PostForm.Get("lang")
	valid := false
	for _, l := range languages {
		valid = valid || l == lang
	}
	if !valid {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "Unknown language %q.", lang)
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: secure(r)})
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

// localPath returns p when it is a path on this site, "/" otherwise, so a
// redirect can never leave the site.
func localPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || p == "" || p[0] != '/' || len(p) > 1 && (p[1] == '/' || p[1] == '\\') || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return p
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is nothing at %s.", r.URL.Path)
}
