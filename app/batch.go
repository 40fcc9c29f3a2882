package app

import (
	"context"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// batchState is what an App running inside Batch keeps for the end of the
// batch: the latest checkpoint its appends signed, published once when
// the batch commits rather than once per append.
type batchState struct {
	cp      []byte
	c       ledger.Checkpoint
	pending bool
}

// Batch runs fn with an App whose use cases all run in one transaction:
// each use case fn calls on it is validated, authorised and audited (and,
// for agreements, appended to the public log with its signed checkpoint)
// exactly as when it is called alone, but they commit together, or,
// when fn or any of them fails, nothing of them is written. It is for
// loading many rows at once (kolaborasi gen): one commit, one published
// checkpoint and one catch-up of the in-process indexes per batch instead
// of one per use case.
//
// The App fn receives is valid only until fn returns and must not be used
// concurrently. fn may run more than once when the store retries a
// transaction that met a conflicting one (PostgreSQL serialisation
// failures): it must not keep anything from an attempt that failed.
func (a *App) Batch(ctx context.Context, fn func(b *App) error) error {
	var bs *batchState
	err := a.store.InTx(ctx, func(tx kolaborasi.Store) error {
		b := a.inTx(tx)
		bs = b.batch
		return fn(b)
	})
	if err != nil {
		return err
	}
	if bs.pending {
		a.publishCheckpoint(bs.cp, bs.c)
	}
	if rerr := a.refreshCatalog(context.WithoutCancel(ctx)); rerr != nil {
		a.log.Error("catch up the catalog index", "err", rerr)
	}
	return nil
}

// inTx returns an App over the transaction tx for Batch. It shares a's
// clock, logger, password settings and public log key and published
// checkpoint; it has no in-process search indexes (its writes are not
// committed yet; a catches up after the commit), no verification cache
// and empty caches of its own, so nothing read in the transaction is kept
// beyond it.
func (a *App) inTx(tx kolaborasi.Store) *App {
	return &App{store: tx, now: a.now, log: a.log, hashes: a.hashes, hashCost: a.hashCost, logs: a.logs,
		solutions: newSolutionCache(), batch: &batchState{}}
}
