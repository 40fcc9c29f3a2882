package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/catalog"
)

// indexDocVersion names how the app makes the catalog.Doc of a solution or
// a product (solutionIndex, productDoc): bump it when that changes (a new
// facet, another field), so that snapshots saved by the previous code are
// not loaded. The stored terms' analysis and the snapshot format are in
// the key already (snapshotKey).
const indexDocVersion = 1

// defaultSnapshotMin is the number of documents from which an index is
// worth persisting: below it a build takes milliseconds.
const defaultSnapshotMin = 2000

// WithIndexSnapshotMin sets how many documents an in-process index needs
// before it is saved as a snapshot (tests; 0 saves every index, a
// negative number none).
func WithIndexSnapshotMin(n int) Option {
	return func(a *App) {
		for _, c := range []*catalogState{a.catalog, a.products} {
			if c != nil {
				c.snapMin = n
			}
		}
	}
}

// snapshotKey names everything a persisted snapshot of this index depends
// on besides the rows' change numbers: the encoding, how documents are
// made from rows, and the analysis of the stored terms. A snapshot under
// another key is not loaded.
func (c *catalogState) snapshotKey(ctx context.Context) (string, error) {
	terms, err := c.app.store.Meta(ctx, c.src.termsMeta)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("catalog format %d; doc %d; terms %s", catalog.PersistFormat, indexDocVersion, terms), nil
}

// loadSnapshot returns the index saved in the database, or nil when there
// is none or it cannot be used (another key, damaged, ahead of the change
// counter): then the caller builds the index from the rows. The loaded
// index is at the snapshot's change number; the caller catches it up.
func (c *catalogState) loadSnapshot(ctx context.Context) *catalog.Index {
	if c.snapMin < 0 {
		return nil
	}
	start := time.Now()
	key, err := c.snapshotKey(ctx)
	if err != nil {
		c.app.log.Warn("read the "+c.src.name+" index snapshot", "err", err)
		return nil
	}
	snap, err := c.app.store.IndexSnapshot(ctx, c.src.name)
	if err != nil {
		c.app.log.Warn("read the "+c.src.name+" index snapshot", "err", err)
		return nil
	}
	if snap == nil {
		return nil
	}
	if snap.Key != key {
		c.app.log.Info("the "+c.src.name+" index snapshot is of another version: building the index", "have", snap.Key, "want", key)
		return nil
	}
	// Read after the snapshot: the counter never goes back, so a snapshot
	// beyond it was not saved from this database's rows (restored tables).
	counter, err := c.src.seq(ctx)
	if err != nil {
		c.app.log.Warn("read the "+c.src.name+" index snapshot", "err", err)
		return nil
	}
	if snap.Seq > counter {
		c.app.log.Warn("the "+c.src.name+" index snapshot is ahead of the database: building the index", "snapshot", snap.Seq, "counter", counter)
		return nil
	}
	read := time.Since(start)
	idx, err := catalog.Decode(snap.Data)
	if err == nil && idx.Seq() != snap.Seq {
		err = fmt.Errorf("change number %d, stored as %d", idx.Seq(), snap.Seq)
	}
	if err != nil {
		c.app.log.Warn("the "+c.src.name+" index snapshot cannot be loaded: building the index", "err", err)
		return nil
	}
	c.savedSeq.Store(idx.Seq())
	c.loaded.Store(true)
	c.app.log.Info("loaded the "+c.src.name+" index snapshot", "seq", idx.Seq(), "documents", idx.Len(),
		"bytes", len(snap.Data), "read", read.Round(time.Millisecond), "took", time.Since(start).Round(time.Millisecond))
	return idx
}

// loadOrBuild returns the index from its snapshot or, failing that, built
// from every row (and then saved in the background).
func (c *catalogState) loadOrBuild(ctx context.Context) (*catalog.Index, error) {
	if idx := c.loadSnapshot(ctx); idx != nil {
		return idx, nil
	}
	idx, err := c.buildIndex(ctx)
	if err != nil {
		return nil, err
	}
	c.saveLater(idx.Snapshot())
	return idx, nil
}

// noteApplied counts documents applied since the last save and saves the
// published snapshot when they reach a tenth of the index (at least
// defaultSnapshotMin / 2), so that a restart has little to catch up.
func (c *catalogState) noteApplied(n int, snap *catalog.Snapshot) {
	if n == 0 {
		return
	}
	if c.sinceSave.Add(int64(n)) >= int64(max(defaultSnapshotMin/2, snap.Len()/10)) {
		c.saveLater(snap)
	}
}

// saveLater encodes and saves snap in the background unless a save is
// running or the index is too small to be worth it. The snapshot is
// immutable, so neither searches nor writers wait for the save; the store
// writes it in parts of short transactions.
func (c *catalogState) saveLater(snap *catalog.Snapshot) {
	if c.snapMin < 0 || snap.Len() < c.snapMin || snap.Seq() <= c.savedSeq.Load() {
		return
	}
	if !c.saving.CompareAndSwap(false, true) {
		return
	}
	c.saves.Add(1)
	go func() {
		defer c.saves.Done()
		defer c.saving.Store(false)
		if err := c.save(context.Background(), snap); err != nil {
			c.app.log.Warn("save the "+c.src.name+" index snapshot", "err", err)
		}
	}()
}

func (c *catalogState) save(ctx context.Context, snap *catalog.Snapshot) error {
	start := time.Now()
	key, err := c.snapshotKey(ctx)
	if err != nil {
		return err
	}
	c.sinceSave.Store(0)
	data := snap.Encode()
	saved, err := c.app.store.SaveIndexSnapshot(ctx, c.src.name, kolaborasi.IndexSnapshot{Key: key, Seq: snap.Seq(), Data: data}, time.Now())
	if err != nil {
		return err
	}
	c.savedSeq.Store(snap.Seq())
	c.snapSaves.Add(1)
	c.app.log.Info("saved the "+c.src.name+" index snapshot", "seq", snap.Seq(), "documents", snap.Len(), "bytes", len(data),
		"replaced", saved, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// WaitIndexSnapshots waits for the index snapshots being saved (tests, and
// the server before it gives memory back after the start).
func (a *App) WaitIndexSnapshots() {
	for _, c := range []*catalogState{a.catalog, a.products} {
		if c != nil {
			c.saves.Wait()
		}
	}
}

// ErrNoIndex is returned by SaveIndexSnapshots for an index not built.
var ErrNoIndex = errors.New("no in-process index built")

// SaveIndexSnapshots saves the published snapshots of the built indexes
// now if they changed since the last save (kolaborasi serve at shutdown,
// tests).
func (a *App) SaveIndexSnapshots(ctx context.Context) error {
	var errs []error
	for _, c := range []*catalogState{a.catalog, a.products} {
		if c == nil || c.snapMin < 0 {
			continue
		}
		idx := c.idx.Load()
		if idx == nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.src.name, ErrNoIndex))
			continue
		}
		c.saves.Wait()
		if snap := idx.Snapshot(); snap.Seq() > c.savedSeq.Load() && snap.Len() >= c.snapMin {
			errs = append(errs, c.save(ctx, snap))
		}
	}
	return errors.Join(errs...)
}
