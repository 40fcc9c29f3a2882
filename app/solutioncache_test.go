package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
)

// TestReadsNeverServeAStaleCopy: the decoded copies the read paths keep
// (search results, the solution page, the API item) are checked against
// the row's change number, so a write through another App on the same
// database (another server copy) is seen by the next read, and the copy
// cached for a version is reused while the row is unchanged.
func TestReadsNeverServeAStaleCopy(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, other, s := twoCopies(t, db, "Aplikasi Lumbung Warga")
		first, err := a.SharedSolution(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		again, err := a.SharedSolution(ctx, s.ID)
		if err != nil || again == first || &again.Dimensions[0] != &first.Dimensions[0] {
			t.Fatalf("an unchanged solution was read again, or the reader got the cache's own copy (%p, %p, %v)", first, again, err)
		}
		res, err := a.SearchSolutions(ctx, app.SolutionQuery{Q: "lumbung"})
		if err != nil || res.Total != 1 || &res.Items[0].Solution.Dimensions[0] != &first.Dimensions[0] {
			t.Fatalf("search: %+v, %v; want the cached copy", res, err)
		}
		// A reader that sets a field and saves changes its own copy only.
		again.Short.ID = "diubah oleh pembaca"
		if cached, _ := a.SharedSolution(ctx, s.ID); cached.Short.ID == again.Short.ID {
			t.Fatal("a reader's change reached the cached copy")
		}

		// Another copy edits it: every read path sees the new text.
		edit, err := other.Solution(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		edit.Short.ID = "Lumbung pangan warga, versi kedua."
		if err := other.UpdateSolution(as(bandungEditor), edit); err != nil {
			t.Fatal(err)
		}
		got, err := a.SharedSolution(ctx, s.ID)
		if err != nil || got.Short.ID != edit.Short.ID || got.Version != edit.Version {
			t.Fatalf("item after another copy's edit: %+v, %v", got, err)
		}
		res, err = a.SearchSolutions(ctx, app.SolutionQuery{Q: "lumbung"})
		if err != nil || res.Total != 1 || res.Items[0].Solution.Short.ID != edit.Short.ID {
			t.Fatalf("search after another copy's edit: %+v, %v", res, err)
		}
		if first.Short.ID == edit.Short.ID {
			t.Error("the edit changed the copy other readers hold")
		}
		if _, err := a.SharedSolution(ctx, 999999); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			t.Errorf("missing solution: %v", err)
		}
	})
}

// TestSearchWithoutQueryBuildsNoSnippet: a list without a query shows
// the solutions' short descriptions; snippets are built only to show
// where a query matched.
func TestSearchWithoutQueryBuildsNoSnippet(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		s := newSolution()
		if err := a.CreateSolution(as(bandungEditor), s); err != nil {
			t.Fatal(err)
		}
		res, err := a.SearchSolutions(ctx, app.SolutionQuery{})
		if err != nil || len(res.Items) == 0 {
			t.Fatalf("browse: %+v, %v", res, err)
		}
		for _, h := range res.Items {
			if len(h.Snippet.Segments()) != 0 {
				t.Errorf("solution %d has a snippet without a query: %+v", h.Solution.ID, h.Snippet)
			}
		}
		res, err = a.SearchSolutions(ctx, app.SolutionQuery{Q: "pengaduan"})
		if err != nil || res.Total == 0 || len(res.Items[0].Snippet.Segments()) == 0 {
			t.Fatalf("a query's results need snippets: %+v, %v", res, err)
		}
	})
}

// TestReadyOnlyWithTheIndexBuilt: /readyz's answer. A copy whose
// catalog index is not built yet is not ready (its first searches would
// wait for the build); asking starts the build, and once it is done the
// copy is ready.
func TestReadyOnlyWithTheIndexBuilt(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		release := a.HoldCatalogWriter()
		if err := a.Ready(ctx); !errors.Is(err, app.ErrIndexBuilding) {
			t.Errorf("Ready before the build = %v, want ErrIndexBuilding", err)
		}
		release()
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := a.Ready(ctx)
			if err == nil {
				break
			}
			if !errors.Is(err, app.ErrIndexBuilding) || time.Now().After(deadline) {
				t.Fatalf("Ready = %v after the build was released", err)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if st := a.CatalogIndexStats(); st.Seq == 0 && st.Len != 0 {
			t.Errorf("ready without an index: %+v", st)
		}
		// Without the in-process index there is nothing to build.
		plain := app.New(db.Store(), app.WithoutCatalogIndex())
		if err := plain.Ready(ctx); err != nil {
			t.Errorf("Ready without an index = %v", err)
		}
	})
}

// TestCachedSnippetsEqualFreshOnes: the descriptions analysed once per
// cached version give the same snippets as analysing them for each search.
func TestCachedSnippetsEqualFreshOnes(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		fresh := app.New(db.Store(), app.WithoutSolutionCache(), app.WithClock(func() time.Time { return testNow }))
		s := newSolution()
		s.Long.EN = "Residents report broken roads and street lights; every complaint is followed up."
		if err := a.CreateSolution(as(bandungEditor), s); err != nil {
			t.Fatal(err)
		}
		for _, q := range []app.SolutionQuery{{Q: "aduan"}, {Q: "lampu jalan"}, {Q: "complaint", Lang: "en"}, {Q: "adu*"}, {Q: "warga -kapal"}} {
			for range 2 { // the second search uses the analysed texts kept
				got, err := a.SearchSolutions(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				want, err := fresh.SearchSolutions(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Items) == 0 || len(got.Items) != len(want.Items) {
					t.Fatalf("%q: %d and %d results", q.Q, len(got.Items), len(want.Items))
				}
				for i := range got.Items {
					if g, w := got.Items[i].Snippet, want.Items[i].Snippet; g.Text != w.Text || len(g.Hits) != len(w.Hits) || len(g.Hits) == 0 {
						t.Errorf("%q: cached snippet %+v, fresh %+v", q.Q, g, w)
					}
				}
			}
		}
	})
}

// TestEncodedReadsFollowEveryWrite: the API's item (SolutionJSON, spliced
// from the row without decoding) and the list's solutions (SolutionHit.JSON,
// encoded once per cached version) are the JSON of the solution as stored
// now after each kind of write through another server copy: an adoption
// that changes the count without a new version, an edit, the retirement.
func TestEncodedReadsFollowEveryWrite(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, other, s := twoCopies(t, db, "Aplikasi Lumbung <Warga> & Desa")
		check := func(step string, q app.SolutionQuery) {
			t.Helper()
			fresh, err := other.Solution(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := decodeJSON(t, mustMarshal(t, fresh))
			doc, version, err := a.SolutionJSON(ctx, s.ID)
			if err != nil || version != fresh.Version {
				t.Fatalf("%s: item version %d, %v; want %d", step, version, err, fresh.Version)
			}
			if got := decodeJSON(t, doc); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: item\n got %v\nwant %v", step, got, want)
			}
			// The list shows the index's snapshot, which may lag behind
			// another copy's write for a moment: each hit's encoding is
			// that of the solution it carries, and the write shows soon.
			deadline, seen := time.Now().Add(10*time.Second), 0
			for seen < 2 { // the second read takes the cached encoding
				res, err := a.SearchSolutions(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				var hit *app.SolutionHit
				for i := range res.Items {
					if res.Items[i].Solution.ID == s.ID {
						hit = &res.Items[i]
					}
				}
				if hit == nil {
					t.Fatalf("%s: solution %d not listed: %+v", step, s.ID, res)
				}
				doc, err := hit.JSON()
				if err != nil {
					t.Fatal(err)
				}
				got := decodeJSON(t, doc)
				if carried := decodeJSON(t, mustMarshal(t, hit.Solution)); !reflect.DeepEqual(got, carried) {
					t.Fatalf("%s: list entry\n got %v\nwant %v", step, got, carried)
				}
				switch {
				case reflect.DeepEqual(got, want):
					seen++
				case time.Now().After(deadline):
					t.Fatalf("%s: list\n got %v\nwant %v", step, got, want)
				default:
					time.Sleep(10 * time.Millisecond)
				}
			}
		}
		check("created", app.SolutionQuery{})

		ad, err := other.RequestAdoption(as(blitarEditor), app.AdoptionRequest{SolutionID: s.ID, Note: "Kami ingin memakai aplikasi ini."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.DecideAdoption(as(bandungEditor), ad.ID, ad.Version, true, "Selamat datang."); err != nil {
			t.Fatal(err)
		}
		if n := adoptionCount(t, other, s.ID); n != 1 {
			t.Fatalf("adoptions = %d, want 1", n)
		}
		check("adopted", app.SolutionQuery{})

		edit, err := other.Solution(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		edit.Short.ID = "Lumbung pangan warga, versi kedua."
		if err := other.UpdateSolution(as(bandungEditor), edit); err != nil {
			t.Fatal(err)
		}
		check("edited", app.SolutionQuery{})

		if _, err := other.RetireSolution(as(bandungEditor), s.ID, edit.Version); err != nil {
			t.Fatal(err)
		}
		check("retired", app.SolutionQuery{IncludeRetired: true})
		res, err := a.SearchSolutions(ctx, app.SolutionQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Items {
			if h.Solution.ID == s.ID {
				t.Error("a retired solution is still listed")
			}
		}
		if _, _, err := a.SolutionJSON(ctx, 999999); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			t.Errorf("missing solution: %v", err)
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// twoCopies returns two Apps on db, as two server copies, and a solution
// named name created through the other one.
func twoCopies(t *testing.T, db *store.DB, name string) (a, other *app.App, s *kolaborasi.Solution) {
	t.Helper()
	a = newApp(t, db)
	other = app.New(db.Store(), app.WithClock(func() time.Time { return testNow }))
	s = newSolution()
	s.Name.ID = name
	if err := other.CreateSolution(as(bandungEditor), s); err != nil {
		t.Fatal(err)
	}
	return a, other, s
}

// TestListFacetCountsFollowWrites: the facet counts of lists without a
// query, kept per filter and index snapshot, and their kept encoding, are
// those a fresh server copy counts, after another copy adds a solution and
// retires one.
func TestListFacetCountsFollowWrites(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, other, s := twoCopies(t, db, "Aplikasi Lumbung Warga")
		queries := []app.SolutionQuery{{}, {Facets: map[string][]string{kolaborasi.FacetKind: {"software"}}}, {IncludeRetired: true}}
		same := func(step string) {
			t.Helper()
			for _, q := range queries {
				deadline := time.Now().Add(10 * time.Second)
				for {
					fresh, err := app.New(db.Store()).SearchSolutions(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					var got *app.SolutionResults
					for range 2 { // the second list takes the kept counts
						if got, err = a.SearchSolutions(ctx, q); err != nil {
							t.Fatal(err)
						}
					}
					// The counts' kept encoding follows them too.
					gotJSON, err := got.FacetsJSON()
					if err != nil {
						t.Fatal(err)
					}
					freshJSON, _ := kolaborasi.MarshalJSON(fresh.Facets)
					if got.Total == fresh.Total && reflect.DeepEqual(got.Facets, fresh.Facets) && bytes.Equal(gotJSON, freshJSON) {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s, %+v: %d %v; a fresh copy counts %d %v", step, q, got.Total, got.Facets, fresh.Total, fresh.Facets)
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
		}
		same("one solution")
		s2 := newSolution()
		s2.Name.ID, s2.Maturity = "Aplikasi Aduan Pasar", kolaborasi.MaturityPilot
		if err := other.CreateSolution(as(bandungEditor), s2); err != nil {
			t.Fatal(err)
		}
		same("added")
		if _, err := other.RetireSolution(as(bandungEditor), s.ID, s.Version); err != nil {
			t.Fatal(err)
		}
		same("retired")
	})
}
