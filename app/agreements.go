package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// Transition is one allowed move of the agreement workflow. The workflow is
// the Transitions table: changing the procedure means changing this data,
// not code.
type Transition struct {
	From, To kolaborasi.AgreementStatus
	// By is the role of a party's user who requests the move. Empty means
	// nobody requests it: the last required signature of the stage makes
	// it (SignAgreement).
	By kolaborasi.Role
	// When limits the move to versions whose DPRD approval is needed
	// (WhenDPRD) or not needed (WhenNoDPRD); empty means always.
	When string
	// Needs is an attachment kind the version must carry for the move.
	Needs kolaborasi.AttachmentKind
	// ReportDue sets when the next implementation report is due, counted
	// from the move; 0 clears it.
	ReportDue time.Duration
}

// Conditions of a transition.
const (
	WhenDPRD   = "dprd"
	WhenNoDPRD = "no_dprd"
)

// reportPeriod is the interval of implementation reports.
const reportPeriod = 365 * 24 * time.Hour

// Transitions is the agreement workflow (PP 28/2018, Permendagri 22/2020):
// draft → offered → ksb_negotiated → ksb_signed → dprd_approved (only when
// needed) → pks_drafted → pks_signed → active ⇄ reported → ended, and
// terminated from any open status.
var Transitions = func() []Transition {
	c := kolaborasi.RoleCoordinator
	ts := []Transition{
		{From: kolaborasi.StatusDraft, To: kolaborasi.StatusOffered, By: c},
		{From: kolaborasi.StatusOffered, To: kolaborasi.StatusDraft, By: c},
		{From: kolaborasi.StatusOffered, To: kolaborasi.StatusKSBNegotiated, By: c},
		{From: kolaborasi.StatusKSBNegotiated, To: kolaborasi.StatusKSBSigned},
		{From: kolaborasi.StatusKSBSigned, To: kolaborasi.StatusDPRDApproved, By: c, When: WhenDPRD, Needs: kolaborasi.AttachDPRDApproval},
		{From: kolaborasi.StatusKSBSigned, To: kolaborasi.StatusPKSDrafted, By: c, When: WhenNoDPRD},
		{From: kolaborasi.StatusDPRDApproved, To: kolaborasi.StatusPKSDrafted, By: c},
		{From: kolaborasi.StatusPKSDrafted, To: kolaborasi.StatusPKSSigned},
		{From: kolaborasi.StatusPKSSigned, To: kolaborasi.StatusActive, By: c, ReportDue: reportPeriod},
		{From: kolaborasi.StatusActive, To: kolaborasi.StatusReported, By: c, Needs: kolaborasi.AttachReport},
		{From: kolaborasi.StatusReported, To: kolaborasi.StatusActive, By: c, ReportDue: reportPeriod},
		{From: kolaborasi.StatusReported, To: kolaborasi.StatusEnded, By: c},
	}
	for _, s := range kolaborasi.AgreementStatuses {
		if s != kolaborasi.StatusEnded && s != kolaborasi.StatusTerminated {
			ts = append(ts, Transition{From: s, To: kolaborasi.StatusTerminated, By: c})
		}
	}
	return ts
}()

// signingStage maps the statuses in which parties sign to the stage signed.
var signingStage = map[kolaborasi.AgreementStatus]string{
	kolaborasi.StatusKSBNegotiated: ledger.StageKSB,
	kolaborasi.StatusPKSDrafted:    ledger.StagePKS,
}

// editable are the statuses in which an unsigned version's content may change.
var editable = []kolaborasi.AgreementStatus{kolaborasi.StatusDraft, kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated}

// NextSteps returns the moves a user of role may request on the agreement
// version now.
func NextSteps(ag *kolaborasi.Agreement, role kolaborasi.Role) []kolaborasi.AgreementStatus {
	var out []kolaborasi.AgreementStatus
	for _, t := range Transitions {
		if t.From == ag.Status && t.By != "" && t.By == role && t.allows(ag) == nil {
			out = append(out, t.To)
		}
	}
	return out
}

// allows checks the transition's conditions on a version.
func (t Transition) allows(ag *kolaborasi.Agreement) error {
	need := ag.Content.DPRDApprovalNeeded()
	switch {
	case t.When == WhenDPRD && !need:
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "This agreement needs no DPRD approval.")
	case t.When == WhenNoDPRD && need:
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "This agreement needs the DPRD's approval first.")
	}
	if t.Needs != "" && !slices.ContainsFunc(ag.Attachments, func(a kolaborasi.AgreementAttachment) bool { return a.Kind == t.Needs }) {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Attach the %s document first.", t.Needs)
	}
	return nil
}

// ledgerID is the agreement ID in signed content and log entries.
func ledgerID(id int64) string { return strconv.FormatInt(id, 10) }

// errInvalid returns an invalid error with field messages.
func errInvalid(msg string, fields map[string]string) error {
	return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: msg, Fields: fields}
}

// actingRegion returns the acting user's region ("" for anonymous users and
// platform staff, whom authorize then refuses).
func actingRegion(ctx context.Context) string {
	if u := kolaborasi.UserFrom(ctx); u != nil {
		return u.RegionCode
	}
	return ""
}

// cleanText trims s and reports whether it is free of control characters and
// at most max bytes.
func cleanText(s *string, max int) bool {
	*s = strings.TrimSpace(*s)
	return len(*s) <= max && !strings.ContainsFunc(*s, unicode.IsControl)
}

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// validateContent checks and normalises agreement content: party regions
// must exist and be autonomous, indexes must point at parties, dates must
// be civil dates. Empty names and offices are filled from the regions.
func (a *App) validateContent(ctx context.Context, s kolaborasi.Store, c *kolaborasi.AgreementContent) error {
	// Work on a deep copy: the caller's slices must not change.
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("copy agreement content: %w", err)
	}
	*c = kolaborasi.AgreementContent{}
	if err := json.Unmarshal(b, c); err != nil {
		return fmt.Errorf("copy agreement content: %w", err)
	}
	f := map[string]string{}
	if !c.Type.Valid() {
		f["type"] = "must be ksdd-wajib, ksdd-sukarela, ksdpk or sinergi"
	}
	if !cleanText(&c.Title, 300) || c.Title == "" {
		f["title"] = "is required, at most 300 characters"
	}
	for _, l := range []*[]string{&c.Purpose, &c.Scope} {
		if *l == nil {
			*l = []string{}
		}
	}
	for i := range c.Purpose {
		if !cleanText(&c.Purpose[i], 2000) || c.Purpose[i] == "" {
			f[fmt.Sprintf("purpose[%d]", i)] = "is required, at most 2000 characters"
		}
	}
	if len(c.Scope) == 0 {
		f["scope"] = "name at least one sector"
	}
	for i := range c.Scope {
		if !cleanText(&c.Scope[i], 100) || c.Scope[i] == "" {
			f[fmt.Sprintf("scope[%d]", i)] = "is required, at most 100 characters"
		}
	}
	regions, third := map[string]bool{}, 0
	if len(c.Parties) < 2 {
		f["parties"] = "an agreement needs at least two parties"
	}
	for i := range c.Parties {
		p, key := &c.Parties[i], fmt.Sprintf("parties[%d]", i)
		ok := cleanText(&p.Name, 200) && cleanText(&p.Office, 200) && cleanText(&p.Number, 100) && cleanText(&p.ThirdParty, 200)
		if !ok {
			f[key] = "texts must be at most 200 characters without control characters"
			continue
		}
		switch {
		case p.Region != "" && p.ThirdParty != "":
			f[key] = "is either a region or a third party"
		case p.Region == "":
			third++
			if p.ThirdParty == "" {
				f[key] = "choose a region or name a third party"
			} else if c.Type != kolaborasi.KSDPK && c.Type != kolaborasi.Sinergi {
				f[key] = "only a KSDPK or SINERGI agreement has third parties"
			}
			if p.Name == "" {
				p.Name = p.ThirdParty
			}
			if p.Office == "" {
				f[key+".office"] = "name the office that signs for the third party"
			}
		default:
			if regions[p.Region] {
				f[key] = "is already a party"
				continue
			}
			regions[p.Region] = true
			if msg := a.checkAgreementRegion(ctx, s, p.Region, &p.Name, &p.Office, true); msg != "" {
				f[key] = msg
			}
		}
	}
	if (c.Type == kolaborasi.KSDDWajib || c.Type == kolaborasi.KSDDSukarela) && third > 0 {
		f["parties"] = "a KSDD agreement is between regions only"
	}
	if len(regions) == 0 && len(c.Parties) >= 2 {
		f["parties"] = "at least one party must be a region"
	}
	if c.Witnesses == nil {
		c.Witnesses = []kolaborasi.AgreementWitness{}
	}
	for i := range c.Witnesses {
		w, key := &c.Witnesses[i], fmt.Sprintf("witnesses[%d]", i)
		if regions[w.Region] {
			f[key] = "a party cannot be a witness"
			continue
		}
		if !cleanText(&w.Office, 200) {
			f[key] = "the office is at most 200 characters"
			continue
		}
		var name string
		if msg := a.checkAgreementRegion(ctx, s, w.Region, &name, &w.Office, false); msg != "" {
			f[key] = msg
		}
	}
	n := len(c.Parties)
	if c.Exchanges == nil {
		c.Exchanges = []kolaborasi.ExchangeItem{}
	}
	for i := range c.Exchanges {
		x, key := &c.Exchanges[i], fmt.Sprintf("exchanges[%d]", i)
		if x.Terms == nil {
			x.Terms = []string{}
		}
		switch {
		case x.Giver < 0 || x.Giver >= n:
			f[key+".giver"] = "must be one of the parties"
		case len(x.Receivers) == 0:
			f[key+".receivers"] = "name at least one receiving party"
		case slices.ContainsFunc(x.Receivers, func(r int) bool { return r < 0 || r >= n || r == x.Giver }):
			f[key+".receivers"] = "must be parties other than the giver"
		case !cleanText(&x.Programme, 1000) || (x.Programme == "" && x.SolutionID <= 0):
			f[key+".programme"] = "describe what is given, or choose a solution (at most 1000 characters)"
		case x.SolutionID < 0:
			f[key+".solution_id"] = "is not a solution"
		case x.SolutionID > 0:
			sol, err := s.FindSolution(ctx, x.SolutionID)
			if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
				f[key+".solution_id"] = "is not a solution"
			} else if err != nil {
				return err
			} else if sol.RegionCode != c.Parties[x.Giver].Region {
				f[key+".solution_id"] = "must be a solution of the giving region"
			}
		}
		for _, t := range x.Terms {
			if !slices.Contains(kolaborasi.ExchangeTerms, t) {
				f[key+".terms"] = "must be among " + strings.Join(kolaborasi.ExchangeTerms, ", ")
			}
		}
	}
	if c.Financing == nil {
		c.Financing = []kolaborasi.Funding{}
	}
	for i := range c.Financing {
		fu, key := &c.Financing[i], fmt.Sprintf("financing[%d]", i)
		switch {
		case fu.Party < 0 || fu.Party >= n:
			f[key+".party"] = "must be one of the parties"
		case fu.Source != "apbd" && fu.Source != "other":
			f[key+".source"] = "must be apbd or other"
		case !cleanText(&fu.Detail, 300) || (fu.Source == "other" && fu.Detail == ""):
			f[key+".detail"] = "describe the source (at most 300 characters)"
		}
	}
	if !cleanText(&c.Place, 100) {
		f["place"] = "is at most 100 characters"
	}
	if !cleanText(&c.Venue, 200) {
		f["venue"] = "is at most 200 characters"
	}
	var start, end time.Time
	for _, d := range []struct {
		name string
		v    string
		t    *time.Time
	}{{"sign_date", c.SignDate, nil}, {"start_date", c.StartDate, &start}, {"end_date", c.EndDate, &end}} {
		if d.v == "" {
			continue
		}
		t, err := parseDate(d.v)
		if err != nil {
			f[d.name] = "must be a date YYYY-MM-DD"
		} else if d.t != nil {
			*d.t = t
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		f["end_date"] = "is before the start date"
	}
	if len(f) > 0 {
		return errInvalid("The agreement is not valid.", f)
	}
	return nil
}

// checkAgreementRegion checks that code is an autonomous region (a party
// or witness) and fills its name and office when empty. It returns what is
// wrong, or "".
func (a *App) checkAgreementRegion(ctx context.Context, s kolaborasi.Store, code string, name, office *string, party bool) string {
	if !kolaborasi.ValidRegionCode(code) {
		return "is not a region code"
	}
	r, err := s.FindRegion(ctx, code)
	if err != nil {
		return "is not a known region"
	}
	if !r.Autonomous {
		if party {
			return r.Name + " is an administrative unit of DKI Jakarta, not an autonomous region, and cannot be a party"
		}
		return r.Name + " is not an autonomous region"
	}
	if *name == "" {
		*name = "Pemerintah " + r.Name
	}
	if *office == "" {
		*office = r.Profile.HeadTitle
		if *office == "" {
			*office = kolaborasi.DefaultHeadTitle(r.Type, r.Name)
		}
	}
	return ""
}

// isParty reports whether region is a party (a region, not a third party).
func isParty(c *kolaborasi.AgreementContent, region string) bool {
	return region != "" && slices.Contains(c.RegionCodes(), region)
}

// CreateAgreement drafts a new agreement; the acting coordinator's region
// must be one of its parties.
func (a *App) CreateAgreement(ctx context.Context, c kolaborasi.AgreementContent) (*kolaborasi.Agreement, error) {
	region := actingRegion(ctx)
	var ag *kolaborasi.Agreement
	err := a.change(ctx, ActAgreementDraft, region, func(tx kolaborasi.Store) (string, string, error) {
		if err := a.validateContent(ctx, tx, &c); err != nil {
			return "", "", err
		}
		if !isParty(&c, region) {
			return "", "", errInvalid("Your region must be a party to the agreement it drafts.", map[string]string{"parties": "include your region"})
		}
		u := kolaborasi.UserFrom(ctx)
		now := a.now()
		ag = &kolaborasi.Agreement{Version: 1, Status: kolaborasi.StatusDraft, Content: c, CreatedBy: u.ID, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateAgreement(ctx, ag); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("agreement:%d", ag.ID), "drafted " + c.Title, nil
	})
	if err != nil {
		return nil, err
	}
	return a.store.FindAgreement(ctx, ag.ID, ag.Version)
}

// UpdateAgreement replaces the content of the latest version while it is
// unsigned and open for negotiation. A signed version never changes: a
// change then needs an addendum (CreateAddendum).
//
// readAt is the UpdatedAt of the version the editor read (zero to skip the
// check): a version changed since then is a conflict, decided in the same
// UPDATE, so two concurrent saves cannot both succeed.
func (a *App) UpdateAgreement(ctx context.Context, id, version int64, readAt time.Time, c kolaborasi.AgreementContent) error {
	region := actingRegion(ctx)
	return a.changeAgreement(ctx, ActAgreementDraft, region, func(tx kolaborasi.Store) (string, string, error) {
		ag, err := a.partyVersion(ctx, tx, id, version, region)
		if err != nil {
			return "", "", err
		}
		if ag.Frozen || !slices.Contains(editable, ag.Status) {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Version %d is %s and cannot change; make an addendum.", ag.Version, ag.Status)
		}
		if err := a.validateContent(ctx, tx, &c); err != nil {
			return "", "", err
		}
		if !isParty(&c, region) {
			return "", "", errInvalid("Your region must stay a party to the agreement.", map[string]string{"parties": "include your region"})
		}
		if !readAt.IsZero() && !ag.UpdatedAt.Equal(readAt) {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Version %d changed since you read it; read it again.", version)
		}
		ag.Content, ag.UpdatedAt = c, a.now()
		if err := tx.UpdateAgreementContent(ctx, ag, readAt); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("agreement:%d/%d", id, version), "updated " + c.Title, nil
	})
}

// CreateAddendum makes a new version of a signed agreement with new content
// (an addendum or a renewal). It starts as a draft, seen by the parties
// only; the public keeps seeing the signed version, with a note that an
// addendum is in preparation when announce is set (AnnounceAddendum
// changes that later).
func (a *App) CreateAddendum(ctx context.Context, id int64, c kolaborasi.AgreementContent, announce bool) (*kolaborasi.Agreement, error) {
	region := actingRegion(ctx)
	var next *kolaborasi.Agreement
	err := a.changeAgreement(ctx, ActAgreementDraft, region, func(tx kolaborasi.Store) (string, string, error) {
		ag, err := a.partyVersion(ctx, tx, id, 0, region)
		if err != nil {
			return "", "", err
		}
		if !ag.Frozen || ag.Status == kolaborasi.StatusTerminated || ag.Status == kolaborasi.StatusEnded {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Only a signed, running agreement takes an addendum; edit this version instead.")
		}
		if err := a.validateContent(ctx, tx, &c); err != nil {
			return "", "", err
		}
		if !isParty(&c, region) {
			return "", "", errInvalid("Your region must stay a party to the agreement.", map[string]string{"parties": "include your region"})
		}
		now := a.now()
		next = &kolaborasi.Agreement{ID: id, Version: ag.Version + 1, Status: kolaborasi.StatusDraft, Content: c,
			CreatedBy: kolaborasi.UserFrom(ctx).ID, CreatedAt: now, UpdatedAt: now, Announced: announce}
		if err := tx.CreateAgreementVersion(ctx, next); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("agreement:%d/%d", id, next.Version), "addendum " + c.Title, nil
	})
	if err != nil {
		return nil, err
	}
	return a.store.FindAgreement(ctx, id, next.Version)
}

// changeAgreement is change for every use case that changes an agreement,
// its signatures or signing keys, or appends to the public log. Its first
// statement takes the log's lock (the log_head row), before anything is
// read, so all of them lock in one global order (log_head, then
// solution_seq, then business rows: see docs/ARCHITECTURE.md) and decide on
// committed state: a signature racing a termination waits instead of
// deadlocking, and two approvals of one key cannot both see it pending.
func (a *App) changeAgreement(ctx context.Context, act Action, region string, fn func(tx kolaborasi.Store) (entity, summary string, err error)) error {
	return a.change(ctx, act, region, func(tx kolaborasi.Store) (string, string, error) {
		if _, err := tx.LockLog(ctx); err != nil {
			return "", "", err
		}
		return fn(tx)
	})
}

// partyVersion loads a version (0: the latest) and checks that region is a
// party to it.
func (a *App) partyVersion(ctx context.Context, s kolaborasi.Store, id, version int64, region string) (*kolaborasi.Agreement, error) {
	ag, err := s.FindAgreement(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if !isParty(&ag.Content, region) {
		return nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Region %s is not a party to agreement %d.", region, id)
	}
	return ag, nil
}

// MoveAgreement moves the latest version of an agreement to another status
// along Transitions, as the acting coordinator of one of its parties. The
// move is recorded with time and actor and appended to the public log.
func (a *App) MoveAgreement(ctx context.Context, id int64, to kolaborasi.AgreementStatus) error {
	region := actingRegion(ctx)
	return a.changeAgreement(ctx, ActAgreementMove, region, func(tx kolaborasi.Store) (string, string, error) {
		ag, err := a.partyVersion(ctx, tx, id, 0, region)
		if err != nil {
			return "", "", err
		}
		i := slices.IndexFunc(Transitions, func(t Transition) bool { return t.From == ag.Status && t.To == to })
		if i < 0 || Transitions[i].By == "" {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "An agreement that is %s cannot be moved to %s.", ag.Status, to)
		}
		t := Transitions[i]
		if err := t.allows(ag); err != nil {
			return "", "", err
		}
		var due time.Time
		if t.ReportDue > 0 {
			due = a.now().Add(t.ReportDue)
		}
		if err := a.recordMove(ctx, tx, ag, to, string(t.By), region, due); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("agreement:%d/%d", id, ag.Version), fmt.Sprintf("status %s → %s", ag.Status, to), nil
	})
}

// recordMove sets the status, appends the status change to the public log
// and records the event, in tx.
func (a *App) recordMove(ctx context.Context, tx kolaborasi.Store, ag *kolaborasi.Agreement, to kolaborasi.AgreementStatus, role, region string, due time.Time) error {
	now := a.now()
	if err := tx.SetAgreementStatus(ctx, ag.ID, ag.Version, ag.Status, to, due, now); err != nil {
		return err
	}
	idx, err := a.appendLog(ctx, tx, &ledger.StatusChange{AgreementID: ledgerID(ag.ID), Version: ag.Version,
		From: string(ag.Status), To: string(to), ActorRole: role, Time: now})
	if err != nil {
		return err
	}
	return a.recordEvent(ctx, tx, ag, to, role, region, idx)
}

func (a *App) recordEvent(ctx context.Context, tx kolaborasi.Store, ag *kolaborasi.Agreement, to kolaborasi.AgreementStatus, role, region string, idx int64) error {
	return tx.CreateAgreementEvent(ctx, &kolaborasi.AgreementEvent{AgreementID: ag.ID, Version: ag.Version, From: ag.Status, To: to,
		At: a.now(), ActorID: kolaborasi.UserFrom(ctx).ID, ActorRole: role, Region: region, LogIndex: idx})
}

// mayReadDraft reports whether the acting user may see the agreement while
// it is a draft: users of its parties' regions and national observers.
func mayReadDraft(ctx context.Context, ag *kolaborasi.Agreement) bool {
	u := kolaborasi.UserFrom(ctx)
	if Allowed(u, ActAgreementReadDraft, "") {
		return true
	}
	return slices.ContainsFunc(ag.Content.RegionCodes(), func(r string) bool { return Allowed(u, ActAgreementReadDraft, r) })
}

// Agreement returns a version of an agreement with its attachments and
// signatures. Drafts are visible only to the parties (and observers):
// anyone else asking for the latest version (0) gets the latest version
// that is not a draft, so a signed agreement stays public while its
// addendum is drafted, with AddendumInPreparation set when the parties
// announced the draft.
func (a *App) Agreement(ctx context.Context, id, version int64) (*kolaborasi.Agreement, error) {
	ag, err := a.store.FindAgreement(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if ag.Status == kolaborasi.StatusDraft && !mayReadDraft(ctx, ag) {
		if version != 0 || ag.Newest.Public == 0 {
			return nil, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such agreement.")
		}
		if ag, err = a.store.FindAgreement(ctx, id, ag.Newest.Public); err != nil {
			return nil, err
		}
	}
	noteAddendum(ag)
	return ag, nil
}

// noteAddendum sets AddendumInPreparation on a version older than the
// agreement's newest, when that newest version is a draft the parties
// announced.
func noteAddendum(ag *kolaborasi.Agreement) {
	if n := ag.Newest; n.Announced && n.Public < n.Version && ag.Version < n.Version {
		ag.AddendumInPreparation = n.Version
	}
}

// AnnounceAddendum shows (on) or hides the public note that a draft
// addendum is in preparation, as the acting coordinator of a party.
func (a *App) AnnounceAddendum(ctx context.Context, id, version int64, on bool) error {
	region := actingRegion(ctx)
	return a.changeAgreement(ctx, ActAgreementDraft, region, func(tx kolaborasi.Store) (string, string, error) {
		ag, err := a.partyVersion(ctx, tx, id, version, region)
		if err != nil {
			return "", "", err
		}
		if ag.Version < 2 || ag.Status != kolaborasi.StatusDraft {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Only a draft addendum can be announced.")
		}
		if err := tx.SetAgreementAnnounced(ctx, id, ag.Version, on); err != nil {
			return "", "", err
		}
		what := "hid"
		if on {
			what = "announced"
		}
		return fmt.Sprintf("agreement:%d/%d", id, ag.Version), what + " the addendum in preparation", nil
	})
}

// Agreements lists agreements, newest first: the latest version of each
// when the filter names a region the acting user may read drafts of, else
// the latest version that is not a draft.
func (a *App) Agreements(ctx context.Context, f kolaborasi.AgreementFilter) ([]*kolaborasi.Agreement, error) {
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	f.IncludeDrafts = f.Region != "" && Allowed(kolaborasi.UserFrom(ctx), ActAgreementReadDraft, f.Region)
	if f.Type != "" && !f.Type.Valid() {
		return nil, errInvalid("Unknown agreement type.", map[string]string{"type": "is not an agreement type"})
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, errInvalid("Unknown agreement status.", map[string]string{"status": "is not an agreement status"})
	}
	ags, err := a.store.FindAgreements(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, ag := range ags {
		noteAddendum(ag)
	}
	return ags, nil
}

// AgreementEvents returns the status changes of an agreement, oldest first.
func (a *App) AgreementEvents(ctx context.Context, id int64) ([]*kolaborasi.AgreementEvent, error) {
	ag, err := a.Agreement(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	return a.EventsOf(ctx, ag)
}

// EventsOf returns the status changes of the agreement of ag, a version
// the caller read through Agreement (which decided that the reader may see
// the agreement), oldest first: AgreementEvents without reading the
// agreement again.
func (a *App) EventsOf(ctx context.Context, ag *kolaborasi.Agreement) ([]*kolaborasi.AgreementEvent, error) {
	return a.store.FindAgreementEvents(ctx, ag.ID)
}

// Deadline is a date a coordinator must watch: a report due or the end of
// an agreement.
type Deadline struct {
	Agreement *kolaborasi.Agreement
	// Kind is "report" or "end".
	Kind    string
	Due     time.Time
	Overdue bool
}

// endWarning is how long before its end an agreement shows as a deadline.
const endWarning = 90 * 24 * time.Hour

// AgreementDeadlines lists the report deadlines and coming ends of the
// region's running agreements, soonest first, marking overdue reports.
func (a *App) AgreementDeadlines(ctx context.Context, region string) ([]Deadline, error) {
	if _, err := a.authorize(ctx, ActAgreementDeadlines, region); err != nil {
		return nil, err
	}
	ags, err := a.store.FindAgreements(ctx, kolaborasi.AgreementFilter{Region: region})
	if err != nil {
		return nil, err
	}
	now := a.now()
	var out []Deadline
	for _, ag := range ags {
		running := ag.Status == kolaborasi.StatusActive || ag.Status == kolaborasi.StatusReported
		if ag.Status == kolaborasi.StatusActive && !ag.ReportDue.IsZero() {
			out = append(out, Deadline{Agreement: ag, Kind: "report", Due: ag.ReportDue, Overdue: now.After(ag.ReportDue)})
		}
		if end, err := parseDate(ag.Content.EndDate); err == nil && running && end.Sub(now) < endWarning {
			out = append(out, Deadline{Agreement: ag, Kind: "end", Due: end, Overdue: now.After(end)})
		}
	}
	slices.SortStableFunc(out, func(x, y Deadline) int { return x.Due.Compare(y.Due) })
	return out, nil
}

// MaxAttachmentBytes bounds an agreement attachment.
const MaxAttachmentBytes = 10 << 20

// checkPDF accepts a PDF by its content: the %PDF-1.x or %PDF-2.0 header,
// objects, and the cross-reference pointer and end marker near the end.
func checkPDF(data []byte) error {
	bad := func(msg string) error { return errInvalid(msg, map[string]string{"file": msg}) }
	switch {
	case len(data) == 0:
		return bad("Choose a PDF file.")
	case len(data) > MaxAttachmentBytes:
		return bad(fmt.Sprintf("The file is %d KiB; at most %d KiB is allowed.", len(data)>>10, MaxAttachmentBytes>>10))
	}
	h := data[:min(len(data), 8)]
	validHeader := len(h) == 8 && bytes.HasPrefix(h, []byte("%PDF-")) && h[6] == '.' &&
		((h[5] == '1' && h[7] >= '0' && h[7] <= '7') || (h[5] == '2' && h[7] == '0'))
	tail := data[max(0, len(data)-1024):]
	if !validHeader || !bytes.Contains(tail, []byte("%%EOF")) || !bytes.Contains(tail, []byte("startxref")) ||
		!bytes.Contains(data, []byte(" obj")) || !bytes.Contains(data, []byte("endobj")) {
		return bad("The file is not a PDF document.")
	}
	return nil
}

// AddAttachment attaches a PDF to the latest version of an agreement, for
// the acting coordinator's region. Attachments added before the version's
// first signature are part of what the parties sign; later ones (a DPRD
// approval, a surat kuasa, reports) are kept beside it.
func (a *App) AddAttachment(ctx context.Context, id int64, kind kolaborasi.AttachmentKind, name string, data []byte) (*kolaborasi.AgreementAttachment, error) {
	region := actingRegion(ctx)
	if !kind.Valid() {
		return nil, errInvalid("Unknown attachment kind.", map[string]string{"kind": "is not an attachment kind"})
	}
	if !cleanText(&name, 200) || name == "" || strings.ContainsAny(name, `/\`) {
		return nil, errInvalid("Name the attachment.", map[string]string{"name": "is required, at most 200 characters, without slashes"})
	}
	if err := checkPDF(data); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	f := &kolaborasi.File{SHA256: hex.EncodeToString(sum[:]), ContentType: "application/pdf", Size: int64(len(data)), Data: data, CreatedAt: a.now()}
	var att *kolaborasi.AgreementAttachment
	err := a.changeAgreement(ctx, ActAgreementDraft, region, func(tx kolaborasi.Store) (string, string, error) {
		ag, err := a.partyVersion(ctx, tx, id, 0, region)
		if err != nil {
			return "", "", err
		}
		if ag.Status == kolaborasi.StatusEnded || ag.Status == kolaborasi.StatusTerminated {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The agreement is closed.")
		}
		if err := tx.PutFile(ctx, f); err != nil {
			return "", "", err
		}
		att = &kolaborasi.AgreementAttachment{Name: name, Kind: kind, SHA256: f.SHA256, Size: f.Size, Party: region,
			Signed: !ag.Frozen, UploadedBy: kolaborasi.UserFrom(ctx).ID, UploadedAt: a.now()}
		if err := tx.AddAgreementAttachment(ctx, id, ag.Version, att); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("agreement:%d/%d", id, ag.Version), fmt.Sprintf("attached %s %q (%s)", kind, name, f.SHA256[:12]), nil
	})
	if err != nil {
		return nil, err
	}
	return att, nil
}
