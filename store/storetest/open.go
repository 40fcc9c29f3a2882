// Package storetest holds the conformance suite every storage engine must
// pass, and helpers that open fresh test databases on both engines.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
)

// PostgresEnv names the environment variable holding the DSN of the test
// PostgreSQL server.
const PostgresEnv = "KOLABORASI_TEST_POSTGRES"

// Engines runs fn once per engine as subtests named "sqlite" and "postgres",
// each with a fresh, migrated database.
func Engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}

// OpenSQLite returns a migrated SQLite database in a temporary folder, closed
// when the test ends.
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	return openMigrated(t, filepath.Join(t.TempDir(), "test.db"))
}

// openMigrated opens and migrates a database, closed when the test ends.
func openMigrated(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresDSN returns the DSN of the test server. When it is unset the test
// is skipped, except with CI=true, where the PostgreSQL tests must run and a
// missing server fails the test.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set, but CI=true requires the PostgreSQL tests to run", PostgresEnv)
		}
		t.Skipf("%s is not set; skipping the PostgreSQL run", PostgresEnv)
	}
	return dsn
}

// OpenPostgres returns a migrated PostgreSQL database in a fresh schema of the
// test server, dropped when the test ends.
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	return openMigrated(t, PostgresSchema(t))
}

// PostgresSchema creates a fresh, empty schema on the test server, dropped
// when the test ends, and returns a DSN whose search_path is that schema
// (for a test that hands the database to another process).
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dsn := PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	var b [6]byte
	rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
