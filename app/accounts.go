package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// Session and sign-in limits.
const (
	SessionIdle     = time.Hour
	SessionLifetime = 12 * time.Hour
	// sessionTouchEvery limits last-seen writes to one a minute per session.
	sessionTouchEvery = time.Minute

	failureWindow     = 15 * time.Minute
	maxAccountFailure = 5
	maxAddressFailure = 20

	InviteLinkTTL = 7 * 24 * time.Hour
	ResetLinkTTL  = 24 * time.Hour
	MaxTokenTTL   = 366 * 24 * time.Hour
)

// errBadLogin is the one answer for an unknown address, a wrong password and
// a disabled account, so that sign-in reveals nothing about accounts.
var errBadLogin = kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "The e-mail address or the password is wrong.")

// randomToken returns 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Login checks an e-mail address and password and starts a session. client
// is the caller's network address, for the per-address limit. It returns the
// user and the session token for the cookie.
//
// The attempt is counted against the account's and the address's limits
// before the password is checked (one conditional write each, so concurrent
// attempts cannot slip past a limit), and the check itself waits for a slot
// of the App's hash gate. A successful sign-in clears the account's count
// and gives the address its attempt back; so does an attempt whose password
// was never checked.
func (a *App) Login(ctx context.Context, email, password, client string) (*kolaborasi.User, string, error) {
	email = normEmail(email)
	now := a.now()
	accountKey, addressKey := "email:"+email, "addr:"+client
	refused, retryAt, err := a.store.ReserveSignIn(ctx, now, failureWindow,
		kolaborasi.SignInLimit{Key: accountKey, Max: maxAccountFailure}, kolaborasi.SignInLimit{Key: addressKey, Max: maxAddressFailure})
	if err != nil {
		return nil, "", err
	}
	switch refused {
	case 0:
		return nil, "", &kolaborasi.Error{Code: kolaborasi.ETOOMANY, RetryAfter: retryAt.Sub(now),
			Message: "Too many failed sign-ins for this account; try again in 15 minutes."}
	case 1:
		return nil, "", &kolaborasi.Error{Code: kolaborasi.ETOOMANY, RetryAfter: retryAt.Sub(now),
			Message: "Too many failed sign-ins from your network address; try again in 15 minutes."}
	}
	giveBack := func(err error) (*kolaborasi.User, string, error) {
		ctx := context.WithoutCancel(ctx)
		for _, key := range []string{accountKey, addressKey} {
			if rerr := a.store.ReleaseSignIn(ctx, key, now); rerr != nil {
				a.log.Error("release sign-in attempt", "err", rerr)
			}
		}
		return nil, "", err
	}
	u, err := a.store.FindUserByEmail(ctx, email)
	if err != nil && kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		return giveBack(err)
	}
	hash := "" // no account: checked against the dummy hash, never matches
	if u != nil {
		hash = u.PasswordHash
	}
	match, err := a.checkPassword(ctx, hash, password)
	if err != nil {
		return giveBack(err)
	}
	if !match || u.Status != kolaborasi.UserActive {
		return nil, "", errBadLogin
	}
	token, err := a.startSession(ctx, a.store, u, now)
	if err != nil {
		return nil, "", err
	}
	if err := a.store.ClearSignIns(ctx, accountKey); err != nil {
		return nil, "", err
	}
	if err := a.store.ReleaseSignIn(ctx, addressKey, now); err != nil {
		return nil, "", err
	}
	if err := a.store.TouchLogin(ctx, u.ID, now); err != nil {
		return nil, "", err
	}
	u.LastLoginAt = now
	return u, token, nil
}

// startSession creates a session with a fresh token and CSRF token.
func (a *App) startSession(ctx context.Context, s kolaborasi.Store, u *kolaborasi.User, now time.Time) (string, error) {
	token := randomToken()
	err := s.CreateSession(ctx, &kolaborasi.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFToken: randomToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionLifetime)})
	if err != nil {
		return "", err
	}
	return token, nil
}

// Authenticate returns the user and session of a session token. An unknown,
// idle, expired or disabled user's session is unauthorized (and deleted).
func (a *App) Authenticate(ctx context.Context, token string) (*kolaborasi.User, *kolaborasi.Session, error) {
	if token == "" {
		return nil, nil, kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Not signed in.")
	}
	s, err := a.store.FindSession(ctx, hashToken(token))
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
		return nil, nil, kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Your session has ended; sign in again.")
	} else if err != nil {
		return nil, nil, err
	}
	now := a.now()
	ended := func() (*kolaborasi.User, *kolaborasi.Session, error) {
		if err := a.store.DeleteSession(ctx, s.TokenHash); err != nil {
			return nil, nil, err
		}
		return nil, nil, kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Your session has ended; sign in again.")
	}
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) >= SessionIdle {
		return ended()
	}
	u, err := a.store.FindUser(ctx, s.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Status != kolaborasi.UserActive {
		return ended()
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchEvery {
		if err := a.store.TouchSession(ctx, s.TokenHash, now); err != nil {
			return nil, nil, err
		}
		s.LastSeenAt = now
	}
	return u, s, nil
}

// Logout ends the session of the token.
func (a *App) Logout(ctx context.Context, token string) error {
	return a.store.DeleteSession(ctx, hashToken(token))
}

// ChangePassword changes the acting user's password after checking the
// current one, signs the user out everywhere and returns a new session token.
func (a *App) ChangePassword(ctx context.Context, current, next string) (string, error) {
	u, err := a.authorize(ctx, ActOwnAccount, "")
	if err != nil {
		return "", err
	}
	if u.TokenScopes != nil {
		return "", kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Change your password from a signed-in browser, not with an API token.")
	}
	fresh, err := a.store.FindUser(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if ok, err := a.checkPassword(ctx, fresh.PasswordHash, current); err != nil {
		return "", err
	} else if !ok {
		return "", &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The current password is wrong.",
			Fields: map[string]string{"current": "is wrong"}}
	}
	if err := validatePassword(next, "new"); err != nil {
		return "", err
	}
	hash, err := a.hashPassword(ctx, next)
	if err != nil {
		return "", err
	}
	var token string
	err = a.audited(ctx, u, ActOwnAccount, u.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return "", "", err
		}
		ended, err := a.signOutEverywhere(ctx, tx, u.ID)
		if err != nil {
			return "", "", err
		}
		if token, err = a.startSession(ctx, tx, u, a.now()); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("user:%d", u.ID), "changed own password; " + ended, nil
	})
	return token, err
}

// signOutEverywhere ends all sessions of a user and revokes the user's API
// tokens (after a password change or reset, or when the account is
// disabled), and says so for the audit trail.
func (a *App) signOutEverywhere(ctx context.Context, tx kolaborasi.Store, userID int64) (string, error) {
	if err := tx.DeleteUserSessions(ctx, userID); err != nil {
		return "", err
	}
	n, err := tx.RevokeUserAPITokens(ctx, userID, a.now())
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("sessions ended; API tokens revoked: %d", n), nil
}

func validatePassword(p, field string) error {
	if len([]rune(p)) < MinPasswordLength {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: fmt.Sprintf("A password needs at least %d characters.", MinPasswordLength),
			Fields: map[string]string{field: fmt.Sprintf("needs at least %d characters", MinPasswordLength)}}
	}
	if len(p) > 1024 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "A password may have at most 1024 bytes.",
			Fields: map[string]string{field: "is too long"}}
	}
	return nil
}

// CreateAPIToken makes a personal API token for the acting user and returns
// it in full, once; only its hash is kept.
func (a *App) CreateAPIToken(ctx context.Context, name string, scopes []string, ttl time.Duration) (string, *kolaborasi.APIToken, error) {
	u, err := a.authorize(ctx, ActOwnAccount, "")
	if err != nil {
		return "", nil, err
	}
	if u.TokenScopes != nil {
		return "", nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Tokens are made from a signed-in browser, not with another token.")
	}
	fields := map[string]string{}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 80 {
		fields["name"] = "is required, at most 80 characters"
	}
	var clean []string
	for _, s := range scopes {
		if s != kolaborasi.ScopeRead && s != kolaborasi.ScopeWrite {
			fields["scopes"] = "must be read and/or write"
		} else if !slices.Contains(clean, s) {
			clean = append(clean, s)
		}
	}
	if len(clean) == 0 {
		fields["scopes"] = "choose read, write or both"
	}
	if ttl <= 0 || ttl > MaxTokenTTL {
		fields["expires"] = "must be between 1 and 366 days"
	}
	if len(fields) > 0 {
		return "", nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The token request is not valid.", Fields: fields}
	}
	if slices.Contains(clean, kolaborasi.ScopeWrite) && !slices.Contains(clean, kolaborasi.ScopeRead) {
		clean = append([]string{kolaborasi.ScopeRead}, clean...)
	}
	secret := "kol_" + randomToken()
	now := a.now()
	t := &kolaborasi.APIToken{UserID: u.ID, Name: name, Prefix: secret[:12], Scopes: clean, TokenHash: hashToken(secret),
		CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = a.audited(ctx, u, ActOwnAccount, u.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.CreateAPIToken(ctx, t); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("token:%d", t.ID), fmt.Sprintf("created API token %q (%s), expires %s", name,
			strings.Join(clean, ","), t.ExpiresAt.Format(time.DateOnly)), nil
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// APITokens lists the acting user's tokens.
func (a *App) APITokens(ctx context.Context) ([]*kolaborasi.APIToken, error) {
	u, err := a.authorize(ctx, ActOwnAccount, "")
	if err != nil {
		return nil, err
	}
	return a.store.FindAPITokens(ctx, u.ID)
}

// RevokeAPIToken revokes one of the acting user's tokens.
func (a *App) RevokeAPIToken(ctx context.Context, id int64) error {
	u, err := a.authorize(ctx, ActOwnAccount, "")
	if err != nil {
		return err
	}
	return a.audited(ctx, u, ActOwnAccount, u.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.RevokeAPIToken(ctx, u.ID, id, a.now()); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("token:%d", id), "revoked API token", nil
	})
}

// AuthenticateAPIToken returns the user of a bearer token, with the token's
// scopes attached. Unknown, expired and revoked tokens are unauthorized.
func (a *App) AuthenticateAPIToken(ctx context.Context, secret string) (*kolaborasi.User, error) {
	bad := kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "The API token is not valid, has expired or was revoked.")
	if !strings.HasPrefix(secret, "kol_") || len(secret) > 100 {
		return nil, bad
	}
	t, err := a.store.FindAPITokenByHash(ctx, hashToken(secret))
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	now := a.now()
	if !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) {
		return nil, bad
	}
	u, err := a.store.FindUser(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Status != kolaborasi.UserActive {
		return nil, bad
	}
	if now.Sub(t.LastUsedAt) >= time.Minute {
		if err := a.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	u.TokenScopes = t.Scopes
	return u, nil
}
