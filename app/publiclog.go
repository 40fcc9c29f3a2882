package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// LogOrigin is the origin of this installation's public log: the first line
// of its checkpoints and the name of its note key.
const LogOrigin = ledger.DefaultOrigin

// MaxLogRange bounds the entries LogEntries returns at once.
const MaxLogRange = 1000

// hashStore adapts a kolaborasi.LogStore to ledger.HashReader.
type hashStore struct{ s kolaborasi.LogStore }

// ReadHashes implements ledger.HashReader.
func (h hashStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	hs, err := h.s.ReadLogHashes(ctx, indexes)
	if err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(hs))
	for i := range hs {
		out[i] = tlog.Hash(hs[i])
	}
	return out, nil
}

// logSigner returns the log's note signer after checking that the log may
// be appended to by this App: it has the key file's key, the database's
// log is signed with it (storing its verifier key on first use; concurrent
// first uses agree, the first stored key wins) and the log is not behind
// what was published.
func (a *App) logSigner(ctx context.Context, tx kolaborasi.Store, size int64) (note.Signer, error) {
	if err := a.checkAppend(ctx, size); err != nil {
		return nil, err
	}
	signer, verifier, err := tx.LogKey(ctx)
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
		if err := tx.InitLogKey(ctx, a.logs.key.VerifierKey()); err != nil {
			return nil, err
		}
		signer, verifier, err = tx.LogKey(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := a.checkStoredKey(signer, verifier); err != nil {
		return nil, err
	}
	return a.logs.key.Signer(), nil
}

// appendLog appends entries to the public log as one batch with one signed
// checkpoint, inside the transaction tx of the business rows they record,
// and returns the index of the first entry. Once tx commits, the
// checkpoint is recorded as published (the checkpoint file).
func (a *App) appendLog(ctx context.Context, tx kolaborasi.Store, entries ...ledger.Entry) (int64, error) {
	size, err := tx.LockLog(ctx)
	if err != nil {
		return 0, err
	}
	signer, err := a.logSigner(ctx, tx, size)
	if err != nil {
		return 0, err
	}
	b, err := ledger.AppendBatch(ctx, hashStore{tx}, size, entries)
	if err != nil {
		return 0, fmt.Errorf("append to public log: %w", err)
	}
	c := b.Checkpoint(LogOrigin)
	cp, err := ledger.SignCheckpoint(c, signer)
	if err != nil {
		return 0, err
	}
	la := &kolaborasi.LogAppend{OldSize: size, HashIndex: b.HashIndex, Size: b.Size, Checkpoint: cp, At: a.now(),
		Records: make([]kolaborasi.LogRecord, len(entries)), Hashes: make([][32]byte, len(b.Hashes))}
	for i, e := range entries {
		r := kolaborasi.LogRecord{Index: size + int64(i), Type: string(e.EntryType()), Data: b.Records[i]}
		switch e := e.(type) {
		case *ledger.KeyRegistered:
			r.KeyID = e.KeyID
		case *ledger.KeyRevoked:
			r.KeyID = e.KeyID
		case *ledger.SignatureEntry:
			r.AgreementID, r.Version, r.KeyID = e.AgreementID, e.Version, e.KeyID
		case *ledger.StatusChange:
			r.AgreementID, r.Version = e.AgreementID, e.Version
		}
		la.Records[i] = r
	}
	for i, h := range b.Hashes {
		la.Hashes[i] = h
	}
	if err := tx.AppendLog(ctx, la); err != nil {
		return 0, err
	}
	if a.batch != nil {
		// Within a batch the checkpoint is published once, when the
		// batch commits: each one extends the one before.
		a.batch.cp, a.batch.c, a.batch.pending = cp, c, true
		return size, nil
	}
	tx.AfterCommit(func() { a.publishCheckpoint(cp, c) })
	return size, nil
}

// LogVerifierKey returns the public note verifier key of the log
// ("kolaborasi.id/log+<hash>+<key>"), with which anyone checks checkpoints
// and bundles. It is not_found before the first entry.
func (a *App) LogVerifierKey(ctx context.Context) (string, error) {
	_, v, err := a.store.LogKey(ctx)
	return v, err
}

// LogCheckpoint returns the latest signed checkpoint (C2SP tlog-checkpoint
// signed note) and its tree size; not_found for an empty log.
func (a *App) LogCheckpoint(ctx context.Context) ([]byte, int64, error) {
	cp, size, err := a.store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, 0, err
	}
	if cp == nil {
		return nil, 0, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "The public log is empty.")
	}
	return cp, size, nil
}

// checkSize checks that 0 ≤ n ≤ the current log size and returns that size.
func (a *App) checkSize(ctx context.Context, field string, n int64) (int64, error) {
	_, size, err := a.store.LatestCheckpoint(ctx)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > size {
		return 0, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: fmt.Sprintf("The log has %d entries.", size),
			Fields: map[string]string{field: "must be between 0 and " + strconv.FormatInt(size, 10)}}
	}
	return size, nil
}

// LogInclusionProof returns the inclusion proof of the entry at index in the
// tree of size entries (0 means the latest size).
func (a *App) LogInclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	cur, err := a.checkSize(ctx, "size", size)
	if err != nil {
		return nil, err
	}
	if size == 0 {
		size = cur
	}
	if index < 0 || index >= size {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "No such log entry in that tree.",
			Fields: map[string]string{"index": "must be below the tree size " + strconv.FormatInt(size, 10)}}
	}
	return ledger.ProveInclusion(ctx, hashStore{a.store}, size, index)
}

// LogConsistencyProof returns the proof that the tree of to entries extends
// the tree of from entries.
func (a *App) LogConsistencyProof(ctx context.Context, from, to int64) (tlog.TreeProof, error) {
	if _, err := a.checkSize(ctx, "to", to); err != nil {
		return nil, err
	}
	if from < 0 || from > to {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The old size must not exceed the new one.",
			Fields: map[string]string{"from": "must be between 0 and " + strconv.FormatInt(to, 10)}}
	}
	return ledger.ProveConsistency(ctx, hashStore{a.store}, from, to)
}

// LogEntry is one public log entry as served by GET /api/v1/log/entries:
// its index, type and canonical record (a JSON object, the exact bytes
// hashed into the tree).
type LogEntry struct {
	Index  int64           `json:"index"`
	Type   string          `json:"type"`
	Record json.RawMessage `json:"entry"`
}

// LogEntries returns the entries with indexes in [start, end), at most
// MaxLogRange of them.
func (a *App) LogEntries(ctx context.Context, start, end int64) ([]LogEntry, error) {
	if _, err := a.checkSize(ctx, "end", end); err != nil {
		return nil, err
	}
	if start < 0 || start > end || end-start > MaxLogRange {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: fmt.Sprintf("Ask for at most %d entries from a start below the end.", MaxLogRange),
			Fields: map[string]string{"start": "must be at most end, and end-start at most " + strconv.Itoa(MaxLogRange)}}
	}
	rs, err := a.store.FindLogRecords(ctx, start, end)
	if err != nil {
		return nil, err
	}
	out := make([]LogEntry, len(rs))
	for i, r := range rs {
		out[i] = LogEntry{Index: r.Index, Type: r.Type, Record: r.Data}
	}
	return out, nil
}
