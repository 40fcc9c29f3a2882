-- +goose Up
-- access_changed_by is the user who invited the account or last changed its
-- access (roles, status, OPD) or issued it a password reset link: whoever
-- could have put a person of their choosing behind it. A signing key of the
-- account needs another person's approval (docs/SECURITY.md, four eyes).
-- 0 is the operator's command line (kolaborasi.System); NULL is unknown.
ALTER TABLE users ADD COLUMN access_changed_by INTEGER;
UPDATE users SET access_changed_by = (
    SELECT l.created_by FROM links l WHERE l.user_id = users.id ORDER BY l.created_at DESC LIMIT 1);

-- +goose Down
ALTER TABLE users DROP COLUMN access_changed_by;
