package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// needsPage is a region's needs with the form to declare one, or (Edit)
// the form to change one.
type needsPage struct {
	pageBase
	Region  *kolaborasi.Region
	Needs   []*kolaborasi.Need
	CanEdit bool
	// N is the need in the form: a new one or the one edited.
	N          *kolaborasi.Need
	Edit       bool
	Action     string
	OPDs       []*kolaborasi.OPD
	Dimensions []kolaborasi.Dimension
	Sectors    []kolaborasi.Sector
	Priorities []kolaborasi.NeedPriority
	Statuses   []kolaborasi.NeedStatus
	Message    string
	Errors     fieldErrors
}

// HasSector reports whether the need in the form names the sector.
func (p needsPage) HasSector(s kolaborasi.Sector) bool {
	for _, x := range p.N.Sectors {
		if x == s {
			return true
		}
	}
	return false
}

// Budget writes a need's budget range in the page's number format, "" when
// none is stated.
func (p pageBase) Budget(n *kolaborasi.Need) string {
	switch {
	case n.BudgetMin > 0 && n.BudgetMax > 0:
		return p.IDR(n.BudgetMin) + " – " + p.IDR(n.BudgetMax)
	case n.BudgetMax > 0:
		return p.T("need.budget_up_to", "Amount", p.IDR(n.BudgetMax))
	case n.BudgetMin > 0:
		return p.T("need.budget_from", "Amount", p.IDR(n.BudgetMin))
	}
	return ""
}

func (s *Server) needsForm(r *http.Request, region string, n *kolaborasi.Need, edit bool) (needsPage, error) {
	ctx := r.Context()
	p := needsPage{pageBase: s.base(r, "wilayah"), N: n, Edit: edit, Dimensions: kolaborasi.Dimensions, Sectors: kolaborasi.Sectors,
		Priorities: kolaborasi.NeedPriorities, Statuses: kolaborasi.NeedStatuses}
	var err error
	if p.Region, err = s.app.Region(ctx, region); err != nil {
		return p, err
	}
	p.CanEdit = app.Allowed(p.User, app.ActNeedManage, region)
	if p.OPDs, err = s.app.OPDs(ctx, region); err != nil {
		return p, err
	}
	if edit {
		p.Action = "/kebutuhan/" + strconv.FormatInt(n.ID, 10)
	} else {
		p.Action = "/wilayah/" + region + "/kebutuhan"
		if p.Needs, err = s.app.Needs(ctx, region); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) uiNeeds(w http.ResponseWriter, r *http.Request) error {
	p, err := s.needsForm(r, r.PathValue("code"), &kolaborasi.Need{Priority: kolaborasi.PriorityMedium}, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "needs", p)
}

// formNeed reads the need form into n.
func formNeed(r *http.Request, n *kolaborasi.Need) {
	f := r.PostForm
	n.Title, n.Text = f.Get("title"), f.Get("text")
	n.Dimension, n.Priority = kolaborasi.Dimension(f.Get("dimension")), kolaborasi.NeedPriority(f.Get("priority"))
	n.OPDID, _ = strconv.ParseInt(f.Get("opd"), 10, 64)
	n.Sectors = nil
	for _, v := range f["sectors"] {
		n.Sectors = append(n.Sectors, kolaborasi.Sector(v))
	}
	n.BudgetMin, n.BudgetMax = formRupiah(f.Get("budget_min")), formRupiah(f.Get("budget_max"))
	if v := f.Get("status"); v != "" {
		n.Status = kolaborasi.NeedStatus(v)
	}
	if v, err := strconv.Atoi(f.Get("version")); err == nil {
		n.Version = v
	}
}

// formRupiah reads an amount written with or without thousands
// separators ("250.000.000"); what is not a number reads as -1, which the
// app refuses beside the field.
func formRupiah(v string) int64 {
	v = strings.NewReplacer(".", "", ",", "", " ", "", "Rp", "").Replace(strings.TrimSpace(v))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// needFormError shows the form again with the messages beside the fields.
func (s *Server) needFormError(w http.ResponseWriter, r *http.Request, region string, n *kolaborasi.Need, edit bool, err error) error {
	code := kolaborasi.ErrorCode(err)
	if code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
		return err
	}
	p, ferr := s.needsForm(r, region, n, edit)
	if ferr != nil {
		return err
	}
	p.Message, p.Errors = p.tr.explain(err)
	return s.render(w, r, statusOf[code], "needs", p)
}

func (s *Server) uiNeedCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	n := &kolaborasi.Need{RegionCode: r.PathValue("code")}
	formNeed(r, n)
	if err := s.app.CreateNeed(r.Context(), n); err != nil {
		return s.needFormError(w, r, n.RegionCode, n, false, err)
	}
	return redirectFlash(w, r, needURL(n.ID), "flash.need_saved")
}

func needURL(id int64) string { return "/kebutuhan/" + strconv.FormatInt(id, 10) }

func (s *Server) needFromPath(r *http.Request) (*kolaborasi.Need, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.app.Need(r.Context(), id)
}

func (s *Server) uiNeedEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.needFromPath(r)
	if err != nil {
		return err
	}
	if err := s.app.Check(r.Context(), app.ActNeedManage, n.RegionCode); err != nil {
		return err
	}
	p, err := s.needsForm(r, n.RegionCode, n, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "needs", p)
}

func (s *Server) uiNeedUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	old, err := s.needFromPath(r)
	if err != nil {
		return err
	}
	n := *old
	formNeed(r, &n)
	if err := s.app.UpdateNeed(r.Context(), &n); err != nil {
		return s.needFormError(w, r, old.RegionCode, &n, true, err)
	}
	return redirectFlash(w, r, needURL(n.ID), "flash.need_saved")
}

func (s *Server) uiNeedWithdraw(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err := s.app.WithdrawNeed(r.Context(), id, version); err != nil {
		return err
	}
	return redirectFlash(w, r, needURL(id), "flash.need_withdrawn")
}

// needPage is one need with its ranked solutions and their reasons.
type needPage struct {
	pageBase
	Region  *kolaborasi.Region
	N       *kolaborasi.Need
	OPD     *kolaborasi.OPD
	Result  *app.NeedSolutions
	Names   map[string]string
	CanEdit bool
	// Explanation says why there is no solution.
	Explanation string
}

// Int writes a count in the page's number format.
func (p needPage) Int(n int) string { return p.Num(int64(n)) }

// Rank writes the place of the i-th suggestion (from 0).
func (p needPage) Rank(i int) string { return p.Num(int64(i + 1)) }

// Percent writes a share 0..1 as a whole percentage.
func (p pageBase) Percent(v float64) string { return p.Num(int64(v*100+0.5)) + "%" }

func (s *Server) uiNeed(w http.ResponseWriter, r *http.Request) error {
	n, err := s.needFromPath(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := needPage{pageBase: s.base(r, "wilayah"), N: n}
	if p.Region, err = s.app.Region(ctx, n.RegionCode); err != nil {
		return err
	}
	if n.OPDID != 0 {
		if p.OPD, err = s.app.OPD(ctx, n.OPDID); err != nil && kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			return err
		}
	}
	if p.Result, err = s.app.SolutionsForNeed(ctx, n.ID); err != nil {
		return err
	}
	if p.Names, err = s.app.RegionNames(ctx); err != nil {
		return err
	}
	p.CanEdit = app.Allowed(p.User, app.ActNeedManage, n.RegionCode)
	if len(p.Result.Items) == 0 {
		p.Explanation = p.T("need.reason." + string(p.Result.Reason))
		if n.Status != kolaborasi.NeedOpen {
			p.Explanation = p.T("need.reason.closed")
		}
	}
	return s.render(w, r, http.StatusOK, "need", p)
}

// partnersPage is "Mitra yang cocok" for a region.
type partnersPage struct {
	pageBase
	Region   *kolaborasi.Region
	P        *app.Partners
	Names    map[string]string
	CanDraft bool
	// Explanation says why there is no partner.
	Explanation string
	// Plan is the national chosen set; Chosen its exchanges with the region.
	Plan   *app.MatchPlan
	Chosen []app.Exchange
}

// Int writes a count in the page's number format.
func (p partnersPage) Int(n int) string { return p.Num(int64(n)) }

// partnerSection is the chosen exchanges, the pairs or the cycles of the page.
type partnerSection struct {
	ID, Heading, Empty string
	Total              int
	List               []app.Exchange
	// Note explains the section under its heading (may be empty).
	Note string
}

// Sections lists the chosen exchanges, the pairs, then the cycles.
func (p partnersPage) Sections() []partnerSection {
	return []partnerSection{
		{ID: "usulan-terpilih", Heading: "partners.chosen", Empty: "partners.no_chosen", Note: planMethod(p.pageBase, p.Plan, "plan.region_"),
			Total: len(p.Chosen), List: p.Chosen},
		{ID: "pasangan", Heading: "partners.pairs", Empty: "partners.no_pairs", Total: p.P.PairsTotal, List: p.P.Pairs},
		{ID: "siklus", Heading: "partners.cycles", Empty: "partners.no_cycles", Total: p.P.CyclesTotal, List: p.P.Cycles},
	}
}

// ItemValue is the hidden form value naming one item of a suggestion.
func (p partnersPage) ItemValue(it app.ExchangeItem) string {
	return fmt.Sprintf("%s|%d|%s|%d", it.Giver, it.Solution.ID, it.Receiver, it.Need.ID)
}

// PartyNames lists an exchange's parties by name, as a cycle.
func (p partnersPage) PartyNames(e app.Exchange) string {
	names := make([]string, 0, len(e.Parties)+1)
	for _, c := range e.Parties {
		names = append(names, p.Names[c])
	}
	return strings.Join(append(names, names[0]), " → ")
}

func (s *Server) uiPartners(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	p := partnersPage{pageBase: s.base(r, "wilayah")}
	var err error
	if p.Region, err = s.app.Region(ctx, code); err != nil {
		return err
	}
	if p.P, err = s.app.RegionPartners(ctx, code); err != nil {
		return err
	}
	if p.Plan, err = s.app.MatchmakingPlan(ctx); err != nil {
		return err
	}
	p.Chosen = p.Plan.For(code)
	if p.Names, err = s.app.RegionNames(ctx); err != nil {
		return err
	}
	p.CanDraft = app.Allowed(p.User, app.ActAgreementDraft, code)
	if p.P.Reason != "" {
		p.Explanation = p.T("partners.reason."+string(p.P.Reason), "Name", p.Region.Name)
	}
	return s.render(w, r, http.StatusOK, "partners", p)
}

// parseSuggestionItem reads "giver|solution|receiver|need".
func parseSuggestionItem(v string) (app.SuggestionItem, bool) {
	parts := strings.Split(v, "|")
	if len(parts) != 4 {
		return app.SuggestionItem{}, false
	}
	sol, err1 := strconv.ParseInt(parts[1], 10, 64)
	need, err2 := strconv.ParseInt(parts[3], 10, 64)
	return app.SuggestionItem{Giver: parts[0], Solution: sol, Receiver: parts[2], Need: need}, err1 == nil && err2 == nil
}

func (s *Server) uiPartnerDraft(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	var items []app.SuggestionItem
	for _, v := range r.PostForm["item"] {
		it, ok := parseSuggestionItem(v)
		if !ok {
			return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The form could not be read.", Fields: map[string]string{"items": "is not an exchange item"}}
		}
		items = append(items, it)
	}
	ag, err := s.app.DraftFromSuggestion(r.Context(), r.PathValue("code"), r.PostForm["party"], items)
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/kerjasama/"+strconv.FormatInt(ag.ID, 10)+"/ubah", "flash.draft_from_suggestion")
}
