package app_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
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
	regions.Engines(t, func(t *testing.T, db *store.DB) {
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
	regions.Engines(t, func(t *testing.T, db *store.DB) {
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

// TestSignInFloodBoundsPasswordHashes sends 400 concurrent sign-ins for
// unknown addresses from 400 network addresses, so that no sign-in limit
// applies and only the hash gate stands between the flood and 400 argon2id
// hashes of 19 MiB each at once (7.4 GiB).
func TestSignInFloodBoundsPasswordHashes(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db, realHashCost)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		stop := make(chan struct{})
		var peakHeap uint64
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				peakHeap = max(peakHeap, m.HeapAlloc)
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		const n = 400
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, _, errs[i] = a.Login(context.Background(), fmt.Sprintf("nobody%d@blitar.test", i), "wrong password",
					fmt.Sprintf("10.1.%d.%d", i/256, i%256))
			})
		}
		close(start)
		wg.Wait()
		close(stop)
		<-sampled
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		st := a.PasswordHashStats()
		busy := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, app.ErrPasswordsBusy):
				busy++
			case kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED:
				t.Fatalf("sign-in: %v", err)
			}
		}
		t.Logf("%d sign-ins: %d checked, %d refused as busy; at most %d hashes at once (slots %d); peak heap %d MiB, "+
			"memory from the OS %d → %d MiB", n, st.Total, busy, st.Peak, st.Slots, peakHeap>>20, before.Sys>>20, after.Sys>>20)
		if st.Peak > st.Slots {
			t.Errorf("%d hashes ran at once, more than the %d slots", st.Peak, st.Slots)
		}
		if int64(busy) != st.Refused || st.Total+int64(busy) != n {
			t.Errorf("%d checked + %d busy != %d sign-ins (gate counted %d refused)", st.Total, busy, n, st.Refused)
		}
		if busy == 0 {
			t.Error("no sign-in was refused as busy: the flood did not reach the gate's limit")
		}
		// Sys is all the memory the Go runtime ever took from the OS, so it
		// bounds the heap's peak even between samples.
		if peakHeap >= 300<<20 || after.Sys >= 300<<20 {
			t.Errorf("peak heap %d MiB, memory from the OS %d MiB; want both under 300 MiB", peakHeap>>20, after.Sys>>20)
		}
	})
}

// TestPasswordChangeResetAndDisableRevokeAPITokens: every way an account's
// password stops being trusted ends its API tokens too, for good.
func TestPasswordChangeResetAndDisableRevokeAPITokens(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		admin := invite(t, a, "admin@blitar.test", "35.72", kolaborasi.RoleRegionAdmin)
		u := invite(t, a, "kominfo@blitar.test", "35.72", kolaborasi.RoleEditor)
		newToken := func() string {
			t.Helper()
			secret, _, err := a.CreateAPIToken(as(u), "laporan", []string{"read"}, 24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.AuthenticateAPIToken(context.Background(), secret); err != nil {
				t.Fatalf("fresh token: %v", err)
			}
			return secret
		}
		revoked := func(how, secret string) {
			t.Helper()
			if _, err := a.AuthenticateAPIToken(context.Background(), secret); kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED {
				t.Errorf("token after %s: %v", how, err)
			}
			trail, err := a.AuditTrail(as(admin), "35.72", 0)
			if err != nil || len(trail) == 0 {
				t.Fatalf("audit trail: %d entries, %v", len(trail), err)
			}
			if !strings.Contains(trail[0].Summary, "API tokens revoked: 1") {
				t.Errorf("audit after %s does not say the token was revoked: %q", how, trail[0].Summary)
			}
		}

		changed := newToken()
		if _, err := a.ChangePassword(as(u), "correct horse battery", "a new long password"); err != nil {
			t.Fatal(err)
		}
		revoked("a password change", changed)

		reset := newToken()
		link, err := a.IssueResetLink(as(admin), "35.72", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.AuthenticateAPIToken(context.Background(), reset); err != nil {
			t.Errorf("issuing a reset link (not yet used) revoked the token: %v", err)
		}
		if _, err := a.RedeemLink(context.Background(), link, "a reset long password"); err != nil {
			t.Fatal(err)
		}
		revoked("a password reset", reset)

		disabled := newToken()
		access := app.UserInput{Name: u.Name, Region: "35.72", Roles: u.Roles, Status: kolaborasi.UserDisabled}
		if err := a.UpdateUserAccess(as(admin), u.ID, access); err != nil {
			t.Fatal(err)
		}
		revoked("disabling the account", disabled)
		// Enabling the account again does not bring its tokens back.
		access.Status = kolaborasi.UserActive
		if err := a.UpdateUserAccess(as(admin), u.ID, access); err != nil {
			t.Fatal(err)
		}
		if _, err := a.AuthenticateAPIToken(context.Background(), disabled); kolaborasi.ErrorCode(err) != kolaborasi.EUNAUTHORIZED {
			t.Errorf("token of a re-enabled account: %v", err)
		}
		tokens, err := a.APITokens(as(u))
		if err != nil || len(tokens) != 3 {
			t.Fatalf("tokens = %d, %v", len(tokens), err)
		}
		for _, tk := range tokens {
			if tk.RevokedAt.IsZero() {
				t.Errorf("token %d is not marked revoked", tk.ID)
			}
		}
		// Another user's tokens are untouched.
		other, _, err := a.CreateAPIToken(as(admin), "admin", []string{"read"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.ChangePassword(as(u), "a reset long password", "yet another long password"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.AuthenticateAPIToken(context.Background(), other); err != nil {
			t.Errorf("another user's token after a password change: %v", err)
		}
	})
}

// TestAPITokenLastUse: a token's last use is recorded when it
// authenticates, at most once a minute.
func TestAPITokenLastUse(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		now := testNow
		a := app.New(db.Store(), app.WithClock(func() time.Time { return now }), testHashCost)
		if _, err := a.LoadReferenceData(context.Background()); err != nil {
			t.Fatal(err)
		}
		u := invite(t, a, "kominfo@blitar.test", "35.72", kolaborasi.RoleEditor)
		secret, _, err := a.CreateAPIToken(as(u), "laporan", []string{"read"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		lastUse := func() time.Time {
			t.Helper()
			tokens, err := a.APITokens(as(u))
			if err != nil || len(tokens) != 1 {
				t.Fatalf("tokens = %d, %v", len(tokens), err)
			}
			return tokens[0].LastUsedAt
		}
		if !lastUse().IsZero() {
			t.Errorf("unused token has a last use: %v", lastUse())
		}
		first := now
		for _, tc := range []struct {
			after time.Duration
			want  time.Time
		}{
			{0, first},
			{30 * time.Second, first}, // within the minute: no write
			{59 * time.Second, first}, // still within it
			{61 * time.Second, first.Add(61 * time.Second)}, // a minute later: written
		} {
			now = first.Add(tc.after)
			if _, err := a.AuthenticateAPIToken(context.Background(), secret); err != nil {
				t.Fatal(err)
			}
			if got := lastUse(); !got.Equal(tc.want) {
				t.Errorf("after %v: last use %v, want %v", tc.after, got, tc.want)
			}
		}
	})
}
