-- +goose Up
-- Indicator definitions (platform-wide): the columns queries need, the
-- whole definition as JSON in data.
CREATE TABLE indicators (
    code       TEXT PRIMARY KEY,
    framework  TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    data       TEXT NOT NULL
);

-- One value per region, indicator and period. period is the canonical text
-- ("2024", "2024-Q1", "2024-03"); an indicator's periods are all of one
-- kind, so they sort as text.
CREATE TABLE observations (
    indicator_code   TEXT NOT NULL REFERENCES indicators (code),
    region_code      TEXT NOT NULL REFERENCES regions (code),
    period           TEXT NOT NULL,
    value            REAL NOT NULL,
    source           TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    recorded_by      INTEGER,
    recorded_by_name TEXT NOT NULL DEFAULT '',
    recorded_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (indicator_code, region_code, period)
) WITHOUT ROWID;
CREATE INDEX observations_region ON observations (region_code, indicator_code, period);

-- +goose Down
DROP TABLE observations;
DROP TABLE indicators;
