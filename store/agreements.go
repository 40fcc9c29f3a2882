package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// signYear is the year of a civil date "YYYY-MM-DD", 0 when unset.
func signYear(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// CreateAgreement implements kolaborasi.AgreementStore.
func (s *Store) CreateAgreement(ctx context.Context, a *kolaborasi.Agreement) error {
	if a.Version != 1 {
		return fmt.Errorf("create agreement: first version is %d, want 1", a.Version)
	}
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		err := t.queryRow(ctx, `INSERT INTO agreements (latest_version, created_by, created_at) VALUES (1, ?, ?) RETURNING id`,
			a.CreatedBy, dbTime(a.CreatedAt)).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("create agreement: %w", err)
		}
		return t.insertVersion(ctx, a)
	})
}

// CreateAgreementVersion implements kolaborasi.AgreementStore.
func (s *Store) CreateAgreementVersion(ctx context.Context, a *kolaborasi.Agreement) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		res, err := t.exec(ctx, `UPDATE agreements SET latest_version = ? WHERE id = ? AND latest_version = ?`, a.Version, a.ID, a.Version-1)
		if err != nil {
			return fmt.Errorf("create agreement version: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Agreement %d changed meanwhile; reload it.", a.ID)
		}
		return t.insertVersion(ctx, a)
	})
}

func (s *Store) insertVersion(ctx context.Context, a *kolaborasi.Agreement) error {
	content, err := json.Marshal(a.Content)
	if err != nil {
		return fmt.Errorf("encode agreement content: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO agreement_versions (agreement_id, version, status, type, sign_year, content, frozen,
		report_due, created_by, created_at, updated_at, announced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Version, a.Status, a.Content.Type, signYear(a.Content.SignDate), string(content), a.Frozen,
		dbTime(a.ReportDue), a.CreatedBy, dbTime(a.CreatedAt), dbTime(a.UpdatedAt), a.Announced)
	if err != nil {
		return translate(fmt.Errorf("create agreement version: %w", err), "This agreement version")
	}
	return s.writeAgreementIndex(ctx, a)
}

// writeAgreementIndex rewrites the party and sector rows of a version.
func (s *Store) writeAgreementIndex(ctx context.Context, a *kolaborasi.Agreement) error {
	for _, table := range []string{"agreement_parties", "agreement_sectors"} {
		if _, err := s.exec(ctx, `DELETE FROM `+table+` WHERE agreement_id = ? AND version = ?`, a.ID, a.Version); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	for i, p := range a.Content.Parties {
		if p.Region == "" {
			continue
		}
		_, err := s.exec(ctx, `INSERT INTO agreement_parties (agreement_id, version, position, region_code) VALUES (?, ?, ?, ?)`,
			a.ID, a.Version, i, p.Region)
		if err != nil {
			return translate(fmt.Errorf("store agreement party: %w", err), "A party")
		}
	}
	seen := map[string]bool{}
	for _, sec := range a.Content.Scope {
		if seen[sec] {
			continue
		}
		seen[sec] = true
		_, err := s.exec(ctx, `INSERT INTO agreement_sectors (agreement_id, version, sector) VALUES (?, ?, ?)`, a.ID, a.Version, sec)
		if err != nil {
			return fmt.Errorf("store agreement sector: %w", err)
		}
	}
	return nil
}

// UpdateAgreementContent implements kolaborasi.AgreementStore.
func (s *Store) UpdateAgreementContent(ctx context.Context, a *kolaborasi.Agreement, readAt time.Time) error {
	content, err := json.Marshal(a.Content)
	if err != nil {
		return fmt.Errorf("encode agreement content: %w", err)
	}
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		q := `UPDATE agreement_versions SET content = ?, type = ?, sign_year = ?, updated_at = ?
			WHERE agreement_id = ? AND version = ? AND NOT frozen`
		args := []any{string(content), a.Content.Type, signYear(a.Content.SignDate), dbTime(a.UpdatedAt), a.ID, a.Version}
		if !readAt.IsZero() {
			q += ` AND updated_at = ?`
			args = append(args, dbTime(readAt))
		}
		res, err := t.exec(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("update agreement %d version %d: %w", a.ID, a.Version, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			cur, err := t.FindAgreement(ctx, a.ID, a.Version)
			if err != nil {
				return err
			}
			if !cur.Frozen {
				return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Version %d of agreement %d changed since you read it; read it again.", a.Version, a.ID)
			}
			return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Version %d of agreement %d is signed and cannot change; make an addendum.", a.Version, a.ID)
		}
		return t.writeAgreementIndex(ctx, a)
	})
}

// SetAgreementStatus implements kolaborasi.AgreementStore.
func (s *Store) SetAgreementStatus(ctx context.Context, id, version int64, from, to kolaborasi.AgreementStatus, reportDue, at time.Time) error {
	res, err := s.exec(ctx, `UPDATE agreement_versions SET status = ?, report_due = ?, updated_at = ?
		WHERE agreement_id = ? AND version = ? AND status = ?`, to, dbTime(reportDue), dbTime(at), id, version, from)
	if err != nil {
		return fmt.Errorf("set status of agreement %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Agreement %d is no longer %s; reload it.", id, from)
	}
	return nil
}

// SetAgreementAnnounced implements kolaborasi.AgreementStore.
func (s *Store) SetAgreementAnnounced(ctx context.Context, id, version int64, on bool) error {
	res, err := s.exec(ctx, `UPDATE agreement_versions SET announced = ? WHERE agreement_id = ? AND version = ? AND status = 'draft'`,
		on, id, version)
	if err != nil {
		return fmt.Errorf("announce agreement %d version %d: %w", id, version, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Version %d of agreement %d is not a draft.", version, id)
	}
	return nil
}

// latestPublic is the newest version of agreement g that is not a draft
// (NULL when none).
const latestPublic = `(SELECT MAX(x.version) FROM agreement_versions x WHERE x.agreement_id = g.id AND x.status <> 'draft')`

// publicVersions is latestPublic of every agreement with one, as a table
// (agreement_id, version): one pass over the index agreement_versions_status
// rather than a subquery per row, for the counts (CountAgreements).
const publicVersions = `(SELECT agreement_id, MAX(version) AS version FROM agreement_versions WHERE status <> 'draft' GROUP BY agreement_id)`

// The counts of CountAgreements: the public agreements by status, and the
// regions party to one.
const (
	countAgreementsQuery = `SELECT v.status, COUNT(*) FROM ` + publicVersions + ` m
		JOIN agreement_versions v ON v.agreement_id = m.agreement_id AND v.version = m.version GROUP BY v.status`
	agreementRegionsQuery = `SELECT DISTINCT p.region_code FROM ` + publicVersions + ` m
		JOIN agreement_parties p ON p.agreement_id = m.agreement_id AND p.version = m.version ORDER BY p.region_code`
)

// agreementColumns reads a version v of agreement g and what
// kolaborasi.AgreementNewest says about g's newest versions.
const agreementColumns = `v.agreement_id, v.version, v.status, v.content, v.frozen, v.report_due, v.created_by, v.created_at,
	v.updated_at, v.announced, g.latest_version, COALESCE(` + latestPublic + `, 0),
	(SELECT l.announced FROM agreement_versions l WHERE l.agreement_id = g.id AND l.version = g.latest_version)`

func scanAgreement(sc interface{ Scan(...any) error }) (*kolaborasi.Agreement, error) {
	var a kolaborasi.Agreement
	var content string
	var due, created, updated nullTime
	if err := sc.Scan(&a.ID, &a.Version, &a.Status, &content, &a.Frozen, &due, &a.CreatedBy, &created, &updated, &a.Announced,
		&a.Newest.Version, &a.Newest.Public, &a.Newest.Announced); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(content), &a.Content); err != nil {
		return nil, fmt.Errorf("decode content of agreement %d: %w", a.ID, err)
	}
	a.ReportDue, a.CreatedAt, a.UpdatedAt = due.Time, created.Time, updated.Time
	return &a, nil
}

// FindAgreement implements kolaborasi.AgreementStore.
func (s *Store) FindAgreement(ctx context.Context, id, version int64) (*kolaborasi.Agreement, error) {
	q := `SELECT ` + agreementColumns + ` FROM agreement_versions v JOIN agreements g ON g.id = v.agreement_id
		WHERE v.agreement_id = ? AND v.version = `
	args := []any{id}
	if version == 0 {
		q += `g.latest_version`
	} else {
		q += `?`
		args = append(args, version)
	}
	a, err := scanAgreement(s.queryRow(ctx, q, args...))
	if err != nil {
		return nil, notFound(fmt.Errorf("find agreement %d version %d: %w", id, version, err), "No such agreement.")
	}
	a.Attachments, a.Signatures = []kolaborasi.AgreementAttachment{}, []kolaborasi.AgreementSignature{}
	rows, err := s.query(ctx, `SELECT name, kind, sha256, size, party, signed, uploaded_by, uploaded_at FROM agreement_attachments
		WHERE agreement_id = ? AND version = ? ORDER BY uploaded_at, name`, a.ID, a.Version)
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at kolaborasi.AgreementAttachment
		var when nullTime
		if err := rows.Scan(&at.Name, &at.Kind, &at.SHA256, &at.Size, &at.Party, &at.Signed, &at.UploadedBy, &when); err != nil {
			return nil, fmt.Errorf("scan attachment: %w", err)
		}
		at.UploadedAt = when.Time
		a.Attachments = append(a.Attachments, at)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	rows, err = s.query(ctx, `SELECT stage, party, role, key_id, signature, mandate_sha256, signer_id, signed_at, log_index
		FROM agreement_signatures WHERE agreement_id = ? AND version = ? ORDER BY log_index`, a.ID, a.Version)
	if err != nil {
		return nil, fmt.Errorf("find signatures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sg kolaborasi.AgreementSignature
		var when nullTime
		if err := rows.Scan(&sg.Stage, &sg.Party, &sg.Role, &sg.KeyID, &sg.Signature, &sg.MandateSHA256, &sg.SignerID, &when, &sg.LogIndex); err != nil {
			return nil, fmt.Errorf("scan signature: %w", err)
		}
		sg.SignedAt = when.Time
		a.Signatures = append(a.Signatures, sg)
	}
	return a, rows.Err()
}

// FindAgreements implements kolaborasi.AgreementStore.
func (s *Store) FindAgreements(ctx context.Context, f kolaborasi.AgreementFilter) ([]*kolaborasi.Agreement, error) {
	var where []string
	var args []any
	if f.Region != "" {
		where = append(where, `EXISTS (SELECT 1 FROM agreement_parties p WHERE p.agreement_id = v.agreement_id AND p.version = v.version AND p.region_code = ?)`)
		args = append(args, f.Region)
	}
	if f.Sector != "" {
		where = append(where, `EXISTS (SELECT 1 FROM agreement_sectors x WHERE x.agreement_id = v.agreement_id AND x.version = v.version AND x.sector = ?)`)
		args = append(args, f.Sector)
	}
	if f.Type != "" {
		where = append(where, `v.type = ?`)
		args = append(args, f.Type)
	}
	if f.Status != "" {
		where = append(where, `v.status = ?`)
		args = append(args, f.Status)
	}
	if f.Year != 0 {
		where = append(where, `v.sign_year = ?`)
		args = append(args, f.Year)
	}
	if f.Before > 0 {
		where = append(where, `v.agreement_id < ?`)
		args = append(args, f.Before)
	}
	shown := `g.latest_version`
	if !f.IncludeDrafts {
		shown = latestPublic
	}
	q := `SELECT ` + agreementColumns + ` FROM agreement_versions v JOIN agreements g ON g.id = v.agreement_id AND v.version = ` + shown
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY v.agreement_id DESC`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find agreements: %w", err)
	}
	defer rows.Close()
	out := []*kolaborasi.Agreement{}
	for rows.Next() {
		a, err := scanAgreement(rows)
		if err != nil {
			return nil, fmt.Errorf("scan agreement: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountAgreements implements kolaborasi.AgreementStore.
func (s *Store) CountAgreements(ctx context.Context) (*kolaborasi.AgreementTotals, error) {
	t := &kolaborasi.AgreementTotals{ByStatus: map[kolaborasi.AgreementStatus]int{}}
	rows, err := s.query(ctx, countAgreementsQuery)
	if err != nil {
		return nil, fmt.Errorf("count agreements: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st kolaborasi.AgreementStatus
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count agreements: %w", err)
		}
		t.ByStatus[st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count agreements: %w", err)
	}
	regions, err := s.query(ctx, agreementRegionsQuery)
	if err != nil {
		return nil, fmt.Errorf("count agreement regions: %w", err)
	}
	defer regions.Close()
	for regions.Next() {
		var code string
		if err := regions.Scan(&code); err != nil {
			return nil, fmt.Errorf("count agreement regions: %w", err)
		}
		t.Regions = append(t.Regions, code)
	}
	return t, regions.Err()
}

// AddAgreementAttachment implements kolaborasi.AgreementStore.
func (s *Store) AddAgreementAttachment(ctx context.Context, id, version int64, at *kolaborasi.AgreementAttachment) error {
	_, err := s.exec(ctx, `INSERT INTO agreement_attachments (agreement_id, version, name, kind, sha256, size, party, signed,
		uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, version, at.Name, at.Kind, at.SHA256, at.Size, at.Party, at.Signed, at.UploadedBy, dbTime(at.UploadedAt))
	if err != nil {
		return translate(fmt.Errorf("add attachment %q: %w", at.Name, err), "An attachment with this name")
	}
	return nil
}

// CreateAgreementSignature implements kolaborasi.AgreementStore.
func (s *Store) CreateAgreementSignature(ctx context.Context, id, version int64, sg *kolaborasi.AgreementSignature) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		_, err := t.exec(ctx, `INSERT INTO agreement_signatures (agreement_id, version, stage, party, role, key_id, signature,
			mandate_sha256, signer_id, signed_at, log_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, version, sg.Stage, sg.Party, sg.Role, sg.KeyID, sg.Signature, sg.MandateSHA256, sg.SignerID, dbTime(sg.SignedAt), sg.LogIndex)
		if err != nil {
			return translate(fmt.Errorf("store signature: %w", err), "This party's signature")
		}
		if _, err := t.exec(ctx, `UPDATE agreement_versions SET frozen = ? WHERE agreement_id = ? AND version = ?`, true, id, version); err != nil {
			return fmt.Errorf("freeze agreement version: %w", err)
		}
		return nil
	})
}

// CreateAgreementEvent implements kolaborasi.AgreementStore.
func (s *Store) CreateAgreementEvent(ctx context.Context, e *kolaborasi.AgreementEvent) error {
	_, err := s.exec(ctx, `INSERT INTO agreement_events (agreement_id, version, from_status, to_status, at, actor_id, actor_role,
		region_code, log_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.AgreementID, e.Version, e.From, e.To, dbTime(e.At), e.ActorID, e.ActorRole, e.Region, e.LogIndex)
	if err != nil {
		return fmt.Errorf("store agreement event: %w", err)
	}
	return nil
}

// FindAgreementEvents implements kolaborasi.AgreementStore.
func (s *Store) FindAgreementEvents(ctx context.Context, id int64) ([]*kolaborasi.AgreementEvent, error) {
	rows, err := s.query(ctx, `SELECT agreement_id, version, from_status, to_status, at, actor_id, actor_role, region_code, log_index
		FROM agreement_events WHERE agreement_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("find agreement events: %w", err)
	}
	defer rows.Close()
	out := []*kolaborasi.AgreementEvent{}
	for rows.Next() {
		var e kolaborasi.AgreementEvent
		var at nullTime
		if err := rows.Scan(&e.AgreementID, &e.Version, &e.From, &e.To, &at, &e.ActorID, &e.ActorRole, &e.Region, &e.LogIndex); err != nil {
			return nil, fmt.Errorf("scan agreement event: %w", err)
		}
		e.At = at.Time
		out = append(out, &e)
	}
	return out, rows.Err()
}

const keyColumns = `key_id, public_key, region_code, user_id, office, status, created_at, decided_by, decided_at,
	reg_log_index, revoked_at, revoke_log_index, revoke_reason`

func scanKey(sc interface{ Scan(...any) error }) (*kolaborasi.SigningKey, error) {
	var k kolaborasi.SigningKey
	var created, decided, revoked nullTime
	err := sc.Scan(&k.KeyID, &k.PublicKey, &k.Region, &k.UserID, &k.Office, &k.Status, &created, &k.DecidedBy, &decided,
		&k.RegLogIndex, &revoked, &k.RevokeLogIndex, &k.RevokeReason)
	if err != nil {
		return nil, err
	}
	k.CreatedAt, k.DecidedAt, k.RevokedAt = created.Time, decided.Time, revoked.Time
	return &k, nil
}

// CreateSigningKey implements kolaborasi.AgreementStore.
func (s *Store) CreateSigningKey(ctx context.Context, k *kolaborasi.SigningKey) error {
	_, err := s.exec(ctx, `INSERT INTO signing_keys (`+keyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.KeyID, k.PublicKey, k.Region, k.UserID, k.Office, k.Status, dbTime(k.CreatedAt), k.DecidedBy, dbTime(k.DecidedAt),
		k.RegLogIndex, dbTime(k.RevokedAt), k.RevokeLogIndex, k.RevokeReason)
	if err != nil {
		return translate(fmt.Errorf("create signing key: %w", err), "This key")
	}
	return nil
}

// FindSigningKey implements kolaborasi.AgreementStore.
func (s *Store) FindSigningKey(ctx context.Context, keyID string) (*kolaborasi.SigningKey, error) {
	k, err := scanKey(s.queryRow(ctx, `SELECT `+keyColumns+` FROM signing_keys WHERE key_id = ?`, keyID))
	if err != nil {
		return nil, notFound(fmt.Errorf("find signing key %s: %w", keyID, err), "No such signing key.")
	}
	return k, nil
}

// FindSigningKeys implements kolaborasi.AgreementStore.
func (s *Store) FindSigningKeys(ctx context.Context, f kolaborasi.SigningKeyFilter) ([]*kolaborasi.SigningKey, error) {
	q := `SELECT ` + keyColumns + ` FROM signing_keys WHERE 1 = 1`
	var args []any
	if f.Region != "" {
		q += ` AND region_code = ?`
		args = append(args, f.Region)
	}
	if f.UserID != 0 {
		q += ` AND user_id = ?`
		args = append(args, f.UserID)
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	rows, err := s.query(ctx, q+` ORDER BY created_at, key_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("find signing keys: %w", err)
	}
	defer rows.Close()
	out := []*kolaborasi.SigningKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("scan signing key: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// UpdateSigningKey implements kolaborasi.AgreementStore.
func (s *Store) UpdateSigningKey(ctx context.Context, k *kolaborasi.SigningKey) error {
	res, err := s.exec(ctx, `UPDATE signing_keys SET status = ?, decided_by = ?, decided_at = ?, reg_log_index = ?,
		revoked_at = ?, revoke_log_index = ?, revoke_reason = ? WHERE key_id = ?`,
		k.Status, k.DecidedBy, dbTime(k.DecidedAt), k.RegLogIndex, dbTime(k.RevokedAt), k.RevokeLogIndex, k.RevokeReason, k.KeyID)
	if err != nil {
		return fmt.Errorf("update signing key %s: %w", k.KeyID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return notFound(sql.ErrNoRows, "No such signing key.")
	}
	return nil
}

// FindAttachmentVersions implements kolaborasi.AgreementStore.
func (s *Store) FindAttachmentVersions(ctx context.Context, sha256 string) ([]kolaborasi.VersionRef, error) {
	rows, err := s.query(ctx, `SELECT agreement_id, version FROM agreement_attachments WHERE sha256 = ?
		ORDER BY agreement_id, version`, sha256)
	if err != nil {
		return nil, fmt.Errorf("find attachment versions: %w", err)
	}
	defer rows.Close()
	var out []kolaborasi.VersionRef
	for rows.Next() {
		var r kolaborasi.VersionRef
		if err := rows.Scan(&r.ID, &r.Version); err != nil {
			return nil, fmt.Errorf("scan attachment version: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
