package kolaborasi

import (
	"context"
	"time"
)

// Session is a signed-in browser. The cookie holds a random token; the
// database holds only its SHA-256, so a copy of the database does not let
// anyone sign in.
type Session struct {
	TokenHash  []byte
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Token scopes.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
)

// APIToken is a personal token for the API. Like sessions, only its hash is
// stored; the token itself is shown once, when it is made.
type APIToken struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	Name       string    `json:"name"`
	Prefix     string    `json:"prefix"`
	Scopes     []string  `json:"scopes"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	TokenHash  []byte    `json:"-"`
}

// LinkPurpose says what a one-time link is for.
type LinkPurpose string

// One-time link purposes.
const (
	LinkInvite LinkPurpose = "invite"
	LinkReset  LinkPurpose = "reset"
)

// Link is a single-use, expiring link that lets a user set a password: an
// invitation or a reset issued by an administrator (no e-mail server is
// assumed; the administrator passes the link on).
type Link struct {
	TokenHash []byte
	Purpose   LinkPurpose
	UserID    int64
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time
}

// UserFilter selects users.
type UserFilter struct {
	RegionCode string
	Role       Role
}

// AccountStore persists users, sessions, tokens, links and sign-in failures.
type AccountStore interface {
	// CreateUser stores a new user with its roles and sets its ID. A user
	// with the same e-mail address (case-insensitively) is a conflict.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser updates name, OPD, roles, status and AccessChangedBy.
	UpdateUser(ctx context.Context, u *User) error
	SetPassword(ctx context.Context, userID int64, hash string) error
	TouchLogin(ctx context.Context, userID int64, at time.Time) error
	FindUser(ctx context.Context, id int64) (*User, error)
	// FindUserByEmail matches the address case-insensitively.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)

	CreateSession(ctx context.Context, s *Session) error
	FindSession(ctx context.Context, tokenHash []byte) (*Session, error)
	TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteUserSessions signs a user out everywhere.
	DeleteUserSessions(ctx context.Context, userID int64) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPITokenByHash(ctx context.Context, hash []byte) (*APIToken, error)
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error

	CreateLink(ctx context.Context, l *Link) error
	FindLink(ctx context.Context, tokenHash []byte) (*Link, error)
	// UseLink marks an unused link used; a link already used is a conflict.
	UseLink(ctx context.Context, tokenHash []byte, at time.Time) error

	// RevokeUserAPITokens revokes every unrevoked token of a user and
	// returns how many it revoked.
	RevokeUserAPITokens(ctx context.Context, userID int64, at time.Time) (int, error)

	// ReserveSignIn counts one sign-in attempt at `at` against every limit,
	// in one transaction and by one conditional write per limit, so that
	// concurrent callers (on any server copy) can never together pass a
	// limit. A limit's window starts with the first attempt counted after
	// the previous window ended. When a limit is already reached nothing is
	// counted, and ReserveSignIn returns that limit's index and the end of
	// its window; otherwise it returns -1. Callers pass limits in one fixed
	// order (so concurrent reservations cannot deadlock) and call it
	// outside a transaction.
	ReserveSignIn(ctx context.Context, at time.Time, window time.Duration, limits ...SignInLimit) (refused int, retryAt time.Time, err error)
	// ReleaseSignIn gives back one attempt reserved under key at `at`
	// (a successful sign-in, or one whose password was never checked),
	// unless the key's window has been restarted since.
	ReleaseSignIn(ctx context.Context, key string, at time.Time) error
	// ClearSignIns forgets the attempts counted under key.
	ClearSignIns(ctx context.Context, key string) error
}

// SignInLimit allows at most Max sign-in attempts counted under Key (an
// account or a network address) within a window.
type SignInLimit struct {
	Key string
	Max int
}
