package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
)

const needColumns = `id, version, created_at, updated_at, data`

func scanNeed(sc interface{ Scan(...any) error }) (*kolaborasi.Need, error) {
	var id int64
	var version int
	var created, updated nullTime
	var data string
	if err := sc.Scan(&id, &version, &created, &updated, &data); err != nil {
		return nil, err
	}
	var n kolaborasi.Need
	if err := json.Unmarshal([]byte(data), &n); err != nil {
		return nil, fmt.Errorf("decode need %d: %w", id, err)
	}
	n.ID, n.Version, n.CreatedAt, n.UpdatedAt = id, version, created.Time, updated.Time
	return &n, nil
}

func needJSON(n *kolaborasi.Need) (string, error) {
	b, err := json.Marshal(n)
	if err != nil {
		return "", fmt.Errorf("encode need: %w", err)
	}
	return string(b), nil
}

// nextNeedSeq raises the change counter of needs in the transaction.
func (s *Store) nextNeedSeq(ctx context.Context) error {
	if _, err := s.exec(ctx, `UPDATE need_seq SET seq = seq + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("advance the need change counter: %w", err)
	}
	return nil
}

// CreateNeed implements kolaborasi.NeedStore.
func (s *Store) CreateNeed(ctx context.Context, n *kolaborasi.Need) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		if err := t.nextNeedSeq(ctx); err != nil {
			return err
		}
		n.Version = 1
		data, err := needJSON(n)
		if err != nil {
			return err
		}
		err = t.queryRowW(ctx, `INSERT INTO needs (region_code, opd_id, status, version, created_at, updated_at, data)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, n.RegionCode, nullID(n.OPDID), string(n.Status), n.Version,
			dbTime(n.CreatedAt), dbTime(n.UpdatedAt), data).Scan(&n.ID)
		if err != nil {
			return translate(fmt.Errorf("create need: %w", err), "The need")
		}
		return nil
	})
}

// UpdateNeed implements kolaborasi.NeedStore. n.Version is raised only when
// the update commits (the transaction may run more than once).
func (s *Store) UpdateNeed(ctx context.Context, n *kolaborasi.Need) error {
	read := n.Version
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		if err := t.nextNeedSeq(ctx); err != nil {
			return err
		}
		n.Version = read + 1
		data, err := needJSON(n)
		if err != nil {
			return err
		}
		res, err := t.exec(ctx, `UPDATE needs SET opd_id = ?, status = ?, version = ?, updated_at = ?, data = ?
			WHERE id = ? AND version = ?`, nullID(n.OPDID), string(n.Status), n.Version, dbTime(n.UpdatedAt), data, n.ID, read)
		if err != nil {
			return translate(fmt.Errorf("update need %d: %w", n.ID, err), "The need")
		}
		if c, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("rows affected: %w", err)
		} else if c == 0 {
			if _, err := t.FindNeed(ctx, n.ID); err != nil {
				return err
			}
			return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Need %d was changed by someone else since version %d; reload it and make your change again.", n.ID, read)
		}
		return nil
	})
	if err != nil {
		n.Version = read
	}
	return err
}

// FindNeed implements kolaborasi.NeedStore.
func (s *Store) FindNeed(ctx context.Context, id int64) (*kolaborasi.Need, error) {
	n, err := scanNeed(s.queryRow(ctx, `SELECT `+needColumns+` FROM needs WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find need %d: %w", id, err), "Need %d does not exist.", id)
	}
	return n, nil
}

// FindNeeds implements kolaborasi.NeedStore.
func (s *Store) FindNeeds(ctx context.Context, f kolaborasi.NeedFilter) ([]*kolaborasi.Need, error) {
	q, args := `SELECT `+needColumns+` FROM needs WHERE 1 = 1`, []any{}
	if f.Region != "" {
		q, args = q+` AND region_code = ?`, append(args, f.Region)
	}
	if f.Status != "" {
		q, args = q+` AND status = ?`, append(args, string(f.Status))
	}
	rows, err := s.query(ctx, q+` ORDER BY region_code, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find needs: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.Need
	for rows.Next() {
		n, err := scanNeed(rows)
		if err != nil {
			return nil, fmt.Errorf("scan need: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NeedSeq implements kolaborasi.NeedStore.
func (s *Store) NeedSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.queryRow(ctx, `SELECT seq FROM need_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read the need change counter: %w", err)
	}
	return seq, nil
}
