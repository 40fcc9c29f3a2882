package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// testHashCost is the cheap password hashing every test App uses
// (app.WithPasswordHashCost); TestPasswordHashCost checks that an App
// without it hashes at the real cost.
var testHashCost = app.WithPasswordHashCost(64, 1)

// realHashCost is the default cost, for the tests that need it (19 MiB
// per hash) on an App that newApp makes.
var realHashCost = app.WithPasswordHashCost(19*1024, 2)

// TestPasswordHashCost: an App hashes new passwords with argon2id at the
// OWASP minimum (19 MiB, 2 passes, 1 lane) unless a test lowers the cost,
// realHashCost is that default, and a password hashed at either cost signs
// in on an App of the other.
func TestPasswordHashCost(t *testing.T) {
	db := storetest.OpenSQLite(t)
	clock := app.WithClock(func() time.Time { return testNow })
	real := app.New(db.Store(), app.WithLogKey(testLogKey), clock)
	cheap := app.New(db.Store(), app.WithLogKey(testLogKey), clock, testHashCost)
	realAgain := app.New(db.Store(), app.WithLogKey(testLogKey), clock, realHashCost)
	for _, c := range []struct {
		a      *app.App
		email  string
		params string
		signIn *app.App
	}{
		{real, "real@kolaborasi.test", "$argon2id$v=19$m=19456,t=2,p=1$", cheap},
		{cheap, "cheap@kolaborasi.test", "$argon2id$v=19$m=64,t=1,p=1$", real},
		{realAgain, "again@kolaborasi.test", "$argon2id$v=19$m=19456,t=2,p=1$", cheap},
	} {
		invite(t, c.a, c.email, "", kolaborasi.RoleAdmin)
		u, err := db.Store().FindUserByEmail(context.Background(), c.email)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u.PasswordHash, c.params) {
			t.Errorf("%s: hash %q, want parameters %q", c.email, u.PasswordHash, c.params)
		}
		if _, _, err := c.signIn.Login(context.Background(), c.email, "correct horse battery", "127.0.0.1"); err != nil {
			t.Errorf("%s signs in on the other App: %v", c.email, err)
		}
		if _, _, err := c.signIn.Login(context.Background(), c.email, "wrong horse battery", "127.0.0.1"); kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED {
			t.Errorf("%s with a wrong password: %v", c.email, err)
		}
	}
}
