package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// PutIndicator implements kolaborasi.IndicatorStore.
func (s *Store) PutIndicator(ctx context.Context, ind *kolaborasi.Indicator) error {
	if ind.CreatedAt.IsZero() {
		ind.CreatedAt = ind.UpdatedAt
	}
	b, err := json.Marshal(ind)
	if err != nil {
		return fmt.Errorf("encode indicator: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO indicators (code, framework, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET framework = excluded.framework, updated_at = excluded.updated_at, data = excluded.data`,
		ind.Code, string(ind.Framework), dbTime(ind.CreatedAt), dbTime(ind.UpdatedAt), string(b))
	if err != nil {
		return translate(fmt.Errorf("put indicator %s: %w", ind.Code, err), "Indicator "+ind.Code)
	}
	return nil
}

func scanIndicator(sc interface{ Scan(...any) error }) (*kolaborasi.Indicator, error) {
	var created, updated nullTime
	var data string
	if err := sc.Scan(&created, &updated, &data); err != nil {
		return nil, err
	}
	var ind kolaborasi.Indicator
	if err := json.Unmarshal([]byte(data), &ind); err != nil {
		return nil, fmt.Errorf("decode indicator: %w", err)
	}
	ind.CreatedAt, ind.UpdatedAt = created.Time, updated.Time
	return &ind, nil
}

// Indicator implements kolaborasi.IndicatorStore.
func (s *Store) Indicator(ctx context.Context, code string) (*kolaborasi.Indicator, error) {
	ind, err := scanIndicator(s.queryRow(ctx, `SELECT created_at, updated_at, data FROM indicators WHERE code = ?`, code))
	if err != nil {
		return nil, notFound(err, "Indicator %s does not exist.", code)
	}
	return ind, nil
}

// Indicators implements kolaborasi.IndicatorStore.
func (s *Store) Indicators(ctx context.Context) ([]*kolaborasi.Indicator, error) {
	rows, err := s.query(ctx, `SELECT created_at, updated_at, data FROM indicators ORDER BY framework, code`)
	if err != nil {
		return nil, fmt.Errorf("list indicators: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.Indicator
	for rows.Next() {
		ind, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ind)
	}
	return out, rows.Err()
}

const observationColumns = `o.indicator_code, o.region_code, o.period, o.value, o.source, o.note, o.recorded_by, o.recorded_by_name, o.recorded_at`

func scanObservation(sc interface{ Scan(...any) error }) (*kolaborasi.Observation, error) {
	var o kolaborasi.Observation
	var by sql.NullInt64
	var at nullTime
	if err := sc.Scan(&o.Indicator, &o.RegionCode, &o.Period, &o.Value, &o.Source, &o.Note, &by, &o.RecordedByName, &at); err != nil {
		return nil, err
	}
	o.RecordedBy, o.RecordedAt = by.Int64, at.Time
	return &o, nil
}

// ExistingObservations implements kolaborasi.IndicatorStore: one query
// joining the keys (as a VALUES list, whose columns both engines name
// column1..3) to the primary key.
func (s *Store) ExistingObservations(ctx context.Context, keys []kolaborasi.ObservationKey) (map[kolaborasi.ObservationKey]*kolaborasi.Observation, error) {
	out := make(map[kolaborasi.ObservationKey]*kolaborasi.Observation)
	for start := 0; start < len(keys); start += observationBatch {
		batch := keys[start:min(start+observationBatch, len(keys))]
		var q strings.Builder
		q.WriteString(`SELECT ` + observationColumns + ` FROM (VALUES `)
		args := make([]any, 0, 3*len(batch))
		for i, k := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?)")
			args = append(args, k.Indicator, k.RegionCode, k.Period)
		}
		q.WriteString(`) AS k JOIN observations o ON o.indicator_code = k.column1 AND o.region_code = k.column2 AND o.period = k.column3`)
		rows, err := s.query(ctx, q.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("read existing observations: %w", err)
		}
		for rows.Next() {
			o, err := scanObservation(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[o.Key()] = o
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// observationBatch is how many observations one multi-row statement
// carries (9 parameters each: well under both engines' limits).
const observationBatch = 500

// UpsertObservations implements kolaborasi.IndicatorStore with multi-row
// INSERT ... ON CONFLICT DO UPDATE statements, all in one transaction.
func (s *Store) UpsertObservations(ctx context.Context, obs []*kolaborasi.Observation) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		if len(obs) > 0 {
			if err := t.bumpObservations(ctx); err != nil {
				return err
			}
		}
		for start := 0; start < len(obs); start += observationBatch {
			batch := obs[start:min(start+observationBatch, len(obs))]
			var q strings.Builder
			q.WriteString(`INSERT INTO observations (indicator_code, region_code, period, value, source, note, recorded_by, recorded_by_name, recorded_at) VALUES `)
			args := make([]any, 0, 9*len(batch))
			for i, o := range batch {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, o.Indicator, o.RegionCode, o.Period, o.Value, o.Source, o.Note, nullID(o.RecordedBy), o.RecordedByName, dbTime(o.RecordedAt))
			}
			q.WriteString(` ON CONFLICT (indicator_code, region_code, period) DO UPDATE SET value = excluded.value, source = excluded.source,
				note = excluded.note, recorded_by = excluded.recorded_by, recorded_by_name = excluded.recorded_by_name, recorded_at = excluded.recorded_at`)
			if _, err := t.exec(ctx, q.String(), args...); err != nil {
				return translate(fmt.Errorf("write observations: %w", err), "An observation")
			}
		}
		return nil
	})
}

// Observations implements kolaborasi.IndicatorStore.
func (s *Store) Observations(ctx context.Context, f kolaborasi.ObservationFilter, fn func(*kolaborasi.Observation) error) error {
	q := `SELECT ` + observationColumns + ` FROM observations o`
	var where []string
	var args []any
	if f.ProvinceCode != "" {
		q += ` JOIN regions r ON r.code = o.region_code`
		where = append(where, "r.province_code = ?")
		args = append(args, f.ProvinceCode)
	}
	for _, c := range []struct {
		cond, val string
	}{{"o.indicator_code = ?", f.Indicator}, {"o.region_code = ?", f.Region}, {"o.period >= ?", f.From}, {"o.period <= ?", f.To}} {
		if c.val != "" {
			where = append(where, c.cond)
			args = append(args, c.val)
		}
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY o.indicator_code, o.region_code, o.period"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("query observations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LatestObservations implements kolaborasi.IndicatorStore.
func (s *Store) LatestObservations(ctx context.Context, region string) ([]*kolaborasi.Observation, error) {
	rows, err := s.query(ctx, `SELECT `+observationColumns+` FROM observations o WHERE o.region_code = ?
		AND o.period = (SELECT MAX(l.period) FROM observations l WHERE l.region_code = o.region_code AND l.indicator_code = o.indicator_code)
		ORDER BY o.indicator_code`, region)
	if err != nil {
		return nil, fmt.Errorf("latest observations: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.Observation
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
