-- +goose Up
CREATE TABLE solutions (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('software', 'programme', 'service')),
    region_code  TEXT NOT NULL REFERENCES regions (code),
    opd_id       INTEGER REFERENCES opds (id) ON DELETE SET NULL,
    maturity     TEXT NOT NULL,
    code_url     TEXT NOT NULL DEFAULT '',
    adoptions    INTEGER NOT NULL DEFAULT 0,
    -- seq is the change number of the transaction that last wrote the row
    -- (solution_seq): in-process search indexes catch up from it.
    seq          INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    -- data is the whole solution as JSON; terms its analysed search terms.
    data         TEXT NOT NULL,
    terms        TEXT NOT NULL
);
CREATE UNIQUE INDEX solutions_code_url ON solutions (region_code, code_url) WHERE code_url <> '';
CREATE INDEX solutions_newest ON solutions (created_at, id);
CREATE INDEX solutions_adopted ON solutions (adoptions, id);
CREATE INDEX solutions_seq ON solutions (seq);

-- The change counter of solutions: every writing transaction increments it
-- (the row lock orders writers, so numbers become visible in order) and
-- stamps its rows with the new value.
CREATE TABLE solution_seq (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO solution_seq (id, seq) VALUES (1, 0);

-- One row per facet value of a solution: filters and counts join here.
CREATE TABLE solution_facets (
    facet       TEXT NOT NULL,
    value       TEXT NOT NULL,
    solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
    PRIMARY KEY (facet, value, solution_id)
) WITHOUT ROWID;
CREATE INDEX solution_facets_solution ON solution_facets (solution_id);

CREATE TABLE solution_versions (
    solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    at          TIMESTAMP NOT NULL,
    author_id   INTEGER NOT NULL,
    author_name TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (solution_id, version)
);

-- External-content FTS5 over the pre-analysed terms: the ascii tokenizer
-- only splits at spaces (terms are letters and digits, already folded and
-- stemmed), so FTS5 indexes exactly what package search produced.
CREATE VIRTUAL TABLE solutions_fts USING fts5(terms, content='solutions', content_rowid='id',
    tokenize='ascii', prefix='2 3', detail='full');

-- +goose StatementBegin
CREATE TRIGGER solutions_fts_insert AFTER INSERT ON solutions BEGIN
    INSERT INTO solutions_fts (rowid, terms) VALUES (new.id, new.terms);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER solutions_fts_delete AFTER DELETE ON solutions BEGIN
    INSERT INTO solutions_fts (solutions_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER solutions_fts_update AFTER UPDATE OF terms ON solutions BEGIN
    INSERT INTO solutions_fts (solutions_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
    INSERT INTO solutions_fts (rowid, terms) VALUES (new.id, new.terms);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE solution_seq;
DROP TABLE solutions_fts;
DROP TABLE solution_versions;
DROP TABLE solution_facets;
DROP TABLE solutions;
