-- +goose Up
-- Sign-in attempts are counted per key (an account or a network address) in
-- one row that a conditional upsert increments, so concurrent attempts
-- cannot pass a limit between reading and recording it.
DROP TABLE login_failures;
CREATE TABLE signin_attempts (
    key          TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL
);

-- +goose Down
DROP TABLE signin_attempts;
CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
