package app

import (
	"context"
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

// catalogState holds the in-process catalog index of an App, built on the
// first search and caught up before each search from the database's change
// counter (see package catalog and docs/ARCHITECTURE.md).
//
// Consistency: a search reads the counter (solution_seq) first and then
// searches a snapshot whose change number is at least that value, holding
// exactly the committed state at the snapshot's number. So a search sees
// every solution write committed before it began, on this server copy or
// any other (read-your-writes across copies), and never a half-applied one.
type catalogState struct {
	// mu is the one writer: the first build, catch-ups and the swap of a
	// rebuilt index. A search whose snapshot is current takes no lock.
	mu         sync.Mutex
	idx        atomic.Pointer[catalog.Index]
	rebuilding atomic.Bool
	// Waits of searches for a catch-up.
	waits, rebuilds   atomic.Int64
	waitNs, maxWaitNs atomic.Int64
}

// CatalogIndexStats reports how searches waited for the in-process index.
type CatalogIndexStats struct {
	// Waits counts searches that found the index behind the change counter
	// and waited for (or ran) a catch-up; MaxWait and TotalWait are the
	// longest and summed waits.
	Waits              int64
	MaxWait, TotalWait time.Duration
	// Rebuilds counts background rebuilds that replaced the index.
	Rebuilds int64
	// Seq and Len describe the published snapshot.
	Seq int64
	Len int
}

// CatalogIndexStats returns the in-process index's wait statistics (zero
// without the index).
func (a *App) CatalogIndexStats() CatalogIndexStats {
	c := a.catalog
	if c == nil {
		return CatalogIndexStats{}
	}
	st := CatalogIndexStats{Waits: c.waits.Load(), MaxWait: time.Duration(c.maxWaitNs.Load()),
		TotalWait: time.Duration(c.waitNs.Load()), Rebuilds: c.rebuilds.Load()}
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

// WithoutCatalogIndex makes searches go to the database's full-text index
// every time (for comparisons and benchmarks of the SQL path).
func WithoutCatalogIndex() Option { return func(a *App) { a.catalog = nil } }

func indexDoc(s *kolaborasi.Solution) catalog.Doc {
	return catalog.Doc{ID: s.ID, CreatedAt: s.CreatedAt.UnixMicro(), Adoptions: s.Adoptions,
		Retired: s.Maturity == kolaborasi.MaturityRetired, Facets: s.FacetValues(), Terms: s.Terms}
}

// currentSnapshot returns a snapshot of the index at or after the change
// counter as this call read it.
func (a *App) currentSnapshot(ctx context.Context) (*catalog.Snapshot, error) {
	c := a.catalog
	seq, err := a.store.SolutionSeq(ctx)
	if err != nil {
		return nil, err
	}
	if idx := c.idx.Load(); idx != nil {
		if snap := idx.Snapshot(); snap.Seq() >= seq {
			return snap, nil
		}
	}
	start := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	idx := c.idx.Load()
	if idx == nil {
		if idx, err = a.buildIndex(ctx); err != nil {
			return nil, err
		}
		c.idx.Store(idx)
		if idx.Seq() >= seq {
			return idx.Snapshot(), nil
		}
	}
	// Behind: wait for the catch-up in flight (the lock above) or run one.
	defer func() { c.recordWait(time.Since(start)) }()
	if snap := idx.Snapshot(); snap.Seq() >= seq {
		return snap, nil
	}
	if err := a.catchUp(ctx, idx, seq); err != nil {
		return nil, err
	}
	if idx.Dead() > rebuildDeadShare && c.rebuilding.CompareAndSwap(false, true) {
		go a.rebuildIndex()
	}
	return idx.Snapshot(), nil
}

// catchUp applies to idx every solution changed after its snapshot and
// labels the new snapshot with the change number of the state it read:
// the rows come from one statement, so that state is the counter value
// seen before (seen) or the newest row's number, whichever is higher.
func (a *App) catchUp(ctx context.Context, idx *catalog.Index, seen int64) error {
	var docs []catalog.Doc
	top := seen
	err := a.store.EachSolutionChangedAfter(ctx, idx.Seq(), func(s *kolaborasi.Solution, seq int64) error {
		docs = append(docs, indexDoc(s))
		top = max(top, seq)
		return nil
	})
	if err != nil {
		return fmt.Errorf("catch up the catalog index: %w", err)
	}
	idx.Apply(docs, top)
	return nil
}

// buildIndex builds a new index from every stored solution.
func (a *App) buildIndex(ctx context.Context) (*catalog.Index, error) {
	seen, err := a.store.SolutionSeq(ctx)
	if err != nil {
		return nil, err
	}
	b := catalog.NewBuilder()
	var docs []catalog.Doc
	err = a.store.EachSolutionChangedAfter(ctx, 0, func(s *kolaborasi.Solution, seq int64) error {
		docs = append(docs, indexDoc(s))
		seen = max(seen, seq)
		if len(docs) == 4096 {
			b.Add(docs)
			docs = docs[:0]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build the catalog index: %w", err)
	}
	b.Add(docs)
	return b.Finish(seen), nil
}

// rebuildIndex builds a fresh index beside the current one (which goes on
// serving and catching up), brings it up to date and swaps it in: the only
// work under the writer lock is the last, small catch-up.
func (a *App) rebuildIndex() {
	c := a.catalog
	defer c.rebuilding.Store(false)
	ctx := context.Background()
	fresh, err := a.buildIndex(ctx)
	if err == nil {
		err = a.catchUp(ctx, fresh, fresh.Seq())
	}
	if err != nil {
		a.log.Error("rebuild the catalog index", "err", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// The rows read now hold at least the current index's state.
	if err := a.catchUp(ctx, fresh, c.idx.Load().Seq()); err != nil {
		a.log.Error("rebuild the catalog index", "err", err)
		return
	}
	c.idx.Store(fresh)
	c.rebuilds.Add(1)
}

// searchPage runs the filter on the in-process index when the App has
// one, else on the database. seq is the change number of the index
// snapshot searched (0 on the database).
func (a *App) searchPage(ctx context.Context, f kolaborasi.SolutionFilter) (page *kolaborasi.SolutionPage, seq int64, err error) {
	if a.catalog == nil {
		page, err = a.store.SearchSolutions(ctx, f)
		return page, 0, err
	}
	snap, err := a.currentSnapshot(ctx)
	if err != nil {
		return nil, 0, err
	}
	res, ok := snap.Search(f)
	if !ok {
		// No positive clause left: the database search explains it.
		page, err = a.store.SearchSolutions(ctx, f)
		return page, 0, err
	}
	page = &kolaborasi.SolutionPage{Total: res.Total, Facets: res.Facets}
	if page.Solutions, err = a.store.FindSolutionsByID(ctx, res.IDs); err != nil {
		return nil, 0, err
	}
	return page, snap.Seq(), nil
}

// WarmCatalogIndex builds the in-process index now rather than on the first
// search (a few seconds at national scale): call it at server start.
func (a *App) WarmCatalogIndex(ctx context.Context) error {
	if a.catalog == nil {
		return nil
	}
	_, err := a.currentSnapshot(ctx)
	return err
}
