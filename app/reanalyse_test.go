package app_test

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// A database whose search terms were made by an older analysis (here: the
// hyphen read as a separator, no labels, no region name) is analysed again
// on the next start, once.
func TestStartReanalysesStaleSearchTerms(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		s := newSolution()
		s.Sectors = []kolaborasi.Sector{"umkm"}
		s.Long.ID = "Layanan e-government untuk pengaduan warga."
		if err := a.CreateSolution(as(bandungEditor), s); err != nil {
			t.Fatal(err)
		}
		st := db.Store()
		if _, err := st.ReanalyseSolutions(ctx, func(*kolaborasi.Solution) string { return "layan e government adu warga" }); err != nil {
			t.Fatal(err)
		}
		if err := st.SetMeta(ctx, "search_terms_version", "analyzer 1"); err != nil {
			t.Fatal(err)
		}
		queries := []string{"e-government", "UMKM", "Bandung", "Kota Bandung", "smart governance", "perangkat lunak"}
		for _, q := range queries {
			r, err := app.New(st, app.WithoutCatalogIndex()).SearchSolutions(ctx, app.SolutionQuery{Q: q})
			if err != nil || r.Total != 0 {
				t.Fatalf("%q before the re-analysis: %v %v; the stale terms should not find it", q, r, err)
			}
		}

		// The next start (a new App over the same database).
		restarted := app.New(st)
		if _, err := restarted.LoadReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		seq, _ := st.SolutionSeq(ctx)
		for _, b := range []*app.App{restarted, app.New(st, app.WithoutCatalogIndex())} {
			for _, q := range queries {
				r, err := b.SearchSolutions(ctx, app.SolutionQuery{Q: q})
				if err != nil || r.Total != 1 || r.Items[0].Solution.ID != s.ID {
					t.Errorf("%q after the re-analysis: %+v %v", q, r, err)
				}
			}
		}
		got, err := st.FindSolution(ctx, s.ID)
		if err != nil || got.Terms != s.Terms || got.Version != 1 {
			t.Errorf("terms %q version %d (%v), want %q as the app analyses it at version 1", got.Terms, got.Version, err, s.Terms)
		}
		// Once current, a start leaves the terms alone.
		if _, err := app.New(st).LoadReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		if again, _ := st.SolutionSeq(ctx); again != seq {
			t.Errorf("change counter %d after a second start, was %d: nothing should be rewritten", again, seq)
		}
		if v, _ := st.Meta(ctx, "search_terms_version"); v == "analyzer 1" || v == "" {
			t.Errorf("stored analysis version %q", v)
		}
	})
}
