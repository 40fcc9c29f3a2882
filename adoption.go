package kolaborasi

import (
	"context"
	"slices"
	"time"
)

// AdoptionStage is how far a region has come in adopting a solution.
type AdoptionStage string

// The adoption stages in order; StageStopped ends an adoption at any point.
const (
	StageInterest   AdoptionStage = "interest"
	StageStudyVisit AdoptionStage = "study_visit"
	StageAgreement  AdoptionStage = "agreement"
	StageTransfer   AdoptionStage = "technical_transfer"
	StagePilot      AdoptionStage = "pilot"
	StageLive       AdoptionStage = "live"
	StageEvaluated  AdoptionStage = "evaluated"
	StageStopped    AdoptionStage = "stopped"
)

// AdoptionStages lists the forward stages in order, then StageStopped.
var AdoptionStages = []AdoptionStage{StageInterest, StageStudyVisit, StageAgreement, StageTransfer, StagePilot,
	StageLive, StageEvaluated, StageStopped}

// Valid reports whether s is a known stage.
func (s AdoptionStage) Valid() bool { return slices.Contains(AdoptionStages, s) }

// Rank is the position of a forward stage (0 for interest); -1 for
// StageStopped and unknown stages.
func (s AdoptionStage) Rank() int {
	if s == StageStopped {
		return -1
	}
	return slices.Index(AdoptionStages, s)
}

// AdoptionState is where the adopter's request stands with the publisher.
type AdoptionState string

// The request states.
const (
	AdoptionRequested AdoptionState = "requested"
	AdoptionAccepted  AdoptionState = "accepted"
	AdoptionDeclined  AdoptionState = "declined"
)

// AdoptionStates lists the request states.
var AdoptionStates = []AdoptionState{AdoptionRequested, AdoptionAccepted, AdoptionDeclined}

// Valid reports whether s is a known state.
func (s AdoptionState) Valid() bool { return slices.Contains(AdoptionStates, s) }

// AdoptionChange is one dated entry of an adoption's history: a request, a
// decision or a stage change.
type AdoptionChange struct {
	At time.Time `json:"at"`
	// From and To are the stages; equal for a decision.
	From AdoptionStage `json:"from"`
	To   AdoptionStage `json:"to"`
	// Event is "requested", "accepted", "declined" or "stage".
	Event  string `json:"event"`
	ByID   int64  `json:"by_id"`
	ByName string `json:"by_name"`
	Note   string `json:"note,omitempty"`
	// On is the civil date (YYYY-MM-DD) the event happened when it was
	// entered later: a past event recorded on the platform at At. Empty
	// when it happened when recorded.
	On string `json:"on,omitempty"`
}

// Happened returns when the event happened: the start of day On (UTC)
// when set, else when it was recorded.
func (c AdoptionChange) Happened() time.Time {
	if t, err := time.Parse(time.DateOnly, c.On); err == nil {
		return t
	}
	return c.At
}

// AdoptionDocument is a PDF attached to an adoption (a study-visit report,
// a handover record), stored in the file store by its hash.
type AdoptionDocument struct {
	Name       string    `json:"name"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	UploadedBy int64     `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// Adoption is a region's adoption of another region's solution.
type Adoption struct {
	ID         int64 `json:"id"`
	SolutionID int64 `json:"solution_id"`
	// AdopterRegion adopts; AdopterOPDID is its responsible OPD (0: none).
	AdopterRegion string `json:"adopter_region"`
	AdopterOPDID  int64  `json:"adopter_opd_id,omitempty"`
	// SourceRegion published the solution.
	SourceRegion string `json:"source_region"`
	// AgreementID is the cooperation agreement it rests on (0: none).
	AgreementID int64         `json:"agreement_id,omitempty"`
	Stage       AdoptionStage `json:"stage"`
	StopReason  string        `json:"stop_reason,omitempty"`
	State       AdoptionState `json:"state"`
	// Decision is the publisher's message with its acceptance or refusal.
	Decision      string    `json:"decision,omitempty"`
	DecidedByID   int64     `json:"decided_by_id,omitempty"`
	DecidedByName string    `json:"decided_by_name,omitempty"`
	DecidedAt     time.Time `json:"decided_at,omitzero"`
	RequestedByID int64     `json:"requested_by_id"`
	// Planned and Spent are the adopter's budget and spending; nil when
	// unknown (never read as zero). A known figure names its source.
	Planned   *Money             `json:"budget_planned,omitempty"`
	Spent     *Money             `json:"budget_spent,omitempty"`
	Notes     string             `json:"notes,omitempty"`
	History   []AdoptionChange   `json:"history"`
	Documents []AdoptionDocument `json:"documents"`
	// Synthetic marks demo adoptions that did not happen.
	Synthetic bool      `json:"synthetic,omitempty"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Live reports whether the adoption counts as a use of the solution: the
// publisher accepted it and it has not stopped (any stage from interest to
// evaluated).
func (a *Adoption) Live() bool { return a.State == AdoptionAccepted && a.Stage != StageStopped }

// WentLive returns when the adoption reached stage live (or, skipping it,
// evaluated), from its history (the date it happened, not when it was
// recorded); zero when it has not. Impact estimates (package impact) start
// their after window there.
func (a *Adoption) WentLive() time.Time {
	for _, h := range a.History {
		if h.Event == "stage" && (h.To == StageLive || h.To == StageEvaluated) {
			return h.Happened()
		}
	}
	return time.Time{}
}

// Since returns when the adoption was requested (the date it happened);
// CreatedAt says when the platform recorded it.
func (a *Adoption) Since() time.Time {
	if len(a.History) > 0 {
		return a.History[0].Happened()
	}
	return a.CreatedAt
}

// DecisionEvent returns the publisher's acceptance or refusal from the
// history, or nil before the decision.
func (a *Adoption) DecisionEvent() *AdoptionChange {
	for i, h := range a.History {
		if h.Event == string(AdoptionAccepted) || h.Event == string(AdoptionDeclined) {
			return &a.History[i]
		}
	}
	return nil
}

// Open reports whether the adoption is still under way or awaiting its
// decision: a region has at most one open adoption of a solution.
func (a *Adoption) Open() bool { return a.State != AdoptionDeclined && a.Stage != StageStopped }

// Saving is what one adoption saved: the publisher's cost to build minus
// the adopter's spending, both with their sources.
type Saving struct {
	Build Money `json:"cost_build"`
	// Spending is the adopter's figure used: spent when known, else the
	// planned budget (Basis says which); nil when neither is known.
	Spending *Money `json:"spending,omitempty"`
	// Basis is "spent", "planned" or "" when unknown.
	Basis string `json:"basis"`
	// Saved is nil when either figure is unknown.
	Saved *int64 `json:"saved_idr,omitempty"`
}

// SavingOf computes the saving of an adoption of a solution whose cost to
// build is build. A cost to build of zero is unknown (solutions state a
// cost only with its source); unknown stays unknown. The arithmetic is
// SavedIDR's, which the money-saved report applies to compact rows.
func SavingOf(build Money, a *Adoption) Saving {
	s := Saving{Build: build}
	var spent, planned IDRFigure
	if a.Spent != nil {
		spent = IDRFigure{IDR: a.Spent.IDR, Known: true}
	}
	if a.Planned != nil {
		planned = IDRFigure{IDR: a.Planned.IDR, Known: true}
	}
	saved, basis, ok := SavedIDR(build.IDR, spent, planned)
	switch s.Basis = basis; basis {
	case "spent":
		s.Spending = a.Spent
	case "planned":
		s.Spending = a.Planned
	}
	if ok {
		s.Saved = &saved
	}
	return s
}

// IDRFigure is an amount in rupiah that may be unknown: an unknown figure
// (Known false) is never read as zero.
type IDRFigure struct {
	IDR   int64
	Known bool
}

// SavedIDR is the rule of the money saved, written once: the spending
// that counts is the spent amount when known, else the planned budget
// (basis "spent", "planned" or "" when neither is known); the saving is
// the cost to build minus that spending, known (ok) only when the cost to
// build is positive (zero is unknown) and a spending is known.
func SavedIDR(build int64, spent, planned IDRFigure) (saved int64, basis string, ok bool) {
	var spending int64
	switch {
	case spent.Known:
		spending, basis = spent.IDR, "spent"
	case planned.Known:
		spending, basis = planned.IDR, "planned"
	default:
		return 0, "", false
	}
	if build <= 0 {
		return 0, basis, false
	}
	return build - spending, basis, true
}

// SavingRow is a live adoption as the money-saved report reads it: the
// figures its saving needs, from columns beside the stored documents.
type SavingRow struct {
	AdoptionID    int64
	SolutionID    int64
	AdopterRegion string
	// BuildIDR is the solution's cost to build (0: unknown).
	BuildIDR       int64
	Spent, Planned IDRFigure
	// Synthetic is set when the adoption or its solution is demo data.
	Synthetic bool
}

// Saved applies SavedIDR to the row.
func (r *SavingRow) Saved() (saved int64, basis string, ok bool) {
	return SavedIDR(r.BuildIDR, r.Spent, r.Planned)
}

// SavingsTotal sums the savings of live adoptions in a scope.
type SavingsTotal struct {
	// Scope is "nation", "province" or "region"; Code the province or
	// region code ("" for the nation).
	Scope string `json:"scope"`
	Code  string `json:"code,omitempty"`
	// SavedIDR sums the savings of the adoptions with figures.
	SavedIDR int64 `json:"saved_idr"`
	// WithFigures of Adoptions live adoptions have both figures; Planned of
	// those use the planned budget for want of the spending.
	WithFigures int `json:"with_figures"`
	Adoptions   int `json:"adoptions"`
	Planned     int `json:"planned_basis"`
	// Synthetic counts adoptions with figures that are demo data.
	Synthetic int `json:"synthetic"`
}

// AdoptionFilter selects adoptions; zero fields match everything.
type AdoptionFilter struct {
	SolutionID    int64
	AdopterRegion string
	SourceRegion  string
	// Region matches adopter or source region.
	Region string
	// Province matches the adopter's province (two-digit code).
	Province    string
	AgreementID int64
	Stage       AdoptionStage
	State       AdoptionState
	// Before keeps adoptions with a lower ID (keyset paging, newest first).
	Before int64
	// IDs, when not nil, keeps only the adoptions with these IDs.
	IDs []int64
	// AcceptedOr, when set, keeps only accepted adoptions and those of
	// which the region ("-" for none) is either side: what a reader who is
	// not a national observer may see.
	AcceptedOr string
	// Offset and Limit select a page (Limit 0: every match).
	Offset, Limit int
}

// AdoptionStore persists adoptions. Every write raises the solutions'
// change counter first (the lock order) and recounts the adopted
// solution's adoptions column in the same transaction.
type AdoptionStore interface {
	// CreateAdoption stores a new adoption as version 1 and sets its ID.
	// A second open adoption of a solution by a region is a conflict.
	CreateAdoption(ctx context.Context, a *Adoption) error
	// UpdateAdoption saves a; a.Version must be the stored version (else
	// conflict), and is incremented. Documents are not written here.
	UpdateAdoption(ctx context.Context, a *Adoption) error
	// FindAdoption returns the adoption with its documents or not_found.
	FindAdoption(ctx context.Context, id int64) (*Adoption, error)
	// FindAdoptions returns the matching adoptions, newest first, without
	// documents.
	FindAdoptions(ctx context.Context, f AdoptionFilter) ([]*Adoption, error)
	// AddAdoptionDocument attaches a stored file to an adoption.
	AddAdoptionDocument(ctx context.Context, id int64, d *AdoptionDocument) error
	// FindFileAdoptions returns the IDs of the adoptions holding a file.
	FindFileAdoptions(ctx context.Context, sha256 string) ([]int64, error)
	// EachSavingRow calls fn, in no particular order, with each live
	// adoption (accepted, not stopped; Adoption.Live) adopted in the
	// province (a two-digit code) or the region (a region code), or
	// anywhere when both are empty, as a SavingRow: one statement joining
	// adoptions and solutions, nothing decoded. fn must not keep the row.
	EachSavingRow(ctx context.Context, province, region string, fn func(*SavingRow) error) error
	// EachOpenAdoption calls fn, in no particular order, with the adopter
	// region and solution of each open adoption (Adoption.Open: not
	// declined, not stopped), read from an index alone, nothing decoded.
	EachOpenAdoption(ctx context.Context, fn func(adopterRegion string, solutionID int64) error) error
}
