-- +goose Up
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_name  TEXT NOT NULL,
    region_code TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    summary     TEXT NOT NULL,
    request_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_region ON audit_log (region_code, id);

-- +goose Down
DROP TABLE audit_log;
