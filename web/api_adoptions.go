package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// adoptionFilter reads the list filters of GET /api/v1/adoptions.
func adoptionFilter(q url.Values) (kolaborasi.AdoptionFilter, error) {
	f := kolaborasi.AdoptionFilter{AdopterRegion: q.Get("adopter"), SourceRegion: q.Get("source"), Region: q.Get("region"),
		Province: q.Get("province"), Stage: kolaborasi.AdoptionStage(q.Get("stage")), State: kolaborasi.AdoptionState(q.Get("state"))}
	for name, dst := range map[string]*int64{"solution": &f.SolutionID, "agreement": &f.AgreementID} {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Check the filters.", Fields: map[string]string{name: "must be a positive whole number"}}
			}
			*dst = n
		}
	}
	if f.Province != "" && (len(f.Province) != 2 || !kolaborasi.ValidRegionCode(f.Province)) {
		return f, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Check the filters.", Fields: map[string]string{"province": "must be a province code such as 35"}}
	}
	return f, nil
}

func (s *Server) apiAdoptionList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "solution", "adopter", "source", "region", "province", "agreement", "stage", "state", "page[size]", "page[after]"); err != nil {
		return err
	}
	f, err := adoptionFilter(q)
	if err != nil {
		return err
	}
	size, before, err := idPage(q, 20)
	if err != nil {
		return err
	}
	f.Before, f.Limit = before, min(size+1, app.MaxPageSize)
	ads, err := s.app.Adoptions(r.Context(), f)
	if err != nil {
		return err
	}
	return writeIDPage(w, r, ads, size, f.Limit, func(ad *kolaborasi.Adoption) int64 { return ad.ID })
}

func (s *Server) apiAdoptionShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ad, err := s.app.Adoption(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ad})
}

func adoptionLocation(id int64) string { return "/api/v1/adoptions/" + strconv.FormatInt(id, 10) }

func (s *Server) apiAdoptionRequest(w http.ResponseWriter, r *http.Request) error {
	var in app.AdoptionRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ad, err := s.app.RequestAdoption(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", adoptionLocation(ad.ID))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: ad})
}

type adoptionDecision struct {
	Accept  bool   `json:"accept"`
	Message string `json:"message"`
	Version int    `json:"version"`
	// On is the date the decision was taken, when entered later.
	On string `json:"on"`
}

func (s *Server) apiAdoptionDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in adoptionDecision
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ad, err := s.app.DecideAdoptionOn(r.Context(), id, in.Version, in.Accept, in.Message, in.On)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ad})
}

type adoptionMove struct {
	To      kolaborasi.AdoptionStage `json:"to"`
	Note    string                   `json:"note"`
	Version int                      `json:"version"`
	// On is the date the move happened, when entered later.
	On string `json:"on"`
}

func (s *Server) apiAdoptionMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in adoptionMove
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ad, err := s.app.MoveAdoptionOn(r.Context(), id, in.Version, in.To, in.Note, in.On)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ad})
}

type adoptionDetailsInput struct {
	app.AdoptionDetails
	Version int `json:"version"`
}

func (s *Server) apiAdoptionDetails(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in adoptionDetailsInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ad, err := s.app.UpdateAdoptionDetails(r.Context(), id, in.Version, in.AdoptionDetails)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ad})
}

// apiAdoptionDocument stores the body (application/pdf) as a document of
// the adoption, named by ?name=.
func (s *Server) apiAdoptionDocument(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "name"); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := pdfBody(r)
	if err != nil {
		return err
	}
	doc, err := s.app.AddAdoptionDocument(r.Context(), id, q.Get("name"), data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, itemResponse{Data: doc})
}

func (s *Server) apiSolutionAdopters(w http.ResponseWriter, r *http.Request) error {
	return listByPathID(w, r, s.app.SolutionAdopters)
}

func (s *Server) apiAgreementAdoptions(w http.ResponseWriter, r *http.Request) error {
	return listByPathID(w, r, s.app.AdoptionsFromAgreement)
}

func (s *Server) apiSavings(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "scope", "code"); err != nil {
		return err
	}
	rep, err := s.app.Savings(r.Context(), cmp.Or(q.Get("scope"), "nation"), q.Get("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: rep})
}
