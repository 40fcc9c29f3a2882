package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// CreateAuditEntry implements kolaborasi.AuditStore.
func (s *Store) CreateAuditEntry(ctx context.Context, e *kolaborasi.AuditEntry) error {
	err := s.writer().QueryRowContext(ctx, s.db.engine.rebind(`INSERT INTO audit_log
		(at, actor_id, actor_name, region_code, action, entity, summary, request_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		dbTime(e.At), e.ActorID, e.ActorName, e.RegionCode, e.Action, e.Entity, e.Summary, e.RequestID).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("create audit entry: %w", err)
	}
	return nil
}

// FindAuditEntries implements kolaborasi.AuditStore.
func (s *Store) FindAuditEntries(ctx context.Context, f kolaborasi.AuditFilter) ([]*kolaborasi.AuditEntry, error) {
	var where []string
	var args []any
	if f.RegionCode != "" {
		where, args = append(where, "region_code = ?"), append(args, f.RegionCode)
	}
	if f.Before > 0 {
		where, args = append(where, "id < ?"), append(args, f.Before)
	}
	q := `SELECT id, at, actor_id, actor_name, region_code, action, entity, summary, request_id FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.AuditEntry
	for rows.Next() {
		var e kolaborasi.AuditEntry
		var at nullTime
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.RegionCode, &e.Action, &e.Entity, &e.Summary, &e.RequestID); err != nil {
			return nil, fmt.Errorf("scan audit entry: %w", err)
		}
		e.At = at.Time
		out = append(out, &e)
	}
	return out, rows.Err()
}
