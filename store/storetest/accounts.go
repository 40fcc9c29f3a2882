package storetest

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
)

var t0 = time.Date(2026, 11, 27, 2, 0, 0, 123456000, time.UTC)

func testUsers(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	opd := &kolaborasi.OPD{RegionCode: "35.72", Name: "Dinas Komunikasi dan Informatika", Kind: kolaborasi.OPDDinas}
	if err := s.CreateOPD(ctx, opd); err != nil {
		t.Fatal(err)
	}
	u := &kolaborasi.User{Email: "Kominfo@BlitarKota.go.id", Name: "Operator Kominfo", RegionCode: "35.72", OPDID: opd.ID,
		Roles: []kolaborasi.Role{kolaborasi.RoleEditor, kolaborasi.RoleViewer, kolaborasi.RoleEditor}, Status: kolaborasi.UserActive,
		PasswordHash: "$argon2id$x", CreatedAt: t0}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	admin := &kolaborasi.User{Email: "admin@kolaborasi.id", Name: "Admin", Roles: []kolaborasi.Role{kolaborasi.RoleAdmin},
		Status: kolaborasi.UserActive, CreatedAt: t0, AccessChangedBy: kolaborasi.UnknownUser}
	if err := s.CreateUser(ctx, admin); err != nil {
		t.Fatal(err)
	}
	dup := &kolaborasi.User{Email: "kominfo@blitarkota.go.id", Name: "Dup", Status: kolaborasi.UserActive, CreatedAt: t0}
	wantCode(t, s.CreateUser(ctx, dup), kolaborasi.ECONFLICT)

	got, err := s.FindUserByEmail(ctx, "KOMINFO@blitarkota.go.id")
	if err != nil {
		t.Fatal(err)
	}
	want := *u
	want.Roles = []kolaborasi.Role{kolaborasi.RoleEditor, kolaborasi.RoleViewer}
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("user round trip (-want +got):\n%s", diff)
	}
	if got, _ := s.FindUser(ctx, admin.ID); got.RegionCode != "" || got.OPDID != 0 || len(got.Roles) != 1 || got.AccessChangedBy != kolaborasi.UnknownUser {
		t.Errorf("platform user = %+v", got)
	}
	_, err = s.FindUser(ctx, 9999)
	wantCode(t, err, kolaborasi.ENOTFOUND)
	_, err = s.FindUserByEmail(ctx, "nobody@example.org")
	wantCode(t, err, kolaborasi.ENOTFOUND)

	u.Roles = []kolaborasi.Role{kolaborasi.RoleSignatory}
	u.Status = kolaborasi.UserDisabled
	u.Name = "Wali Kota Blitar"
	u.AccessChangedBy = admin.ID // who last changed the account's access
	if err := s.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, u.ID, "$argon2id$y"); err != nil {
		t.Fatal(err)
	}
	if err := s.TouchLogin(ctx, u.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.FindUser(ctx, u.ID)
	if got.Status != kolaborasi.UserDisabled || got.Name != "Wali Kota Blitar" || got.PasswordHash != "$argon2id$y" || got.AccessChangedBy != admin.ID ||
		!got.LastLoginAt.Equal(t0.Add(time.Hour)) || cmp.Diff([]kolaborasi.Role{kolaborasi.RoleSignatory}, got.Roles) != "" {
		t.Errorf("after update: %+v", got)
	}
	// Deleting the OPD detaches the user rather than failing.
	if err := s.DeleteOPD(ctx, opd.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUser(ctx, u.ID); got.OPDID != 0 {
		t.Errorf("OPD of user after the OPD was deleted = %d", got.OPDID)
	}
	signatories, err := s.FindUsers(ctx, kolaborasi.UserFilter{RegionCode: "35.72", Role: kolaborasi.RoleSignatory})
	if err != nil || len(signatories) != 1 || signatories[0].ID != u.ID {
		t.Errorf("signatories of 35.72 = %+v, %v", signatories, err)
	}
	all, _ := s.FindUsers(ctx, kolaborasi.UserFilter{})
	if len(all) != 2 {
		t.Errorf("%d users, want 2", len(all))
	}
	wantCode(t, s.UpdateUser(ctx, &kolaborasi.User{ID: 9999, Status: kolaborasi.UserActive}), kolaborasi.ENOTFOUND)
}

func newUser(t *testing.T, s kolaborasi.Store, email string) *kolaborasi.User {
	t.Helper()
	u := &kolaborasi.User{Email: email, Name: email, Status: kolaborasi.UserActive, CreatedAt: t0}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func testSessions(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	u := newUser(t, s, "a@example.org")
	v := newUser(t, s, "b@example.org")
	mk := func(user int64, token string, expires time.Time) *kolaborasi.Session {
		ss := &kolaborasi.Session{TokenHash: []byte(token), UserID: user, CSRFToken: "csrf-" + token, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: expires}
		if err := s.CreateSession(ctx, ss); err != nil {
			t.Fatal(err)
		}
		return ss
	}
	a := mk(u.ID, "token-a", t0.Add(12*time.Hour))
	mk(u.ID, "token-b", t0.Add(time.Minute))
	c := mk(v.ID, "token-c", t0.Add(12*time.Hour))
	got, err := s.FindSession(ctx, []byte("token-a"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("session round trip (-want +got):\n%s", diff)
	}
	if err := s.TouchSession(ctx, a.TokenHash, t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindSession(ctx, a.TokenHash); !got.LastSeenAt.Equal(t0.Add(30 * time.Minute)) {
		t.Errorf("last seen = %v", got.LastSeenAt)
	}
	if err := s.DeleteExpiredSessions(ctx, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindSession(ctx, []byte("token-b"))
	wantCode(t, err, kolaborasi.ENOTFOUND)
	if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindSession(ctx, a.TokenHash)
	wantCode(t, err, kolaborasi.ENOTFOUND)
	if _, err := s.FindSession(ctx, c.TokenHash); err != nil {
		t.Errorf("another user's session was deleted: %v", err)
	}
	if err := s.DeleteSession(ctx, c.TokenHash); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindSession(ctx, c.TokenHash)
	wantCode(t, err, kolaborasi.ENOTFOUND)
}

func testTokensAndLinks(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	u := newUser(t, s, "a@example.org")
	v := newUser(t, s, "b@example.org")
	tok := &kolaborasi.APIToken{UserID: u.ID, Name: "laporan", Prefix: "kol_abcd", Scopes: []string{"read", "write"},
		TokenHash: bytes.Repeat([]byte{1}, 32), CreatedAt: t0, ExpiresAt: t0.Add(90 * 24 * time.Hour)}
	if err := s.CreateAPIToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindAPITokenByHash(ctx, tok.TokenHash)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tok, got); diff != "" {
		t.Errorf("token round trip (-want +got):\n%s", diff)
	}
	wantCode(t, s.RevokeAPIToken(ctx, v.ID, tok.ID, t0), kolaborasi.ENOTFOUND) // not v's token
	if err := s.TouchAPIToken(ctx, tok.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAPIToken(ctx, u.ID, tok.ID, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.RevokeAPIToken(ctx, u.ID, tok.ID, t0.Add(3*time.Hour)), kolaborasi.ENOTFOUND)
	list, _ := s.FindAPITokens(ctx, u.ID)
	if len(list) != 1 || !list[0].RevokedAt.Equal(t0.Add(2*time.Hour)) || !list[0].LastUsedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("tokens = %+v", list)
	}
	_, err = s.FindAPITokenByHash(ctx, []byte("nope"))
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// Revoking all of a user's tokens revokes the live ones and leaves the
	// already revoked one and other users' tokens alone.
	mkToken := func(user int64, b byte) *kolaborasi.APIToken {
		t.Helper()
		tk := &kolaborasi.APIToken{UserID: user, Name: "t", Prefix: "kol_x", Scopes: []string{"read"},
			TokenHash: bytes.Repeat([]byte{b}, 32), CreatedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
		if err := s.CreateAPIToken(ctx, tk); err != nil {
			t.Fatal(err)
		}
		return tk
	}
	mkToken(u.ID, 2)
	mkToken(u.ID, 3)
	other := mkToken(v.ID, 4)
	if n, err := s.RevokeUserAPITokens(ctx, u.ID, t0.Add(4*time.Hour)); err != nil || n != 2 {
		t.Errorf("RevokeUserAPITokens = %d, %v; want 2", n, err)
	}
	list, _ = s.FindAPITokens(ctx, u.ID)
	for _, tk := range list {
		want := t0.Add(4 * time.Hour)
		if tk.ID == tok.ID {
			want = t0.Add(2 * time.Hour)
		}
		if !tk.RevokedAt.Equal(want) {
			t.Errorf("token %d revoked at %v, want %v", tk.ID, tk.RevokedAt, want)
		}
	}
	if got, _ := s.FindAPITokenByHash(ctx, other.TokenHash); !got.RevokedAt.IsZero() {
		t.Error("another user's token was revoked")
	}
	if n, err := s.RevokeUserAPITokens(ctx, u.ID, t0.Add(5*time.Hour)); err != nil || n != 0 {
		t.Errorf("second RevokeUserAPITokens = %d, %v; want 0", n, err)
	}

	l := &kolaborasi.Link{TokenHash: []byte("link"), Purpose: kolaborasi.LinkInvite, UserID: u.ID, CreatedBy: v.ID,
		CreatedAt: t0, ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := s.CreateLink(ctx, l); err != nil {
		t.Fatal(err)
	}
	gotLink, err := s.FindLink(ctx, l.TokenHash)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(l, gotLink); diff != "" {
		t.Errorf("link round trip (-want +got):\n%s", diff)
	}
	if err := s.UseLink(ctx, l.TokenHash, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.UseLink(ctx, l.TokenHash, t0.Add(2*time.Hour)), kolaborasi.ECONFLICT)
	if got, _ := s.FindLink(ctx, l.TokenHash); !got.UsedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("used at = %v", got.UsedAt)
	}
}

func testSignInLimits(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	const window = 15 * time.Minute
	account := func(max int) kolaborasi.SignInLimit {
		return kolaborasi.SignInLimit{Key: "email:a@example.org", Max: max}
	}
	address := kolaborasi.SignInLimit{Key: "addr:127.0.0.1", Max: 3}
	reserve := func(at time.Time, limits ...kolaborasi.SignInLimit) (int, time.Time) {
		t.Helper()
		refused, retryAt, err := s.ReserveSignIn(ctx, at, window, limits...)
		if err != nil {
			t.Fatal(err)
		}
		return refused, retryAt
	}
	// Three attempts fit the address's window; the fourth is refused until
	// the window that began with the first one ends.
	for i := range 3 {
		// Fractional seconds of different lengths must still compare as times.
		if refused, _ := reserve(t0.Add(time.Duration(i)*100*time.Millisecond), address); refused != -1 {
			t.Fatalf("attempt %d refused by limit %d", i+1, refused)
		}
	}
	if refused, retryAt := reserve(t0.Add(time.Minute), account(5), address); refused != 1 || !retryAt.Equal(t0.Add(window)) {
		t.Errorf("fourth attempt from the address: refused by %d, retry at %v; want 1, %v", refused, retryAt, t0.Add(window))
	}
	// The refused attempt counted against neither limit: the account still
	// has all five.
	for i := range 5 {
		if refused, _ := reserve(t0.Add(time.Minute), account(5)); refused != -1 {
			t.Fatalf("account attempt %d refused", i+1)
		}
	}
	if refused, _ := reserve(t0.Add(time.Minute), account(5)); refused != 0 {
		t.Errorf("sixth account attempt: refused by %d, want 0", refused)
	}
	// A release gives one attempt back; one from before the window does not.
	if err := s.ReleaseSignIn(ctx, address.Key, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.ReleaseSignIn(ctx, address.Key, t0.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if refused, _ := reserve(t0.Add(2*time.Minute), address); refused != -1 {
		t.Errorf("attempt after a release refused by %d", refused)
	}
	if refused, _ := reserve(t0.Add(2*time.Minute), address); refused != 0 {
		t.Errorf("attempt past the limit after one release: refused by %d", refused)
	}
	// When the window has passed, a new one starts with the next attempt.
	if refused, _ := reserve(t0.Add(window-time.Microsecond), address); refused != 0 {
		t.Errorf("attempt just inside the window: refused by %d", refused)
	}
	later := t0.Add(window)
	for i := range 3 {
		if refused, _ := reserve(later.Add(time.Duration(i)*time.Second), address); refused != -1 {
			t.Fatalf("attempt %d of the next window refused", i+1)
		}
	}
	if refused, retryAt := reserve(later.Add(time.Minute), address); refused != 0 || !retryAt.Equal(later.Add(window)) {
		t.Errorf("next window full: refused by %d, retry at %v", refused, retryAt)
	}
	// Clearing one key leaves the others.
	if err := s.ClearSignIns(ctx, account(5).Key); err != nil {
		t.Fatal(err)
	}
	if refused, _ := reserve(t0.Add(2*time.Minute), account(5)); refused != -1 {
		t.Errorf("account after clearing: refused by %d", refused)
	}
	if refused, _ := reserve(later.Add(time.Minute), address); refused != 0 {
		t.Errorf("address after clearing the account: refused by %d", refused)
	}

	// Concurrent attempts cannot pass a limit together: of 40 at once,
	// exactly 5 are counted for one account and exactly 20 for one address.
	concurrent := func(limits ...kolaborasi.SignInLimit) (counted int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := make(chan struct{})
		for range 40 {
			wg.Go(func() {
				<-start
				refused, _, err := s.ReserveSignIn(ctx, later, window, limits...)
				if err != nil {
					t.Error(err)
				} else if refused == -1 {
					mu.Lock()
					counted++
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		return counted
	}
	if n := concurrent(kolaborasi.SignInLimit{Key: "email:c@example.org", Max: 5}, kolaborasi.SignInLimit{Key: "addr:10.0.0.1", Max: 100}); n != 5 {
		t.Errorf("%d of 40 concurrent attempts counted for one account, want 5", n)
	}
	if n := concurrent(kolaborasi.SignInLimit{Key: "addr:10.0.0.2", Max: 20}); n != 20 {
		t.Errorf("%d of 40 concurrent attempts counted for one address, want 20", n)
	}
}

func testFiles(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	f := &kolaborasi.File{SHA256: "ab", ContentType: "image/png", Size: 3, Data: []byte{1, 2, 3}, CreatedAt: t0}
	if err := s.PutFile(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFile(ctx, f); err != nil {
		t.Fatalf("storing the same file again: %v", err)
	}
	got, err := s.FindFile(ctx, "ab")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(f, got); diff != "" {
		t.Errorf("file round trip (-want +got):\n%s", diff)
	}
	_, err = s.FindFile(ctx, "cd")
	wantCode(t, err, kolaborasi.ENOTFOUND)
}
