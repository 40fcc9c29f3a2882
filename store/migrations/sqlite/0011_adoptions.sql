-- +goose Up
-- One row per adoption of a solution by a region (K5): the whole adoption
-- as JSON (history, budgets, notes) plus the columns queries need.
CREATE TABLE adoptions (
    id             INTEGER PRIMARY KEY,
    solution_id    INTEGER NOT NULL REFERENCES solutions (id),
    adopter_region TEXT NOT NULL REFERENCES regions (code),
    source_region  TEXT NOT NULL REFERENCES regions (code),
    agreement_id   INTEGER NOT NULL DEFAULT 0,
    stage          TEXT NOT NULL CHECK (stage IN ('interest', 'study_visit', 'agreement', 'technical_transfer',
                       'pilot', 'live', 'evaluated', 'stopped')),
    state          TEXT NOT NULL CHECK (state IN ('requested', 'accepted', 'declined')),
    version        INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    data           TEXT NOT NULL
);
-- A region has at most one open adoption (not declined, not stopped) of a
-- solution.
CREATE UNIQUE INDEX adoptions_open ON adoptions (solution_id, adopter_region)
    WHERE state <> 'declined' AND stage <> 'stopped';
CREATE INDEX adoptions_adopter ON adoptions (adopter_region, id);
CREATE INDEX adoptions_source ON adoptions (source_region, id);
CREATE INDEX adoptions_agreement ON adoptions (agreement_id) WHERE agreement_id <> 0;

-- Documents of an adoption, stored in files by their hash.
CREATE TABLE adoption_documents (
    adoption_id INTEGER NOT NULL REFERENCES adoptions (id),
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES files (sha256),
    size        INTEGER NOT NULL,
    uploaded_by INTEGER NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (adoption_id, name)
);
CREATE INDEX adoption_documents_sha ON adoption_documents (sha256);

-- +goose Down
DROP TABLE adoption_documents;
DROP TABLE adoptions;
