-- +goose Up
CREATE TABLE agreements (
    id             INTEGER PRIMARY KEY,
    latest_version INTEGER NOT NULL,
    created_by     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL
);

-- One row per version; content is the signed legal content (JSON), the
-- other columns are copies of it for filtering.
CREATE TABLE agreement_versions (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    version      INTEGER NOT NULL,
    status       TEXT NOT NULL,
    type         TEXT NOT NULL,
    sign_year    INTEGER NOT NULL DEFAULT 0,
    content      TEXT NOT NULL,
    frozen       INTEGER NOT NULL DEFAULT 0,
    report_due   TIMESTAMP,
    created_by   INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (agreement_id, version)
);

CREATE TABLE agreement_parties (
    agreement_id INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (agreement_id, version, position),
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions (agreement_id, version)
);
CREATE INDEX agreement_parties_region ON agreement_parties (region_code);

CREATE TABLE agreement_sectors (
    agreement_id INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    sector       TEXT NOT NULL,
    PRIMARY KEY (agreement_id, version, sector),
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions (agreement_id, version)
);

CREATE TABLE agreement_attachments (
    agreement_id INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    sha256       TEXT NOT NULL REFERENCES files (sha256),
    size         INTEGER NOT NULL,
    party        TEXT NOT NULL DEFAULT '',
    signed       INTEGER NOT NULL,
    uploaded_by  INTEGER NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (agreement_id, version, name),
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions (agreement_id, version)
);

CREATE TABLE signing_keys (
    key_id           TEXT PRIMARY KEY,
    public_key       BLOB NOT NULL UNIQUE,
    region_code      TEXT NOT NULL REFERENCES regions (code),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    office           TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'active', 'rejected', 'revoked')),
    created_at       TIMESTAMP NOT NULL,
    decided_by       INTEGER NOT NULL DEFAULT 0,
    decided_at       TIMESTAMP,
    reg_log_index    INTEGER NOT NULL DEFAULT -1,
    revoked_at       TIMESTAMP,
    revoke_log_index INTEGER NOT NULL DEFAULT -1,
    revoke_reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signing_keys_region ON signing_keys (region_code, status);

CREATE TABLE agreement_signatures (
    agreement_id   INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    stage          TEXT NOT NULL,
    party          TEXT NOT NULL,
    role           TEXT NOT NULL,
    key_id         TEXT NOT NULL REFERENCES signing_keys (key_id),
    signature      BLOB NOT NULL,
    mandate_sha256 TEXT NOT NULL DEFAULT '',
    signer_id      INTEGER NOT NULL,
    signed_at      TIMESTAMP NOT NULL,
    log_index      INTEGER NOT NULL,
    PRIMARY KEY (agreement_id, version, stage, party, role),
    FOREIGN KEY (agreement_id, version) REFERENCES agreement_versions (agreement_id, version)
);

CREATE TABLE agreement_events (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    version      INTEGER NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    actor_id     INTEGER NOT NULL,
    actor_role   TEXT NOT NULL,
    region_code  TEXT NOT NULL DEFAULT '',
    log_index    INTEGER NOT NULL
);
CREATE INDEX agreement_events_agreement ON agreement_events (agreement_id, id);

-- The public log: one row holding its size (the write lock), the records,
-- the stored hashes of its Merkle tree, one signed checkpoint per batch and
-- the log's note key.
CREATE TABLE log_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    size INTEGER NOT NULL
);
INSERT INTO log_head (id, size) VALUES (1, 0);

CREATE TABLE log_records (
    idx          INTEGER PRIMARY KEY,
    type         TEXT NOT NULL,
    agreement_id TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 0,
    key_id       TEXT NOT NULL DEFAULT '',
    data         BLOB NOT NULL
);
CREATE INDEX log_records_agreement ON log_records (agreement_id, version) WHERE agreement_id <> '';
CREATE INDEX log_records_key ON log_records (key_id) WHERE key_id <> '';

CREATE TABLE log_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

CREATE TABLE log_checkpoints (
    size       INTEGER PRIMARY KEY,
    checkpoint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE log_key (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    signer   TEXT NOT NULL,
    verifier TEXT NOT NULL
);

-- +goose Down
DROP TABLE log_key;
DROP TABLE log_checkpoints;
DROP TABLE log_hashes;
DROP TABLE log_records;
DROP TABLE log_head;
DROP TABLE agreement_events;
DROP TABLE agreement_signatures;
DROP TABLE signing_keys;
DROP TABLE agreement_attachments;
DROP TABLE agreement_sectors;
DROP TABLE agreement_parties;
DROP TABLE agreement_versions;
DROP TABLE agreements;
