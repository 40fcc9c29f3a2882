package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/catalog"
)

// rebuildDeadShare is the share of replaced documents at which the index is
// built afresh, in the background, instead of only being caught up.
const rebuildDeadShare = 0.2

// maxCatchUpWait bounds how long a search waits for the index to catch up
// with a change made through another server copy before it searches the
// latest published snapshot instead (K10: no search waits longer than 5 ms).
const maxCatchUpWait = 5 * time.Millisecond

// catalogState holds the in-process catalog index of an App, built on the
// first search and kept in step with the database's change counter
// (solution_seq; see package catalog and docs/ARCHITECTURE.md).
//
// Who catches up: a write made through this App catches the index up after
// its commit, before the write returns, so this copy's next search sees it.
// A search that finds the counter ahead of the index (a write through
// another copy) starts one background catch-up and waits for it at most
// maxCatchUpWait. Searches never take the writer lock: they load the
// published snapshot with one atomic read.
//
// Consistency: every search searches one snapshot, which holds exactly the
// committed state at its change number, never a half-applied one. That
// number is at least the counter read before the search began, except when
// a catch-up took longer than maxCatchUpWait; then the search is counted as
// late (CatalogIndexStats.Late) and sees the state of a moment earlier.
type catalogState struct {
	app *App
	src indexSource
	// mu is the one writer: the first build, catch-ups and the swap of a
	// rebuilt index.
	mu  sync.Mutex
	idx atomic.Pointer[catalog.Index]
	// published is closed, and replaced, whenever a new snapshot is
	// published: waiting searches wake up and look again.
	published  atomic.Pointer[chan struct{}]
	rebuilding atomic.Bool
	// building says a first build started by Ready is running.
	building atomic.Bool
	// pending asks the background catch-up for another round; running
	// says whether it is running.
	pending, running atomic.Bool
	// Waits of searches for a catch-up.
	waits, late, rebuilds atomic.Int64
	waitNs, maxWaitNs     atomic.Int64
	// local holds the change numbers of writes through this App that have
	// committed but whose index catch-up has not published yet (under
	// localMu). A search that finds the index behind the counter only by
	// such numbers runs beside those writes, which have not returned: it
	// may answer from the published snapshot without waiting, as if it
	// had come a moment earlier. Numbers of another copy's writes are
	// never in it, so the wait for those stays.
	localMu sync.Mutex
	local   map[int64]struct{}
	// concurrent counts searches that answered beside a running local
	// write that way.
	concurrent atomic.Int64
	// Persisted snapshots (app/catalog_snapshot.go): snapMin documents
	// make an index worth saving (negative: never); saving says a save
	// runs, saves waits for it; savedSeq is the change number last saved
	// or loaded, sinceSave counts documents applied since; loaded says
	// the index came from a snapshot; snapSaves counts saves.
	snapMin             int
	saving, loaded      atomic.Bool
	saves               sync.WaitGroup
	savedSeq, sinceSave atomic.Int64
	snapSaves           atomic.Int64
}

// maxLocalGap bounds how many change numbers a search checks against the
// local ones before it simply waits.
const maxLocalGap = 64

// markLocal records change numbers a committed write through this App
// took (running true), until the index catch-up after it publishes them,
// and forgets them when the write returns (running false).
func (a *App) markLocal(taken []kolaborasi.ChangeNumber, running bool) {
	for _, n := range taken {
		c := a.catalog
		if n.Counter == "product" {
			c = a.products
		}
		if c == nil {
			continue
		}
		c.localMu.Lock()
		switch {
		case !running:
			delete(c.local, n.Seq)
		case c.local == nil:
			c.local = map[int64]struct{}{n.Seq: {}}
		default:
			c.local[n.Seq] = struct{}{}
		}
		c.localMu.Unlock()
	}
}

// onlyLocalAfter reports whether every change number in (from, to] is a
// committed local write's still being caught up.
func (c *catalogState) onlyLocalAfter(from, to int64) bool {
	if to-from > maxLocalGap {
		return false
	}
	c.localMu.Lock()
	defer c.localMu.Unlock()
	for n := from + 1; n <= to; n++ {
		if _, ok := c.local[n]; !ok {
			return false
		}
	}
	return true
}

// forgetLocal drops the local change numbers a published snapshot holds.
func (c *catalogState) forgetLocal(upTo int64) {
	c.localMu.Lock()
	defer c.localMu.Unlock()
	for n := range c.local {
		if n <= upTo {
			delete(c.local, n)
		}
	}
}

// CatalogIndexStats reports how searches waited for the in-process index.
type CatalogIndexStats struct {
	// Waits counts searches that found the index behind the change counter
	// and waited for a catch-up; MaxWait and TotalWait are the longest and
	// summed waits (never much over maxCatchUpWait).
	Waits              int64
	MaxWait, TotalWait time.Duration
	// Late counts searches that stopped waiting after maxCatchUpWait and
	// searched the latest published snapshot, behind the counter.
	Late int64
	// Concurrent counts searches that found the index behind only by
	// writes through this App still running, and answered without
	// waiting from the snapshot before them.
	Concurrent int64
	// Rebuilds counts background rebuilds that replaced the index.
	Rebuilds int64
	// Seq and Len describe the published snapshot.
	Seq int64
	Len int
	// Loaded says the index was loaded from its persisted snapshot;
	// Saves counts the snapshots this App saved.
	Loaded bool
	Saves  int64
}

// CatalogIndexStats returns the in-process index's wait statistics (zero
// without the index).
func (a *App) CatalogIndexStats() CatalogIndexStats { return a.catalog.stats() }

// ProductIndexStats is CatalogIndexStats of the products' index.
func (a *App) ProductIndexStats() CatalogIndexStats { return a.products.stats() }

func (c *catalogState) stats() CatalogIndexStats {
	if c == nil {
		return CatalogIndexStats{}
	}
	st := CatalogIndexStats{Waits: c.waits.Load(), MaxWait: time.Duration(c.maxWaitNs.Load()),
		TotalWait: time.Duration(c.waitNs.Load()), Late: c.late.Load(), Rebuilds: c.rebuilds.Load(), Concurrent: c.concurrent.Load(),
		Loaded: c.loaded.Load(), Saves: c.snapSaves.Load()}
	if idx := c.idx.Load(); idx != nil {
		snap := idx.Snapshot()
		st.Seq, st.Len = snap.Seq(), snap.Len()
	}
	return st
}

func (c *catalogState) recordWait(d time.Duration) {
	c.waits.Add(1)
	c.waitNs.Add(int64(d))
	for {
		m := c.maxWaitNs.Load()
		if int64(d) <= m || c.maxWaitNs.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

// publishedChan returns the channel closed at the next publication.
func (c *catalogState) publishedChan() chan struct{} {
	for {
		if ch := c.published.Load(); ch != nil {
			return *ch
		}
		ch := make(chan struct{})
		if c.published.CompareAndSwap(nil, &ch) {
			return ch
		}
	}
}

// notify wakes the searches waiting for a new snapshot and forgets the
// local change numbers it holds (under mu).
func (c *catalogState) notify() {
	if ch := c.published.Swap(nil); ch != nil {
		close(*ch)
	}
	if idx := c.idx.Load(); idx != nil {
		c.forgetLocal(idx.Seq())
	}
}

// WithoutCatalogIndex makes searches go to the database's full-text index
// every time (for comparisons and benchmarks of the SQL path): the
// catalog's and the products' (K6).
func WithoutCatalogIndex() Option { return func(a *App) { a.catalog, a.products = nil, nil } }

// indexSource is what an in-process index is built from: a change counter
// and the documents changed after a change number (solutions, products).
type indexSource struct {
	// name names the index in errors, logs and its persisted snapshot;
	// termsMeta is the meta key of its stored terms' analysis.
	name, termsMeta string
	seq             func(ctx context.Context) (int64, error)
	each            func(ctx context.Context, after int64, fn func(d catalog.Doc, seq int64) error) error
}

// solutionIndex returns the catalog index of solutions (solution_seq).
func solutionIndex(a *App) *catalogState {
	return &catalogState{app: a, snapMin: defaultSnapshotMin, src: indexSource{name: "catalog", termsMeta: metaSearchTerms, seq: a.store.SolutionSeq,
		each: func(ctx context.Context, after int64, fn func(catalog.Doc, int64) error) error {
			return a.store.EachSolutionEntryChangedAfter(ctx, after, func(e *kolaborasi.SolutionEntry) error {
				return fn(catalog.Doc{ID: e.ID, CreatedAt: e.CreatedAt.UnixMicro(), Adoptions: e.Adoptions,
					Retired: e.Maturity == kolaborasi.MaturityRetired, Facets: e.Facets, Terms: e.Terms, Seq: e.Seq}, e.Seq)
			})
		}}}
}

// currentSnapshot returns the snapshot a search should use: one at or
// after the change counter as this call read it, or, when catching up
// takes longer than maxCatchUpWait, the latest published one.
func (c *catalogState) currentSnapshot(ctx context.Context) (*catalog.Snapshot, error) {
	seq, err := c.src.seq(ctx)
	if err != nil {
		return nil, err
	}
	idx := c.idx.Load()
	if idx == nil {
		return c.firstBuild(ctx, seq)
	}
	snap := idx.Snapshot()
	if snap.Seq() >= seq {
		return snap, nil
	}
	if c.onlyLocalAfter(snap.Seq(), seq) {
		c.concurrent.Add(1)
		return snap, nil
	}
	start := time.Now()
	timer := time.NewTimer(maxCatchUpWait)
	defer timer.Stop()
	for {
		ch := c.publishedChan()
		snap := c.idx.Load().Snapshot()
		if snap.Seq() >= seq {
			c.recordWait(time.Since(start))
			return snap, nil
		}
		c.catchUpLater()
		select {
		case <-ch:
		case <-timer.C:
			c.recordWait(time.Since(start))
			c.late.Add(1)
			return c.idx.Load().Snapshot(), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// snapshotAtLeast returns a snapshot at or after change number seq,
// catching the index up itself (under the writer lock) when it is behind,
// however long that takes. It is for callers that keep what they compute
// from the snapshot under seq, such as the matchmaking graph: a late
// snapshot (currentSnapshot after maxCatchUpWait) would be kept as if it
// held seq, and another copy's write would stay missing from it until the
// counter moved again.
func (c *catalogState) snapshotAtLeast(ctx context.Context, seq int64) (*catalog.Snapshot, error) {
	idx := c.idx.Load()
	if idx == nil {
		return c.firstBuild(ctx, seq)
	}
	if snap := idx.Snapshot(); snap.Seq() >= seq {
		return snap, nil
	}
	if err := c.refresh(ctx); err != nil {
		return nil, err
	}
	return c.idx.Load().Snapshot(), nil
}

// firstBuild builds the index if no one has (the first search, or
// WarmCatalogIndex at start), under the writer lock.
func (c *catalogState) firstBuild(ctx context.Context, seq int64) (*catalog.Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	idx := c.idx.Load()
	if idx == nil {
		var err error
		if idx, err = c.loadOrBuild(ctx); err != nil {
			return nil, err
		}
		c.idx.Store(idx)
		c.notify()
	}
	if idx.Seq() < seq {
		if err := c.catchUp(ctx, idx, seq); err != nil {
			return nil, err
		}
		c.notify()
	}
	return idx.Snapshot(), nil
}

// buildLater starts the first build in the background unless one is
// running (Ready): a failed build is logged and tried again on the next
// call.
func (c *catalogState) buildLater() {
	if !c.building.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer c.building.Store(false)
		if _, err := c.currentSnapshot(context.Background()); err != nil {
			c.app.log.Error("build the "+c.src.name+" index", "err", err)
		}
	}()
}

// catchUpLater starts the background catch-up unless it is running; a
// running one goes round once more.
func (c *catalogState) catchUpLater() {
	c.pending.Store(true)
	if !c.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		for {
			for c.pending.Swap(false) {
				if err := c.refresh(context.Background()); err != nil {
					c.app.log.Error("catch up the "+c.src.name+" index", "err", err)
				}
			}
			c.running.Store(false)
			// A request made between the last round and the line above
			// found running still true: take it unless another goroutine
			// already did.
			if !c.pending.Load() || !c.running.CompareAndSwap(false, true) {
				return
			}
		}
	}()
}

// refreshCatalog brings the built indexes (solutions, products) up to
// their change counters after each write through this App, before the
// write returns.
func (a *App) refreshCatalog(ctx context.Context) error {
	return errors.Join(a.catalog.refresh(ctx), a.products.refresh(ctx))
}

// refresh brings a built index up to the change counter: after each write
// through this App (before the write returns) and in the background for
// searches that saw another copy's write.
func (c *catalogState) refresh(ctx context.Context) error {
	if c == nil {
		return nil
	}
	// Under the writer lock, so that a first build running now is waited
	// for and then caught up: it may have read the rows before this write.
	c.mu.Lock()
	defer c.mu.Unlock()
	idx := c.idx.Load()
	if idx == nil {
		return nil // the first search builds it, after this write
	}
	seq, err := c.src.seq(ctx)
	if err != nil || idx.Seq() >= seq {
		return err
	}
	if err := c.catchUp(ctx, idx, seq); err != nil {
		return err
	}
	c.notify()
	if idx.Dead() > rebuildDeadShare && c.rebuilding.CompareAndSwap(false, true) {
		go c.rebuildIndex()
	}
	return nil
}

// catchUp applies to idx every solution changed after its snapshot and
// labels the new snapshot with the change number of the state it read:
// the rows come from one statement, so that state is the counter value
// seen before (seen) or the newest row's number, whichever is higher.
func (c *catalogState) catchUp(ctx context.Context, idx *catalog.Index, seen int64) error {
	var docs []catalog.Doc
	top := seen
	err := c.src.each(ctx, idx.Seq(), func(d catalog.Doc, seq int64) error {
		docs = append(docs, d)
		top = max(top, seq)
		return nil
	})
	if err != nil {
		return fmt.Errorf("catch up the %s index: %w", c.src.name, err)
	}
	idx.Apply(docs, top)
	if idx == c.idx.Load() {
		c.noteApplied(len(docs), idx.Snapshot())
	}
	return nil
}

// buildIndex builds a new index from every stored solution.
func (c *catalogState) buildIndex(ctx context.Context) (*catalog.Index, error) {
	seen, err := c.src.seq(ctx)
	if err != nil {
		return nil, err
	}
	b := catalog.NewBuilder()
	var docs []catalog.Doc
	err = c.src.each(ctx, 0, func(d catalog.Doc, seq int64) error {
		docs = append(docs, d)
		seen = max(seen, seq)
		if len(docs) == 4096 {
			b.Add(docs)
			docs = docs[:0]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build the %s index: %w", c.src.name, err)
	}
	b.Add(docs)
	return b.Finish(seen), nil
}

// rebuildIndex builds a fresh index beside the current one (which goes on
// serving and catching up), brings it up to date and swaps it in: the only
// work under the writer lock is the last, small catch-up.
func (c *catalogState) rebuildIndex() {
	defer c.rebuilding.Store(false)
	ctx := context.Background()
	fresh, err := c.buildIndex(ctx)
	if err == nil {
		err = c.catchUp(ctx, fresh, fresh.Seq())
	}
	if err != nil {
		c.app.log.Error("rebuild the "+c.src.name+" index", "err", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// The rows read now hold at least the current index's state.
	if err := c.catchUp(ctx, fresh, c.idx.Load().Seq()); err != nil {
		c.app.log.Error("rebuild the "+c.src.name+" index", "err", err)
		return
	}
	c.idx.Store(fresh)
	c.notify()
	c.rebuilds.Add(1)
	c.saveLater(fresh.Snapshot())
}

// searchPage runs the filter on the in-process index when the App has
// one, else on the database. seq is the change number of the index
// snapshot searched (0 on the database). alt, when not nil, is the query
// in the other language, searched on the same snapshot when f finds
// nothing; usedAlt says its results were returned.
func (a *App) searchPage(ctx context.Context, f kolaborasi.SolutionFilter, alt *kolaborasi.TextQuery) (page *kolaborasi.SolutionPage, seq int64, usedAlt bool, err error) {
	var snap *catalog.Snapshot
	if a.catalog != nil {
		if snap, err = a.catalog.currentSnapshot(ctx); err != nil {
			return nil, 0, false, err
		}
	}
	if page, seq, err = a.searchIn(ctx, snap, f); err != nil || page.Total > 0 || alt == nil {
		return page, seq, false, err
	}
	// Nothing found: the alternative query, on the same snapshot.
	f.Text = alt
	altPage, altSeq, err := a.searchIn(ctx, snap, f)
	if err != nil || altPage.Total == 0 {
		return page, seq, false, err
	}
	return altPage, altSeq, true, nil
}

// searchIn searches the snapshot, or the database when there is none or
// the snapshot cannot answer.
func (a *App) searchIn(ctx context.Context, snap *catalog.Snapshot, f kolaborasi.SolutionFilter) (*kolaborasi.SolutionPage, int64, error) {
	if snap == nil {
		page, err := a.store.SearchSolutions(ctx, f)
		return page, 0, err
	}
	res, ok := snap.Search(f)
	if !ok {
		// No positive clause left: the database search explains it.
		page, err := a.store.SearchSolutions(ctx, f)
		return page, 0, err
	}
	page := &kolaborasi.SolutionPage{Total: res.Total, Facets: res.Facets}
	var err error
	if page.Solutions, err = a.solutionsAt(ctx, res.IDs, res.Seqs); err != nil {
		return nil, 0, err
	}
	return page, snap.Seq(), nil
}

// WarmCatalogIndex loads the in-process indexes from their persisted
// snapshots, or builds them (seconds at national scale), now rather than
// on the first search, and waits for the snapshots a build saves: call it
// at server start.
func (a *App) WarmCatalogIndex(ctx context.Context) error {
	if a.catalog == nil {
		return nil
	}
	if _, err := a.catalog.currentSnapshot(ctx); err != nil {
		return err
	}
	if _, err := a.products.currentSnapshot(ctx); err != nil {
		return err
	}
	a.WaitIndexSnapshots()
	return nil
}
