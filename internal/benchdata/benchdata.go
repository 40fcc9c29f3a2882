// Package benchdata builds and keeps the national-scale data set of the
// catalog benchmarks (docs/BENCHMARKS.md, "K3 catalog"): 165,000 generated
// solutions (package gen) on SQLite and PostgreSQL. Only benchmarks use it.
package benchdata

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// Seed is the generator seed of the benchmark data set.
const Seed = 1

// Size is the number of solutions: KOLABORASI_BENCH_SOLUTIONS, default 165000.
func Size() int {
	if n, err := strconv.Atoi(os.Getenv("KOLABORASI_BENCH_SOLUTIONS")); err == nil && n > 0 {
		return n
	}
	return 165000
}

// schemaHash names the migrations, so that a changed schema builds a new
// data set.
func schemaHash(b testing.TB) string {
	h := sha256.New()
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		fsys := store.MigrationFS(e)
		names, _ := fs.Glob(fsys, "*.sql")
		for _, n := range names {
			data, err := fs.ReadFile(fsys, n)
			if err != nil {
				b.Fatal(err)
			}
			h.Write(data)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
}

// fill generates the catalog into a migrated database through the app.
func fill(b testing.TB, db *store.DB, n int) {
	ctx := context.Background()
	a := app.New(db.Store(), app.WithoutCatalogIndex())
	if _, err := a.LoadReferenceData(ctx); err != nil {
		b.Fatal(err)
	}
	regions := Regions(b, a)
	sys := kolaborasi.WithUser(ctx, kolaborasi.System)
	start := time.Now()
	for i := 0; i < n; i += 2000 {
		batch := make([]*kolaborasi.Solution, 0, 2000)
		for j := i; j < min(i+2000, n); j++ {
			batch = append(batch, gen.Solution(Seed, j, regions))
		}
		if err := a.LoadSyntheticSolutions(sys, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%s: generated %d solutions in %s (%.0f/s)", db.Engine(), n, time.Since(start).Round(time.Second), float64(n)/time.Since(start).Seconds())
	if err := db.Store().SetMeta(ctx, "bench_complete", "1"); err != nil {
		b.Fatal(err)
	}
}

// Regions lists every kabupaten/kota code, the generator's spread.
func Regions(b testing.TB, a *app.App) []string {
	ctx := context.Background()
	provs, err := a.Provinces(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, p := range provs {
		rs, err := a.RegionsOfProvince(ctx, p.Code)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rs {
			out = append(out, r.Code)
		}
	}
	return out
}

// SQLite returns the data set on SQLite, built once and kept in the
// temporary folder (named by seed, size and a hash of the migrations).
func SQLite(b testing.TB) *store.DB {
	n := Size()
	path := SQLitePath(b)
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		unlock := lockFile(b, path+".lock")
		defer unlock()
	}
	if _, err := os.Stat(path); err != nil {
		// Built under its own name by this process only, then renamed:
		// another process never sees a half-built file.
		tmp := fmt.Sprintf("%s.building-%d", path, os.Getpid())
		db, err := store.Open(ctx, tmp)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		fill(b, db, n)
		db.Close()
		if err := os.Rename(tmp, path); err != nil {
			b.Fatal(err)
		}
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
	}
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// SQLitePath is where SQLite keeps the data set (see SQLite).
func SQLitePath(b testing.TB) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("kolaborasi-bench-k3-s%d-n%d-%s.db", Seed, Size(), schemaHash(b)))
}

// PostgresURL is the DSN of the data set's schema on the test server (see
// Postgres), with the extra connection parameters given in pairs (pgx
// passes unknown ones to the server as settings: "work_mem", "16MB").
func PostgresURL(b testing.TB, params ...string) string {
	u, err := url.Parse(storetest.PostgresDSN(b))
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", fmt.Sprintf("bench_k3_s%d_n%d_%s", Seed, Size(), schemaHash(b)))
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Postgres returns the data set in a schema of the test PostgreSQL server,
// built once and kept, with the table of the PostgreSQL-native baseline.
func Postgres(b testing.TB) *store.DB {
	dsn := storetest.PostgresDSN(b)
	n := Size()
	u, err := url.Parse(PostgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	ctx := context.Background()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	// One process builds the schema; others (benchmarks of several
	// packages run at once) wait on the advisory lock, then find it built.
	conn, err := admin.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1))`, schema); err != nil {
		b.Fatal(err)
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(hashtext($1))`, schema) //nolint:errcheck // released with the connection anyway
	var done int
	err = conn.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'baseline_docs'`, schema).Scan(&done)
	if err != nil {
		b.Fatal(err)
	}
	if done == 0 {
		if _, err := conn.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			b.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			b.Fatal(err)
		}
		db, err := store.Open(ctx, u.String())
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		fill(b, db, n)
		// The baseline: PostgreSQL's own Indonesian configuration over the
		// same texts, with a GIN index.
		w, _ := db.Pools()
		start := time.Now()
		if _, err := w.ExecContext(ctx, `CREATE TABLE baseline_docs AS
			SELECT id, concat_ws(' ', data::jsonb->'name'->>'id', data::jsonb->'name'->>'en', data::jsonb->'short'->>'id',
				data::jsonb->'short'->>'en', data::jsonb->'long'->>'id', data::jsonb->'long'->>'en') AS doc FROM solutions;
			ALTER TABLE baseline_docs ADD PRIMARY KEY (id);
			ALTER TABLE baseline_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('indonesian', doc)) STORED;
			CREATE INDEX baseline_docs_tsv ON baseline_docs USING GIN (tsv);
			ANALYZE`); err != nil {
			b.Fatal(err)
		}
		b.Logf("postgres: baseline table built in %s", time.Since(start).Round(time.Second))
		db.Close()
	}
	db, err := store.Open(ctx, u.String())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// lockFile waits until it can create path exclusively (another process is
// building the same data set meanwhile) and returns its release. A lock
// older than an hour is taken as left by a killed process.
func lockFile(b testing.TB, path string) func() {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }
		}
		if !errors.Is(err, fs.ErrExist) {
			b.Fatal(err)
		}
		if st, err := os.Stat(path); err == nil && time.Since(st.ModTime()) > time.Hour {
			os.Remove(path)
			continue
		}
		time.Sleep(time.Second)
	}
}
