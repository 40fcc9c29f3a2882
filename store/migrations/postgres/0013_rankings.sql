-- +goose Up
-- Composite indices (K5 rankings): the columns queries need, the whole
-- definition as JSON in data.
CREATE TABLE composite_indices (
    slug       TEXT COLLATE "C" PRIMARY KEY,
    version    INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    data       TEXT NOT NULL
);

-- One row counting the writes of observations, so that rankings computed
-- from them can be cached until the next write.
CREATE TABLE observation_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO observation_changes (id, n) VALUES (1, 0);

-- +goose Down
DROP TABLE observation_changes;
DROP TABLE composite_indices;
