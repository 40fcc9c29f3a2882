package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// MigrationFS returns the embedded migrations of one engine.
func MigrationFS(e Engine) fs.FS {
	sub, err := fs.Sub(migrations, "migrations/"+string(e))
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// Migrate applies every pending migration. Each migration runs in its own
// transaction, so a failing one leaves the database as the previous one left
// it. On PostgreSQL an advisory lock keeps several server copies from
// migrating at once.
//
// On SQLite, when migrations ran, the write-ahead log is then copied into
// the database and emptied, and the writer's page cache given back: a
// migration that rewrites every row (0019 fills columns of 165,000
// solutions nationally) left a 245 MB log that every later read looked
// pages up in until the next write, and its pages cached in the process
// (K8: under load after such a start the resident size was 322 MiB, and
// 232 MiB with this).
func (db *DB) Migrate(ctx context.Context) error {
	applied, err := migrate(ctx, db.engine, db.write, MigrationFS(db.engine))
	if err != nil || db.engine != SQLite || applied == 0 {
		return err
	}
	for _, pragma := range []string{"PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA shrink_memory"} {
		if _, err := db.write.ExecContext(ctx, pragma); err != nil {
			return fmt.Errorf("after the migrations: %s: %w", pragma, err)
		}
	}
	return nil
}

func newProvider(e Engine, pool *sql.DB, fsys fs.FS) (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if e == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("create migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, pool, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("prepare migrations: %w", err)
	}
	return p, nil
}

// migrate applies the pending migrations in fsys and returns how many ran.
func migrate(ctx context.Context, e Engine, pool *sql.DB, fsys fs.FS) (int, error) {
	p, err := newProvider(e, pool, fsys)
	if err != nil {
		return 0, err
	}
	results, err := p.Up(ctx)
	if err != nil {
		var perr *goose.PartialError
		if errors.As(err, &perr) && perr.Failed != nil && perr.Failed.Source != nil {
			return 0, fmt.Errorf("migration %s failed and was rolled back (%v); the database is at the last good version: fix the cause and run `kolaborasi migrate` again",
				perr.Failed.Source.Path, perr.Err)
		}
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	return len(results), nil
}

// MigrationVersion returns the newest applied migration version.
func (db *DB) MigrationVersion(ctx context.Context) (int64, error) {
	p, err := newProvider(db.engine, db.write, MigrationFS(db.engine))
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}
