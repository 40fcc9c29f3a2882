package web

import (
	"net/http"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
)

// regionFilter reads the region filters shared by the API and the pages.
func regionFilter(typ, province, autonomous, q string) (kolaborasi.RegionFilter, error) {
	f := kolaborasi.RegionFilter{Type: kolaborasi.RegionType(typ), ProvinceCode: province, Query: q}
	if autonomous != "" {
		b, err := strconv.ParseBool(autonomous)
		if err != nil {
			return f, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "autonomous must be true or false.",
				Fields: map[string]string{"autonomous": "must be true or false"}}
		}
		f.Autonomous = &b
	}
	return f, nil
}

func (s *Server) apiRegionList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "type", "province", "autonomous", "q", "page[size]", "page[after]"); err != nil {
		return err
	}
	f, err := regionFilter(q.Get("type"), q.Get("province"), q.Get("autonomous"), q.Get("q"))
	if err != nil {
		return err
	}
	if f.Limit, f.After, err = page(q); err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	regions, err := s.app.Regions(r.Context(), f)
	if err != nil {
		return err
	}
	if regions == nil {
		regions = []*kolaborasi.Region{}
	}
	resp := listResponse{Data: regions, Links: links{Self: r.URL.RequestURI()}}
	if len(regions) == f.Limit {
		resp.Links.Next = nextLink(r.URL, regions[len(regions)-1].Code)
	}
	return writeJSON(w, http.StatusOK, resp)
}

// regionDetail is a region with its OPDs.
type regionDetail struct {
	*kolaborasi.Region
	OPDs []*kolaborasi.OPD `json:"opds"`
}

func (s *Server) apiRegionShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	region, err := s.app.Region(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	opds, err := s.app.OPDs(r.Context(), region.Code)
	if err != nil {
		return err
	}
	if opds == nil {
		opds = []*kolaborasi.OPD{}
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: regionDetail{Region: region, OPDs: opds}})
}
