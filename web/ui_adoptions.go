package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// Adoptions (K5): the adoption page and its forms, the request form, the
// "used by" section of a solution page, the adoption sections of region and
// agreement pages, the workspace lists and the money-saved page.

func adoptionURL(id int64) string { return "/adopsi/" + strconv.FormatInt(id, 10) }

// adoptionRow is an adoption with the names a list shows.
type adoptionRow struct {
	A        *kolaborasi.Adoption
	Solution string
	Adopter  string
	Source   string
	Saving   kolaborasi.Saving
}

// adoptionRows names the adoptions' solutions and regions.
func (s *Server) adoptionRows(ctx context.Context, lang string, ads []*kolaborasi.Adoption) ([]adoptionRow, error) {
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ads))
	for _, ad := range ads {
		ids = append(ids, ad.SolutionID)
	}
	sols, err := s.app.SolutionsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	return namedAdoptionRows(lang, names, ads, func(id int64) *kolaborasi.Solution { return sols[id] }), nil
}

// namedAdoptionRows names the adoptions' regions from names and their
// solutions from solution (nil for one not found).
func namedAdoptionRows(lang string, names map[string]string, ads []*kolaborasi.Adoption, solution func(int64) *kolaborasi.Solution) []adoptionRow {
	out := make([]adoptionRow, 0, len(ads))
	for _, ad := range ads {
		row := adoptionRow{A: ad, Adopter: names[ad.AdopterRegion], Source: names[ad.SourceRegion]}
		if sol := solution(ad.SolutionID); sol != nil {
			row.Solution = sol.Name.Get(lang)
			row.Saving = kolaborasi.SavingOf(sol.CostBuild, ad)
		}
		out = append(out, row)
	}
	return out
}

// adoptersView is the "used by N regions" section of a solution page.
type adoptersView struct {
	Rows []adoptionRow
	// MapData is the JSON the map script reads: the publisher and the
	// adopters as points with their stage.
	MapData template.JS
	// CanRequest shows the "adopt this solution" button; Mine is the
	// user's region's open adoption of the solution instead, if any.
	CanRequest bool
	Mine       *kolaborasi.Adoption
}

type mapPointJSON struct {
	Code  string  `json:"code"`
	Name  string  `json:"name"`
	Lat   float64 `json:"lat"`
	Lng   float64 `json:"lng"`
	Stage string  `json:"stage,omitempty"`
	Label string  `json:"label"`
	Href  string  `json:"href"`
}

// adoptersView makes the section of the solution sol, published by
// publisher, from its live adoptions ads (App.SolutionPage).
func (s *Server) adoptersView(ctx context.Context, p pageBase, sol *kolaborasi.Solution, publisher *kolaborasi.Region, ads []*kolaborasi.Adoption) (*adoptersView, error) {
	v := &adoptersView{}
	u := p.User
	if u != nil && u.RegionCode != "" && u.RegionCode != sol.RegionCode {
		own, err := s.app.Adoptions(ctx, kolaborasi.AdoptionFilter{SolutionID: sol.ID, AdopterRegion: u.RegionCode})
		if err != nil {
			return nil, err
		}
		for _, ad := range own {
			if ad.Open() && v.Mine == nil {
				v.Mine = ad
			}
		}
		v.CanRequest = v.Mine == nil && sol.Maturity != kolaborasi.MaturityRetired && app.Allowed(u, app.ActAdoptionRequest, u.RegionCode)
	}
	if len(ads) == 0 {
		return v, nil // no list, no map
	}
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	// Every adoption is of sol.
	v.Rows = namedAdoptionRows(p.Lang, names, ads, func(int64) *kolaborasi.Solution { return sol })
	points := []mapPointJSON{{Code: publisher.Code, Name: publisher.Name, Lat: publisher.Lat, Lng: publisher.Lng,
		Label: p.T("adoption.map_publisher"), Href: "/wilayah/" + publisher.Code}}
	for _, ad := range ads {
		// Names and points are reference data.
		r, err := s.app.RegionReference(ctx, ad.AdopterRegion)
		if err != nil {
			return nil, err
		}
		points = append(points, mapPointJSON{Code: r.Code, Name: r.Name, Lat: r.Lat, Lng: r.Lng, Stage: string(ad.Stage),
			Label: p.T("adoption.stage." + string(ad.Stage)), Href: adoptionURL(ad.ID)})
	}
	b, err := json.Marshal(points)
	if err != nil {
		return nil, err
	}
	// html/template escapes the JSON for the script element it sits in.
	v.MapData = template.JS(b)
	return v, nil
}

// The adoption page.

type adoptionPage struct {
	pageBase
	A         *kolaborasi.Adoption
	Solution  *kolaborasi.Solution
	Adopter   *kolaborasi.Region
	Source    *kolaborasi.Region
	OPD       *kolaborasi.OPD
	OPDs      []*kolaborasi.OPD
	Agreement string
	Saving    kolaborasi.Saving
	CanDecide bool
	CanManage bool
	Next      []kolaborasi.AdoptionStage
	Stages    []kolaborasi.AdoptionStage
	// Impact is the "Dampak" section (web/ui_impact.go).
	Impact *impactView
}

func (s *Server) uiAdoption(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ad, err := s.app.Adoption(ctx, id)
	if err != nil {
		return err
	}
	p := adoptionPage{pageBase: s.base(r, "katalog"), A: ad, Stages: kolaborasi.AdoptionStages[:len(kolaborasi.AdoptionStages)-1]}
	if p.Solution, err = s.app.Solution(ctx, ad.SolutionID); err != nil {
		return err
	}
	if p.Adopter, err = s.app.Region(ctx, ad.AdopterRegion); err != nil {
		return err
	}
	if p.Source, err = s.app.Region(ctx, ad.SourceRegion); err != nil {
		return err
	}
	if ad.AdopterOPDID != 0 {
		if o, err := s.app.OPD(ctx, ad.AdopterOPDID); err == nil {
			p.OPD = o
		}
	}
	if ad.AgreementID != 0 {
		if ag, err := s.app.Agreement(ctx, ad.AgreementID, 0); err == nil {
			p.Agreement = ag.Content.Title
		}
	}
	p.Saving = kolaborasi.SavingOf(p.Solution.CostBuild, ad)
	p.CanDecide = ad.State == kolaborasi.AdoptionRequested && ad.Open() && app.Allowed(p.User, app.ActAdoptionDecide, ad.SourceRegion)
	p.CanManage = app.Allowed(p.User, app.ActAdoptionManage, ad.AdopterRegion)
	if p.CanManage {
		p.Next = app.NextAdoptionStages(ad)
		if p.OPDs, err = s.app.OPDs(ctx, ad.AdopterRegion); err != nil {
			return err
		}
	}
	if p.Impact, err = s.adoptionImpact(r, p.tr, ad); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "adoption", p)
}

// When says when an event of the adoption happened: the date and time it
// was recorded, or for an event entered later its date and the date it
// was recorded ("8 Maret 2017, dicatat 1 Desember 2026").
func (p adoptionPage) When(h kolaborasi.AdoptionChange) string {
	if h.On == "" {
		return p.DateTime(h.At)
	}
	return p.T("adoption.happened_recorded", "Happened", p.Date(h.On), "Recorded", p.Date(h.At))
}

// DatedLater reports whether an event of the adoption was entered after
// it happened.
func (p adoptionPage) DatedLater() bool {
	return slices.ContainsFunc(p.A.History, func(h kolaborasi.AdoptionChange) bool { return h.On != "" })
}

// Today is today's date in WIB, the latest event date the forms accept.
func (p adoptionPage) Today() string { return time.Now().In(wib).Format(time.DateOnly) }

// Reached reports whether the adoption has reached the forward stage.
func (p adoptionPage) Reached(st kolaborasi.AdoptionStage) bool {
	return p.A.Stage != kolaborasi.StageStopped && st.Rank() <= p.A.Stage.Rank() ||
		p.A.Stage == kolaborasi.StageStopped && p.reachedBeforeStop(st)
}

func (p adoptionPage) reachedBeforeStop(st kolaborasi.AdoptionStage) bool {
	for _, h := range p.A.History {
		if h.To == st || h.From == st {
			return true
		}
	}
	return false
}

func (s *Server) uiAdoptionDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	accept := r.PostFormValue("decision") == "accept"
	if _, err := s.app.DecideAdoptionOn(r.Context(), id, version, accept, r.PostFormValue("message"), r.PostFormValue("on")); err != nil {
		return s.refuse(w, r, s.uiAdoption, "message", err)
	}
	flash := "flash.adoption_declined"
	if accept {
		flash = "flash.adoption_accepted"
	}
	return redirectFlash(w, r, adoptionURL(id), flash)
}

func (s *Server) uiAdoptionMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	to := kolaborasi.AdoptionStage(r.PostFormValue("to"))
	if _, err := s.app.MoveAdoptionOn(r.Context(), id, version, to, r.PostFormValue("note"), r.PostFormValue("on")); err != nil {
		return s.refuse(w, r, s.uiAdoption, "note", err)
	}
	return redirectFlash(w, r, adoptionURL(id), "flash.adoption_moved")
}

// moneyField reads an amount and its source from a form: both empty is
// unknown (nil); an amount that is not a whole number is refused.
func moneyField(r *http.Request, name string) (*kolaborasi.Money, error) {
	amount := strings.NewReplacer(".", "", ",", "", " ", "").Replace(strings.TrimSpace(r.PostFormValue(name)))
	source := strings.TrimSpace(r.PostFormValue(name + "_source"))
	if amount == "" && source == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(amount, 10, 64)
	if err != nil {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Check the adoption's figures.",
			Fields: map[string]string{name: "must be an amount in rupiah between 0 and 10^15"}}
	}
	return &kolaborasi.Money{IDR: n, Source: source}, nil
}

func (s *Server) uiAdoptionDetails(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	opd, _ := strconv.ParseInt(r.PostFormValue("opd_id"), 10, 64)
	d := app.AdoptionDetails{OPDID: opd, Notes: r.PostFormValue("notes")}
	if d.Planned, err = moneyField(r, "budget_planned"); err != nil {
		return s.refuse(w, r, s.uiAdoption, "budget_planned", err)
	}
	if d.Spent, err = moneyField(r, "budget_spent"); err != nil {
		return s.refuse(w, r, s.uiAdoption, "budget_spent", err)
	}
	if _, err := s.app.UpdateAdoptionDetails(r.Context(), id, version, d); err != nil {
		return s.refuse(w, r, s.uiAdoption, "notes", err)
	}
	return redirectFlash(w, r, adoptionURL(id), "flash.adoption_saved")
}

func (s *Server) uiAdoptionDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, data, err := postedPDF(r)
	if err != nil {
		return s.refuse(w, r, s.uiAdoption, "file", err)
	}
	if _, err := s.app.AddAdoptionDocument(r.Context(), id, name, data); err != nil {
		return s.refuse(w, r, s.uiAdoption, "file", err)
	}
	return redirectFlash(w, r, adoptionURL(id), "flash.adoption_document_saved")
}

// The request form.

// Today is today's date in WIB, the latest request date the form accepts.
func (p adoptionFormPage) Today() string { return time.Now().In(wib).Format(time.DateOnly) }

type adoptionFormPage struct {
	pageBase
	Solution *kolaborasi.Solution
	Source   *kolaborasi.Region
	OPDs     []*kolaborasi.OPD
	// Form holds the posted values when the form comes back.
	Form   map[string]string
	Errors fieldErrors
	Error  string
}

func (s *Server) adoptionForm(w http.ResponseWriter, r *http.Request, status int, form map[string]string, err error) error {
	ctx := r.Context()
	id, perr := strconv.ParseInt(r.URL.Query().Get("solusi"), 10, 64)
	if perr != nil || id <= 0 {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such item.")
	}
	sol, serr := s.app.Solution(ctx, id)
	if serr != nil {
		return serr
	}
	region := actingRegionOf(ctx)
	if cerr := s.app.Check(ctx, app.ActAdoptionRequest, region); cerr != nil {
		return cerr
	}
	p := adoptionFormPage{pageBase: s.base(r, "katalog"), Solution: sol, Form: form}
	var e error
	if p.Source, e = s.app.Region(ctx, sol.RegionCode); e != nil {
		return e
	}
	if p.OPDs, e = s.app.OPDs(ctx, region); e != nil {
		return e
	}
	if err != nil {
		p.Error, p.Errors = p.tr.explain(err)
	}
	return s.render(w, r, status, "adoption_form", p)
}

func actingRegionOf(ctx context.Context) string {
	if u := kolaborasi.UserFrom(ctx); u != nil {
		return u.RegionCode
	}
	return ""
}

func (s *Server) uiAdoptionNew(w http.ResponseWriter, r *http.Request) error {
	return s.adoptionForm(w, r, http.StatusOK, map[string]string{}, nil)
}

func (s *Server) uiAdoptionCreate(w http.ResponseWriter, r *http.Request) error {
	form := map[string]string{}
	for _, k := range []string{"opd_id", "budget_planned", "budget_planned_source", "note", "on"} {
		form[k] = r.PostFormValue(k)
	}
	id, _ := strconv.ParseInt(r.URL.Query().Get("solusi"), 10, 64)
	opd, _ := strconv.ParseInt(form["opd_id"], 10, 64)
	in := app.AdoptionRequest{SolutionID: id, OPDID: opd, Note: form["note"], On: form["on"]}
	planned, err := moneyField(r, "budget_planned")
	if err == nil {
		in.Planned = planned
		var ad *kolaborasi.Adoption
		if ad, err = s.app.RequestAdoption(r.Context(), in); err == nil {
			return redirectFlash(w, r, adoptionURL(ad.ID), "flash.adoption_requested")
		}
	}
	switch kolaborasi.ErrorCode(err) {
	case kolaborasi.EINVALID, kolaborasi.ECONFLICT:
		return s.adoptionForm(w, r, statusOf[kolaborasi.ErrorCode(err)], form, err)
	}
	return err
}

// The agreement page's adoptions.

type agreementAdoptions struct {
	Rows []adoptionRow
	// Promised counts the adoptions the exchange items promise that the
	// acting coordinator's region could still create.
	Promised int
}

func (s *Server) agreementAdoptions(ctx context.Context, lang string, ag *kolaborasi.Agreement, u *kolaborasi.User) (*agreementAdoptions, error) {
	ads, err := s.app.Adoptions(ctx, kolaborasi.AdoptionFilter{AgreementID: ag.ID})
	if err != nil {
		return nil, err
	}
	v := &agreementAdoptions{}
	if v.Rows, err = s.adoptionRows(ctx, lang, ads); err != nil {
		return nil, err
	}
	if u != nil && u.RegionCode != "" && app.Allowed(u, app.ActAdoptionFromAgreement, u.RegionCode) {
		if todo, err := s.app.PromisedAdoptions(ctx, ag.ID, u.RegionCode); err == nil {
			v.Promised = len(todo)
		}
	}
	return v, nil
}

func (s *Server) uiAgreementAdoptions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.app.AdoptionsFromAgreement(r.Context(), id); err != nil {
		return s.refuse(w, r, s.uiAgreement, "adoptions", err)
	}
	return redirectFlash(w, r, agreementURL(id), "flash.adoptions_created")
}

// The region page's adoptions.

type regionAdoptions struct {
	Adopted   []adoptionRow
	AdoptedBy []adoptionRow
	Savings   kolaborasi.SavingsTotal
}

func (s *Server) regionAdoptions(ctx context.Context, lang, code string) (*regionAdoptions, error) {
	v := &regionAdoptions{}
	mine, err := s.app.Adoptions(ctx, kolaborasi.AdoptionFilter{AdopterRegion: code})
	if err != nil {
		return nil, err
	}
	theirs, err := s.app.Adoptions(ctx, kolaborasi.AdoptionFilter{SourceRegion: code})
	if err != nil {
		return nil, err
	}
	if v.Adopted, err = s.adoptionRows(ctx, lang, mine); err != nil {
		return nil, err
	}
	if v.AdoptedBy, err = s.adoptionRows(ctx, lang, theirs); err != nil {
		return nil, err
	}
	scope := "region"
	if len(code) == 2 {
		scope = "province" // by the adoptions of its kabupaten/kota
	}
	rep, err := s.app.Savings(ctx, scope, code)
	if err != nil {
		return nil, err
	}
	v.Savings = rep.Total
	return v, nil
}

// The workspace's adoption lists.

type workspaceAdoptions struct {
	Incoming   []adoptionRow
	InProgress []adoptionRow
}

func (s *Server) workspaceAdoptions(ctx context.Context, lang string, w app.AdoptionWork) (*workspaceAdoptions, error) {
	v := &workspaceAdoptions{}
	var err error
	if v.Incoming, err = s.adoptionRows(ctx, lang, w.Incoming); err != nil {
		return nil, err
	}
	if v.InProgress, err = s.adoptionRows(ctx, lang, w.InProgress); err != nil {
		return nil, err
	}
	return v, nil
}

// The money-saved page.

type savingsPage struct {
	pageBase
	Report   *app.SavingsReport
	Province *kolaborasi.Region
	Names    map[string]string
	Rows     []adoptionRow
}

// Name returns a region's name by code.
func (p savingsPage) Name(code string) string {
	if n, ok := p.Names[code]; ok {
		return n
	}
	return code
}

func (s *Server) uiSavings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := savingsPage{pageBase: s.base(r, "dampak")}
	var err error
	if p.Names, err = s.app.RegionNames(ctx); err != nil {
		return err
	}
	if prov := q.Get("provinsi"); prov != "" {
		if p.Province, err = s.app.Region(ctx, prov); err != nil {
			return err
		}
		if p.Report, err = s.app.Savings(ctx, "province", prov); err != nil {
			return err
		}
	} else if p.Report, err = s.app.Savings(ctx, "nation", ""); err != nil {
		return err
	}
	// The report's items are its largest savings (app.MaxSavingsItems of
	// Report.ItemsOf), largest first.
	ads := make([]*kolaborasi.Adoption, 0, len(p.Report.Items))
	for _, it := range p.Report.Items {
		ads = append(ads, it.Adoption)
	}
	if p.Rows, err = s.adoptionRows(ctx, p.Lang, ads); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "savings", p)
}

// Rupiah writes a known figure with its source, or says it is unknown.
func (p pageBase) Rupiah(m *kolaborasi.Money) string {
	if m == nil {
		return p.T("adoption.unknown")
	}
	return p.IDR(m.IDR) + " (" + p.T("solution.source") + ": " + m.Source + ")"
}

// SavedText writes a saving or says it is unknown.
func (p pageBase) SavedText(v *int64) string {
	if v == nil {
		return p.T("adoption.unknown")
	}
	return p.IDR(*v)
}

// The list of adoptions.

// adoptionListSize is how many adoptions a page of the list shows.
const adoptionListSize = 30

type adoptionListPage struct {
	pageBase
	regionField
	Stage  string
	Stages []kolaborasi.AdoptionStage
	Rows   []adoptionRow
	Next   string
}

// uiAdoptionList lists the adoptions the reader may see (accepted ones for
// everyone; requests and refusals only to their two regions and national
// observers, as the app filters), newest first, by region (adopter or
// source) and stage.
func (s *Server) uiAdoptionList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p := adoptionListPage{pageBase: s.base(r, "dampak"), Stage: q.Get("tahap"), Stages: kolaborasi.AdoptionStages}
	var code string
	var err error
	if p.regionField, code, err = s.readRegionField(ctx, "/adopsi", q.Get("wilayah")); err != nil {
		return err
	}
	if p.Unresolved() {
		return s.render(w, r, http.StatusOK, "adoptions", p)
	}
	f := kolaborasi.AdoptionFilter{Region: code, Stage: kolaborasi.AdoptionStage(p.Stage), Limit: adoptionListSize + 1}
	if f.Before, err = pageBefore(q); err != nil {
		return err
	}
	ads, err := s.app.Adoptions(ctx, f)
	if err != nil {
		return err
	}
	if len(ads) > adoptionListSize {
		ads = ads[:adoptionListSize]
		p.Next = nextListURL("/adopsi", q, ads[len(ads)-1].ID)
	}
	if p.Rows, err = s.adoptionRows(ctx, p.Lang, ads); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "adoptions", p)
}
