package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
)

// SQLiteTemplate is a SQLite database made once per test binary, by fill on
// a fresh migrated database, and copied for every test that opens it: for
// data that takes seconds to make (the regions, the demo) and milliseconds
// to copy.
type SQLiteTemplate struct {
	fill   func(ctx context.Context, db *store.DB) error
	once   sync.Once
	file   []byte
	err    error
	copies sync.Map // *store.DB → struct{}
}

// NewSQLiteTemplate returns a template that fill makes on first use.
func NewSQLiteTemplate(fill func(ctx context.Context, db *store.DB) error) *SQLiteTemplate {
	return &SQLiteTemplate{fill: fill}
}

// make runs fill in a folder it removes afterwards and keeps the file.
func (tp *SQLiteTemplate) make() error {
	dir, err := os.MkdirTemp("", "kolaborasi-template-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := tp.fill(ctx, db); err != nil {
		return err
	}
	if err := db.Close(); err != nil { // folds the write-ahead log into the file
		return err
	}
	tp.file, err = os.ReadFile(path)
	return err
}

// Open returns a copy of the template in a temporary folder, migrated and
// closed when the test ends.
func (tp *SQLiteTemplate) Open(t testing.TB) *store.DB {
	t.Helper()
	tp.once.Do(func() { tp.err = tp.make() })
	if tp.err != nil {
		t.Fatalf("make the SQLite template: %v", tp.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, tp.file, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	tp.copies.Store(db, struct{}{})
	return db
}

// Copied reports whether db was opened by tp.Open.
func (tp *SQLiteTemplate) Copied(db *store.DB) bool {
	_, ok := tp.copies.Load(db)
	return ok
}

// Engines is the package's Engines with the template: the SQLite run gets
// a copy of it, the PostgreSQL run a fresh, migrated database.
func (tp *SQLiteTemplate) Engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, tp.Open(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}
