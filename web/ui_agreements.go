package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// Drafts reports whether the signed-in user may draft agreements for the
// region (to show links; app decides on use).
func (p pageBase) Drafts(region string) bool {
	return app.Allowed(p.User, app.ActAgreementDraft, region)
}

// Signs reports whether the signed-in user signs for the region.
func (p pageBase) Signs(region string) bool {
	return app.Allowed(p.User, app.ActAgreementSign, region)
}

// DecidesKeys reports whether the signed-in user decides the region's keys.
func (p pageBase) DecidesKeys(region string) bool {
	return app.Allowed(p.User, app.ActSigningKeyDecide, region)
}

// agreementURL is the public page of an agreement.
func agreementURL(id int64) string { return "/kerjasama/" + strconv.FormatInt(id, 10) }

// The list.

type agreementRow struct {
	A       *kolaborasi.Agreement
	Parties []string
}

type agreementListPage struct {
	pageBase
	regionField
	Type, Status, Sector, Year string
	Types                      []kolaborasi.AgreementType
	Statuses                   []kolaborasi.AgreementStatus
	Rows                       []agreementRow
	Next                       string
}

// regionField is a list's region filter, typed as a name or a code:
// Region is shown in the field, RegionNames feed its suggestions;
// Suggestions are the regions a name typed there fits when it fits
// several, and NoRegion is set when it fits none.
type regionField struct {
	// ListPath is the list's path, which the suggestions link.
	ListPath    string
	Region      string
	RegionNames []string
	Suggestions []regionSuggestion
	NoRegion    bool
}

// readRegionField resolves what was typed into a list's region filter and
// returns the region's code ("" for none, or when it did not resolve:
// then Unresolved reports it and the page shows the suggestions).
func (s *Server) readRegionField(ctx context.Context, listPath, typed string) (regionField, string, error) {
	f := regionField{ListPath: listPath, Region: typed}
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return f, "", err
	}
	for code, name := range names {
		if len(code) > 2 {
			f.RegionNames = append(f.RegionNames, name)
		}
	}
	slices.Sort(f.RegionNames)
	code, suggestions := resolveRegion(names, typed)
	if code != "" {
		// Show the region by its name, however it was typed.
		f.Region = cmp.Or(names[code], code)
	}
	if f.Region != "" && code == "" {
		f.Suggestions, f.NoRegion = suggestions, len(suggestions) == 0
	}
	return f, code, nil
}

// Unresolved reports whether a region was typed that names no single
// region.
func (f regionField) Unresolved() bool { return f.Suggestions != nil || f.NoRegion }

// pageBefore reads a list page's keyset cursor (?sebelum=ID).
func pageBefore(q url.Values) (int64, error) {
	v := q.Get("sebelum")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, kolaborasi.Errorf(kolaborasi.EINVALID, "The page link is not valid.")
	}
	return n, nil
}

// nextListURL links the list's next page: the same filters, before the
// last ID shown.
func nextListURL(path string, q url.Values, last int64) string {
	nq := url.Values{}
	for k, v := range q {
		nq[k] = v
	}
	nq.Set("sebelum", strconv.FormatInt(last, 10))
	return path + "?" + nq.Encode()
}

// agreementListSize is how many agreements a page of the list shows.
const agreementListSize = 30

func (s *Server) uiAgreementList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := agreementListPage{pageBase: s.base(r, "kerjasama"), Type: q.Get("jenis"), Status: q.Get("status"),
		Sector: q.Get("sektor"), Year: q.Get("tahun"), Types: kolaborasi.AgreementTypes, Statuses: kolaborasi.AgreementStatuses}
	var code string
	var err error
	if p.regionField, code, err = s.readRegionField(r.Context(), "/kerjasama", q.Get("wilayah")); err != nil {
		return err
	}
	if p.Unresolved() {
		return s.render(w, r, http.StatusOK, "agreements", p)
	}
	f, err := agreementFilter(url.Values{"region": {code}, "type": {p.Type}, "status": {p.Status}, "sector": {p.Sector}, "year": {p.Year}})
	if err != nil {
		return err
	}
	if f.Before, err = pageBefore(q); err != nil {
		return err
	}
	f.Limit = agreementListSize + 1
	ags, err := s.app.Agreements(r.Context(), f)
	if err != nil {
		return err
	}
	if len(ags) > agreementListSize {
		ags = ags[:agreementListSize]
		p.Next = nextListURL("/kerjasama", q, ags[len(ags)-1].ID)
	}
	for _, ag := range ags {
		row := agreementRow{A: ag}
		for _, pt := range ag.Content.Parties {
			row.Parties = append(row.Parties, pt.Name)
		}
		p.Rows = append(p.Rows, row)
	}
	return s.render(w, r, http.StatusOK, "agreements", p)
}

// The agreement page.

// timelineStep is one stage of the workflow as the page draws it.
type timelineStep struct {
	Status  kolaborasi.AgreementStatus
	Done    bool
	Current bool
	// At is when the platform recorded the step; Signed, on the KSB's
	// signed step, the signing date of the KSB, which for an agreement
	// recorded later is earlier.
	At     time.Time
	Signed time.Time
}

// timeline walks app.Transitions along the forward path from draft that
// the version's DPRD condition allows, marking the stages reached.
func timeline(ag *kolaborasi.Agreement, events []*kolaborasi.AgreementEvent) []timelineStep {
	need := ag.Content.DPRDApprovalNeeded()
	reached := map[kolaborasi.AgreementStatus]time.Time{kolaborasi.StatusDraft: ag.CreatedAt}
	for _, e := range events {
		if e.Version == ag.Version {
			reached[e.To] = e.At
		}
	}
	order := func(st kolaborasi.AgreementStatus) int { return slices.Index(kolaborasi.AgreementStatuses, st) }
	var steps []timelineStep
	cur, seen := kolaborasi.StatusDraft, map[kolaborasi.AgreementStatus]bool{}
	for !seen[cur] {
		seen[cur] = true
		_, done := reached[cur]
		step := timelineStep{Status: cur, Done: done, Current: cur == ag.Status, At: reached[cur]}
		if cur == kolaborasi.StatusKSBSigned && done {
			step.Signed = signDate(&ag.Content)
		}
		steps = append(steps, step)
		next := kolaborasi.AgreementStatus("")
		for _, t := range app.Transitions {
			if t.From != cur || t.To == kolaborasi.StatusTerminated || order(t.To) <= order(cur) {
				continue
			}
			if (t.When == app.WhenDPRD && !need) || (t.When == app.WhenNoDPRD && need) {
				continue
			}
			next = t.To
			break
		}
		if next == "" {
			break
		}
		cur = next
	}
	if ag.Status == kolaborasi.StatusTerminated {
		steps = append(steps, timelineStep{Status: kolaborasi.StatusTerminated, Done: true, Current: true, At: reached[kolaborasi.StatusTerminated]})
	}
	return steps
}

// signDate is the agreement's legal signing date (the date of the KSB, set
// by the parties), or zero when not set yet.
func signDate(c *kolaborasi.AgreementContent) time.Time {
	t, _ := time.Parse(time.DateOnly, c.SignDate)
	return t
}

// recordedLater returns when the first signature was recorded on the
// platform if that was on a later day than the signing date: an agreement
// signed on paper and recorded afterwards. Otherwise zero.
func recordedLater(ag *kolaborasi.Agreement) time.Time {
	signed := signDate(&ag.Content)
	var first time.Time
	for _, s := range ag.Signatures {
		if first.IsZero() || s.SignedAt.Before(first) {
			first = s.SignedAt
		}
	}
	if signed.IsZero() || first.IsZero() || !first.UTC().After(signed.AddDate(0, 0, 1)) {
		return time.Time{}
	}
	return first
}

// signatureRow is a signature with its verification state.
type signatureRow struct {
	S         kolaborasi.AgreementSignature
	PartyName string
	Verified  bool
	Problem   string
}

type agreementPage struct {
	pageBase
	A        *kolaborasi.Agreement
	Latest   int64
	Versions []int64
	Names    map[string]string
	Steps    []timelineStep
	Events   []*kolaborasi.AgreementEvent
	Sigs     []signatureRow
	// Verified is the server's verdict on the bundle; VerifyError says
	// why it failed, when it did. Proved names the stages the bundle
	// proves ("KSB", "KSB, PKS") or, when Incomplete (the signatures hold
	// but a party has not signed yet), the stage it does not prove yet.
	Verified    bool
	Incomplete  bool
	Proved      string
	VerifyError string
	TreeSize    int64
	DPRDNeeded  bool
	ActingParty string
	Coordinator bool
	Signatory   bool
	Editable    bool
	NextSteps   []kolaborasi.AgreementStatus
	Kinds       []kolaborasi.AttachmentKind
	PKS         bool
	BundleURL   string
	// Base is this server's address, for the command lines shown.
	Base string
	// Adoptions are the adoptions resting on the agreement (K5).
	Adoptions *agreementAdoptions

	// SignDate is the legal signing date; RecordedLater when signatures
	// were first recorded, if on a later day (zero otherwise).
	SignDate, RecordedLater time.Time
	// Solutions names the catalogue solutions exchanged, by ID.
	Solutions map[int64]string
}

// Name returns a region's name, or the code.
func (p agreementPage) Name(code string) string {
	if n, ok := p.Names[code]; ok {
		return n
	}
	return code
}

// SolutionName names an exchanged catalogue solution, or gives its number
// when it no longer exists.
func (p agreementPage) SolutionName(id int64) string {
	if n, ok := p.Solutions[id]; ok && n != "" {
		return n
	}
	return p.T("agreement.solution_n", "ID", id)
}

// After returns i+1, the end of a log range that holds entry i.
func (agreementPage) After(i int64) int64 { return i + 1 }

// PartyName returns the name of the party at index i.
func (p agreementPage) PartyName(i int) string {
	if i >= 0 && i < len(p.A.Content.Parties) {
		return p.A.Content.Parties[i].Name
	}
	return "?"
}

// actingParty is the party region the user acts for on an agreement: the
// user's own region when it is a party or (for signing) a witness, else the
// first party region, on which app then refuses the user.
func actingParty(u *kolaborasi.User, c *kolaborasi.AgreementContent, witnesses bool) string {
	if u != nil && u.RegionCode != "" {
		if slices.Contains(c.RegionCodes(), u.RegionCode) {
			return u.RegionCode
		}
		if witnesses && slices.ContainsFunc(c.Witnesses, func(w kolaborasi.AgreementWitness) bool { return w.Region == u.RegionCode }) {
			return u.RegionCode
		}
	}
	if codes := c.RegionCodes(); len(codes) > 0 {
		return codes[0]
	}
	return ""
}

// verifyAgreement fills in the server's verdict on the version's bundle
// (verified once per version and log size by the app; the browser checks
// again for itself).
func (s *Server) verifyAgreement(ctx context.Context, p *agreementPage) error {
	v, err := s.app.VerifyAgreement(ctx, p.A)
	if err != nil || v == nil {
		return err
	}
	p.TreeSize = v.TreeSize
	for i := range p.Sigs {
		if sr, ok := v.Signatures[p.Sigs[i].S.LogIndex]; ok {
			p.Sigs[i].Verified, p.Sigs[i].Problem = sr.Valid, sr.Problem
		} else if v.Problem != "" {
			p.Sigs[i].Problem = v.Problem
		}
	}
	p.Verified, p.VerifyError = v.Problem == "", v.Problem
	rep, verr := v.Report, v.Err
	var stages, missing []string
	for _, st := range rep.Stages {
		stages = append(stages, strings.ToUpper(st.Stage))
		missing = append(missing, st.Missing...)
	}
	p.Proved = strings.Join(stages, ", ")
	if errors.Is(verr, ledger.ErrIncomplete) {
		p.Incomplete, p.Proved = true, strings.ToUpper(rep.Stage)
		if len(missing) > 0 {
			p.VerifyError = strings.Join(missing, "; ")
		}
	}
	return nil
}

func (s *Server) uiAgreement(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := queryVersion(r.URL.Query(), "versi")
	if err != nil {
		return err
	}
	latest, err := s.app.Agreement(ctx, id, 0)
	if err != nil {
		return err
	}
	ag := latest
	if v != 0 && v != latest.Version {
		if ag, err = s.app.Agreement(ctx, id, v); err != nil {
			return err
		}
	}
	p := agreementPage{pageBase: s.base(r, "kerjasama"), A: ag, Latest: latest.Version, DPRDNeeded: ag.Content.DPRDApprovalNeeded(),
		Kinds: kolaborasi.AttachmentKinds, Base: s.baseURL}
	for i := int64(1); i <= latest.Version; i++ {
		p.Versions = append(p.Versions, i)
	}
	if p.Names, err = s.app.RegionNames(ctx); err != nil {
		return err
	}
	if p.Events, err = s.app.EventsOf(ctx, latest); err != nil {
		return err
	}
	p.Steps = timeline(ag, p.Events)
	p.SignDate, p.RecordedLater = signDate(&ag.Content), recordedLater(ag)
	p.Solutions = map[int64]string{}
	for _, x := range ag.Content.Exchanges {
		if x.SolutionID == 0 {
			continue
		}
		sol, err := s.app.Solution(ctx, x.SolutionID)
		switch kolaborasi.ErrorCode(err) {
		case "":
			p.Solutions[x.SolutionID] = sol.Name.Get(p.Lang)
		case kolaborasi.ENOTFOUND:
		default:
			return err
		}
	}
	for _, sg := range ag.Signatures {
		p.Sigs = append(p.Sigs, signatureRow{S: sg, PartyName: p.Name(sg.Party)})
	}
	if err := s.verifyAgreement(ctx, &p); err != nil {
		return err
	}
	stageOpen := ag.Status == kolaborasi.StatusKSBNegotiated || ag.Status == kolaborasi.StatusPKSDrafted
	p.PKS = slices.Index(kolaborasi.AgreementStatuses, ag.Status) >= slices.Index(kolaborasi.AgreementStatuses, kolaborasi.StatusPKSDrafted) &&
		ag.Status != kolaborasi.StatusTerminated
	if p.User != nil && ag.Version == latest.Version {
		p.ActingParty = actingParty(p.User, &ag.Content, true)
		isParty := slices.Contains(ag.Content.RegionCodes(), p.User.RegionCode)
		p.Coordinator = isParty && app.Allowed(p.User, app.ActAgreementMove, p.User.RegionCode)
		p.Signatory = stageOpen && p.ActingParty == p.User.RegionCode && app.Allowed(p.User, app.ActAgreementSign, p.User.RegionCode)
		if p.Coordinator {
			p.NextSteps = app.NextSteps(ag, kolaborasi.RoleCoordinator)
			p.Editable = !ag.Frozen && slices.Contains([]kolaborasi.AgreementStatus{kolaborasi.StatusDraft, kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated}, ag.Status)
		}
	}
	if len(ag.Signatures) > 0 {
		p.BundleURL = fmt.Sprintf("/api/v1/agreements/%d/bundle?version=%d", ag.ID, ag.Version)
	}
	if p.Adoptions, err = s.agreementAdoptions(ctx, p.Lang, ag, p.User); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "agreement", p)
}

// Status moves and attachments.

func (s *Server) uiAgreementMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.app.MoveAgreement(r.Context(), id, kolaborasi.AgreementStatus(r.PostFormValue("to"))); err != nil {
		return err
	}
	return redirectFlash(w, r, agreementURL(id), "flash.agreement_moved")
}

// postedPDF reads a form's "file" upload (at most one byte over the
// attachment limit, which the app refuses) and its name: the "name" field,
// else the file's own name.
func postedPDF(r *http.Request) (name string, data []byte, err error) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Choose a PDF file.", Fields: map[string]string{"file": "choose a PDF file"}}
	}
	defer f.Close()
	if data, err = io.ReadAll(io.LimitReader(f, app.MaxAttachmentBytes+1)); err != nil {
		return "", nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read.")
	}
	if name = strings.TrimSpace(r.PostFormValue("name")); name == "" {
		name = hdr.Filename
	}
	return name, data, nil
}

func (s *Server) uiAgreementAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, data, err := postedPDF(r)
	if err != nil {
		return s.refuse(w, r, s.uiAgreement, "file", err)
	}
	if _, err := s.app.AddAttachment(r.Context(), id, kolaborasi.AttachmentKind(r.PostFormValue("kind")), name, data); err != nil {
		return s.refuse(w, r, s.uiAgreement, "file", err)
	}
	return redirectFlash(w, r, agreementURL(id), "flash.attachment_saved")
}

// Signing.

type signPage struct {
	pageBase
	A       *kolaborasi.Agreement
	Stage   string
	Party   string
	Role    string
	Keys    []*kolaborasi.SigningKey
	Mandate []kolaborasi.AgreementAttachment
	Message string
	Errors  fieldErrors
	Base    string
}

func (s *Server) signForm(r *http.Request) (signPage, error) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		return signPage{}, err
	}
	ag, err := s.app.Agreement(ctx, id, 0)
	if err != nil {
		return signPage{}, err
	}
	p := signPage{pageBase: s.base(r, "kerjasama"), A: ag, Role: ledger.RoleSignatory, Base: s.baseURL}
	p.Party = actingParty(p.User, &ag.Content, true)
	if err := s.app.Check(ctx, app.ActAgreementSign, p.Party); err != nil {
		return p, err
	}
	if !slices.Contains(ag.Content.RegionCodes(), p.Party) {
		p.Role = ledger.RoleWitness
	}
	switch ag.Status {
	case kolaborasi.StatusKSBNegotiated:
		p.Stage = ledger.StageKSB
	case kolaborasi.StatusPKSDrafted:
		p.Stage = ledger.StagePKS
	}
	keys, err := s.app.MySigningKeys(ctx)
	if err != nil {
		return p, err
	}
	for _, k := range keys {
		if k.Status == kolaborasi.KeyActive && k.Region == p.Party {
			p.Keys = append(p.Keys, k)
		}
	}
	for _, at := range ag.Attachments {
		if at.Kind == kolaborasi.AttachSuratKuasa && at.Party == p.Party {
			p.Mandate = append(p.Mandate, at)
		}
	}
	return p, nil
}

func (s *Server) uiSignForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.signForm(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "agreement_sign", p)
}

// uiSign records a signature made outside the page (`kolaborasi sign`) and
// pasted as base64; the page's script submits through the API instead.
func (s *Server) uiSign(w http.ResponseWriter, r *http.Request) error {
	p, err := s.signForm(r)
	if err != nil {
		return err
	}
	sig, derr := decodeBase64(r.PostFormValue("signature"))
	in := app.SignInput{AgreementID: p.A.ID, Version: p.A.Version, Stage: p.Stage, Party: p.Party, Role: p.Role,
		KeyID: r.PostFormValue("key_id"), Signature: sig, MandateSHA256: r.PostFormValue("mandate_sha256")}
	if derr == nil {
		_, err = s.app.SignAgreement(r.Context(), in)
	} else {
		err = &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The signature is not base64.", Fields: map[string]string{"signature": "paste the base64 that kolaborasi sign printed"}}
	}
	if err != nil {
		code := kolaborasi.ErrorCode(err)
		if code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
			return err
		}
		p.Message, p.Errors = p.tr.explain(err)
		return s.render(w, r, statusOf[code], "agreement_sign", p)
	}
	return redirectFlash(w, r, agreementURL(p.A.ID), "flash.agreement_signed")
}

// Deadlines.

type deadlinesPage struct {
	pageBase
	Region    *kolaborasi.Region
	Deadlines []app.Deadline
}

func (s *Server) uiDeadlines(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	ds, err := s.app.AgreementDeadlines(r.Context(), code)
	if err != nil {
		return err
	}
	p := deadlinesPage{pageBase: s.base(r, "kerjasama"), Deadlines: ds}
	if p.Region, err = s.app.Region(r.Context(), code); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "deadlines", p)
}
