-- +goose Up
-- K6: producers, products, their search index and the products regions
-- feature in their showcases.
CREATE TABLE producers (
    id           INTEGER PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    kind         TEXT NOT NULL CHECK (kind IN ('umkm', 'creative', 'cooperative')),
    name         TEXT NOT NULL,
    verification TEXT NOT NULL CHECK (verification IN ('unverified', 'verified')),
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    -- data is the whole producer as JSON.
    data         TEXT NOT NULL
);
CREATE INDEX producers_region ON producers (region_code, name);

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    producer_id  INTEGER NOT NULL REFERENCES producers (id),
    region_code  TEXT NOT NULL REFERENCES regions (code),
    -- seq is the change number (product_seq) of the transaction that last
    -- wrote the row: the in-process index catches up from it.
    seq          INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    data         TEXT NOT NULL,
    terms        TEXT NOT NULL
);
CREATE INDEX products_producer ON products (producer_id);
CREATE INDEX products_newest ON products (created_at, id);
CREATE INDEX products_seq ON products (seq);

-- The change counter of products, as solution_seq is for solutions.
CREATE TABLE product_seq (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO product_seq (id, seq) VALUES (1, 0);

CREATE TABLE product_facets (
    facet      TEXT NOT NULL,
    value      TEXT NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (facet, value, product_id)
) WITHOUT ROWID;
CREATE INDEX product_facets_product ON product_facets (product_id);

-- A region features a partner region's product under an agreement between
-- the two; whether the agreement still allows it is decided when read.
CREATE TABLE product_features (
    region_code  TEXT NOT NULL REFERENCES regions (code),
    product_id   INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    by_id        INTEGER NOT NULL,
    by_name      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (region_code, product_id)
);

CREATE VIRTUAL TABLE products_fts USING fts5(terms, content='products', content_rowid='id',
    tokenize='ascii', prefix='2 3', detail='full');

-- +goose StatementBegin
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, terms) VALUES (new.id, new.terms);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER products_fts_update AFTER UPDATE OF terms ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, terms) VALUES ('delete', old.id, old.terms);
    INSERT INTO products_fts (rowid, terms) VALUES (new.id, new.terms);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE products_fts;
DROP TABLE product_features;
DROP TABLE product_facets;
DROP TABLE product_seq;
DROP TABLE products;
DROP TABLE producers;
