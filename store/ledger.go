package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// rowsPerInsert bounds the rows of one multi-row INSERT of log data, well
// under both engines' limits on bound parameters.
const rowsPerInsert = 500

// LockLog implements kolaborasi.LogStore. The no-op UPDATE takes the row
// lock on PostgreSQL; SQLite transactions already hold the write lock.
func (s *Store) LockLog(ctx context.Context) (int64, error) {
	if s.tx == nil {
		return 0, errors.New("lock log: not in a transaction")
	}
	var size int64
	err := s.writer().QueryRowContext(ctx, `UPDATE log_head SET size = size WHERE id = 1 RETURNING size`).Scan(&size)
	if err != nil {
		return 0, fmt.Errorf("lock log: %w", err)
	}
	return size, nil
}

// AppendLog implements kolaborasi.LogStore.
func (s *Store) AppendLog(ctx context.Context, b *kolaborasi.LogAppend) error {
	if s.tx == nil {
		return s.InTx(ctx, func(tx kolaborasi.Store) error { return tx.AppendLog(ctx, b) })
	}
	if b.Size != b.OldSize+int64(len(b.Records)) {
		return fmt.Errorf("append log: size %d after %d records on %d", b.Size, len(b.Records), b.OldSize)
	}
	res, err := s.exec(ctx, `UPDATE log_head SET size = ? WHERE id = 1 AND size = ?`, b.Size, b.OldSize)
	if err != nil {
		return fmt.Errorf("append log: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The public log grew meanwhile; try again.")
	}
	for start := 0; start < len(b.Records); start += rowsPerInsert {
		recs := b.Records[start:min(start+rowsPerInsert, len(b.Records))]
		args := make([]any, 0, 6*len(recs))
		for i, r := range recs {
			if r.Index != b.OldSize+int64(start+i) {
				return fmt.Errorf("append log: record %d has index %d", b.OldSize+int64(start+i), r.Index)
			}
			args = append(args, r.Index, r.Type, r.AgreementID, r.Version, r.KeyID, r.Data)
		}
		q := `INSERT INTO log_records (idx, type, agreement_id, version, key_id, data) VALUES ` + placeholders(len(recs), 6)
		if _, err := s.exec(ctx, q, args...); err != nil {
			return translate(fmt.Errorf("append log records: %w", err), "A log record")
		}
	}
	for start := 0; start < len(b.Hashes); start += rowsPerInsert {
		hs := b.Hashes[start:min(start+rowsPerInsert, len(b.Hashes))]
		args := make([]any, 0, 2*len(hs))
		for i := range hs {
			args = append(args, b.HashIndex+int64(start+i), hs[i][:])
		}
		q := `INSERT INTO log_hashes (idx, hash) VALUES ` + placeholders(len(hs), 2)
		if _, err := s.exec(ctx, q, args...); err != nil {
			return translate(fmt.Errorf("append log hashes: %w", err), "A log hash")
		}
	}
	_, err = s.exec(ctx, `INSERT INTO log_checkpoints (size, checkpoint, created_at) VALUES (?, ?, ?)`,
		b.Size, string(b.Checkpoint), dbTime(b.At))
	if err != nil {
		return translate(fmt.Errorf("store checkpoint: %w", err), "A checkpoint of this size")
	}
	return nil
}

// placeholders returns "(?, ?), (?, ?)" for n rows of k columns.
func placeholders(n, k int) string {
	row := "(" + strings.Repeat("?, ", k-1) + "?)"
	var b strings.Builder
	b.Grow(n * (len(row) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// ReadLogHashes implements kolaborasi.LogStore.
func (s *Store) ReadLogHashes(ctx context.Context, indexes []int64) ([][32]byte, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	want := make(map[int64]int, len(indexes))
	args := make([]any, 0, len(indexes))
	for _, x := range indexes {
		if _, ok := want[x]; !ok {
			want[x] = len(args)
			args = append(args, x)
		}
	}
	got := make([][32]byte, len(args))
	found := make([]bool, len(args))
	for start := 0; start < len(args); start += rowsPerInsert {
		part := args[start:min(start+rowsPerInsert, len(args))]
		rows, err := s.query(ctx, `SELECT idx, hash FROM log_hashes WHERE idx IN (`+strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")+`)`, part...)
		if err != nil {
			return nil, fmt.Errorf("read log hashes: %w", err)
		}
		for rows.Next() {
			var idx int64
			var h []byte
			if err := rows.Scan(&idx, &h); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan log hash: %w", err)
			}
			i := want[idx]
			if len(h) != 32 {
				rows.Close()
				return nil, fmt.Errorf("log hash %d has %d bytes", idx, len(h))
			}
			copy(got[i][:], h)
			found[i] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read log hashes: %w", err)
		}
	}
	out := make([][32]byte, len(indexes))
	for i, x := range indexes {
		j := want[x]
		if !found[j] {
			return nil, fmt.Errorf("log hash %d not stored", x)
		}
		out[i] = got[j]
	}
	return out, nil
}

// LatestCheckpoint implements kolaborasi.LogStore.
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, int64, error) {
	var text string
	var size int64
	err := s.queryRow(ctx, `SELECT checkpoint, size FROM log_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&text, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, fmt.Errorf("read latest checkpoint: %w", err)
	}
	return []byte(text), size, nil
}

const logRecordColumns = `idx, type, agreement_id, version, key_id, data`

func (s *Store) logRecords(ctx context.Context, q string, args ...any) ([]*kolaborasi.LogRecord, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find log records: %w", err)
	}
	defer rows.Close()
	out := []*kolaborasi.LogRecord{}
	for rows.Next() {
		var r kolaborasi.LogRecord
		if err := rows.Scan(&r.Index, &r.Type, &r.AgreementID, &r.Version, &r.KeyID, &r.Data); err != nil {
			return nil, fmt.Errorf("scan log record: %w", err)
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// FindLogRecords implements kolaborasi.LogStore.
func (s *Store) FindLogRecords(ctx context.Context, start, end int64) ([]*kolaborasi.LogRecord, error) {
	return s.logRecords(ctx, `SELECT `+logRecordColumns+` FROM log_records WHERE idx >= ? AND idx < ? ORDER BY idx`, start, end)
}

// FindAgreementLogRecords implements kolaborasi.LogStore.
func (s *Store) FindAgreementLogRecords(ctx context.Context, agreementID string, version int64, keyIDs []string, size int64) ([]*kolaborasi.LogRecord, error) {
	q := `SELECT ` + logRecordColumns + ` FROM log_records WHERE idx < ? AND ((agreement_id = ? AND version = ?)`
	args := []any{size, agreementID, version}
	if len(keyIDs) > 0 {
		q += ` OR (type IN ('key_registered', 'key_revoked') AND key_id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(keyIDs)), ",") + `))`
		for _, k := range keyIDs {
			args = append(args, k)
		}
	}
	return s.logRecords(ctx, q+`) ORDER BY idx`, args...)
}

// LogKey implements kolaborasi.LogStore.
func (s *Store) LogKey(ctx context.Context) (string, string, error) {
	var signer, verifier string
	err := s.queryRow(ctx, `SELECT signer, verifier FROM log_key WHERE id = 1`).Scan(&signer, &verifier)
	if err != nil {
		return "", "", notFound(fmt.Errorf("read log key: %w", err), "The public log has no key yet.")
	}
	return signer, verifier, nil
}

// InitLogKey implements kolaborasi.LogStore.
func (s *Store) InitLogKey(ctx context.Context, verifier string) error {
	_, err := s.exec(ctx, `INSERT INTO log_key (id, signer, verifier) VALUES (1, '', ?) ON CONFLICT (id) DO NOTHING`, verifier)
	if err != nil {
		return fmt.Errorf("store log key: %w", err)
	}
	return nil
}

// ClearLogSigner implements kolaborasi.LogStore. Outside a transaction it
// also rewrites the database so no free page keeps the old value: SQLite
// zeroes deleted content (secure_delete), is vacuumed and its WAL
// truncated; PostgreSQL rewrites the table (VACUUM FULL). Copies and
// backups made before keep the key; see docs/SECURITY.md.
func (s *Store) ClearLogSigner(ctx context.Context) error {
	if s.tx != nil {
		_, err := s.exec(ctx, `UPDATE log_key SET signer = '' WHERE id = 1`)
		return err
	}
	var steps []string
	if s.db.engine == SQLite {
		steps = []string{`PRAGMA secure_delete = ON`, `UPDATE log_key SET signer = '' WHERE id = 1`, `VACUUM`,
			`PRAGMA wal_checkpoint(TRUNCATE)`, `PRAGMA secure_delete = OFF`}
	} else {
		steps = []string{`UPDATE log_key SET signer = '' WHERE id = 1`, `VACUUM FULL log_key`}
	}
	// One connection, so the pragmas apply to the statements after them.
	conn, err := s.db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("erase log signing key: %w", err)
	}
	defer conn.Close()
	for _, q := range steps {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("erase log signing key (%s): %w", q, err)
		}
	}
	return nil
}
