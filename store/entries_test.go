package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestSolutionEntriesInBatches: a first build reads the entries batch by
// batch (here 3 solutions a batch) and still gets every solution once, in
// ID order, each with all its facets.
func TestSolutionEntriesInBatches(t *testing.T) {
	store.SetEntryBatch(t, 3)
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := db.Store()
		storetest.LoadRegions(t, s)
		corpus := storetest.SearchCorpus()
		if err := s.CreateSolutions(ctx, corpus); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		err := s.EachSolutionEntryChangedAfter(ctx, 0, func(e *kolaborasi.SolutionEntry) error {
			ids = append(ids, e.ID)
			sol, err := s.FindSolution(ctx, e.ID)
			if err != nil {
				return err
			}
			for f, vs := range sol.FacetValues() {
				for _, v := range vs {
					if v != "" && !slices.Contains(e.Facets[f], v) {
						t.Errorf("solution %d: facet %s=%s missing from %v", e.ID, f, v, e.Facets)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != len(corpus) || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("entries %v, want the %d solutions once each in ID order", ids, len(corpus))
		}
	})
}
