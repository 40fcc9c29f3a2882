package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// Rows the drafting form offers beyond those filled; blank rows are
// ignored, so the form works without scripts.
const (
	partyRows    = 4
	witnessRows  = 5
	exchangeRows = 4
	fundingRows  = 4
)

// agreementForm is the drafting form: a new agreement, an edit of the
// latest unsigned version, or an addendum.
type agreementForm struct {
	pageBase
	// Mode is "new", "edit" or "addendum".
	Mode       string
	Action     string
	Region     string
	ID         int64
	C          kolaborasi.AgreementContent
	ETag       string
	Parties    []kolaborasi.AgreementParty
	Witnesses  []kolaborasi.AgreementWitness
	Exchanges  []kolaborasi.ExchangeItem
	Financing  []kolaborasi.Funding
	Purpose    string
	Scope      string
	Types      []kolaborasi.AgreementType
	Terms      []string
	Positions  []int
	DPRDNeeded bool
	Names      map[string]string
	Message    string
	Errors     fieldErrors
	// Addendum shows the choice Announce: whether the public sees that
	// this draft addendum is in preparation.
	Addendum bool
	Announce bool
}

// HasTerm reports whether an exchange row carries a term, for checkboxes.
func (agreementForm) HasTerm(x kolaborasi.ExchangeItem, t string) bool {
	return slices.Contains(x.Terms, t)
}

// Receives reports whether an exchange row's receivers include position i.
func (agreementForm) Receives(x kolaborasi.ExchangeItem, i int) bool {
	return slices.Contains(x.Receivers, i)
}

// Inc adds one, for the 1-based party numbers shown.
func (agreementForm) Inc(i int) int { return i + 1 }

// padded returns the rows with blank rows added up to at least n and one
// more than filled.
func padded[T any](rows []T, n int) []T {
	return append(append([]T{}, rows...), make([]T, max(n-len(rows), 1))...)
}

func (s *Server) agreementForm(r *http.Request, mode string, id int64, c kolaborasi.AgreementContent) (agreementForm, error) {
	p := agreementForm{pageBase: s.base(r, "kerjasama"), Mode: mode, ID: id, C: c, Types: kolaborasi.AgreementTypes,
		Terms: kolaborasi.ExchangeTerms, Purpose: strings.Join(c.Purpose, "\n"), Scope: strings.Join(c.Scope, "\n"),
		DPRDNeeded: c.DPRDApprovalNeeded()}
	if p.User != nil {
		p.Region = p.User.RegionCode
	}
	p.Parties = padded(c.Parties, partyRows)
	p.Witnesses = padded(c.Witnesses, witnessRows)
	p.Financing = padded(c.Financing, fundingRows)
	// Blank exchange rows must not suggest party 1 gives to itself.
	p.Exchanges = padded(c.Exchanges, exchangeRows)
	for i := len(c.Exchanges); i < len(p.Exchanges); i++ {
		p.Exchanges[i].Giver = -1
	}
	for i := len(c.Financing); i < len(p.Financing); i++ {
		p.Financing[i].Party = -1
	}
	for i := range p.Parties {
		p.Positions = append(p.Positions, i)
	}
	switch mode {
	case "new":
		p.Action = "/kelola/" + p.Region + "/kerjasama"
	case "edit":
		p.Action = agreementURL(id)
	case "addendum":
		p.Action = agreementURL(id) + "/adendum"
	}
	p.Addendum, p.Announce = mode == "addendum", r.PostFormValue("announce") == "on"
	if mode == "edit" {
		ag, err := s.app.Agreement(r.Context(), id, 0)
		if err != nil {
			return p, err
		}
		p.Addendum = ag.Version > 1
		if r.Method == http.MethodGet {
			p.Announce = ag.Announced
		}
	}
	var err error
	p.Names, err = s.app.RegionNames(r.Context())
	return p, err
}

// formAgreement reads the drafting form. Blank rows are skipped; exchange
// items and funding name parties by their row, renumbered after blank
// party rows are dropped.
func formAgreement(r *http.Request) kolaborasi.AgreementContent {
	f := r.PostForm
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	c := kolaborasi.AgreementContent{Type: kolaborasi.AgreementType(get("type")), Title: get("title"), Place: get("place"),
		Venue: get("venue"), SignDate: get("sign_date"), StartDate: get("start_date"), EndDate: get("end_date"),
		BurdensCommunity: get("burdens_community") == "yes", BudgetedInAPBD: get("budgeted_in_apbd") == "yes"}
	lines := func(k string) []string {
		var out []string
		for _, l := range strings.Split(f.Get(k), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	c.Purpose, c.Scope = lines("purpose"), lines("scope")
	row := map[int]int{}
	for i := 0; i < 50; i++ {
		k := "p" + strconv.Itoa(i) + "_"
		if _, ok := f[k+"region"]; !ok {
			break
		}
		pt := kolaborasi.AgreementParty{Region: get(k + "region"), ThirdParty: get(k + "third"), Name: get(k + "name"),
			Office: get(k + "office"), Number: get(k + "number")}
		if pt == (kolaborasi.AgreementParty{}) {
			continue
		}
		row[i] = len(c.Parties)
		c.Parties = append(c.Parties, pt)
	}
	party := func(v string) int {
		n, err := strconv.Atoi(v)
		if err != nil {
			return -1
		}
		if i, ok := row[n]; ok {
			return i
		}
		return len(c.Parties) + n // beyond the parties: app says so
	}
	for i := 0; i < 50; i++ {
		k := "w" + strconv.Itoa(i) + "_"
		if _, ok := f[k+"region"]; !ok {
			break
		}
		if w := (kolaborasi.AgreementWitness{Region: get(k + "region"), Office: get(k + "office")}); w != (kolaborasi.AgreementWitness{}) {
			c.Witnesses = append(c.Witnesses, w)
		}
	}
	for i := 0; i < 50; i++ {
		k := "x" + strconv.Itoa(i) + "_"
		if _, ok := f[k+"giver"]; !ok {
			break
		}
		sol, _ := strconv.ParseInt(get(k+"solution"), 10, 64)
		x := kolaborasi.ExchangeItem{Programme: get(k + "programme"), SolutionID: sol, Terms: f[k+"terms"]}
		if x.Programme == "" && sol == 0 && get(k+"giver") == "" {
			continue
		}
		x.Giver = party(get(k + "giver"))
		for _, rv := range f[k+"receivers"] {
			x.Receivers = append(x.Receivers, party(rv))
		}
		c.Exchanges = append(c.Exchanges, x)
	}
	for i := 0; i < 50; i++ {
		k := "f" + strconv.Itoa(i) + "_"
		if _, ok := f[k+"party"]; !ok {
			break
		}
		if get(k+"party") == "" {
			continue
		}
		c.Financing = append(c.Financing, kolaborasi.Funding{Party: party(get(k + "party")), Source: get(k + "source"), Detail: get(k + "detail")})
	}
	return c
}

// renderAgreementForm shows the form, with what is wrong when err is an
// invalid or conflicting entry; other errors go to the error page.
func (s *Server) renderAgreementForm(w http.ResponseWriter, r *http.Request, mode string, id int64, c kolaborasi.AgreementContent, etag string, err error) error {
	status := http.StatusOK
	if err != nil {
		code := kolaborasi.ErrorCode(err)
		if code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
			return err
		}
		status = statusOf[code]
	}
	p, ferr := s.agreementForm(r, mode, id, c)
	if ferr != nil {
		return ferr
	}
	p.ETag = etag
	if err != nil {
		p.Message, p.Errors = p.tr.explain(err)
	}
	return s.render(w, r, status, "agreement_form", p)
}

// uiAgreementNew shows an empty drafting form with the coordinator's region
// as the first party. ?solusi=ID prefills the adoption of a catalog
// solution: an exchange item giving it from its region to this one.
func (s *Server) uiAgreementNew(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	if err := s.app.Check(ctx, app.ActAgreementDraft, code); err != nil {
		return err
	}
	c := kolaborasi.AgreementContent{Type: kolaborasi.KSDDSukarela, BudgetedInAPBD: true,
		Parties: []kolaborasi.AgreementParty{{Region: code}}}
	if v := r.URL.Query().Get("solusi"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is no solution %q.", v)
		}
		sol, err := s.app.Solution(ctx, id)
		if err != nil {
			return err
		}
		lang := s.cat.translator(r).lang
		c.Title = "Adopsi " + sol.Name.Get(lang)
		if sol.RegionCode != code {
			c.Parties = append(c.Parties, kolaborasi.AgreementParty{Region: sol.RegionCode})
			c.Exchanges = []kolaborasi.ExchangeItem{{Giver: 1, Receivers: []int{0}, SolutionID: sol.ID, Programme: sol.Name.Get(lang),
				Terms: []string{"training"}}}
		}
	}
	p, err := s.agreementForm(r, "new", 0, c)
	if err != nil {
		return err
	}
	p.Region, p.Action = code, "/kelola/"+code+"/kerjasama"
	return s.render(w, r, http.StatusOK, "agreement_form", p)
}

func (s *Server) uiAgreementCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	code := r.PathValue("code")
	// The app drafts for the acting user's region; the path must name it.
	if err := s.app.Check(r.Context(), app.ActAgreementDraft, code); err != nil {
		return err
	}
	c := formAgreement(r)
	ag, err := s.app.CreateAgreement(r.Context(), c)
	if err != nil {
		return s.renderAgreementForm(w, r, "new", 0, c, "", err)
	}
	return redirectFlash(w, r, agreementURL(ag.ID), "flash.agreement_saved")
}

// editableAgreement loads the latest version for the edit or addendum form
// and checks that the user drafts for one of its parties.
func (s *Server) editableAgreement(r *http.Request) (*kolaborasi.Agreement, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ag, err := s.app.Agreement(r.Context(), id, 0)
	if err != nil {
		return nil, err
	}
	if err := s.app.Check(r.Context(), app.ActAgreementDraft, actingParty(kolaborasi.UserFrom(r.Context()), &ag.Content, false)); err != nil {
		return nil, err
	}
	return ag, nil
}

func (s *Server) uiAgreementEdit(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.editableAgreement(r)
	if err != nil {
		return err
	}
	return s.renderAgreementForm(w, r, "edit", ag.ID, ag.Content, agreementETag(ag), nil)
}

func (s *Server) uiAgreementUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	ag, err := s.editableAgreement(r)
	if err != nil {
		return err
	}
	c := formAgreement(r)
	if r.PostFormValue("etag") != agreementETag(ag) {
		err = kolaborasi.Errorf(kolaborasi.ECONFLICT, "Someone changed the agreement since you opened the form; check the current text and save again.")
		return s.renderAgreementForm(w, r, "edit", ag.ID, c, agreementETag(ag), err)
	}
	if err := s.app.UpdateAgreement(r.Context(), ag.ID, ag.Version, ag.UpdatedAt, c); err != nil {
		return s.renderAgreementForm(w, r, "edit", ag.ID, c, agreementETag(ag), err)
	}
	if on := r.PostFormValue("announce") == "on"; ag.Version > 1 && on != ag.Announced {
		if err := s.app.AnnounceAddendum(r.Context(), ag.ID, ag.Version, on); err != nil {
			return err
		}
	}
	return redirectFlash(w, r, agreementURL(ag.ID), "flash.agreement_saved")
}

func (s *Server) uiAddendumForm(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.editableAgreement(r)
	if err != nil {
		return err
	}
	return s.renderAgreementForm(w, r, "addendum", ag.ID, ag.Content, "", nil)
}

func (s *Server) uiAddendum(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c := formAgreement(r)
	ag, err := s.app.CreateAddendum(r.Context(), id, c, r.PostFormValue("announce") == "on")
	if err != nil {
		return s.renderAgreementForm(w, r, "addendum", id, c, "", err)
	}
	return redirectFlash(w, r, agreementURL(ag.ID)+"?versi="+strconv.FormatInt(ag.Version, 10), "flash.agreement_saved")
}
