package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

func scanCompositeIndex(sc interface{ Scan(...any) error }) (*kolaborasi.CompositeIndex, error) {
	var version int
	var created, updated nullTime
	var data string
	if err := sc.Scan(&version, &created, &updated, &data); err != nil {
		return nil, err
	}
	var ci kolaborasi.CompositeIndex
	if err := json.Unmarshal([]byte(data), &ci); err != nil {
		return nil, fmt.Errorf("decode composite index: %w", err)
	}
	ci.Version, ci.CreatedAt, ci.UpdatedAt = version, created.Time, updated.Time
	return &ci, nil
}

func compositeIndexJSON(ci *kolaborasi.CompositeIndex) (string, error) {
	b, err := json.Marshal(ci)
	if err != nil {
		return "", fmt.Errorf("encode composite index: %w", err)
	}
	return string(b), nil
}

// CreateCompositeIndex implements kolaborasi.RankingStore.
func (s *Store) CreateCompositeIndex(ctx context.Context, ci *kolaborasi.CompositeIndex) error {
	ci.Version = 1
	if ci.CreatedAt.IsZero() {
		ci.CreatedAt = ci.UpdatedAt
	}
	data, err := compositeIndexJSON(ci)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO composite_indices (slug, version, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?)`,
		ci.Slug, ci.Version, dbTime(ci.CreatedAt), dbTime(ci.UpdatedAt), data)
	return translate(err, "Composite index "+ci.Slug)
}

// UpdateCompositeIndex implements kolaborasi.RankingStore.
func (s *Store) UpdateCompositeIndex(ctx context.Context, ci *kolaborasi.CompositeIndex) error {
	old, err := s.CompositeIndex(ctx, ci.Slug)
	if err != nil {
		return err
	}
	if old.Version != ci.Version {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Composite index %s was changed meanwhile (version %d, not %d); load it again.", ci.Slug, old.Version, ci.Version)
	}
	next := *ci
	next.Version, next.CreatedAt, next.CreatedByName = old.Version+1, old.CreatedAt, old.CreatedByName
	data, err := compositeIndexJSON(&next)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `UPDATE composite_indices SET version = ?, updated_at = ?, data = ? WHERE slug = ? AND version = ?`,
		next.Version, dbTime(next.UpdatedAt), data, ci.Slug, ci.Version)
	if err != nil {
		return fmt.Errorf("update composite index %s: %w", ci.Slug, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Composite index %s was changed meanwhile; load it again.", ci.Slug)
	}
	*ci = next
	return nil
}

// DeleteCompositeIndex implements kolaborasi.RankingStore.
func (s *Store) DeleteCompositeIndex(ctx context.Context, slug string) error {
	res, err := s.exec(ctx, `DELETE FROM composite_indices WHERE slug = ?`, slug)
	if err != nil {
		return fmt.Errorf("delete composite index %s: %w", slug, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Composite index %s does not exist.", slug)
	}
	return nil
}

// CompositeIndex implements kolaborasi.RankingStore.
func (s *Store) CompositeIndex(ctx context.Context, slug string) (*kolaborasi.CompositeIndex, error) {
	ci, err := scanCompositeIndex(s.queryRow(ctx, `SELECT version, created_at, updated_at, data FROM composite_indices WHERE slug = ?`, slug))
	if err != nil {
		return nil, notFound(err, "Composite index %s does not exist.", slug)
	}
	return ci, nil
}

// CompositeIndices implements kolaborasi.RankingStore.
func (s *Store) CompositeIndices(ctx context.Context) ([]*kolaborasi.CompositeIndex, error) {
	rows, err := s.query(ctx, `SELECT version, created_at, updated_at, data FROM composite_indices ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("list composite indices: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.CompositeIndex
	for rows.Next() {
		ci, err := scanCompositeIndex(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ci)
	}
	return out, rows.Err()
}

// IndicatorValues implements kolaborasi.RankingStore: one query reading
// only the four columns a ranking needs.
func (s *Store) IndicatorValues(ctx context.Context, indicators []string, fn func(region, indicator, period string, value float64) error) error {
	if len(indicators) == 0 {
		return nil
	}
	args := make([]any, len(indicators))
	for i, c := range indicators {
		args[i] = c
	}
	q := `SELECT region_code, indicator_code, period, value FROM observations WHERE indicator_code IN (?` +
		strings.Repeat(", ?", len(indicators)-1) + `) ORDER BY indicator_code, region_code, period`
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read indicator values: %w", err)
	}
	defer rows.Close()
	// The codes repeat on every row: scanned as raw bytes and interned,
	// each distinct one becomes a string once (a lookup by string(raw)
	// does not allocate).
	seen := map[string]string{}
	intern := func(raw sql.RawBytes) string {
		if s, ok := seen[string(raw)]; ok {
			return s
		}
		s := string(raw)
		seen[s] = s
		return s
	}
	var region, indicator, period sql.RawBytes
	var value float64
	for rows.Next() {
		if err := rows.Scan(&region, &indicator, &period, &value); err != nil {
			return err
		}
		if err := fn(intern(region), intern(indicator), intern(period), value); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ObservationsVersion implements kolaborasi.RankingStore.
func (s *Store) ObservationsVersion(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(ctx, `SELECT n FROM observation_changes WHERE id = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("read the observations' version: %w", err)
	}
	return n, nil
}

// bumpObservations counts one write of observations (in its transaction).
func (s *Store) bumpObservations(ctx context.Context) error {
	if _, err := s.exec(ctx, `UPDATE observation_changes SET n = n + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("count the observations' change: %w", err)
	}
	return nil
}
