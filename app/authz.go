package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/kolaborasi/kolaborasi"
)

// Action names a use case that changes data or reads non-public data. Every
// mutating route of the web layer names the Action it performs, and a test
// checks each against an independent expectation for every role.
type Action string

// The actions of Kolaborasi.
const (
	ActRegionProfileUpdate Action = "region.profile.update"
	ActOPDManage           Action = "region.opd.manage"
	ActUserManage          Action = "region.user.manage"
	ActAuditRead           Action = "region.audit.read"
	ActAuditReadAll        Action = "platform.audit.read"
	ActRegionAdminManage   Action = "platform.region_admin.manage"
	ActOwnAccount          Action = "account.own"

	// Solutions (K3): the publishing region's editors and its region
	// administrator (who runs the region's workspace), and the System actor
	// (operator's import, demo); platform admins do not publish for regions.
	ActSolutionPublish Action = "solution.publish"

	// Agreements (K4): a party's coordinator drafts and moves them, its
	// signatory signs and registers keys, its region admin approves keys.
	ActAgreementDraft     Action = "agreement.draft"
	ActAgreementMove      Action = "agreement.move"
	ActAgreementReadDraft Action = "agreement.read_draft"
	ActAgreementDeadlines Action = "agreement.deadlines"
	ActAgreementSign      Action = "agreement.sign"
	ActSigningKeyRequest  Action = "signing_key.request"
	ActSigningKeyDecide   Action = "signing_key.decide"

	// Indicators (K5): platform administrators define indicators; a
	// region's editors and administrator import its observations, platform
	// administrators any region's.
	ActIndicatorManage   Action = "indicator.manage"
	ActObservationImport Action = "observation.import"

	// Rankings (K5): platform administrators and national observers
	// define composite indices; rankings themselves are public.
	ActRankingManage Action = "ranking.manage"
	// Adoptions (K5): the adopter region's editors and coordinators request
	// and run an adoption, the publishing region's editors (and its region
	// administrator) decide requests, a party's coordinator creates the
	// adoptions of a signed agreement; both regions and national observers
	// read requests before they are accepted.
	ActAdoptionRequest       Action = "adoption.request"
	ActAdoptionManage        Action = "adoption.manage"
	ActAdoptionDecide        Action = "adoption.decide"
	ActAdoptionFromAgreement Action = "adoption.from_agreement"
	ActAdoptionReadRequests  Action = "adoption.read_requests"

	// Producers and products (K6): the region's editors and its region
	// administrator edit them and pick the partner products its showcase
	// features; the region's editors verify producers (for the Dinas
	// Koperasi & UMKM; see app/products.go); the System actor seeds.
	ActProductEdit    Action = "product.edit"
	ActProducerVerify Action = "producer.verify"
	ActProductFeature Action = "product.feature"

	// Needs (K6): the region's editors and coordinators declare what it
	// looks for; the System actor seeds the demo. Starting a draft from a
	// matchmaking suggestion is ActAgreementDraft.
	ActNeedManage Action = "need.manage"
)

// readOnly actions read non-public data; every other action changes data
// and needs a write-scoped token when done with an API token.
var readOnly = map[Action]bool{ActAuditRead: true, ActAuditReadAll: true, ActAgreementReadDraft: true, ActAgreementDeadlines: true,
	ActAdoptionReadRequests: true}

// policy decides whether u may perform an action on the region (which may
// be "" for platform actions).
type policy func(u *kolaborasi.User, region string) bool

// regionRole allows users holding one of the roles in the region.
func regionRole(roles ...kolaborasi.Role) policy {
	return func(u *kolaborasi.User, region string) bool {
		for _, r := range roles {
			if u.HasIn(r, region) {
				return true
			}
		}
		return false
	}
}

// or allows what any of the policies allow.
func or(ps ...policy) policy {
	return func(u *kolaborasi.User, region string) bool {
		for _, p := range ps {
			if p(u, region) {
				return true
			}
		}
		return false
	}
}

func platformRole(r kolaborasi.Role) policy {
	return func(u *kolaborasi.User, _ string) bool { return u.Has(r) }
}

func anyUser(u *kolaborasi.User, _ string) bool { return u != nil }

// systemActor allows the platform's own work (kolaborasi.System: the
// operator's command line, demo seeding), which never comes from a request.
func systemActor(u *kolaborasi.User, _ string) bool { return u == kolaborasi.System }

// policies states who may do what. Platform administrators manage regions'
// accounts and profiles but do not act for a region in its own business
// (publishing, agreements, signing): that stays with the region's officers.
var policies = map[Action]policy{
	ActRegionProfileUpdate: or(regionRole(kolaborasi.RoleRegionAdmin), platformRole(kolaborasi.RoleAdmin)),
	ActOPDManage:           or(regionRole(kolaborasi.RoleRegionAdmin), platformRole(kolaborasi.RoleAdmin)),
	ActUserManage:          or(regionRole(kolaborasi.RoleRegionAdmin), platformRole(kolaborasi.RoleAdmin)),
	ActAuditRead:           or(regionRole(kolaborasi.RoleRegionAdmin), platformRole(kolaborasi.RoleAdmin)),
	ActAuditReadAll:        platformRole(kolaborasi.RoleAdmin),
	ActRegionAdminManage:   platformRole(kolaborasi.RoleAdmin),
	ActOwnAccount:          anyUser,

	ActSolutionPublish: or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleRegionAdmin), systemActor),

	ActAgreementDraft:     regionRole(kolaborasi.RoleCoordinator),
	ActAgreementMove:      regionRole(kolaborasi.RoleCoordinator),
	ActAgreementReadDraft: or(regionRole(kolaborasi.RegionRoles...), platformRole(kolaborasi.RoleObserver)),
	ActAgreementDeadlines: regionRole(kolaborasi.RoleCoordinator),
	ActAgreementSign:      regionRole(kolaborasi.RoleSignatory),
	ActSigningKeyRequest:  regionRole(kolaborasi.RoleSignatory),
	// Platform administrators decide keys too: the four-eyes rule
	// (ApproveSigningKey) needs them where a region has one administrator.
	ActSigningKeyDecide: or(regionRole(kolaborasi.RoleRegionAdmin), platformRole(kolaborasi.RoleAdmin)),

	ActIndicatorManage:   platformRole(kolaborasi.RoleAdmin),
	ActObservationImport: or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleRegionAdmin), platformRole(kolaborasi.RoleAdmin)),

	ActRankingManage: or(platformRole(kolaborasi.RoleAdmin), platformRole(kolaborasi.RoleObserver)),

	ActAdoptionRequest:       or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleCoordinator), systemActor),
	ActAdoptionManage:        or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleCoordinator), systemActor),
	ActAdoptionDecide:        or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleRegionAdmin), systemActor),
	ActAdoptionFromAgreement: or(regionRole(kolaborasi.RoleCoordinator), systemActor),
	ActAdoptionReadRequests:  or(regionRole(kolaborasi.RegionRoles...), platformRole(kolaborasi.RoleObserver), platformRole(kolaborasi.RoleAdmin)),

	ActProductEdit:    or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleRegionAdmin), systemActor),
	ActProducerVerify: or(regionRole(kolaborasi.RoleEditor), systemActor),
	ActProductFeature: or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleRegionAdmin), systemActor),

	ActNeedManage: or(regionRole(kolaborasi.RoleEditor, kolaborasi.RoleCoordinator), systemActor),
}

// Allowed reports whether the user may perform the action on the region.
// Unknown actions are denied.
func Allowed(u *kolaborasi.User, act Action, region string) bool {
	p, ok := policies[act]
	return ok && u != nil && u.Status == kolaborasi.UserActive && p(u, region)
}

// Actions lists every action with a policy, for tests and documentation.
func Actions() []Action {
	out := make([]Action, 0, len(policies))
	for a := range policies {
		out = append(out, a)
	}
	return out
}

// authorize returns the acting user when it may perform the action on the
// region: unauthorized for an anonymous caller, forbidden otherwise.
func (a *App) authorize(ctx context.Context, act Action, region string) (*kolaborasi.User, error) {
	u := kolaborasi.UserFrom(ctx)
	if u == nil {
		return nil, kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Sign in to do this.")
	}
	if _, ok := policies[act]; !ok {
		a.log.Error("action without policy denied", "action", act)
	}
	if u.TokenScopes != nil && !readOnly[act] && !slices.Contains(u.TokenScopes, kolaborasi.ScopeWrite) {
		return nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "This API token may only read; make a token with the write scope.")
	}
	if !Allowed(u, act, region) {
		if region != "" {
			return nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Your account may not do this for region %s.", region)
		}
		return nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Your account may not do this.")
	}
	return u, nil
}

// change performs a mutation and records it in the audit trail in the same
// transaction: if the mutation fails, no audit row is written, and if the
// audit row cannot be written, the mutation is rolled back.
func (a *App) change(ctx context.Context, act Action, region string, fn func(tx kolaborasi.Store) (entity, summary string, err error)) error {
	u, err := a.authorize(ctx, act, region)
	if err != nil {
		return err
	}
	return a.audited(ctx, u, act, region, fn)
}

// audited runs fn in a transaction with the audit row of its change, done by
// u, who was authorised by other means (a one-time link, a password).
func (a *App) audited(ctx context.Context, u *kolaborasi.User, act Action, region string, fn func(tx kolaborasi.Store) (entity, summary string, err error)) error {
	var taken []kolaborasi.ChangeNumber
	err := a.store.InTx(ctx, func(tx kolaborasi.Store) error {
		a.markLocal(taken, false) // an earlier attempt's, rolled back
		taken = nil
		entity, summary, err := fn(tx)
		if err != nil {
			return err
		}
		e := &kolaborasi.AuditEntry{At: a.now(), ActorID: u.ID, ActorName: u.Name, RegionCode: region,
			Action: string(act), Entity: entity, Summary: summary, RequestID: kolaborasi.RequestIDFrom(ctx)}
		if u.ID != 0 && u.Email != "" {
			e.ActorName = fmt.Sprintf("%s <%s>", u.Name, u.Email)
		}
		if err := tx.CreateAuditEntry(ctx, e); err != nil {
			return err
		}
		// Searches on this copy need not wait for the index to take in
		// this write's change numbers while the write is still running
		// (see catalogState.local): they are marked from just before the
		// commit, when another connection may first see them, until the
		// write returns. The transaction holds the counter's row lock
		// until it ends, so no other writer can take the same numbers
		// meanwhile.
		taken = tx.ChangeNumbers()
		a.markLocal(taken, true)
		return nil
	})
	if err != nil {
		a.markLocal(taken, false)
	}
	if err == nil {
		// The catalog index takes in what this write changed before the
		// writer sees its answer (read your writes on this server copy).
		// The write itself has committed: a failure here is only logged,
		// and the next search catches up.
		if rerr := a.refreshCatalog(context.WithoutCancel(ctx)); rerr != nil {
			a.log.Error("catch up the catalog index", "err", rerr)
		}
		// The write returns now: a later search must see it, even if
		// the catch-up above failed (it waits, then, as for another
		// copy's write).
		a.markLocal(taken, false)
	}
	return err
}

// Check reports whether the acting user may perform the action on the
// region, for pages that only show a form: the same decision the action
// itself will make.
func (a *App) Check(ctx context.Context, act Action, region string) error {
	_, err := a.authorize(ctx, act, region)
	return err
}
