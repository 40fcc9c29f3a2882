package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestSolutionJSONWithoutDecoding: FindSolutionJSON, which splices the
// columns in front of the row's document without decoding it, answers the
// JSON of the solution FindSolution decodes: for a row written now, for a
// row of the old form (the whole solution, which is decoded), and for that
// row once migration 0017 has dropped the members kept in columns.
func TestSolutionJSONWithoutDecoding(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := db.Store()
		storetest.LoadRegions(t, s)
		sol := storetest.SearchCorpus()[0]
		sol.Name.ID = `Aplikasi <Lapor> & "Warga"`
		sol.Evidence = []kolaborasi.Claim{{Text: "Aduan selesai < 3 hari", Value: 2.5, Unit: "hari"}}
		storetest.AnalyzeSolution(sol)
		if err := s.CreateSolution(ctx, sol); err != nil {
			t.Fatal(err)
		}
		check := func(step string) {
			t.Helper()
			fresh, err := s.FindSolution(ctx, sol.ID)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(fresh)
			got, version, err := s.FindSolutionJSON(ctx, sol.ID)
			if err != nil || version != fresh.Version {
				t.Fatalf("%s: version %d, %v", step, version, err)
			}
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatalf("%s: not JSON: %v: %s", step, err, got)
			}
			json.Unmarshal(want, &w)
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s:\n got %s\nwant %s", step, got, want)
			}
		}
		check("written now")
		data := rowData(t, db, sol.ID)
		if strings.HasPrefix(data, `{"id":`) || strings.Contains(data, `"adoptions"`) || strings.Contains(data, `"created_at"`) {
			t.Errorf("the row keeps members of its columns: %s", data)
		}

		// The old form: the whole solution, its ID first (0 as created).
		fresh, err := s.FindSolution(ctx, sol.ID)
		if err != nil {
			t.Fatal(err)
		}
		fresh.ID, fresh.Adoptions = 0, 7 // stale members the columns override
		old, _ := json.Marshal(fresh)
		setRowData(t, db, sol.ID, string(old))
		check("old form")

		mig, err := fs.ReadFile(store.MigrationFS(db.Engine()), "0017_solution_rows.sql")
		if err != nil {
			t.Fatal(err)
		}
		up := strings.Split(strings.Split(string(mig), "-- +goose Down")[0], "-- +goose Up")[1]
		w, _ := db.Pools()
		if _, err := w.ExecContext(ctx, up); err != nil {
			t.Fatal(err)
		}
		if data := rowData(t, db, sol.ID); strings.Contains(data, `"id":0`) || strings.Contains(data, `"adoptions"`) {
			t.Errorf("the migration kept members of the columns: %s", data)
		}
		check("migrated")

		if _, _, err := s.FindSolutionJSON(ctx, 999999); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			t.Errorf("missing solution: %v", err)
		}
	})
}

func rowData(t *testing.T, db *store.DB, id int64) string {
	t.Helper()
	_, r := db.Pools()
	var data string
	if err := r.QueryRow(fmt.Sprintf(`SELECT data FROM solutions WHERE id = %d`, id)).Scan(&data); err != nil {
		t.Fatal(err)
	}
	return data
}

func setRowData(t *testing.T, db *store.DB, id int64, data string) {
	t.Helper()
	w, _ := db.Pools()
	q := `UPDATE solutions SET data = ? WHERE id = ?`
	if db.Engine() == store.Postgres {
		q = `UPDATE solutions SET data = $1 WHERE id = $2`
	}
	if _, err := w.Exec(q, data, id); err != nil {
		t.Fatal(err)
	}
}
