package web_test

import (
	"context"
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

// demoSeededAt is the clock the demo template was seeded at, which the apps
// on its copies start from (as on a server seeded afresh, the demo's
// records are as old as the clock says); demoLogKey signs its public log
// and is shared by those apps.
var (
	demoSeededAt  = time.Now().UTC()
	demoLogKey, _ = ledger.GenerateLogKey(app.LogOrigin)
)

// demoTemplate holds the reference data and the demo, seeded once per test
// binary: newTestServer serves a copy of it (demoTemplate.Open), which
// takes milliseconds where loading the regions and seeding takes seconds.
// Use demoTemplate.Engines for a test on both engines: PostgreSQL is
// seeded afresh.
var demoTemplate = storetest.NewSQLiteTemplate(func(ctx context.Context, db *store.DB) error {
	a := app.New(db.Store(), app.WithLogKey(demoLogKey), testHashCost, app.WithClock(func() time.Time { return demoSeededAt }))
	if _, err := a.LoadReferenceData(ctx); err != nil {
		return err
	}
	return demo.Seed(ctx, a)
})

// demoSQLite returns a fresh copy of the demo template.
func demoSQLite(t testing.TB) *store.DB { return demoTemplate.Open(t) }
