-- +goose Up
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    code               TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    short_name         TEXT NOT NULL,
    type               TEXT NOT NULL CHECK (type IN ('provinsi', 'kabupaten', 'kota')),
    province_code      TEXT NOT NULL,
    autonomous         BOOLEAN NOT NULL,
    population         INTEGER NOT NULL,
    population_male    INTEGER NOT NULL,
    population_female  INTEGER NOT NULL,
    area_km2           REAL NOT NULL,
    lat                REAL NOT NULL,
    lng                REAL NOT NULL,
    head_title         TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    phone              TEXT NOT NULL DEFAULT '',
    email              TEXT NOT NULL DEFAULT '',
    website            TEXT NOT NULL DEFAULT '',
    logo_sha256        TEXT NOT NULL DEFAULT '',
    profile_updated_at TIMESTAMP
);
CREATE INDEX regions_province ON regions (province_code, code);
CREATE INDEX regions_type ON regions (type, code);

CREATE TABLE opds (
    id          INTEGER PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    UNIQUE (region_code, name)
);

-- +goose Down
DROP TABLE opds;
DROP TABLE regions;
DROP TABLE meta;
