// Package store implements kolaborasi.Store over database/sql for two
// engines: SQLite (modernc.org/sqlite, pure Go, the embedded default) and
// PostgreSQL (pgx). Queries are written once in portable SQL with ?
// placeholders; the dialect type covers the real differences (placeholder
// syntax, error codes, full-text search). Migrations are embedded, one folder
// per engine with identical file names.
package store
