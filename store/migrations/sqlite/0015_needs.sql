-- +goose Up
-- K6: what regions declare they are looking for. data is the whole need
-- as JSON; the columns are what queries filter and order by.
CREATE TABLE needs (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    opd_id      INTEGER REFERENCES opds (id) ON DELETE SET NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'met', 'withdrawn')),
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX needs_region ON needs (region_code, id);
CREATE INDEX needs_status ON needs (status, id);

-- The change counter of needs: every writing transaction increments it, so
-- the matchmaking graph is rebuilt only when needs changed.
CREATE TABLE need_seq (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO need_seq (id, seq) VALUES (1, 0);

-- +goose Down
DROP TABLE need_seq;
DROP TABLE needs;
