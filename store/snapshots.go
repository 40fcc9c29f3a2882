package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// snapshotPart is the size of one part of a persisted index snapshot: one
// short write transaction each.
const snapshotPart = 1 << 20

// SaveIndexSnapshot implements kolaborasi.IndexSnapshotStore. The parts go
// under a new generation (the time in nanoseconds, so that generations
// order by age); the last transaction checks that every part is there,
// makes the generation current when it is newer than the current one, and
// the parts of older generations are then deleted one per transaction. A
// save that crashed half-way leaves parts the next save deletes.
func (s *Store) SaveIndexSnapshot(ctx context.Context, name string, snap kolaborasi.IndexSnapshot, at time.Time) (bool, error) {
	if s.tx != nil {
		return false, errors.New("save an index snapshot: not inside a transaction")
	}
	gen := at.UnixNano()
	parts := 0
	for off := 0; off < len(snap.Data) || parts == 0; off += snapshotPart {
		part := snap.Data[off:min(off+snapshotPart, len(snap.Data))]
		if part == nil {
			part = []byte{} // NOT NULL
		}
		if _, err := s.exec(ctx, `INSERT INTO index_snapshot_parts (name, generation, part, data) VALUES (?, ?, ?, ?)`,
			name, gen, parts, part); err != nil {
			return false, fmt.Errorf("save the %s index snapshot: %w", name, err)
		}
		parts++
	}
	saved := false
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		saved = false
		var n int
		if err := t.queryRowW(ctx, `SELECT count(*) FROM index_snapshot_parts WHERE name = ? AND generation = ?`, name, gen).Scan(&n); err != nil {
			return err
		}
		if n != parts {
			return fmt.Errorf("%d of its %d parts are stored", n, parts)
		}
		res, err := t.exec(ctx, `INSERT INTO index_snapshots (name, generation, key, seq, size, parts, saved_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, key = excluded.key, seq = excluded.seq,
				size = excluded.size, parts = excluded.parts, saved_at = excluded.saved_at
			WHERE index_snapshots.key <> excluded.key OR index_snapshots.seq < excluded.seq`,
			name, gen, snap.Key, snap.Seq, len(snap.Data), parts, dbTime(at))
		if err != nil {
			return err
		}
		k, err := res.RowsAffected()
		saved = k > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("save the %s index snapshot: %w", name, err)
	}
	lost := int64(-1)
	if !saved {
		lost = gen
	}
	return saved, s.dropOldSnapshotParts(ctx, name, lost)
}

// dropOldSnapshotParts deletes the parts of generations older than the
// current one and of generation lost (a save that did not become
// current), one part per statement. Newer generations are left to the
// saves still writing them.
func (s *Store) dropOldSnapshotParts(ctx context.Context, name string, lost int64) error {
	var current int64
	err := s.queryRowW(ctx, `SELECT generation FROM index_snapshots WHERE name = ?`, name).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return fmt.Errorf("drop old %s index snapshots: %w", name, err)
	}
	rows, err := s.db.write.QueryContext(ctx, s.db.engine.rebind(`SELECT generation, part FROM index_snapshot_parts
		WHERE name = ? AND (generation < ? OR generation = ?) ORDER BY generation, part`), name, current, lost)
	if err != nil {
		return fmt.Errorf("drop old %s index snapshots: %w", name, err)
	}
	var old [][2]int64
	for rows.Next() {
		var g, p int64
		if err := rows.Scan(&g, &p); err != nil {
			rows.Close()
			return err
		}
		old = append(old, [2]int64{g, p})
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, gp := range old {
		if _, err := s.exec(ctx, `DELETE FROM index_snapshot_parts WHERE name = ? AND generation = ? AND part = ?`, name, gp[0], gp[1]); err != nil {
			return fmt.Errorf("drop old %s index snapshots: %w", name, err)
		}
	}
	return nil
}

// IndexSnapshot implements kolaborasi.IndexSnapshotStore: the head and its
// parts are read in one read-only transaction (one committed state), and
// a snapshot whose parts are missing or of another size is reported as an
// error.
func (s *Store) IndexSnapshot(ctx context.Context, name string) (*kolaborasi.IndexSnapshot, error) {
	var out *kolaborasi.IndexSnapshot
	err := s.readTx(ctx, func(t *Store) error {
		var gen, size int64
		var parts int
		snap := &kolaborasi.IndexSnapshot{}
		err := t.queryRow(ctx, `SELECT generation, key, seq, size, parts FROM index_snapshots WHERE name = ?`, name).
			Scan(&gen, &snap.Key, &snap.Seq, &size, &parts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if size < 0 || size > 1<<40 {
			return fmt.Errorf("size %d", size)
		}
		snap.Data = make([]byte, 0, size)
		rows, err := t.query(ctx, `SELECT part, data FROM index_snapshot_parts WHERE name = ? AND generation = ? ORDER BY part`, name, gen)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var p int
			var data sql.RawBytes
			if err := rows.Scan(&p, &data); err != nil {
				return err
			}
			if p != n {
				return fmt.Errorf("part %d missing", n)
			}
			snap.Data = append(snap.Data, data...)
			n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n != parts || int64(len(snap.Data)) != size {
			return fmt.Errorf("%d parts of %d bytes, want %d of %d", n, len(snap.Data), parts, size)
		}
		out = snap
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the %s index snapshot: %w", name, err)
	}
	return out, nil
}
