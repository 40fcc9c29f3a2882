package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/kolaborasi/kolaborasi"
)

// Adoptions (K5). The adopter region's editors and coordinators request an
// adoption, move it along its stages and keep its budget, notes and
// documents; the publishing region's editors (and its region administrator)
// accept or decline the request; a party's coordinator creates the
// adoptions a signed agreement promises.
//
// What counts: an adoption is live when the publisher accepted it and it has
// not stopped, at any stage from interest to evaluated. A solution's
// adoption count (the catalog's "most adopted" order, "used by N regions")
// is the number of distinct regions with a live adoption of it.

// Limits on adoption texts.
const (
	maxAdoptionNote   = 2000
	maxAdoptionNotes  = 10000
	maxAdoptionReason = 1000
)

// AdoptionRequest is what an adopter sends with "adopt this solution".
type AdoptionRequest struct {
	SolutionID int64 `json:"solution_id"`
	// AdopterRegion defaults to the acting user's region.
	AdopterRegion string `json:"adopter_region,omitempty"`
	OPDID         int64  `json:"opd_id,omitempty"`
	// AgreementID names the signed agreement between the two regions the
	// adoption rests on (0: none).
	AgreementID int64             `json:"agreement_id,omitempty"`
	Planned     *kolaborasi.Money `json:"budget_planned,omitempty"`
	Note        string            `json:"note,omitempty"`
	// On is the date the request was made (YYYY-MM-DD) when it is entered
	// later; empty for now. Never in the future.
	On string `json:"on,omitempty"`
	// Synthetic marks demo data; not settable through the API.
	Synthetic bool `json:"-"`
}

func adoptionEntity(id int64) string { return "adoption:" + strconv.FormatInt(id, 10) }

func errAdoptionField(field, msg string) error {
	return errInvalid(msg, map[string]string{field: msg})
}

// validMoney checks a budget figure: unknown (nil) or an amount with its
// source.
func validMoney(m *kolaborasi.Money, field string, fields map[string]string) {
	if m == nil {
		return
	}
	m.Source = strings.TrimSpace(m.Source)
	switch {
	case m.IDR < 0 || m.IDR > 1e15:
		fields[field] = "must be an amount in rupiah between 0 and 10^15"
	case m.Source == "":
		fields[field] = "needs the source of the figure"
	case len(m.Source) > 500:
		fields[field] = "source must be at most 500 characters"
	}
}

func (a *App) stamp() time.Time { return a.now().UTC().Truncate(time.Microsecond) }

func changeBy(u *kolaborasi.User, at time.Time, event string, from, to kolaborasi.AdoptionStage, note string) kolaborasi.AdoptionChange {
	return kolaborasi.AdoptionChange{At: at, Event: event, From: from, To: to, ByID: u.ID, ByName: u.Name, Note: note}
}

// changeOn dates a change that happened on the date on (see eventDate).
func changeOn(c kolaborasi.AdoptionChange, on string) kolaborasi.AdoptionChange {
	c.On = on
	return c
}

// eventDate checks the date a past event of an adoption happened, as its
// editor enters it (YYYY-MM-DD; "" for an event happening now): a civil
// date, not in the future (WIB), and not before the adoption's previous
// event (ad nil for a new request). Today's date is recorded as "": the
// event happens as it is recorded. Anyone who may record the event may
// date it; the record keeps both dates (kolaborasi.AdoptionChange.On and
// At), so backdating never hides when the platform learnt of it.
func (a *App) eventDate(on string, ad *kolaborasi.Adoption) (string, error) {
	on = strings.TrimSpace(on)
	if on == "" {
		return "", nil
	}
	t, err := parseDate(on)
	if err != nil {
		return "", errAdoptionField("on", "must be a date YYYY-MM-DD")
	}
	on = t.Format(time.DateOnly)
	today := a.now().In(wib).Format(time.DateOnly)
	switch {
	case on > today:
		return "", errAdoptionField("on", "An event date must not be in the future.")
	case on == today:
		return "", nil
	}
	if ad != nil && len(ad.History) > 0 {
		last := ad.History[len(ad.History)-1]
		if on < cmp.Or(last.On, last.At.In(wib).Format(time.DateOnly)) {
			return "", errAdoptionField("on", "An event date must not be before the adoption's previous event.")
		}
	}
	return on, nil
}

// RequestAdoption asks the publishing region to accept an adoption of its
// solution by the acting user's region (stage interest).
func (a *App) RequestAdoption(ctx context.Context, in AdoptionRequest) (*kolaborasi.Adoption, error) {
	region := in.AdopterRegion
	if region == "" {
		region = actingRegion(ctx)
	}
	fields := map[string]string{}
	validMoney(in.Planned, "budget_planned", fields)
	if !cleanText(&in.Note, maxAdoptionNote) {
		fields["note"] = "must be at most 2000 characters, without control characters"
	}
	if len(fields) > 0 {
		return nil, errInvalid("Check the adoption request.", fields)
	}
	on, err := a.eventDate(in.On, nil)
	if err != nil {
		return nil, err
	}
	in.On = on
	var ad *kolaborasi.Adoption
	err = a.change(ctx, ActAdoptionRequest, region, func(tx kolaborasi.Store) (string, string, error) {
		var err error
		ad, err = a.newAdoption(ctx, tx, in, region)
		if err != nil {
			return "", "", err
		}
		if in.On != "" {
			return adoptionEntity(ad.ID), fmt.Sprintf("requested adoption of solution %d from %s; the request was made on %s", ad.SolutionID, ad.SourceRegion, in.On), nil
		}
		return adoptionEntity(ad.ID), fmt.Sprintf("requested adoption of solution %d from %s", ad.SolutionID, ad.SourceRegion), nil
	})
	if err != nil {
		return nil, err
	}
	return ad, nil
}

// newAdoption checks and stores a requested adoption in tx.
func (a *App) newAdoption(ctx context.Context, tx kolaborasi.Store, in AdoptionRequest, region string) (*kolaborasi.Adoption, error) {
	sol, err := tx.FindSolution(ctx, in.SolutionID)
	if err != nil {
		return nil, err
	}
	if sol.RegionCode == region {
		return nil, errAdoptionField("solution_id", "A region does not adopt its own solution.")
	}
	if sol.Maturity == kolaborasi.MaturityRetired {
		return nil, errAdoptionField("solution_id", "The solution is retired and cannot be adopted.")
	}
	if in.OPDID != 0 {
		o, err := tx.FindOPD(ctx, in.OPDID)
		if err != nil || o.RegionCode != region {
			return nil, errAdoptionField("opd_id", "Choose an OPD of the adopting region.")
		}
	}
	if in.AgreementID != 0 {
		ag, err := a.signedVersion(ctx, in.AgreementID)
		if err != nil || !isParty(&ag.Content, region) || !isParty(&ag.Content, sol.RegionCode) {
			return nil, errAdoptionField("agreement_id", "Choose a signed agreement between the two regions.")
		}
	}
	u := kolaborasi.UserFrom(ctx)
	now := a.stamp()
	stage := kolaborasi.StageInterest
	requested := changeOn(changeBy(u, now, "requested", stage, stage, in.Note), in.On)
	ad := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: region, AdopterOPDID: in.OPDID, SourceRegion: sol.RegionCode,
		AgreementID: in.AgreementID, Stage: stage, State: kolaborasi.AdoptionRequested, RequestedByID: u.ID, Planned: in.Planned,
		Synthetic: in.Synthetic, History: []kolaborasi.AdoptionChange{requested},
		Documents: []kolaborasi.AdoptionDocument{}, CreatedAt: now, UpdatedAt: now}
	if err := tx.CreateAdoption(ctx, ad); err != nil {
		return nil, err
	}
	return ad, nil
}

// editAdoption loads an adoption, checks the version the user read and
// authorises act on the region side picks, then saves what fn changed, in
// one audited transaction.
func (a *App) editAdoption(ctx context.Context, act Action, id int64, version int, side func(*kolaborasi.Adoption) string,
	fn func(ad *kolaborasi.Adoption, u *kolaborasi.User, now time.Time) (string, string, error)) (*kolaborasi.Adoption, error) {
	ad, err := a.store.FindAdoption(ctx, id)
	if err != nil {
		return nil, err
	}
	region := side(ad)
	err = a.change(ctx, act, region, func(tx kolaborasi.Store) (string, string, error) {
		cur, err := tx.FindAdoption(ctx, id)
		if err != nil {
			return "", "", err
		}
		if version != 0 && cur.Version != version {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Adoption %d was changed by someone else since version %d; reload it and make your change again.", id, version)
		}
		now := a.stamp()
		entity, summary, err := fn(cur, kolaborasi.UserFrom(ctx), now)
		if err != nil {
			return "", "", err
		}
		cur.UpdatedAt = now
		if err := tx.UpdateAdoption(ctx, cur); err != nil {
			return "", "", err
		}
		ad = cur
		return entity, summary, nil
	})
	if err != nil {
		return nil, err
	}
	return ad, nil
}

func adopterSide(ad *kolaborasi.Adoption) string   { return ad.AdopterRegion }
func publisherSide(ad *kolaborasi.Adoption) string { return ad.SourceRegion }

// DecideAdoption accepts or declines a requested adoption, with a message,
// as the publishing region's editor. version is the version read (0: any).
// Declining needs a message.
func (a *App) DecideAdoption(ctx context.Context, id int64, version int, accept bool, message string) (*kolaborasi.Adoption, error) {
	return a.DecideAdoptionOn(ctx, id, version, accept, message, "")
}

// DecideAdoptionOn is DecideAdoption for a decision taken on the date on
// (YYYY-MM-DD, see eventDate) and recorded now; "" is now.
func (a *App) DecideAdoptionOn(ctx context.Context, id int64, version int, accept bool, message, on string) (*kolaborasi.Adoption, error) {
	if !cleanText(&message, maxAdoptionNote) {
		return nil, errAdoptionField("message", "must be at most 2000 characters, without control characters")
	}
	if !accept && message == "" {
		return nil, errAdoptionField("message", "Say why the request is declined.")
	}
	return a.editAdoption(ctx, ActAdoptionDecide, id, version, publisherSide, func(ad *kolaborasi.Adoption, u *kolaborasi.User, now time.Time) (string, string, error) {
		if ad.State != kolaborasi.AdoptionRequested {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The request was already decided (%s).", ad.State)
		}
		if ad.Stage == kolaborasi.StageStopped {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The adopter withdrew the request.")
		}
		on, err := a.eventDate(on, ad)
		if err != nil {
			return "", "", err
		}
		ad.Decision, ad.DecidedByID, ad.DecidedByName, ad.DecidedAt = message, u.ID, u.Name, now
		if !accept {
			ad.State = kolaborasi.AdoptionDeclined
			ad.History = append(ad.History, changeOn(changeBy(u, now, "declined", ad.Stage, ad.Stage, message), on))
			if on != "" {
				return adoptionEntity(ad.ID), fmt.Sprintf("declined the adoption request of %s; the decision was taken on %s", ad.AdopterRegion, on), nil
			}
			return adoptionEntity(ad.ID), fmt.Sprintf("declined the adoption request of %s", ad.AdopterRegion), nil
		}
		ad.State = kolaborasi.AdoptionAccepted
		ad.History = append(ad.History, changeOn(changeBy(u, now, "accepted", ad.Stage, ad.Stage, message), on))
		if on != "" {
			return adoptionEntity(ad.ID), fmt.Sprintf("accepted the adoption request of %s; the decision was taken on %s", ad.AdopterRegion, on), nil
		}
		return adoptionEntity(ad.ID), fmt.Sprintf("accepted the adoption request of %s", ad.AdopterRegion), nil
	})
}

// CheckAdoptionMove says whether an adoption may move to the stage: forward
// only (stages may be skipped: open-licence software needs no study visit),
// once the publisher accepted; evaluated only after live; stopped at any
// time before the end, with a reason (which also withdraws a request).
func CheckAdoptionMove(ad *kolaborasi.Adoption, to kolaborasi.AdoptionStage, reason string) error {
	switch {
	case !to.Valid():
		return errAdoptionField("stage", "is not an adoption stage")
	case ad.State == kolaborasi.AdoptionDeclined:
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The request was declined; the adoption does not move.")
	case ad.Stage == kolaborasi.StageStopped || ad.Stage == kolaborasi.StageEvaluated:
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The adoption has ended (%s).", ad.Stage)
	case to == kolaborasi.StageStopped:
		if strings.TrimSpace(reason) == "" {
			return errAdoptionField("reason", "Say why the adoption stops.")
		}
		return nil
	case ad.State != kolaborasi.AdoptionAccepted:
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The publisher has not accepted the request yet.")
	case to.Rank() <= ad.Stage.Rank():
		return errAdoptionField("stage", "An adoption only moves forward.")
	case to == kolaborasi.StageEvaluated && ad.Stage != kolaborasi.StageLive:
		return errAdoptionField("stage", "Only a live adoption can be evaluated.")
	}
	return nil
}

// NextAdoptionStages lists the stages the adoption may move to now.
func NextAdoptionStages(ad *kolaborasi.Adoption) []kolaborasi.AdoptionStage {
	var out []kolaborasi.AdoptionStage
	for _, s := range kolaborasi.AdoptionStages {
		if CheckAdoptionMove(ad, s, "x") == nil {
			out = append(out, s)
		}
	}
	return out
}

// MoveAdoption moves an adoption to a stage (see CheckAdoptionMove) as the
// adopter region's editor or coordinator, with a note (the reason, for
// stopped).
func (a *App) MoveAdoption(ctx context.Context, id int64, version int, to kolaborasi.AdoptionStage, note string) (*kolaborasi.Adoption, error) {
	return a.MoveAdoptionOn(ctx, id, version, to, note, "")
}

// MoveAdoptionOn is MoveAdoption for a move that happened on the date on
// (YYYY-MM-DD, see eventDate) and is recorded now; "" is now.
func (a *App) MoveAdoptionOn(ctx context.Context, id int64, version int, to kolaborasi.AdoptionStage, note, on string) (*kolaborasi.Adoption, error) {
	if !cleanText(&note, maxAdoptionReason) {
		return nil, errAdoptionField("reason", "must be at most 1000 characters, without control characters")
	}
	return a.editAdoption(ctx, ActAdoptionManage, id, version, adopterSide, func(ad *kolaborasi.Adoption, u *kolaborasi.User, now time.Time) (string, string, error) {
		if err := CheckAdoptionMove(ad, to, note); err != nil {
			return "", "", err
		}
		on, err := a.eventDate(on, ad)
		if err != nil {
			return "", "", err
		}
		from := ad.Stage
		ad.Stage = to
		if to == kolaborasi.StageStopped {
			ad.StopReason = note
		}
		ad.History = append(ad.History, changeOn(changeBy(u, now, "stage", from, to, note), on))
		if on != "" {
			return adoptionEntity(ad.ID), fmt.Sprintf("moved the adoption from %s to %s; the move happened on %s", from, to, on), nil
		}
		return adoptionEntity(ad.ID), fmt.Sprintf("moved the adoption from %s to %s", from, to), nil
	})
}

// AdoptionDetails are the adopter's figures and notes.
type AdoptionDetails struct {
	OPDID   int64             `json:"opd_id,omitempty"`
	Planned *kolaborasi.Money `json:"budget_planned,omitempty"`
	Spent   *kolaborasi.Money `json:"budget_spent,omitempty"`
	Notes   string            `json:"notes,omitempty"`
}

// UpdateAdoptionDetails replaces the budget planned and spent (nil:
// unknown), the responsible OPD and the notes, as the adopter's editor.
func (a *App) UpdateAdoptionDetails(ctx context.Context, id int64, version int, d AdoptionDetails) (*kolaborasi.Adoption, error) {
	fields := map[string]string{}
	validMoney(d.Planned, "budget_planned", fields)
	validMoney(d.Spent, "budget_spent", fields)
	if !cleanText(&d.Notes, maxAdoptionNotes) {
		fields["notes"] = "must be at most 10000 characters, without control characters"
	}
	if len(fields) > 0 {
		return nil, errInvalid("Check the adoption's figures.", fields)
	}
	return a.editAdoption(ctx, ActAdoptionManage, id, version, adopterSide, func(ad *kolaborasi.Adoption, _ *kolaborasi.User, _ time.Time) (string, string, error) {
		if d.OPDID != 0 && d.OPDID != ad.AdopterOPDID {
			o, err := a.store.FindOPD(ctx, d.OPDID)
			if err != nil || o.RegionCode != ad.AdopterRegion {
				return "", "", errAdoptionField("opd_id", "Choose an OPD of the adopting region.")
			}
		}
		summary := diffSummary("planned", moneyText(ad.Planned), moneyText(d.Planned), "spent", moneyText(ad.Spent), moneyText(d.Spent),
			"opd", strconv.FormatInt(ad.AdopterOPDID, 10), strconv.FormatInt(d.OPDID, 10))
		ad.AdopterOPDID, ad.Planned, ad.Spent, ad.Notes = d.OPDID, d.Planned, d.Spent, d.Notes
		return adoptionEntity(ad.ID), fmt.Sprintf("updated the adoption's figures: %s", summary), nil
	})
}

func moneyText(m *kolaborasi.Money) string {
	if m == nil {
		return "unknown"
	}
	return fmt.Sprintf("Rp%d (%s)", m.IDR, m.Source)
}

// AddAdoptionDocument attaches a PDF to an adoption, as the adopter's
// editor; the file goes to the file store by its hash.
func (a *App) AddAdoptionDocument(ctx context.Context, id int64, name string, data []byte) (*kolaborasi.AdoptionDocument, error) {
	if !cleanText(&name, 200) || name == "" || strings.ContainsAny(name, `/\`) {
		return nil, errInvalid("Name the document.", map[string]string{"name": "is required, at most 200 characters, without slashes"})
	}
	if err := checkPDF(data); err != nil {
		return nil, err
	}
	ad, err := a.store.FindAdoption(ctx, id)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	now := a.stamp()
	f := &kolaborasi.File{SHA256: hex.EncodeToString(sum[:]), ContentType: "application/pdf", Size: int64(len(data)), Data: data, CreatedAt: now}
	var doc *kolaborasi.AdoptionDocument
	err = a.change(ctx, ActAdoptionManage, ad.AdopterRegion, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.PutFile(ctx, f); err != nil {
			return "", "", err
		}
		doc = &kolaborasi.AdoptionDocument{Name: name, SHA256: f.SHA256, Size: f.Size, UploadedBy: kolaborasi.UserFrom(ctx).ID, UploadedAt: now}
		if err := tx.AddAdoptionDocument(ctx, id, doc); err != nil {
			return "", "", err
		}
		return adoptionEntity(id), fmt.Sprintf("attached %q (%s)", name, f.SHA256[:12]), nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// mayReadAdoption: accepted adoptions are public; a request awaiting its
// decision or declined stays with the two regions (and national observers).
func mayReadAdoption(ctx context.Context, ad *kolaborasi.Adoption) bool {
	if ad.State == kolaborasi.AdoptionAccepted {
		return true
	}
	u := kolaborasi.UserFrom(ctx)
	return Allowed(u, ActAdoptionReadRequests, ad.AdopterRegion) || Allowed(u, ActAdoptionReadRequests, ad.SourceRegion)
}

// Adoption returns an adoption the acting user may read.
func (a *App) Adoption(ctx context.Context, id int64) (*kolaborasi.Adoption, error) {
	ad, err := a.store.FindAdoption(ctx, id)
	if err != nil {
		return nil, err
	}
	if !mayReadAdoption(ctx, ad) {
		return nil, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Adoption %d does not exist.", id)
	}
	return ad, nil
}

// Adoptions lists the adoptions matching f that the acting user may read,
// newest first (at most MaxPageSize a page).
func (a *App) Adoptions(ctx context.Context, f kolaborasi.AdoptionFilter) ([]*kolaborasi.Adoption, error) {
	if f.Stage != "" && !f.Stage.Valid() {
		return nil, errAdoptionField("stage", "is not an adoption stage")
	}
	if f.State != "" && !f.State.Valid() {
		return nil, errAdoptionField("state", "is not a request state")
	}
	for _, code := range []string{f.AdopterRegion, f.SourceRegion, f.Region} {
		if code != "" && !kolaborasi.ValidRegionCode(code) {
			return nil, errBadRegionCode(code)
		}
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = MaxPageSize
	}
	// The database keeps what the reader may see (mayReadAdoption), so
	// pages are full.
	u := kolaborasi.UserFrom(ctx)
	switch {
	case u != nil && u.Status == kolaborasi.UserActive && (u.Has(kolaborasi.RoleObserver) || u.Has(kolaborasi.RoleAdmin)):
	case u != nil && u.RegionCode != "" && Allowed(u, ActAdoptionReadRequests, u.RegionCode):
		f.AcceptedOr = u.RegionCode
	default:
		f.AcceptedOr = "-"
	}
	return a.store.FindAdoptions(ctx, f)
}

// SolutionAdopters lists the live adoptions of a solution, one per region
// (the furthest along when a region has several), in stage order, furthest
// first: the "used by N regions" list.
func (a *App) SolutionAdopters(ctx context.Context, id int64) ([]*kolaborasi.Adoption, error) {
	// Whether it exists, from the decoded copy the page just read.
	if _, err := a.sharedSolution(ctx, id); err != nil {
		return nil, err
	}
	return a.solutionAdopters(ctx, id)
}

// solutionAdopters is SolutionAdopters of a solution known to exist.
func (a *App) solutionAdopters(ctx context.Context, id int64) ([]*kolaborasi.Adoption, error) {
	all, err := a.store.FindAdoptions(ctx, kolaborasi.AdoptionFilter{SolutionID: id, State: kolaborasi.AdoptionAccepted})
	if err != nil {
		return nil, err
	}
	best := map[string]*kolaborasi.Adoption{}
	for _, ad := range all {
		if ad.Live() && (best[ad.AdopterRegion] == nil || ad.Stage.Rank() > best[ad.AdopterRegion].Stage.Rank()) {
			best[ad.AdopterRegion] = ad
		}
	}
	out := make([]*kolaborasi.Adoption, 0, len(best))
	for _, ad := range best {
		out = append(out, ad)
	}
	slices.SortFunc(out, func(x, y *kolaborasi.Adoption) int {
		return cmp.Or(y.Stage.Rank()-x.Stage.Rank(), strings.Compare(x.AdopterRegion, y.AdopterRegion))
	})
	return out, nil
}

// agreementStagesForAdoption are the statuses of a signed agreement (the
// KSB or later) whose exchange items can become adoptions.
var agreementStagesForAdoption = []kolaborasi.AgreementStatus{kolaborasi.StatusKSBSigned, kolaborasi.StatusDPRDApproved,
	kolaborasi.StatusPKSDrafted, kolaborasi.StatusPKSSigned, kolaborasi.StatusActive, kolaborasi.StatusReported}

// PromisedAdoption is one adoption an agreement's exchange item promises.
type PromisedAdoption struct {
	SolutionID int64
	Adopter    string
	Source     string
}

// signedVersion returns the newest signed (not draft) version of an
// agreement, or a conflict when it is not signed (KSB or later).
func (a *App) signedVersion(ctx context.Context, id int64) (*kolaborasi.Agreement, error) {
	ag, err := a.store.FindAgreement(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	if ag.Status == kolaborasi.StatusDraft && ag.Newest.Public != 0 {
		if ag, err = a.store.FindAgreement(ctx, id, ag.Newest.Public); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(agreementStagesForAdoption, ag.Status) {
		return nil, kolaborasi.Errorf(kolaborasi.ECONFLICT, "Adoptions come from a signed agreement (KSB or later) that has not ended.")
	}
	return ag, nil
}

// PromisedAdoptions lists the adoptions an agreement's exchange items
// promise (each catalogue solution given to each receiving region) that
// involve region and do not exist yet. An empty list means nothing is left
// to create.
func (a *App) PromisedAdoptions(ctx context.Context, id int64, region string) ([]PromisedAdoption, error) {
	ag, err := a.signedVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.promised(ctx, a.store, ag, region)
}

func (a *App) promised(ctx context.Context, s kolaborasi.Store, ag *kolaborasi.Agreement, region string) ([]PromisedAdoption, error) {
	existing, err := s.FindAdoptions(ctx, kolaborasi.AdoptionFilter{AgreementID: ag.ID})
	if err != nil {
		return nil, err
	}
	parties := ag.Content.Parties
	var out []PromisedAdoption
	for _, x := range ag.Content.Exchanges {
		if x.SolutionID == 0 || x.Giver < 0 || x.Giver >= len(parties) || parties[x.Giver].Region == "" {
			continue
		}
		src := parties[x.Giver].Region
		for _, r := range x.Receivers {
			if r < 0 || r >= len(parties) || parties[r].Region == "" || parties[r].Region == src {
				continue
			}
			p := PromisedAdoption{SolutionID: x.SolutionID, Adopter: parties[r].Region, Source: src}
			if region != "" && p.Adopter != region && p.Source != region || slices.Contains(out, p) ||
				slices.ContainsFunc(existing, func(ad *kolaborasi.Adoption) bool {
					return ad.SolutionID == p.SolutionID && ad.AdopterRegion == p.Adopter
				}) {
				continue
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// AdoptionsFromAgreement creates, as a party's coordinator, the adoptions
// the signed agreement's exchange items promise that involve the party:
// accepted (both parties signed), at stage agreement, linked to the
// agreement. It is idempotent: adoptions already linked are left alone, and
// a region's open adoption of the same solution is linked instead of
// duplicated. It returns the adoptions it created or linked.
func (a *App) AdoptionsFromAgreement(ctx context.Context, id int64) ([]*kolaborasi.Adoption, error) {
	region := actingRegion(ctx)
	if _, err := a.authorize(ctx, ActAdoptionFromAgreement, region); err != nil {
		return nil, err
	}
	ag, err := a.signedVersion(ctx, id)
	if err != nil {
		return nil, err
	}
	if !isParty(&ag.Content, region) && kolaborasi.UserFrom(ctx) != kolaborasi.System {
		return nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Region %s is not a party to agreement %d.", region, id)
	}
	var out []*kolaborasi.Adoption
	err = a.change(ctx, ActAdoptionFromAgreement, region, func(tx kolaborasi.Store) (string, string, error) {
		out = nil
		todo, err := a.promised(ctx, tx, ag, region)
		if err != nil {
			return "", "", err
		}
		u := kolaborasi.UserFrom(ctx)
		now := a.stamp()
		note := fmt.Sprintf("agreement %d", id)
		for _, p := range todo {
			open, err := tx.FindAdoptions(ctx, kolaborasi.AdoptionFilter{SolutionID: p.SolutionID, AdopterRegion: p.Adopter})
			if err != nil {
				return "", "", err
			}
			var ad *kolaborasi.Adoption
			for _, o := range open {
				if o.Open() && o.AgreementID == 0 {
					ad = o
				}
			}
			if ad != nil {
				// Link the open adoption; the agreement is the decision.
				ad.AgreementID, ad.UpdatedAt = id, now
				if ad.State == kolaborasi.AdoptionRequested {
					ad.State, ad.Decision, ad.DecidedByID, ad.DecidedByName, ad.DecidedAt = kolaborasi.AdoptionAccepted, note, u.ID, u.Name, now
					ad.History = append(ad.History, changeBy(u, now, "accepted", ad.Stage, ad.Stage, note))
				}
				if ad.Stage.Rank() < kolaborasi.StageAgreement.Rank() {
					ad.History = append(ad.History, changeBy(u, now, "stage", ad.Stage, kolaborasi.StageAgreement, note))
					ad.Stage = kolaborasi.StageAgreement
				}
				if err := tx.UpdateAdoption(ctx, ad); err != nil {
					return "", "", err
				}
			} else {
				sol, err := tx.FindSolution(ctx, p.SolutionID)
				if err != nil {
					if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
						continue // the signed content keeps a solution that has gone
					}
					return "", "", err
				}
				if sol.RegionCode != p.Source {
					continue
				}
				ad = &kolaborasi.Adoption{SolutionID: p.SolutionID, AdopterRegion: p.Adopter, SourceRegion: p.Source, AgreementID: id,
					Stage: kolaborasi.StageAgreement, State: kolaborasi.AdoptionAccepted, RequestedByID: u.ID,
					Decision: note, DecidedByID: u.ID, DecidedByName: u.Name, DecidedAt: now,
					History:   []kolaborasi.AdoptionChange{changeBy(u, now, "accepted", kolaborasi.StageAgreement, kolaborasi.StageAgreement, note)},
					Documents: []kolaborasi.AdoptionDocument{}, CreatedAt: now, UpdatedAt: now}
				if err := tx.CreateAdoption(ctx, ad); err != nil {
					return "", "", err
				}
			}
			out = append(out, ad)
		}
		return fmt.Sprintf("agreement:%d", id), fmt.Sprintf("created or linked %d adoptions from the agreement", len(out)), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AdoptionSaving is one live adoption with its saving.
type AdoptionSaving struct {
	Adoption *kolaborasi.Adoption `json:"adoption"`
	Solution string               `json:"solution_name"`
	Saving   kolaborasi.Saving    `json:"saving"`
}

// MaxSavingsItems is how many adoptions a savings report lists: the
// largest savings of its scope. A report of every live adoption held, at
// national scale, 183,537 decoded adoptions in the cache (hundreds of MB
// against a memory limit of 145 MiB) and as many table rows on the page.
const MaxSavingsItems = 100

// SavingsReport is the money saved in a scope: the total, the largest
// savings behind it and, for the nation and a province, the totals one
// level down.
type SavingsReport struct {
	Total kolaborasi.SavingsTotal   `json:"total"`
	Parts []kolaborasi.SavingsTotal `json:"parts"`
	// Items are the ItemsLimit largest savings of the scope, saved
	// descending then by adoption ID, of ItemsOf adoptions with a saving
	// figure (Total.WithFigures).
	Items      []AdoptionSaving `json:"adoptions"`
	ItemsOf    int              `json:"adoptions_with_saving"`
	ItemsLimit int              `json:"adoptions_limit"`
}

// savingsCache keeps the last report of each scope with the solutions'
// change number it was computed at: every adoption write and every
// solution write (a cost to build) raises that number, so a report at the
// current number is exact. Reports are shared: callers do not modify them.
type savingsCache struct {
	mu      sync.Mutex
	reports map[string]savingsEntry
	// inflight shares one computation among the readers that miss at
	// once: at national scale a report takes seconds, and every write
	// makes the next home page view miss.
	inflight singleflight.Group
}

type savingsEntry struct {
	seq int64
	rep *SavingsReport
}

// maxSavingsEntries bounds the cache (the nation, 38 provinces and 514
// kabupaten/kota fit).
const maxSavingsEntries = 1024

// Savings computes the money saved by live adoptions, by adopter: scope
// "nation" (code ""), "province" (a two-digit code) or "region". See
// kolaborasi.SavingOf for the method. The report is computed once per
// change of adoptions or solutions.
func (a *App) Savings(ctx context.Context, scope, code string) (*SavingsReport, error) {
	if scope == "nation" && code != "" {
		return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The national report takes no region code: ask for the province or region scope with one.")
	}
	seq, err := a.store.SolutionSeq(ctx)
	if err != nil {
		return nil, err
	}
	key := scope + " " + code
	c := &a.savings
	c.mu.Lock()
	e, ok := c.reports[key]
	c.mu.Unlock()
	if ok && e.seq == seq {
		return e.rep, nil
	}
	v, err, _ := c.inflight.Do(fmt.Sprintf("%s@%d", key, seq), func() (any, error) {
		rep, err := a.computeSavings(context.WithoutCancel(ctx), scope, code)
		if err != nil {
			return nil, err
		}
		c.remember(key, seq, rep)
		return rep, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*SavingsReport), nil
}

// remember keeps rep, computed at change number seq, unless a report at a
// later number is kept already.
func (c *savingsCache) remember(key string, seq int64, rep *SavingsReport) {
	c.mu.Lock()
	if c.reports == nil || len(c.reports) >= maxSavingsEntries {
		c.reports = map[string]savingsEntry{}
	}
	// The report read state at or after seq; label it seq, so a later
	// write (a higher number) recomputes it.
	if cur, ok := c.reports[key]; !ok || cur.seq <= seq {
		c.reports[key] = savingsEntry{seq: seq, rep: rep}
	}
	c.mu.Unlock()
}

// computeSavings sums the compact rows of the scope's live adoptions
// (store.EachSavingRow: no document decoded) and loads in full only the
// adoptions of the largest savings and their solutions.
func (a *App) computeSavings(ctx context.Context, scope, code string) (*SavingsReport, error) {
	var province, region string
	part := func(r *kolaborasi.SavingRow) (string, string) { return "", "" }
	switch scope {
	case "nation":
		code = ""
		part = func(r *kolaborasi.SavingRow) (string, string) { return "province", r.AdopterRegion[:2] }
	case "province":
		province = code
		part = func(r *kolaborasi.SavingRow) (string, string) { return "region", r.AdopterRegion }
	case "region":
		region = code
	default:
		return nil, errAdoptionField("scope", "must be nation, province or region")
	}
	if scope != "nation" {
		// Checked here, on a miss only (a report is kept under a code
		// that passed): a code that names no region, or a region of the
		// other kind, is said so rather than answered with zeros.
		r, err := a.Region(ctx, code)
		if err != nil {
			return nil, err
		}
		switch {
		case scope == "province" && r.Type != kolaborasi.Province:
			return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "%s is a kabupaten/kota, not a province: a province's code has two digits, such as 35.", code)
		case scope == "region" && r.Type == kolaborasi.Province:
			return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "%s is a province, not a kabupaten/kota: ask for the province scope, or write a kabupaten/kota code such as 35.72.", code)
		}
	}
	rep := &SavingsReport{Total: kolaborasi.SavingsTotal{Scope: scope, Code: code}, Parts: []kolaborasi.SavingsTotal{},
		Items: []AdoptionSaving{}, ItemsLimit: MaxSavingsItems}
	parts := map[string]*kolaborasi.SavingsTotal{}
	var top topSavings
	err := a.store.EachSavingRow(ctx, province, region, func(r *kolaborasi.SavingRow) error {
		saved, basis, ok := r.Saved()
		totals := [2]*kolaborasi.SavingsTotal{&rep.Total}
		if ps, pc := part(r); ps != "" {
			if parts[pc] == nil {
				parts[pc] = &kolaborasi.SavingsTotal{Scope: ps, Code: pc}
			}
			totals[1] = parts[pc]
		}
		for _, t := range totals {
			if t == nil {
				continue
			}
			t.Adoptions++
			if ok {
				t.WithFigures++
				t.SavedIDR += saved
				if basis == "planned" {
					t.Planned++
				}
				if r.Synthetic {
					t.Synthetic++
				}
			}
		}
		if ok {
			top.offer(rankedSaving{saved: saved, adoption: r.AdoptionID, solution: r.SolutionID}, MaxSavingsItems)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		rep.Parts = append(rep.Parts, *p)
	}
	slices.SortFunc(rep.Parts, func(x, y kolaborasi.SavingsTotal) int { return strings.Compare(x.Code, y.Code) })
	rep.ItemsOf = rep.Total.WithFigures
	if rep.Items, err = a.savingItems(ctx, top.sorted()); err != nil {
		return nil, err
	}
	return rep, nil
}

// savingItems loads the adoptions of ranked and their solutions' names,
// in ranked's order. The saving shown is computed again from the loaded
// adoption (the same rule on the same figures, unless a write came in
// between: it raised the change number, so the report is computed again).
func (a *App) savingItems(ctx context.Context, ranked []rankedSaving) ([]AdoptionSaving, error) {
	items := []AdoptionSaving{}
	if len(ranked) == 0 {
		return items, nil
	}
	ids, solIDs := make([]int64, len(ranked)), make([]int64, len(ranked))
	for i, r := range ranked {
		ids[i], solIDs[i] = r.adoption, r.solution
	}
	ads, err := a.store.FindAdoptions(ctx, kolaborasi.AdoptionFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*kolaborasi.Adoption, len(ads))
	for _, ad := range ads {
		byID[ad.ID] = ad
	}
	sols, err := a.SolutionsByID(ctx, solIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range ranked {
		ad, sol := byID[r.adoption], sols[r.solution]
		if ad == nil || sol == nil {
			continue
		}
		items = append(items, AdoptionSaving{Adoption: ad, Solution: sol.Name.Get("id"), Saving: kolaborasi.SavingOf(sol.CostBuild, ad)})
	}
	return items, nil
}

// rankedSaving is an adoption's place among the largest savings.
type rankedSaving struct {
	saved              int64
	adoption, solution int64
}

// before orders savings largest first, then by adoption ID.
func (x rankedSaving) before(y rankedSaving) bool {
	return x.saved > y.saved || x.saved == y.saved && x.adoption < y.adoption
}

// topSavings keeps the largest savings offered: a heap whose root is the
// last of those kept, so an offer that does not beat it costs one
// comparison.
type topSavings []rankedSaving

func (h *topSavings) offer(r rankedSaving, n int) {
	s := *h
	if len(s) < n {
		s = append(s, r)
		for i := len(s) - 1; i > 0; {
			p := (i - 1) / 2
			if !s[p].before(s[i]) {
				break
			}
			s[p], s[i] = s[i], s[p]
			i = p
		}
		*h = s
		return
	}
	if n == 0 || !r.before(s[0]) {
		return
	}
	s[0] = r
	for i := 0; ; {
		last, l := i, 2*i+1
		if l < len(s) && s[last].before(s[l]) {
			last = l
		}
		if l+1 < len(s) && s[last].before(s[l+1]) {
			last = l + 1
		}
		if last == i {
			break
		}
		s[i], s[last] = s[last], s[i]
		i = last
	}
}

// sorted returns the savings kept, largest first.
func (h topSavings) sorted() []rankedSaving {
	out := slices.Clone(h)
	slices.SortFunc(out, func(x, y rankedSaving) int {
		switch {
		case x.before(y):
			return -1
		case y.before(x):
			return 1
		}
		return 0
	})
	return out
}

// AdoptionWork is what waits for a region in its adoptions: requests to
// decide (publisher side) and its own adoptions in progress (adopter side).
type AdoptionWork struct {
	Incoming   []*kolaborasi.Adoption `json:"incoming"`
	InProgress []*kolaborasi.Adoption `json:"in_progress"`
}

// adoptionWork fills the workspace's adoption lists for the user's region,
// each only when the user may act on it.
func (a *App) adoptionWork(ctx context.Context, u *kolaborasi.User, region string) (AdoptionWork, error) {
	w := AdoptionWork{Incoming: []*kolaborasi.Adoption{}, InProgress: []*kolaborasi.Adoption{}}
	if Allowed(u, ActAdoptionDecide, region) {
		in, err := a.store.FindAdoptions(ctx, kolaborasi.AdoptionFilter{SourceRegion: region, State: kolaborasi.AdoptionRequested, Limit: MaxPageSize})
		if err != nil {
			return w, err
		}
		for _, ad := range in {
			if ad.Open() {
				w.Incoming = append(w.Incoming, ad)
			}
		}
	}
	if Allowed(u, ActAdoptionManage, region) {
		mine, err := a.store.FindAdoptions(ctx, kolaborasi.AdoptionFilter{AdopterRegion: region, Limit: MaxPageSize})
		if err != nil {
			return w, err
		}
		for _, ad := range mine {
			if ad.Open() && ad.Stage != kolaborasi.StageEvaluated {
				w.InProgress = append(w.InProgress, ad)
			}
		}
	}
	return w, nil
}

// adoptionFileAccess says whether the acting user may read a file that
// adoptions hold (ok) and whether anyone may (public): a document is read
// like its adoption. A file no adoption holds is left to the other rules
// (ok and public); readableElsewhere says another rule already granted it.
func (a *App) adoptionFileAccess(ctx context.Context, sha string, readableElsewhere bool) (ok, public bool, err error) {
	ids, err := a.store.FindFileAdoptions(ctx, sha)
	if err != nil || len(ids) == 0 {
		return true, true, err
	}
	ok, public = readableElsewhere, false
	for _, id := range ids {
		ad, err := a.store.FindAdoption(ctx, id)
		if err != nil {
			return false, false, err
		}
		ok = ok || mayReadAdoption(ctx, ad)
		public = public || ad.State == kolaborasi.AdoptionAccepted
	}
	return ok, public, nil
}

// SolutionsByID returns the solutions with the IDs (public), by ID.
func (a *App) SolutionsByID(ctx context.Context, ids []int64) (map[int64]*kolaborasi.Solution, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	sols, err := a.store.FindSolutionsByID(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*kolaborasi.Solution, len(sols))
	for _, s := range sols {
		out[s.ID] = s
	}
	return out, nil
}
