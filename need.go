package kolaborasi

import (
	"context"
	"slices"
	"time"
)

// NeedPriority is how urgent a need is to its region.
type NeedPriority string

// The priorities of a need.
const (
	PriorityHigh   NeedPriority = "high"
	PriorityMedium NeedPriority = "medium"
	PriorityLow    NeedPriority = "low"
)

// NeedPriorities lists the priorities, highest first.
var NeedPriorities = []NeedPriority{PriorityHigh, PriorityMedium, PriorityLow}

// Valid reports whether p is a known priority.
func (p NeedPriority) Valid() bool { return slices.Contains(NeedPriorities, p) }

// Weight is the priority as a number for matchmaking: 3 high, 2 medium,
// 1 low (0 unknown).
func (p NeedPriority) Weight() int {
	switch p {
	case PriorityHigh:
		return 3
	case PriorityMedium:
		return 2
	case PriorityLow:
		return 1
	}
	return 0
}

// NeedStatus is where a need stands.
type NeedStatus string

// The statuses of a need. Only open needs take part in matchmaking.
const (
	NeedOpen      NeedStatus = "open"
	NeedMet       NeedStatus = "met"
	NeedWithdrawn NeedStatus = "withdrawn"
)

// NeedStatuses lists the statuses.
var NeedStatuses = []NeedStatus{NeedOpen, NeedMet, NeedWithdrawn}

// Valid reports whether s is a known status.
func (s NeedStatus) Valid() bool { return slices.Contains(NeedStatuses, s) }

// Need is what a region declares it is looking for (K6): the text is what
// matchmaking searches the catalogue with.
type Need struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	// OPDID is the perangkat daerah that needs it, 0 when none.
	OPDID int64  `json:"opd_id,omitempty"`
	Title string `json:"title"`
	Text  string `json:"text"`
	// Dimension is the smart-city dimension, "" when none.
	Dimension Dimension    `json:"dimension,omitempty"`
	Sectors   []Sector     `json:"sectors"`
	Priority  NeedPriority `json:"priority"`
	// BudgetMin and BudgetMax are the budget range in rupiah (0 when not
	// stated); BudgetMin ≤ BudgetMax when both are set.
	BudgetMin int64      `json:"budget_min_idr,omitempty"`
	BudgetMax int64      `json:"budget_max_idr,omitempty"`
	Status    NeedStatus `json:"status"`
	// Synthetic marks demo data that did not really happen.
	Synthetic bool `json:"synthetic,omitempty"`
	// Version counts saved versions; an update names the version it read.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	AuthorID  int64     `json:"author_id"`
}

// NeedFilter selects needs; the zero filter selects all of them.
type NeedFilter struct {
	Region string
	Status NeedStatus
}

// NeedStore persists needs.
type NeedStore interface {
	// CreateNeed stores a new need as version 1 and sets its ID and
	// Version.
	CreateNeed(ctx context.Context, n *Need) error
	// UpdateNeed saves n; n.Version must be the stored version (else
	// conflict), and is incremented.
	UpdateNeed(ctx context.Context, n *Need) error
	// FindNeed returns the need or a not_found error.
	FindNeed(ctx context.Context, id int64) (*Need, error)
	// FindNeeds returns the needs the filter selects, by region then ID.
	FindNeeds(ctx context.Context, f NeedFilter) ([]*Need, error)
	// NeedSeq returns the change counter of needs: every transaction that
	// writes needs raises it.
	NeedSeq(ctx context.Context) (int64, error)
}
