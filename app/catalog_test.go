package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func ids(r *app.SolutionResults) []int64 {
	var out []int64
	for _, it := range r.Items {
		out = append(out, it.Solution.ID)
	}
	return out
}

// sameResults checks that the in-process index returns what the database
// search returns: the same total, facet counts and matches, in the same
// order except for relevance, whose ranking is each engine's own.
func sameResults(t *testing.T, indexed, direct *app.App, q app.SolutionQuery) int {
	t.Helper()
	want, werr := direct.SearchSolutions(context.Background(), q)
	got, gerr := indexed.SearchSolutions(context.Background(), q)
	if kolaborasi.ErrorCode(werr) != kolaborasi.ErrorCode(gerr) {
		t.Fatalf("%+v: database %v, index %v", q, werr, gerr)
	}
	if werr != nil {
		return 0
	}
	if got.Total != want.Total {
		t.Errorf("%+v: total: index %d, database %d", q, got.Total, want.Total)
	}
	if diff := cmp.Diff(want.Facets, got.Facets); diff != "" {
		t.Errorf("%+v: facets (-database +index):\n%s", q, diff)
	}
	wi, gi := ids(want), ids(got)
	if q.Sort == kolaborasi.SortRelevance {
		if want.Total <= q.Size {
			slices.Sort(wi)
			slices.Sort(gi)
		} else {
			return want.Total // a partial page of relevance order is engine-specific
		}
	}
	if !slices.Equal(wi, gi) {
		t.Errorf("%+v: results: index %v, database %v", q, gi, wi)
	}
	return want.Total
}

func TestCatalogIndexMatchesDatabase(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		indexed := newApp(t, db)
		direct := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithoutCatalogIndex())
		ctx := context.Background()
		if err := db.Store().CreateSolutions(ctx, storetest.SearchCorpus()); err != nil {
			t.Fatal(err)
		}
		sorts := []kolaborasi.SolutionSort{kolaborasi.SortRelevance, kolaborasi.SortNewest, kolaborasi.SortAdopted}
		for _, c := range storetest.SearchCases {
			for _, s := range sorts {
				sameResults(t, indexed, direct, app.SolutionQuery{Q: c.Query, Lang: c.Lang, Facets: c.Facets, Sort: s, Size: 100})
			}
		}

		// A generated catalog and the benchmark query mix, with pages.
		regions := []string{"32.73", "35.72", "35.07", "51.71", "31.71"}
		sys := kolaborasi.WithUser(ctx, kolaborasi.System)
		if err := indexed.LoadSyntheticSolutions(sys, gen.Solutions(3, 800, regions)); err != nil {
			t.Fatal(err)
		}
		found := 0
		for i, q := range gen.QueryMix(3, 200, regions) {
			sq := app.SolutionQuery{Q: q.Q, Sort: sorts[i%3], Size: 7, PrefixLast: i%5 == 0, IncludeRetired: i%7 == 0}
			if q.Facet != "" {
				sq.Facets = map[string][]string{q.Facet: {q.Value}}
			}
			if sameResults(t, indexed, direct, sq) > 0 {
				found++
			}
			if i%10 == 0 && sq.Sort != kolaborasi.SortRelevance {
				sq.After = "bzc" // offset 7: the second page
				sameResults(t, indexed, direct, sq)
			}
		}
		if found < 40 {
			t.Errorf("only %d of 200 mix queries found something", found)
		}
		sameResults(t, indexed, direct, app.SolutionQuery{Size: 50})
		sameResults(t, indexed, direct, app.SolutionQuery{Facets: map[string][]string{"maturity": {"retired"}}, Size: 50})

		// Changes reach the index of this copy and of another copy that
		// was built before them (several servers behind a load balancer).
		other := app.New(db.Store(), app.WithLogKey(testLogKey))
		if err := other.WarmCatalogIndex(ctx); err != nil {
			t.Fatal(err)
		}
		ed := as(bandungEditor)
		s := newSolution()
		s.Name.ID = "Kapal Selam Kota"
		if err := indexed.CreateSolution(ed, s); err != nil {
			t.Fatal(err)
		}
		caughtUp(t, db, other)
		for _, a := range []*app.App{indexed, other} {
			r, err := a.SearchSolutions(ctx, app.SolutionQuery{Q: "kapal selam"})
			if err != nil || r.Total != 1 || r.Items[0].Solution.ID != s.ID {
				t.Fatalf("new solution not found: %+v %v", r, err)
			}
		}
		s.Name.ID = "Kapal Terbang Kota"
		if err := indexed.UpdateSolution(ed, s); err != nil {
			t.Fatal(err)
		}
		caughtUp(t, db, other)
		for _, a := range []*app.App{indexed, other} {
			sameResults(t, a, direct, app.SolutionQuery{Q: "kapal selam"})
			sameResults(t, a, direct, app.SolutionQuery{Q: "terbang"})
			sameResults(t, a, direct, app.SolutionQuery{Size: 30})
		}
	})
}

// caughtUp waits until another server copy's index has taken in every
// write (its searches start the catch-up and wait at most 5 ms for it; under
// the race detector a catch-up can take longer), failing after two seconds.
func caughtUp(t *testing.T, db *store.DB, a *app.App) {
	t.Helper()
	ctx := context.Background()
	want, err := db.Store().SolutionSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := a.SearchSolutions(ctx, app.SolutionQuery{Q: "kota"}); err != nil {
			t.Fatal(err)
		}
		if a.CatalogIndexStats().Seq >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other copy's index is at %d two seconds after the write of %d", a.CatalogIndexStats().Seq, want)
		}
	}
}

// TestCatalogSearchNeverWaitsForTheWriter holds the index's writer lock (a
// catch-up that takes long) while another server copy writes: a search
// must not block on the lock, but give up after its bounded wait and search
// the snapshot it has, counted as late; once the lock is free the index
// catches up.
func TestCatalogSearchNeverWaitsForTheWriter(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		other := app.New(db.Store(), app.WithClock(func() time.Time { return testNow }))
		if err := a.WarmCatalogIndex(ctx); err != nil {
			t.Fatal(err)
		}
		s := newSolution()
		s.Name.ID = "Aplikasi Kelakar Warga"
		if err := other.CreateSolution(as(bandungEditor), s); err != nil {
			t.Fatal(err)
		}
		q := app.SolutionQuery{Q: "kelakar"}
		release := a.HoldCatalogWriter()
		done := make(chan *app.SolutionResults, 1)
		start := time.Now()
		go func() {
			r, err := a.SearchSolutions(ctx, q)
			if err != nil {
				t.Error(err)
			}
			done <- r
		}()
		var r *app.SolutionResults
		select {
		case r = <-done:
		case <-time.After(10 * time.Second):
			release()
			t.Fatal("the search waited for the writer lock")
		}
		waited := time.Since(start)
		release()
		if r.Total != 0 {
			t.Errorf("the search found %d results in a snapshot that cannot hold the new solution", r.Total)
		}
		if st := a.CatalogIndexStats(); st.Late != 1 || st.Waits != 1 {
			t.Errorf("stats %+v, want one late search after one wait (it took %s)", st, waited)
		}
		// The background catch-up the search started finishes now.
		deadline := time.Now().Add(5 * time.Second)
		for {
			r, err := a.SearchSolutions(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if r.Total == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the index did not catch up after the writer lock was released")
			}
			time.Sleep(time.Millisecond)
		}
	})
}

// TestSearchBesideALocalWriteDoesNotWait: a search that finds the index
// behind only by a write through the same App that is still running (its
// catch-up holds the writer lock) answers at once from the snapshot before
// it, without waiting: the write has not returned, so either answer is
// right. Once the write returns, every search sees it.
func TestSearchBesideALocalWriteDoesNotWait(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		if err := a.WarmCatalogIndex(ctx); err != nil {
			t.Fatal(err)
		}
		q := app.SolutionQuery{Q: "gurauan"}
		release := a.HoldCatalogWriter()
		wrote := make(chan error, 1)
		go func() {
			s := newSolution()
			s.Name.ID = "Aplikasi Gurauan Warga"
			wrote <- a.CreateSolution(as(bandungEditor), s)
		}()
		// Wait until the write has committed: the counter moves.
		before := a.CatalogIndexStats().Seq
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			seq, err := db.Store().SolutionSeq(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if seq > before {
				break
			}
			if time.Now().After(deadline) {
				release()
				t.Fatal("the write did not commit")
			}
		}
		time.Sleep(20 * time.Millisecond) // its after-commit hook runs
		r, err := a.SearchSolutions(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		st := a.CatalogIndexStats()
		release()
		if err := <-wrote; err != nil {
			t.Fatal(err)
		}
		if r.Total != 0 || st.Concurrent != 1 || st.Waits != 0 || st.Late != 0 {
			t.Errorf("search beside the running write: total %d, stats %+v; want the earlier snapshot, no wait", r.Total, st)
		}
		if r, err := a.SearchSolutions(ctx, q); err != nil || r.Total != 1 {
			t.Errorf("after the write returned: %+v, %v", r, err)
		}
	})
}
