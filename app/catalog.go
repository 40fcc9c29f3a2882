package app

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/catalog"
)

// rebuildDeadShare is the share of replaced documents at which the index is
// built afresh instead of being caught up.
const rebuildDeadShare = 0.2

// catalogState holds the in-process catalog index of an App, built on the
// first search and caught up before each search from the database's change
// counter (see package catalog).
type catalogState struct {
	// mu serialises building and catching up; a search whose index is
	// current takes no lock but the index's own read lock.
	mu  sync.Mutex
	idx atomic.Pointer[catalog.Index]
}

// WithoutCatalogIndex makes searches go to the database's full-text index
// every time (for comparisons and benchmarks of the SQL path).
func WithoutCatalogIndex() Option { return func(a *App) { a.catalog = nil } }

func indexDoc(s *kolaborasi.Solution) catalog.Doc {
	return catalog.Doc{ID: s.ID, CreatedAt: s.CreatedAt.UnixMicro(), Adoptions: s.Adoptions,
		Retired: s.Maturity == kolaborasi.MaturityRetired, Facets: s.FacetValues(), Terms: s.Terms}
}

// currentIndex returns the index caught up with the database.
func (a *App) currentIndex(ctx context.Context) (*catalog.Index, error) {
	c := a.catalog
	seq, err := a.store.SolutionSeq(ctx)
	if err != nil {
		return nil, err
	}
	if idx := c.idx.Load(); idx != nil && idx.Seq() >= seq {
		return idx, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	idx, after := c.idx.Load(), int64(0)
	if idx != nil && idx.Seq() >= seq {
		return idx, nil // another search caught up meanwhile
	}
	if idx == nil || idx.Dead() > rebuildDeadShare {
		idx = catalog.New()
	} else {
		after = idx.Seq()
	}
	var docs []catalog.Doc
	err = a.store.EachSolutionChangedAfter(ctx, after, func(s *kolaborasi.Solution) error {
		docs = append(docs, indexDoc(s))
		if len(docs) == 4096 {
			idx.Add(docs)
			docs = docs[:0]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catch up the catalog index: %w", err)
	}
	idx.Apply(docs, seq)
	c.idx.Store(idx)
	return idx, nil
}

// searchPage runs the filter on the in-process index when the App has
// one, else on the database.
func (a *App) searchPage(ctx context.Context, f kolaborasi.SolutionFilter) (*kolaborasi.SolutionPage, error) {
	if a.catalog == nil {
		return a.store.SearchSolutions(ctx, f)
	}
	idx, err := a.currentIndex(ctx)
	if err != nil {
		return nil, err
	}
	res, ok := idx.Search(f)
	if !ok {
		// No positive clause left: the database search explains it.
		return a.store.SearchSolutions(ctx, f)
	}
	page := &kolaborasi.SolutionPage{Total: res.Total, Facets: res.Facets}
	if page.Solutions, err = a.store.FindSolutionsByID(ctx, res.IDs); err != nil {
		return nil, err
	}
	return page, nil
}

// WarmCatalogIndex builds the in-process index now rather than on the first
// search (a few seconds at national scale): call it at server start.
func (a *App) WarmCatalogIndex(ctx context.Context) error {
	if a.catalog == nil {
		return nil
	}
	_, err := a.currentIndex(ctx)
	return err
}
