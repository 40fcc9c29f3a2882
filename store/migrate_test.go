package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// A migration that fails half-way leaves nothing of itself behind, and the
// error says what to do.
func TestFailingMigrationIsRolledBack(t *testing.T) {
	fsys := fstest.MapFS{
		"1001_ok.sql": {Data: []byte("-- +goose Up\nCREATE TABLE one (id INTEGER PRIMARY KEY);\n")},
		"1002_broken.sql": {Data: []byte("-- +goose Up\nCREATE TABLE two (id INTEGER PRIMARY KEY);\n" +
			"INSERT INTO no_such_table VALUES (1);\n")},
	}
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.MigrateWith(ctx, fsys)
		if err == nil || !strings.Contains(err.Error(), "1002_broken.sql failed and was rolled back") {
			t.Fatalf("error = %v", err)
		}
		w, _ := db.Pools()
		if _, err := w.ExecContext(ctx, "INSERT INTO one (id) VALUES (1)"); err != nil {
			t.Errorf("1001 was not applied: %v", err)
		}
		if _, err := w.ExecContext(ctx, "SELECT id FROM two"); err == nil {
			t.Error("table two of the failed migration exists")
		}
	})
}

func TestOpenErrorsSayWhatToDo(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct{ dsn, want string }{
		{filepath.Join(dir, "missing", "k.db"), "does not exist; create it or choose another path with --db"},
		{"postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", "cannot reach PostgreSQL at 127.0.0.1:1/none"},
		{":memory:", "needs a file path"},
	} {
		_, err := store.Open(ctx, tc.dsn)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Open(%q) = %v, want error containing %q", tc.dsn, err, tc.want)
		}
	}
}

// The SQLite writer keeps a large page cache for bulk writes; every reader
// a small one (SQLite allocates them outside the Go heap: eight readers at
// SQLite's default were 16 MiB of the server's resident memory, K8).
func TestSQLitePageCacheSizes(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	write, read := db.Pools()
	for _, c := range []struct {
		name string
		pool *sql.DB
		want int
	}{{"writer", write, -65536}, {"reader", read, -512}} {
		var got int
		if err := c.pool.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&got); err != nil || got != c.want {
			t.Errorf("%s: cache_size %d (%v), want %d", c.name, got, err, c.want)
		}
	}
}

// After migrations ran on SQLite the write-ahead log is empty: the reads
// that follow find every page in the database file, not in a log a large
// backfill left behind (see Migrate). Running none leaves it alone.
func TestMigrateEmptiesTheSQLiteLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() != 0 {
		t.Errorf("the write-ahead log holds %d bytes after the migrations, want 0", st.Size())
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
}
