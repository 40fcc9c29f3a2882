-- +goose Up
-- K8: persisted snapshots of the in-process search indexes (package
-- catalog), so that a server starts from the one last saved and catches it
-- up from its change number instead of building the index from every row.
-- Kept in the database, so that a backup and its restore carry the
-- snapshot that matches their rows. A snapshot is written in parts, each
-- in its own short transaction, under a new generation, and made current
-- by one small update of index_snapshots (see store/snapshots.go).
CREATE TABLE index_snapshots (
    name       TEXT PRIMARY KEY,
    generation INTEGER NOT NULL,
    key        TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    size       INTEGER NOT NULL,
    parts      INTEGER NOT NULL,
    saved_at   TIMESTAMP NOT NULL
);
CREATE TABLE index_snapshot_parts (
    name       TEXT NOT NULL,
    generation INTEGER NOT NULL,
    part       INTEGER NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (name, generation, part)
);

-- +goose Down
DROP TABLE index_snapshot_parts;
DROP TABLE index_snapshots;
