package kolaborasi

import (
	"context"
	"time"
)

// AuditEntry records one mutation: who did what to which entity of which
// region, when, and in which request. It is written in the same transaction
// as the change it records.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id"`
	ActorName  string    `json:"actor_name"`
	RegionCode string    `json:"region_code"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	Summary    string    `json:"summary"`
	RequestID  string    `json:"request_id"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	// RegionCode limits entries to one region; "" means all.
	RegionCode string
	// Before is the ID below which the page starts (keyset pagination).
	Before int64
	Limit  int
}

// AuditStore persists the audit trail. It has no update or delete.
type AuditStore interface {
	CreateAuditEntry(ctx context.Context, e *AuditEntry) error
	FindAuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}
