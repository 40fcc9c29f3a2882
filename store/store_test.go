package store_test

import (
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) kolaborasi.Store { return storetest.OpenSQLite(t).Store() })
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		storetest.Run(t, func(t *testing.T) kolaborasi.Store { return storetest.OpenPostgres(t).Store() })
	})
}

func TestMigrationNamesMatch(t *testing.T) {
	names := func(e store.Engine) []string {
		ms, err := fs.Glob(store.MigrationFS(e), "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	lite, pg := names(store.SQLite), names(store.Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration files differ between engines (-sqlite +postgres):\n%s", diff)
	}
}
