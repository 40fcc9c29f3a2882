package web

import (
	"net/http"
	"net/url"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

type homePage struct {
	pageBase
	Provinces, Autonomous, Population int64
}

func (s *Server) uiHome(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.app.Summary(r.Context())
	if err != nil {
		return err
	}
	p := homePage{pageBase: s.base(r, "home"), Provinces: int64(sum.Provinces), Autonomous: int64(sum.Autonomous), Population: sum.Population}
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
	OPDs    []*kolaborasi.OPD
	Members []*kolaborasi.Region
	Map     *wilayah.Map
}

func (s *Server) uiRegionShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	region, err := s.app.Region(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	p := regionPage{pageBase: s.base(r, "wilayah"), Region: region}
	if p.OPDs, err = s.app.OPDs(ctx, region.Code); err != nil {
		return err
	}
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
	return s.render(w, r, http.StatusOK, "region", p)
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
