-- +goose Up
-- K8: persisted snapshots of the in-process search indexes (package
-- catalog), so that a server starts from the one last saved and catches it
-- up from its change number instead of building the index from every row.
-- Kept in the database, so that a backup and its restore carry the
-- snapshot that matches their rows. A snapshot is written in parts, each
-- in its own short transaction, under a new generation, and made current
-- by one small update of index_snapshots (see store/snapshots.go).
CREATE TABLE index_snapshots (
    name       TEXT COLLATE "C" PRIMARY KEY,
    generation BIGINT NOT NULL,
    key        TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    size       BIGINT NOT NULL,
    parts      INTEGER NOT NULL,
    saved_at   TIMESTAMPTZ NOT NULL
);
CREATE TABLE index_snapshot_parts (
    name       TEXT COLLATE "C" NOT NULL,
    generation BIGINT NOT NULL,
    part       INTEGER NOT NULL,
    data       BYTEA NOT NULL,
    PRIMARY KEY (name, generation, part)
);

-- +goose Down
DROP TABLE index_snapshot_parts;
DROP TABLE index_snapshots;
