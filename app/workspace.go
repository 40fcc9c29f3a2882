package app

import (
	"context"
	"slices"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// workspaceActions are the actions a workspace offers, in display order.
// Which of them a user sees is decided by the policies above, never by the
// web layer.
var workspaceActions = []Action{
	ActSolutionPublish,
	ActObservationImport,

	ActProductEdit,
	ActProductFeature,

	ActNeedManage,
	ActAgreementDraft,
	ActAgreementDeadlines,
	ActSigningKeyRequest,
	ActAgreementSign,
	ActSigningKeyDecide,
	ActUserManage,
	ActRegionProfileUpdate,
	ActAuditRead,
	ActAuditReadAll,
	ActRankingManage,
}

// Capabilities returns the workspace actions the acting user may perform
// for the region ("" for platform actions only), in display order.
func (a *App) Capabilities(ctx context.Context, region string) []Action {
	u := kolaborasi.UserFrom(ctx)
	var out []Action
	for _, act := range workspaceActions {
		r := region
		if act == ActAuditReadAll || act == ActRankingManage {
			r = ""
		} else if region == "" {
			continue
		}
		if Allowed(u, act, r) {
			out = append(out, act)
		}
	}
	return out
}

// PendingSignature is a signature a region owes an agreement version now.
type PendingSignature struct {
	Agreement *kolaborasi.Agreement
	Stage     string // ledger.StageKSB or ledger.StagePKS
	Role      string // ledger.RoleSignatory or ledger.RoleWitness
}

// Workspace is what the signed-in user may do for its region and what waits
// for it there.
type Workspace struct {
	User *kolaborasi.User
	// Region is the user's region code, "" for platform accounts.
	Region string
	Can    []Action
	// Drafts are the region's agreements on which a coordinator can take
	// the next step (termination aside).
	Drafts []*kolaborasi.Agreement
	// ToSign are the signatures the region owes, for its signatories.
	ToSign []PendingSignature
	// Keys are the region's signing keys awaiting the admin's decision.
	Keys []*kolaborasi.SigningKey
	// Deadlines are the reports due and coming ends, for coordinators.
	Deadlines []Deadline
	// MyActiveKeys counts the acting signatory's active keys.
	MyActiveKeys int
	// Adoptions are the requests to decide and the region's adoptions in
	// progress (K5).
	Adoptions AdoptionWork
}

// MyWorkspace returns the signed-in user's workspace. Each list is filled
// only when the user may act on it.
func (a *App) MyWorkspace(ctx context.Context) (*Workspace, error) {
	// Reading one's own workspace changes nothing: a read-only token may.
	u := kolaborasi.UserFrom(ctx)
	if u == nil || u.Status != kolaborasi.UserActive {
		return nil, kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Sign in to do this.")
	}
	var err error
	region := u.RegionCode
	w := &Workspace{User: u, Region: region, Can: a.Capabilities(ctx, region),
		Adoptions: AdoptionWork{Incoming: []*kolaborasi.Adoption{}, InProgress: []*kolaborasi.Adoption{}}}
	if region == "" {
		return w, nil
	}
	if Allowed(u, ActAgreementMove, region) {
		if w.Drafts, err = a.awaitingMove(ctx, region); err != nil {
			return nil, err
		}
	}
	if slices.Contains(w.Can, ActAgreementDeadlines) {
		if w.Deadlines, err = a.AgreementDeadlines(ctx, region); err != nil {
			return nil, err
		}
	}
	if slices.Contains(w.Can, ActAgreementSign) {
		if w.ToSign, err = a.pendingSignatures(ctx, u, region); err != nil {
			return nil, err
		}
		keys, err := a.store.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{UserID: u.ID, Status: kolaborasi.KeyActive})
		if err != nil {
			return nil, err
		}
		w.MyActiveKeys = len(keys)
	}
	if w.Adoptions, err = a.adoptionWork(ctx, u, region); err != nil {
		return nil, err
	}
	if slices.Contains(w.Can, ActSigningKeyDecide) {
		if w.Keys, err = a.store.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{Region: region, Status: kolaborasi.KeyPending}); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// awaitingMove lists the region's agreements (drafts included) on which its
// coordinator has a next step to take, termination aside, even if the step
// first needs an attachment. Running agreements are left to the deadlines.
func (a *App) awaitingMove(ctx context.Context, region string) ([]*kolaborasi.Agreement, error) {
	ags, err := a.store.FindAgreements(ctx, kolaborasi.AgreementFilter{Region: region, IncludeDrafts: true, Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	var out []*kolaborasi.Agreement
	for _, ag := range ags {
		if ag.Status == kolaborasi.StatusActive {
			continue
		}
		if slices.ContainsFunc(Transitions, func(t Transition) bool {
			cond := Transition{When: t.When} // the condition alone, not the attachment
			return t.From == ag.Status && t.By == kolaborasi.RoleCoordinator && t.To != kolaborasi.StatusTerminated && cond.allows(ag) == nil
		}) {
			out = append(out, ag)
		}
	}
	return out, nil
}

// pendingSignatures lists the signatures region owes now: as a party in a
// signing stage, or as a KSB witness. An OPD head signs only a PKS (under a
// surat kuasa), so only those are listed for one.
func (a *App) pendingSignatures(ctx context.Context, u *kolaborasi.User, region string) ([]PendingSignature, error) {
	var out []PendingSignature
	seen := map[int64]bool{}
	for status, stage := range map[kolaborasi.AgreementStatus]string{kolaborasi.StatusKSBNegotiated: ledger.StageKSB, kolaborasi.StatusPKSDrafted: ledger.StagePKS} {
		// Witnesses are not indexed by region: look at every agreement in
		// the stage (few at any time) and keep those naming the region.
		ags, err := a.store.FindAgreements(ctx, kolaborasi.AgreementFilter{Status: status, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, ag := range ags {
			role := ""
			switch {
			case isParty(&ag.Content, region):
				role = ledger.RoleSignatory
			case stage == ledger.StageKSB && slices.ContainsFunc(ag.Content.Witnesses, func(w kolaborasi.AgreementWitness) bool { return w.Region == region }):
				role = ledger.RoleWitness
			default:
				continue
			}
			if seen[ag.ID] || u.OPDID != 0 && (stage != ledger.StagePKS || role != ledger.RoleSignatory) {
				continue
			}
			full, err := a.store.FindAgreement(ctx, ag.ID, 0)
			if err != nil {
				return nil, err
			}
			if slices.ContainsFunc(full.Signatures, func(s kolaborasi.AgreementSignature) bool {
				return s.Stage == stage && s.Party == region && s.Role == role
			}) {
				continue
			}
			seen[ag.ID] = true
			out = append(out, PendingSignature{Agreement: full, Stage: stage, Role: role})
		}
	}
	slices.SortFunc(out, func(x, y PendingSignature) int { return int(y.Agreement.ID - x.Agreement.ID) })
	return out, nil
}

// PublicSigningKeys lists a region's active signing keys. They are public:
// their registrations are in the public log and in every bundle.
func (a *App) PublicSigningKeys(ctx context.Context, region string) ([]*kolaborasi.SigningKey, error) {
	if _, err := a.Region(ctx, region); err != nil {
		return nil, err
	}
	return a.store.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{Region: region, Status: kolaborasi.KeyActive})
}
