package web_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// testHashCost is the cheap password hashing of every test App: the demo's
// fourteen accounts and the tests' own would otherwise cost an argon2id
// hash at 19 MiB each to make and to sign in with, seconds per test under
// the race detector. app's TestPasswordHashCost checks the real cost is the
// default.
var testHashCost = app.WithPasswordHashCost(64, 1)

// demoTemplate is a SQLite database file holding the reference data and the
// demo, seeded once per test binary: newTestServer serves a copy of it,
// which takes milliseconds where loading the regions and seeding takes
// seconds. Its public log is signed with logKey, which the apps on its
// copies share; its records were made at seededAt, the clock those apps
// start from (as a server seeded afresh would).
var demoTemplate struct {
	once     sync.Once
	file     []byte
	seededAt time.Time
	logKey   *ledger.LogKey
	err      error
}

// seedDemoTemplate makes demoTemplate, in a folder it removes afterwards.
func seedDemoTemplate() error {
	dir, err := os.MkdirTemp("", "kolaborasi-web-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "demo.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	t := &demoTemplate
	t.seededAt = time.Now().UTC()
	if t.logKey, err = ledger.GenerateLogKey(app.LogOrigin); err != nil {
		return err
	}
	a := app.New(db.Store(), app.WithLogKey(t.logKey), testHashCost, app.WithClock(func() time.Time { return t.seededAt }))
	if _, err := a.LoadReferenceData(ctx); err != nil {
		return err
	}
	if err := demo.Seed(ctx, a); err != nil {
		return err
	}
	if err := db.Close(); err != nil { // folds the write-ahead log into the file
		return err
	}
	t.file, err = os.ReadFile(path)
	return err
}

// demoCopies maps each database opened by demoSQLite to its template.
var demoCopies sync.Map // *store.DB → struct{}

// demoSQLite returns a fresh copy of the demo template in a temporary
// folder, closed when the test ends; a test server on it does not seed again.
func demoSQLite(t testing.TB) *store.DB {
	t.Helper()
	demoTemplate.once.Do(func() { demoTemplate.err = seedDemoTemplate() })
	if demoTemplate.err != nil {
		t.Fatalf("seed the demo template: %v", demoTemplate.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, demoTemplate.file, 0o600); err != nil {
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
	demoCopies.Store(db, struct{}{})
	return db
}

// demoEngines is storetest.Engines for test servers: the SQLite run gets a
// copy of the demo template, the PostgreSQL run a fresh database to seed.
func demoEngines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, demoSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.OpenPostgres(t)) })
}
