package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/catalog"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store"
)

// snapshotQueries searches a few ways, so that two copies can be compared.
func snapshotQueries(t *testing.T, a *app.App, regions []string) []*app.SolutionResults {
	t.Helper()
	var out []*app.SolutionResults
	sorts := []kolaborasi.SolutionSort{kolaborasi.SortRelevance, kolaborasi.SortNewest, kolaborasi.SortAdopted}
	for i, q := range gen.QueryMix(5, 60, regions) {
		sq := app.SolutionQuery{Q: q.Q, Sort: sorts[i%3], Size: 9, IncludeRetired: i%4 == 0}
		if q.Facet != "" {
			sq.Facets = map[string][]string{q.Facet: {q.Value}}
		}
		r, err := a.SearchSolutions(context.Background(), sq)
		if kolaborasi.ErrorCode(err) == "bad_request" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func sameAsBuilt(t *testing.T, db *store.DB, loaded *app.App, regions []string) {
	t.Helper()
	built := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithIndexSnapshotMin(-1))
	got, want := snapshotQueries(t, loaded, regions), snapshotQueries(t, built, regions)
	if len(got) != len(want) || len(got) < 40 {
		t.Fatalf("%d and %d answers", len(got), len(want))
	}
	for i := range got {
		if got[i].Total != want[i].Total || !equalIDs(ids(got[i]), ids(want[i])) {
			t.Fatalf("query %d: loaded copy %d %v, built copy %d %v", i, got[i].Total, ids(got[i]), want[i].Total, ids(want[i]))
		}
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestIndexSnapshotRestart: a copy saves its index after building it; a
// copy started later loads that snapshot instead of building, catches it
// up with what was written since, and answers as a copy that built its
// index from the rows. A snapshot it cannot trust (damaged, of another
// analysis of the terms, ahead of the change counter) is not loaded: the
// copy builds the index and answers right.
func TestIndexSnapshotRestart(t *testing.T) {
	regionCodes := []string{"32.73", "35.72", "35.07", "51.71", "31.71"}
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := kolaborasi.WithUser(ctx, kolaborasi.System)
		first := newApp(t, db, app.WithIndexSnapshotMin(0))
		if err := first.LoadSyntheticSolutions(sys, gen.Solutions(7, 300, regionCodes)); err != nil {
			t.Fatal(err)
		}
		if err := first.WarmCatalogIndex(ctx); err != nil {
			t.Fatal(err)
		}
		if st := first.CatalogIndexStats(); st.Loaded || st.Saves != 1 {
			t.Fatalf("first copy: %+v, want built and saved once", st)
		}
		// Written after the save: the next copy catches up.
		ed := as(bandungEditor)
		s := newSolution()
		s.Name.ID = "Kapal Selam Kota"
		if err := first.CreateSolution(ed, s); err != nil {
			t.Fatal(err)
		}
		var more []*kolaborasi.Solution
		for j := 300; j < 340; j++ {
			more = append(more, gen.Solution(7, j, regionCodes))
		}
		if err := first.LoadSyntheticSolutions(sys, more); err != nil {
			t.Fatal(err)
		}

		start := func(opts ...app.Option) *app.App {
			t.Helper()
			a := app.New(db.Store(), append([]app.Option{app.WithLogKey(testLogKey), app.WithIndexSnapshotMin(0)}, opts...)...)
			if err := a.Ready(ctx); err != app.ErrIndexBuilding {
				t.Fatalf("Ready before the index: %v", err)
			}
			if err := a.WarmCatalogIndex(ctx); err != nil {
				t.Fatal(err)
			}
			if err := a.Ready(ctx); err != nil {
				t.Fatal(err)
			}
			return a
		}
		second := start()
		if st := second.CatalogIndexStats(); !st.Loaded || st.Saves != 0 {
			t.Fatalf("second copy: %+v, want loaded and not saved", st)
		}
		r, err := second.SearchSolutions(ctx, app.SolutionQuery{Q: "kapal selam"})
		if err != nil || r.Total != 1 || r.Items[0].Solution.ID != s.ID {
			t.Fatalf("a solution written after the snapshot: %+v %v", r, err)
		}
		sameAsBuilt(t, db, second, regionCodes)
		if err := second.SaveIndexSnapshots(ctx); err != nil { // caught up: saved at the newer number
			t.Fatal(err)
		}
		if st := second.CatalogIndexStats(); st.Saves != 1 {
			t.Fatalf("second copy after SaveIndexSnapshots: %+v", st)
		}

		refused := func(why string) {
			t.Helper()
			a := start()
			if st := a.CatalogIndexStats(); st.Loaded || st.Saves != 1 {
				t.Fatalf("%s: %+v, want built and saved", why, st)
			}
			sameAsBuilt(t, db, a, regionCodes)
			if r, err := a.SearchSolutions(ctx, app.SolutionQuery{Q: "hantu"}); err != nil || r.Total != 0 {
				t.Fatalf("%s: the untrusted snapshot's document found: %+v %v", why, r, err)
			}
		}
		seq, err := db.Store().SolutionSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		good, err := db.Store().IndexSnapshot(ctx, "catalog")
		if err != nil || good == nil || good.Seq != seq {
			t.Fatalf("stored snapshot %v at %d, counter %d", err, good.Seq, seq)
		}
		put := func(snap kolaborasi.IndexSnapshot) {
			t.Helper()
			if saved, err := db.Store().SaveIndexSnapshot(ctx, "catalog", snap, time.Now()); err != nil || !saved {
				t.Fatalf("put a snapshot: %v %v", saved, err)
			}
		}
		// Damaged: one byte changed, stored as newer.
		bad := append([]byte(nil), good.Data...)
		bad[len(bad)/2] ^= 0x10
		put(kolaborasi.IndexSnapshot{Key: good.Key + "x", Seq: seq, Data: bad})
		put(kolaborasi.IndexSnapshot{Key: good.Key, Seq: seq, Data: bad})
		refused("damaged")
		// A valid snapshot of other rows, ahead of the change counter (a
		// database restored under a newer snapshot).
		ghost := func(seq int64) []byte {
			b := catalog.NewBuilder()
			b.Add([]catalog.Doc{{ID: s.ID, Terms: "hantu", Seq: seq, Facets: map[string][]string{kolaborasi.FacetRegion: {"32.73"}}}})
			return b.Finish(seq).Snapshot().Encode()
		}
		put(kolaborasi.IndexSnapshot{Key: good.Key, Seq: seq + 5, Data: ghost(seq + 5)})
		refused("ahead")
		// Another analysis of the stored terms.
		put(kolaborasi.IndexSnapshot{Key: "catalog format 1; doc 1; terms older", Seq: seq, Data: ghost(seq)})
		refused("another key")
	})
}
