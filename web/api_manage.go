package web

import (
	"net/http"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
)

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u := kolaborasi.UserFrom(r.Context())
	if u == nil {
		return kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Not signed in: send Authorization: Bearer with a personal API token.")
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: u})
}

// profileRequest is the body of PUT /regions/{code}/profile.
type profileRequest struct {
	HeadTitle string `json:"head_title"`
	Address   string `json:"address"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Website   string `json:"website"`
}

func (s *Server) apiUpdateProfile(w http.ResponseWriter, r *http.Request) error {
	var req profileRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	code := r.PathValue("code")
	err := s.app.UpdateRegionProfile(r.Context(), code, kolaborasi.RegionProfile{HeadTitle: req.HeadTitle,
		Address: req.Address, Phone: req.Phone, Email: req.Email, Website: req.Website})
	if err != nil {
		return err
	}
	region, err := s.app.Region(r.Context(), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: region.Profile})
}

// opdRequest is the body of the OPD endpoints.
type opdRequest struct {
	Name      string             `json:"name"`
	ShortName string             `json:"short_name"`
	Kind      kolaborasi.OPDKind `json:"kind"`
}

func (s *Server) apiCreateOPD(w http.ResponseWriter, r *http.Request) error {
	var req opdRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	o := &kolaborasi.OPD{RegionCode: r.PathValue("code"), Name: req.Name, ShortName: req.ShortName, Kind: req.Kind}
	if err := s.app.CreateOPD(r.Context(), o); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/regions/"+o.RegionCode+"/opds/"+strconv.FormatInt(o.ID, 10))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: o})
}

func (s *Server) apiUpdateOPD(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var req opdRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	o := &kolaborasi.OPD{ID: id, RegionCode: r.PathValue("code"), Name: req.Name, ShortName: req.ShortName, Kind: req.Kind}
	if err := s.app.UpdateOPD(r.Context(), o); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: o})
}

func (s *Server) apiDeleteOPD(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.app.DeleteOPD(r.Context(), r.PathValue("code"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "page[after]"); err != nil {
		return err
	}
	var before int64
	if v := q.Get("page[after]"); v != "" {
		var err error
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before <= 0 {
			return kolaborasi.Errorf(kolaborasi.EINVALID, "page[after] is not a cursor this API returned.")
		}
	}
	entries, err := s.app.AuditTrail(r.Context(), r.PathValue("code"), before)
	if err != nil {
		return err
	}
	resp := listResponse{Data: entries, Links: links{Self: r.URL.RequestURI()}}
	if entries == nil {
		resp.Data = []*kolaborasi.AuditEntry{}
	}
	if len(entries) == 100 {
		u := *r.URL
		qq := u.Query()
		qq.Set("page[after]", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		resp.Links.Next = u.Path + "?" + qq.Encode()
	}
	return writeJSON(w, http.StatusOK, resp)
}
