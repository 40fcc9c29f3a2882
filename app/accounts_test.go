package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

var system = kolaborasi.WithUser(context.Background(), kolaborasi.System)

func invite(t *testing.T, a *app.App, email, region string, roles ...kolaborasi.Role) *kolaborasi.User {
	t.Helper()
	_, token, err := a.InviteUser(system, app.UserInput{Email: email, Name: email, Region: region, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.RedeemLink(context.Background(), token, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	u, _, err := a.Login(context.Background(), email, "correct horse battery", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestGrantRules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		blitarAdmin := invite(t, a, "admin@blitar.test", "35.72", kolaborasi.RoleRegionAdmin)
		ctx := as(blitarAdmin)
		for name, in := range map[string]app.UserInput{
			"region_admin needs a platform admin":  {Email: "x@blitar.test", Name: "X", Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}},
			"platform roles need a platform admin": {Email: "y@blitar.test", Name: "Y", Roles: []kolaborasi.Role{kolaborasi.RoleObserver}},
			"another region":                       {Email: "z@bandung.test", Name: "Z", Region: "32.73", Roles: []kolaborasi.Role{kolaborasi.RoleEditor}},
		} {
			if _, _, err := a.InviteUser(ctx, in); kolaborasi.ErrorCode(err) != kolaborasi.EFORBIDDEN {
				t.Errorf("%s: %v", name, err)
			}
		}
		for name, in := range map[string]app.UserInput{
			"platform role in a region": {Email: "p@blitar.test", Name: "P", Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}},
			"no roles":                  {Email: "n@blitar.test", Name: "N", Region: "35.72"},
			"unknown role":              {Email: "u@blitar.test", Name: "U", Region: "35.72", Roles: []kolaborasi.Role{"mayor"}},
			"bad e-mail":                {Email: "not-an-address", Name: "B", Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleViewer}},
		} {
			if _, _, err := a.InviteUser(system, in); kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
		}
		editor, _, err := a.InviteUser(ctx, app.UserInput{Email: "Editor@Blitar.test", Name: "Editor", Region: "35.72",
			Roles: []kolaborasi.Role{kolaborasi.RoleEditor}})
		if err != nil {
			t.Fatal(err)
		}
		if editor.Email != "editor@blitar.test" {
			t.Errorf("e-mail not normalised: %q", editor.Email)
		}
		// The same address again is a conflict, and the failed attempt
		// leaves no audit row.
		before, _ := a.AuditTrail(ctx, "35.72", 0)
		if _, _, err := a.InviteUser(ctx, app.UserInput{Email: "EDITOR@blitar.test", Name: "Again", Region: "35.72",
			Roles: []kolaborasi.Role{kolaborasi.RoleViewer}}); kolaborasi.ErrorCode(err) != kolaborasi.ECONFLICT {
			t.Errorf("duplicate address: %v", err)
		}
		after, _ := a.AuditTrail(ctx, "35.72", 0)
		if len(after) != len(before) {
			t.Errorf("a failed invitation wrote %d audit rows", len(after)-len(before))
		}
		// Nobody disables themselves or changes their own roles.
		err = a.UpdateUserAccess(ctx, blitarAdmin.ID, app.UserInput{Name: "Admin", Region: "35.72",
			Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserDisabled})
		if kolaborasi.ErrorCode(err) != kolaborasi.EFORBIDDEN && kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
			t.Errorf("self-disable: %v", err)
		}
		// Disabling a user ends their sessions and blocks sign-in.
		_, session, err := func() (*kolaborasi.User, string, error) {
			_, tok, err := a.InviteUser(ctx, app.UserInput{Email: "s@blitar.test", Name: "S", Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleViewer}})
			if err != nil {
				return nil, "", err
			}
			if _, err := a.RedeemLink(context.Background(), tok, "correct horse battery"); err != nil {
				return nil, "", err
			}
			return a.Login(context.Background(), "s@blitar.test", "correct horse battery", "10.0.0.1")
		}()
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := a.Authenticate(context.Background(), session)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.UpdateUserAccess(ctx, u.ID, app.UserInput{Name: "S", Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleViewer},
			Status: kolaborasi.UserDisabled}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Authenticate(context.Background(), session); kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED {
			t.Errorf("disabled user's session: %v", err)
		}
		if _, _, err := a.Login(context.Background(), "s@blitar.test", "correct horse battery", "10.0.0.1"); kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED {
			t.Errorf("disabled user's login: %v", err)
		}
	})
}

func TestChangePassword(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		u := invite(t, a, "walikota@blitar.test", "35.72", kolaborasi.RoleSignatory)
		_, old, err := a.Login(context.Background(), u.Email, "correct horse battery", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ChangePassword(as(u), "wrong", "a new long password"); kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
			t.Errorf("wrong current password: %v", err)
		}
		if _, err := a.ChangePassword(as(u), "correct horse battery", "short"); kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
			t.Errorf("short password: %v", err)
		}
		fresh, err := a.ChangePassword(as(u), "correct horse battery", "a new long password")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.Authenticate(context.Background(), old); err == nil {
			t.Error("old session survived the password change")
		}
		if _, _, err := a.Authenticate(context.Background(), fresh); err != nil {
			t.Errorf("new session: %v", err)
		}
		if _, _, err := a.Login(context.Background(), u.Email, "a new long password", "127.0.0.1"); err != nil {
			t.Errorf("login with the new password: %v", err)
		}
	})
}

// BenchmarkLoginFailures compares the cost of a sign-in with an unknown
// address and with a wrong password: they should be the same, so timing
// does not reveal which addresses have accounts.
func BenchmarkLoginFailures(b *testing.B) {
	db := storetest.OpenSQLite(b)
	// Every reading of the clock moves it past the lockout window, so each
	// attempt does the full check.
	now := time.Now()
	a := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { now = now.Add(16 * time.Minute); return now }))
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		b.Fatal(err)
	}
	_, token, err := a.InviteUser(system, app.UserInput{Email: "known@blitar.test", Name: "K", Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleViewer}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.RedeemLink(context.Background(), token, "correct horse battery"); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, email string }{{"unknown-address", "nobody@blitar.test"}, {"wrong-password", "known@blitar.test"}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := a.Login(context.Background(), tc.email, "wrong password", "10.0.0.1"); kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED {
					b.Fatalf("login: %v", err)
				}
			}
		})
	}
}
