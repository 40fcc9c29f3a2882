package store_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// migrationsBefore returns the engine's migrations older than name.
func migrationsBefore(t *testing.T, e store.Engine, name string) fs.FS {
	t.Helper()
	all := store.MigrationFS(e)
	names, err := fs.Glob(all, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := fstest.MapFS{}
	for _, n := range names {
		if n >= name {
			continue
		}
		b, err := fs.ReadFile(all, n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = &fstest.MapFile{Data: b}
	}
	return out
}

// Migration 0019 fills the saving figures' columns of rows written before
// it from their JSON: amounts known and unknown (NULL, not 0), a spending
// of zero, synthetic flags, old-form solution rows (the whole document)
// and an adoption whose notes hold a NUL character (which PostgreSQL's
// jsonb refuses).
func TestSavingFiguresBackfill(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			dsn := filepath.Join(t.TempDir(), "test.db")
			if engine == store.Postgres {
				dsn = storetest.PostgresSchemaDSN(t)
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.MigrateWith(ctx, migrationsBefore(t, engine, "0019")); err != nil {
				t.Fatal(err)
			}
			storetest.LoadRegions(t, db.Store())
			write, _ := db.Pools()
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := write.ExecContext(ctx, engine.Rebind(q), args...); err != nil {
					t.Fatal(err)
				}
			}
			enc := func(v any) string {
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			at := time.Date(2026, 3, 8, 10, 30, 0, 0, time.UTC)
			// Solution 1 in the old form (the whole document, ID first),
			// solution 2 without a cost to build, synthetic.
			sols := []*kolaborasi.Solution{
				{ID: 1, Kind: kolaborasi.KindSoftware, RegionCode: "32.73", Name: kolaborasi.Texts{ID: "Hayu"},
					CostBuild: kolaborasi.Money{IDR: 1_500_000_000, Source: "APBD 2016"}},
				{ID: 2, Kind: kolaborasi.KindSoftware, RegionCode: "32.73", Name: kolaborasi.Texts{ID: "Demo"}, Synthetic: true},
			}
			for _, sol := range sols {
				exec(`INSERT INTO solutions (id, kind, region_code, maturity, seq, version, created_at, updated_at, data, terms)
					VALUES (?, 'software', '32.73', 'live', 1, 1, ?, ?, ?, '')`, sol.ID, at, at, enc(sol))
			}
			ads := []*kolaborasi.Adoption{
				{ID: 1, SolutionID: 1, AdopterRegion: "35.72", Planned: &kolaborasi.Money{IDR: 250_000_000, Source: "APBD"},
					Spent: &kolaborasi.Money{IDR: 40_000_000, Source: "Realisasi"}, Notes: "catatan\x00nul"},
				{ID: 2, SolutionID: 1, AdopterRegion: "35.07", Spent: &kolaborasi.Money{IDR: 0, Source: "Hibah"}, Synthetic: true},
				{ID: 3, SolutionID: 2, AdopterRegion: "35.78"},
			}
			for _, a := range ads {
				exec(`INSERT INTO adoptions (id, solution_id, adopter_region, source_region, stage, state, version, created_at, updated_at, data)
					VALUES (?, ?, ?, '32.73', 'live', 'accepted', 1, ?, ?, ?)`, a.ID, a.SolutionID, a.AdopterRegion, at, at, enc(a))
			}
			if !strings.Contains(enc(ads[0]), `\u0000`) {
				t.Fatal("the notes' NUL character is not escaped in the document")
			}

			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			known := func(v int64) kolaborasi.IDRFigure { return kolaborasi.IDRFigure{IDR: v, Known: true} }
			want := []kolaborasi.SavingRow{
				{AdoptionID: 1, SolutionID: 1, AdopterRegion: "35.72", BuildIDR: 1_500_000_000, Spent: known(40_000_000), Planned: known(250_000_000)},
				{AdoptionID: 2, SolutionID: 1, AdopterRegion: "35.07", BuildIDR: 1_500_000_000, Spent: known(0), Synthetic: true},
				{AdoptionID: 3, SolutionID: 2, AdopterRegion: "35.78", Synthetic: true},
			}
			if diff := cmp.Diff(want, storetest.SavingRows(t, db.Store(), "", "")); diff != "" {
				t.Errorf("saving rows after the migration (-want +got):\n%s", diff)
			}
			// Each flag on its own: the solution's and the adoption's.
			var adSynthetic, solSynthetic []bool
			for _, q := range []struct {
				query string
				into  *[]bool
			}{{`SELECT synthetic FROM adoptions ORDER BY id`, &adSynthetic}, {`SELECT synthetic FROM solutions ORDER BY id`, &solSynthetic}} {
				rows, err := write.QueryContext(ctx, q.query)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var v bool
					if err := rows.Scan(&v); err != nil {
						t.Fatal(err)
					}
					*q.into = append(*q.into, v)
				}
				rows.Close()
			}
			if diff := cmp.Diff([]bool{false, true, false}, adSynthetic); diff != "" {
				t.Errorf("adoptions' synthetic (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]bool{false, true}, solSynthetic); diff != "" {
				t.Errorf("solutions' synthetic (-want +got):\n%s", diff)
			}
		})
	}
}
