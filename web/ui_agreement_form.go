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
	partyRows    = 2
	witnessRows  = 1
	exchangeRows = 1
	fundingRows  = 1
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
	// Solutions are the catalog solutions of the parties' regions, to
	// suggest by name; solutionText keeps, per exchange row, a solution
	// text that named none, to show it again.
	Solutions    []*kolaborasi.Solution
	solutionText map[int]string
}

// RegionOption is one suggestion of the region field.
type RegionOption struct{ Code, Name string }

// RegionOptions lists the regions by name, for the suggestions.
func (p agreementForm) RegionOptions() []RegionOption {
	out := make([]RegionOption, 0, len(p.Names))
	for code, name := range p.Names {
		out = append(out, RegionOption{Code: code, Name: name})
	}
	slices.SortFunc(out, func(a, b RegionOption) int { return strings.Compare(a.Name+a.Code, b.Name+b.Code) })
	return out
}

// RegionLabel shows a party's region by its name; a text that named no
// region is shown as typed.
func (p agreementForm) RegionLabel(code string) string {
	if n, ok := p.Names[code]; ok {
		return n
	}
	return code
}

// RegionName is the name of a region code, or the code.
func (p agreementForm) RegionName(code string) string { return p.RegionLabel(code) }

// PartyLabel names party i as the selects and checkboxes show it.
func (p agreementForm) PartyLabel(i int) string {
	if i < 0 || i >= len(p.C.Parties) {
		return strconv.Itoa(i + 1)
	}
	pt := p.C.Parties[i]
	for _, s := range []string{p.Names[pt.Region], pt.ThirdParty, pt.Name, pt.Region} {
		if s != "" {
			return s
		}
	}
	return strconv.Itoa(i + 1)
}

// SolutionName is a solution's name in the page's language.
func (p agreementForm) SolutionName(s *kolaborasi.Solution) string { return s.Name.Get(p.Lang) }

// SolutionText is what exchange row i shows in its solution field: the
// name of its solution, its number when the name is not at hand, or the
// text typed when it named none.
func (p agreementForm) SolutionText(i int, x kolaborasi.ExchangeItem) string {
	if t, ok := p.solutionText[i]; ok {
		return t
	}
	if x.SolutionID == 0 {
		return ""
	}
	for _, s := range p.Solutions {
		if s.ID == x.SolutionID {
			return p.SolutionName(s)
		}
	}
	return "#" + strconv.FormatInt(x.SolutionID, 10)
}

// LineErrors returns the messages about single lines of a field written
// one item per line (purpose[1]), labelled.
func (p agreementForm) LineErrors(field string) []string {
	var out []string
	for _, e := range p.Errors {
		if strings.HasPrefix(e.Field, field+"[") {
			out = append(out, e.Label+": "+e.Message)
		}
	}
	return out
}

// rowAdder is what the "add a row" buttons of a section need.
type rowAdder struct {
	tr      translator
	Section string
	// Refresh offers, under the parties, to show their names in the
	// exchange and financing rows without saving.
	Refresh bool
}

func (a rowAdder) T(id string) string { return a.tr.T(id) }

// Adder returns the buttons of a section.
func (p agreementForm) Adder(section string) rowAdder {
	return rowAdder{tr: p.tr, Section: section, Refresh: section == "parties"}
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
// more than filled, and extra more.
func padded[T any](rows []T, n, extra int) []T {
	return append(append([]T{}, rows...), make([]T, max(n-len(rows), 1)+extra)...)
}

// agreementForm builds the form page; adding names the section
// ("parties", "witnesses", "exchanges", "financing") that gets one more
// blank row.
func (s *Server) agreementForm(r *http.Request, mode string, id int64, c kolaborasi.AgreementContent, adding string) (agreementForm, error) {
	p := agreementForm{pageBase: s.base(r, "kerjasama"), Mode: mode, ID: id, C: c, Types: kolaborasi.AgreementTypes,
		Terms: kolaborasi.ExchangeTerms, Purpose: strings.Join(c.Purpose, "\n"), Scope: strings.Join(c.Scope, "\n"),
		DPRDNeeded: c.DPRDApprovalNeeded()}
	if p.User != nil {
		p.Region = p.User.RegionCode
	}
	more := func(section string) int {
		if adding == section {
			return 1
		}
		return 0
	}
	p.Parties = padded(c.Parties, partyRows, more("parties"))
	p.Witnesses = padded(c.Witnesses, witnessRows, more("witnesses"))
	p.Financing = padded(c.Financing, fundingRows, more("financing"))
	// Blank exchange rows must not suggest party 1 gives to itself.
	p.Exchanges = padded(c.Exchanges, exchangeRows, more("exchanges"))
	for i := len(c.Exchanges); i < len(p.Exchanges); i++ {
		p.Exchanges[i].Giver = -1
	}
	for i := len(c.Financing); i < len(p.Financing); i++ {
		p.Financing[i].Party = -1
	}
	// The selects offer the parties entered so far, by name.
	for i := range c.Parties {
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
	if p.Names, err = s.app.RegionNames(r.Context()); err != nil {
		return p, err
	}
	var regions []string
	for _, pt := range c.Parties {
		if _, ok := p.Names[pt.Region]; ok {
			regions = append(regions, pt.Region)
		}
	}
	p.Solutions, err = s.app.PartySolutions(r.Context(), regions)
	return p, err
}

// formAgreement reads the drafting form. Blank rows are skipped; exchange
// items and funding name parties by their row, renumbered after blank
// party rows are dropped. Regions stay as typed (a code or a name) and
// each exchange item's solution text is returned beside it, for
// readAgreement to resolve.
func formAgreement(r *http.Request) (kolaborasi.AgreementContent, []string) {
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
	var solutions []string
	for i := 0; i < 50; i++ {
		k := "x" + strconv.Itoa(i) + "_"
		if _, ok := f[k+"giver"]; !ok {
			break
		}
		x := kolaborasi.ExchangeItem{Programme: get(k + "programme"), Terms: f[k+"terms"]}
		if x.Programme == "" && get(k+"solution") == "" && get(k+"giver") == "" {
			continue
		}
		solutions = append(solutions, get(k+"solution"))
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
	return c, solutions
}

// draft is a drafting form as posted: its content with regions and
// solutions resolved as far as they could be.
type draft struct {
	c kolaborasi.AgreementContent
	// solutionText keeps the solution texts that named none, by row.
	solutionText map[int]string
	// err says which names could not be resolved (nil when all were).
	err error
	// adding is the section that asked for one more row; refresh asks to
	// show the form again without saving.
	adding  string
	refresh bool
}

// readAgreement reads the posted drafting form and resolves the regions
// and solutions it names.
func (s *Server) readAgreement(r *http.Request) (*draft, error) {
	if err := r.ParseForm(); err != nil {
		return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	ctx := r.Context()
	c, solutions := formAgreement(r)
	d := &draft{c: c, solutionText: map[int]string{}, adding: r.PostForm.Get("add"), refresh: r.PostForm.Get("refresh") != ""}
	d.refresh = d.refresh || d.adding != ""
	fields := map[string]string{}
	var regions []string
	resolve := func(text *string, key string) error {
		code, err := s.app.ResolveRegion(ctx, *text)
		if kolaborasi.ErrorCode(err) == kolaborasi.EINVALID {
			fields[key] = kolaborasi.ErrorMessage(err)
			return nil
		} else if err != nil {
			return err
		}
		*text = code
		return nil
	}
	for i := range d.c.Parties {
		if err := resolve(&d.c.Parties[i].Region, "parties["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err
		}
		if _, bad := fields["parties["+strconv.Itoa(i)+"]"]; !bad && d.c.Parties[i].Region != "" {
			regions = append(regions, d.c.Parties[i].Region)
		}
	}
	for i := range d.c.Witnesses {
		if err := resolve(&d.c.Witnesses[i].Region, "witnesses["+strconv.Itoa(i)+"]"); err != nil {
			return nil, err
		}
	}
	for i, text := range solutions {
		id, err := s.app.ResolveSolution(ctx, text, regions)
		if kolaborasi.ErrorCode(err) == kolaborasi.EINVALID {
			fields["exchanges["+strconv.Itoa(i)+"].solution_id"] = kolaborasi.ErrorMessage(err)
			d.solutionText[i] = text
			continue
		} else if err != nil {
			return nil, err
		}
		d.c.Exchanges[i].SolutionID = id
	}
	if len(fields) > 0 {
		d.err = &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Check the regions and solutions named in the form.", Fields: fields}
	}
	return d, nil
}

// renderAgreementForm shows the form, with what is wrong when err is an
// invalid or conflicting entry; other errors go to the error page. d, when
// set, is the posted form shown again.
func (s *Server) renderAgreementForm(w http.ResponseWriter, r *http.Request, mode string, id int64, c kolaborasi.AgreementContent, etag string, d *draft, err error) error {
	status := http.StatusOK
	if err != nil {
		code := kolaborasi.ErrorCode(err)
		if code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
			return err
		}
		status = statusOf[code]
	}
	adding := ""
	if d != nil {
		c, adding = d.c, d.adding
	}
	p, ferr := s.agreementForm(r, mode, id, c, adding)
	if ferr != nil {
		return ferr
	}
	if d != nil {
		p.solutionText = d.solutionText
	}
	p.ETag = etag
	if err != nil {
		p.Message, p.Errors = p.tr.explain(err)
	}
	return s.render(w, r, status, "agreement_form", p)
}

// postedAgreement handles a posted drafting form: shown again when it asks
// for a row or a refresh or names what cannot be found, saved by save
// otherwise (and shown again with what is wrong when save refuses it).
func (s *Server) postedAgreement(w http.ResponseWriter, r *http.Request, mode string, id int64, etag string, d *draft, save func(c kolaborasi.AgreementContent) error) error {
	if d.refresh {
		// Unresolved names are shown beside their fields, but a refresh is
		// not a refused post.
		p, err := s.agreementForm(r, mode, id, d.c, d.adding)
		if err != nil {
			return err
		}
		p.solutionText, p.ETag = d.solutionText, etag
		if d.err != nil {
			_, p.Errors = p.tr.explain(d.err)
		}
		return s.render(w, r, http.StatusOK, "agreement_form", p)
	}
	if d.err != nil {
		return s.renderAgreementForm(w, r, mode, id, d.c, etag, d, d.err)
	}
	if err := save(d.c); err != nil {
		return s.renderAgreementForm(w, r, mode, id, d.c, etag, d, err)
	}
	return nil
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
	p, err := s.agreementForm(r, "new", 0, c, "")
	if err != nil {
		return err
	}
	p.Region, p.Action = code, "/kelola/"+code+"/kerjasama"
	return s.render(w, r, http.StatusOK, "agreement_form", p)
}

func (s *Server) uiAgreementCreate(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	// The app drafts for the acting user's region; the path must name it.
	if err := s.app.Check(r.Context(), app.ActAgreementDraft, code); err != nil {
		return err
	}
	d, err := s.readAgreement(r)
	if err != nil {
		return err
	}
	return s.postedAgreement(w, r, "new", 0, "", d, func(c kolaborasi.AgreementContent) error {
		ag, err := s.app.CreateAgreement(r.Context(), c)
		if err != nil {
			return err
		}
		return redirectFlash(w, r, agreementURL(ag.ID), "flash.agreement_saved")
	})
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
	return s.renderAgreementForm(w, r, "edit", ag.ID, ag.Content, agreementETag(ag), nil, nil)
}

func (s *Server) uiAgreementUpdate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.readAgreement(r)
	if err != nil {
		return err
	}
	ag, err := s.editableAgreement(r)
	if err != nil {
		return err
	}
	// The form shown again keeps the version it was opened on, so that a
	// save after a refresh still notices a change made meanwhile; only
	// the conflict itself moves it to the current version.
	current, opened := agreementETag(ag), r.PostFormValue("etag")
	return s.postedAgreement(w, r, "edit", ag.ID, opened, d, func(c kolaborasi.AgreementContent) error {
		if opened != current {
			err := kolaborasi.Errorf(kolaborasi.ECONFLICT, "Someone changed the agreement since you opened the form; check the current text and save again.")
			return s.renderAgreementForm(w, r, "edit", ag.ID, c, current, d, err)
		}
		if err := s.app.UpdateAgreement(r.Context(), ag.ID, ag.Version, ag.UpdatedAt, c); err != nil {
			return err
		}
		if on := r.PostFormValue("announce") == "on"; ag.Version > 1 && on != ag.Announced {
			if err := s.app.AnnounceAddendum(r.Context(), ag.ID, ag.Version, on); err != nil {
				return err
			}
		}
		return redirectFlash(w, r, agreementURL(ag.ID), "flash.agreement_saved")
	})
}

func (s *Server) uiAddendumForm(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.editableAgreement(r)
	if err != nil {
		return err
	}
	return s.renderAgreementForm(w, r, "addendum", ag.ID, ag.Content, "", nil, nil)
}

func (s *Server) uiAddendum(w http.ResponseWriter, r *http.Request) error {
	d, err := s.readAgreement(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.postedAgreement(w, r, "addendum", id, "", d, func(c kolaborasi.AgreementContent) error {
		ag, err := s.app.CreateAddendum(r.Context(), id, c, r.PostFormValue("announce") == "on")
		if err != nil {
			return err
		}
		return redirectFlash(w, r, agreementURL(ag.ID)+"?versi="+strconv.FormatInt(ag.Version, 10), "flash.agreement_saved")
	})
}
