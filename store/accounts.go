package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

const userColumns = `id, email, name, region_code, opd_id, status, password_hash, created_at, last_login_at, access_changed_by`

func scanUser(sc interface{ Scan(...any) error }) (*kolaborasi.User, error) {
	var u kolaborasi.User
	var region sql.NullString
	var opd, changedBy sql.NullInt64
	var created, lastLogin nullTime
	if err := sc.Scan(&u.ID, &u.Email, &u.Name, &region, &opd, &u.Status, &u.PasswordHash, &created, &lastLogin, &changedBy); err != nil {
		return nil, err
	}
	u.RegionCode, u.OPDID, u.CreatedAt, u.LastLoginAt = region.String, opd.Int64, created.Time, lastLogin.Time
	u.AccessChangedBy = kolaborasi.UnknownUser
	if changedBy.Valid {
		u.AccessChangedBy = changedBy.Int64
	}
	return &u, nil
}

// loadRoles fills the roles of users in one query.
func (s *Store) loadRoles(ctx context.Context, users ...*kolaborasi.User) error {
	if len(users) == 0 {
		return nil
	}
	byID := map[int64]*kolaborasi.User{}
	ids := make([]string, 0, len(users))
	args := make([]any, 0, len(users))
	for _, u := range users {
		byID[u.ID] = u
		u.Roles = []kolaborasi.Role{}
		ids = append(ids, "?")
		args = append(args, u.ID)
	}
	rows, err := s.query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN (`+strings.Join(ids, ",")+`) ORDER BY user_id, role`, args...)
	if err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role kolaborasi.Role
		if err := rows.Scan(&id, &role); err != nil {
			return fmt.Errorf("scan role: %w", err)
		}
		byID[id].Roles = append(byID[id].Roles, role)
	}
	return rows.Err()
}

func (s *Store) writeRoles(ctx context.Context, u *kolaborasi.User) error {
	if _, err := s.exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, u.ID); err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	roles := append([]kolaborasi.Role(nil), u.Roles...)
	sort.Slice(roles, func(i, j int) bool { return roles[i] < roles[j] })
	for i, r := range roles {
		if i > 0 && roles[i-1] == r {
			continue
		}
		if _, err := s.exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return fmt.Errorf("add role %s: %w", r, err)
		}
	}
	return nil
}

// CreateUser implements kolaborasi.AccountStore.
func (s *Store) CreateUser(ctx context.Context, u *kolaborasi.User) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		err := t.writer().QueryRowContext(ctx, t.db.engine.rebind(`INSERT INTO users
			(email, name, region_code, opd_id, status, password_hash, created_at, access_changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			u.Email, u.Name, nullString(u.RegionCode), nullInt(u.OPDID), string(u.Status), u.PasswordHash, dbTime(u.CreatedAt),
			knownUser(u.AccessChangedBy)).Scan(&u.ID)
		if err != nil {
			return translate(fmt.Errorf("create user: %w", err), "An account with this e-mail address")
		}
		return t.writeRoles(ctx, u)
	})
}

// knownUser is a user ID for a column where NULL means not recorded.
func knownUser(id int64) any {
	if id == kolaborasi.UnknownUser {
		return nil
	}
	return id
}

// UpdateUser implements kolaborasi.AccountStore.
func (s *Store) UpdateUser(ctx context.Context, u *kolaborasi.User) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		res, err := t.exec(ctx, `UPDATE users SET name = ?, opd_id = ?, status = ?, access_changed_by = ? WHERE id = ?`,
			u.Name, nullInt(u.OPDID), string(u.Status), knownUser(u.AccessChangedBy), u.ID)
		if err != nil {
			return translate(fmt.Errorf("update user %d: %w", u.ID, err), "The OPD")
		}
		if err := requireRow(res, "User %d does not exist.", u.ID); err != nil {
			return err
		}
		return t.writeRoles(ctx, u)
	})
}

// SetPassword implements kolaborasi.AccountStore.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	res, err := s.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	return requireRow(res, "User %d does not exist.", userID)
}

// TouchLogin implements kolaborasi.AccountStore.
func (s *Store) TouchLogin(ctx context.Context, userID int64, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, dbTime(at), userID); err != nil {
		return fmt.Errorf("record login of user %d: %w", userID, err)
	}
	return nil
}

// FindUser implements kolaborasi.AccountStore.
func (s *Store) FindUser(ctx context.Context, id int64) (*kolaborasi.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find user %d: %w", id, err), "User %d does not exist.", id)
	}
	return u, s.loadRoles(ctx, u)
}

// FindUserByEmail implements kolaborasi.AccountStore.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*kolaborasi.User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE lower(email) = ?`, strings.ToLower(email)))
	if err != nil {
		return nil, notFound(fmt.Errorf("find user by e-mail: %w", err), "No account has this e-mail address.")
	}
	return u, s.loadRoles(ctx, u)
}

// FindUsers implements kolaborasi.AccountStore.
func (s *Store) FindUsers(ctx context.Context, f kolaborasi.UserFilter) ([]*kolaborasi.User, error) {
	var where []string
	var args []any
	if f.RegionCode != "" {
		where, args = append(where, "region_code = ?"), append(args, f.RegionCode)
	}
	if f.Role != "" {
		where, args = append(where, "id IN (SELECT user_id FROM user_roles WHERE role = ?)"), append(args, string(f.Role))
	}
	q := `SELECT ` + userColumns + ` FROM users`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.query(ctx, q+" ORDER BY name, id", args...)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	var out []*kolaborasi.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan user: %w", err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.loadRoles(ctx, out...)
}

// CreateSession implements kolaborasi.AccountStore.
func (s *Store) CreateSession(ctx context.Context, ss *kolaborasi.Session) error {
	_, err := s.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, ss.TokenHash, ss.UserID, ss.CSRFToken, dbTime(ss.CreatedAt), dbTime(ss.LastSeenAt), dbTime(ss.ExpiresAt))
	if err != nil {
		return translate(fmt.Errorf("create session: %w", err), "The session")
	}
	return nil
}

// FindSession implements kolaborasi.AccountStore.
func (s *Store) FindSession(ctx context.Context, tokenHash []byte) (*kolaborasi.Session, error) {
	var ss kolaborasi.Session
	var created, seen, expires nullTime
	err := s.queryRow(ctx, `SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at
		FROM sessions WHERE token_hash = ?`, tokenHash).Scan(&ss.TokenHash, &ss.UserID, &ss.CSRFToken, &created, &seen, &expires)
	if err != nil {
		return nil, notFound(fmt.Errorf("find session: %w", err), "The session has ended.")
	}
	ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt = created.Time, seen.Time, expires.Time
	return &ss, nil
}

// TouchSession implements kolaborasi.AccountStore.
func (s *Store) TouchSession(ctx context.Context, tokenHash []byte, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, dbTime(at), tokenHash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession implements kolaborasi.AccountStore.
func (s *Store) DeleteSession(ctx context.Context, tokenHash []byte) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions implements kolaborasi.AccountStore.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions implements kolaborasi.AccountStore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	if _, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, dbTime(now)); err != nil {
		return fmt.Errorf("delete expired sessions: %w", err)
	}
	return nil
}

const tokenColumns = `id, user_id, name, prefix, scopes, token_hash, created_at, expires_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (*kolaborasi.APIToken, error) {
	var t kolaborasi.APIToken
	var scopes string
	var created, expires, used, revoked nullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &scopes, &t.TokenHash, &created, &expires, &used, &revoked); err != nil {
		return nil, err
	}
	t.Scopes = strings.Fields(scopes)
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt = created.Time, expires.Time, used.Time, revoked.Time
	return &t, nil
}

// CreateAPIToken implements kolaborasi.AccountStore.
func (s *Store) CreateAPIToken(ctx context.Context, t *kolaborasi.APIToken) error {
	err := s.writer().QueryRowContext(ctx, s.db.engine.rebind(`INSERT INTO api_tokens
		(user_id, name, prefix, scopes, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		t.UserID, t.Name, t.Prefix, strings.Join(t.Scopes, " "), t.TokenHash, dbTime(t.CreatedAt), dbTime(t.ExpiresAt)).Scan(&t.ID)
	if err != nil {
		return translate(fmt.Errorf("create API token: %w", err), "The token")
	}
	return nil
}

// FindAPITokenByHash implements kolaborasi.AccountStore.
func (s *Store) FindAPITokenByHash(ctx context.Context, hash []byte) (*kolaborasi.APIToken, error) {
	t, err := scanToken(s.queryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE token_hash = ?`, hash))
	if err != nil {
		return nil, notFound(fmt.Errorf("find API token: %w", err), "The token is not valid.")
	}
	return t, nil
}

// FindAPITokens implements kolaborasi.AccountStore.
func (s *Store) FindAPITokens(ctx context.Context, userID int64) ([]*kolaborasi.APIToken, error) {
	rows, err := s.query(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("find API tokens: %w", err)
	}
	defer rows.Close()
	var out []*kolaborasi.APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("scan API token: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken implements kolaborasi.AccountStore.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`,
		dbTime(at), id, userID)
	if err != nil {
		return fmt.Errorf("revoke API token %d: %w", id, err)
	}
	return requireRow(res, "Token %d does not exist or is already revoked.", id)
}

// TouchAPIToken implements kolaborasi.AccountStore.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, dbTime(at), id); err != nil {
		return fmt.Errorf("touch API token %d: %w", id, err)
	}
	return nil
}

// CreateLink implements kolaborasi.AccountStore.
func (s *Store) CreateLink(ctx context.Context, l *kolaborasi.Link) error {
	_, err := s.exec(ctx, `INSERT INTO links (token_hash, purpose, user_id, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, l.TokenHash, string(l.Purpose), l.UserID, l.CreatedBy, dbTime(l.CreatedAt), dbTime(l.ExpiresAt))
	if err != nil {
		return translate(fmt.Errorf("create link: %w", err), "The link")
	}
	return nil
}

// FindLink implements kolaborasi.AccountStore.
func (s *Store) FindLink(ctx context.Context, tokenHash []byte) (*kolaborasi.Link, error) {
	var l kolaborasi.Link
	var created, expires, used nullTime
	err := s.queryRow(ctx, `SELECT token_hash, purpose, user_id, created_by, created_at, expires_at, used_at
		FROM links WHERE token_hash = ?`, tokenHash).Scan(&l.TokenHash, &l.Purpose, &l.UserID, &l.CreatedBy, &created, &expires, &used)
	if err != nil {
		return nil, notFound(fmt.Errorf("find link: %w", err), "This link is not valid.")
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt = created.Time, expires.Time, used.Time
	return &l, nil
}

// UseLink implements kolaborasi.AccountStore.
func (s *Store) UseLink(ctx context.Context, tokenHash []byte, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, dbTime(at), tokenHash)
	if err != nil {
		return fmt.Errorf("use link: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("use link: %w", err)
	}
	if n == 0 {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "This link has already been used.")
	}
	return nil
}

// RevokeUserAPITokens implements kolaborasi.AccountStore.
func (s *Store) RevokeUserAPITokens(ctx context.Context, userID int64, at time.Time) (int, error) {
	res, err := s.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, dbTime(at), userID)
	if err != nil {
		return 0, fmt.Errorf("revoke API tokens of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("revoke API tokens of user %d: %w", userID, err)
	}
	return int(n), nil
}

// reserveSignIn counts an attempt under a key unless its window still runs
// and is full. The WHERE of the upsert is evaluated on the row as it is when
// the write happens (PostgreSQL locks the conflicting row and rechecks it;
// SQLite has one writer), so it is a conditional write, not a read followed
// by a write. It returns no row when the limit is reached.
const reserveSignIn = `INSERT INTO signin_attempts (key, window_start, attempts) VALUES (?, ?, 1)
	ON CONFLICT (key) DO UPDATE SET
		attempts = CASE WHEN signin_attempts.window_start <= ? THEN 1 ELSE signin_attempts.attempts + 1 END,
		window_start = CASE WHEN signin_attempts.window_start <= ? THEN excluded.window_start ELSE signin_attempts.window_start END
	WHERE signin_attempts.window_start <= ? OR signin_attempts.attempts < ?
	RETURNING window_start`

// errSignInRefused rolls back the reservations of a refused attempt.
var errSignInRefused = errors.New("sign-in limit reached")

// ReserveSignIn implements kolaborasi.AccountStore.
func (s *Store) ReserveSignIn(ctx context.Context, at time.Time, window time.Duration, limits ...kolaborasi.SignInLimit) (int, time.Time, error) {
	refused, retryAt := -1, time.Time{}
	since := dbTime(at.Add(-window))
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		for i, l := range limits {
			var start nullTime
			err := t.queryRowW(ctx, reserveSignIn, l.Key, dbTime(at), since, since, since, l.Max).Scan(&start)
			if errors.Is(err, sql.ErrNoRows) {
				if err := t.queryRowW(ctx, `SELECT window_start FROM signin_attempts WHERE key = ?`, l.Key).Scan(&start); err != nil {
					return fmt.Errorf("read sign-in window: %w", err)
				}
				refused, retryAt = i, start.Time.Add(window)
				return errSignInRefused
			} else if err != nil {
				return fmt.Errorf("reserve sign-in attempt: %w", err)
			}
		}
		return nil
	})
	if errors.Is(err, errSignInRefused) {
		return refused, retryAt, nil
	}
	return -1, time.Time{}, err
}

// ReleaseSignIn implements kolaborasi.AccountStore.
func (s *Store) ReleaseSignIn(ctx context.Context, key string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE signin_attempts SET attempts = attempts - 1 WHERE key = ? AND window_start <= ? AND attempts > 0`,
		key, dbTime(at))
	if err != nil {
		return fmt.Errorf("release sign-in attempt: %w", err)
	}
	return nil
}

// ClearSignIns implements kolaborasi.AccountStore.
func (s *Store) ClearSignIns(ctx context.Context, key string) error {
	if _, err := s.exec(ctx, `DELETE FROM signin_attempts WHERE key = ?`, key); err != nil {
		return fmt.Errorf("clear sign-in attempts: %w", err)
	}
	return nil
}
