package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/kolaborasi/kolaborasi"
)

// DB is an open database: for SQLite one writer connection and a pool of
// readers, for PostgreSQL one pool for both.
type DB struct {
	engine Engine
	write  *sql.DB
	read   *sql.DB
	// where names the database for messages, without credentials.
	where string
	// stmts are the reader pool's prepared statements of the hot reads
	// (queryRowPrepared), by query text.
	stmts sync.Map
	// items coalesces concurrent FindSolutionJSON reads (batchreads.go).
	items readBatches[int64, item]
	// seqs coalesces concurrent SolutionSeq reads.
	seqs readBatches[struct{}, int64]
}

// Engine reports which engine the database runs on.
func (db *DB) Engine() Engine { return db.engine }

// Where names the database (a file path or a host) without credentials.
func (db *DB) Where() string { return db.where }

// Pools returns the connection pools, for metrics. For PostgreSQL both are
// the same pool.
func (db *DB) Pools() (write, read *sql.DB) { return db.write, db.read }

// IsPostgres reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL or a SQLite file
// path. It checks that the database is reachable and writable but does not
// migrate it.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("the database URL is malformed (%v); write it as postgres://user@host:5432/dbname", err)
	}
	where := u.Host + u.Path
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("cannot use PostgreSQL database %s: %v", where, err)
	}
	// Every connection the pool may open is kept when idle: with an idle
	// limit below the open one (it was 10 of 20), a burst that drops below
	// the open limit closed connections and the next one reopened them, a
	// new server process each. Whether fewer connections serve 64 clients
	// on 2 cores better was not settled (docs/BENCHMARKS.md, K8 reads).
	pool.SetMaxOpenConns(postgresConns)
	pool.SetMaxIdleConns(postgresConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s (%v); check --db or KOLABORASI_DB and that the server is running", where, err)
	}
	return &DB{engine: Postgres, write: pool, read: pool, where: where}, nil
}

// postgresConns is the size of the PostgreSQL pool.
const postgresConns = 20

// readerCacheKiB is each reader connection's page cache. SQLite allocates
// it outside the Go heap, as pages are read, up to this size: the readers
// read single rows by key (the catalog index answers searches), and the
// operating system caches the file, so a small cache holding the upper
// levels of the B-trees serves them; eight of SQLite's default 2 MiB were
// 16 MiB of resident memory under search load (K8).
const readerCacheKiB = 512

func openSQLite(ctx context.Context, path string) (*DB, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	if path == "" || path == ":memory:" {
		return nil, errors.New("a SQLite database needs a file path (an in-memory database cannot be shared by the reader pool)")
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=journal_mode(WAL)&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	// One writer: SQLite serialises writes anyway; one connection makes
	// waiting happen in Go rather than in busy loops.
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open SQLite database %s: %v; choose another path with --db", path, err)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)&_pragma=cache_size(-"+strconv.Itoa(readerCacheKiB)+")")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{engine: SQLite, write: write, read: read, where: path}, nil
}

// checkWritable fails with an actionable message when the SQLite file or its
// folder cannot be written (WAL mode needs to create files beside it).
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("the folder %s of the database does not exist; create it or choose another path with --db", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder; choose another database path with --db", dir)
	}
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the database file %s cannot be written (%v); fix its permissions or choose another path with --db", path, err)
	}
	probe, err := os.CreateTemp(dir, ".kolaborasi-probe-*")
	if err != nil {
		return fmt.Errorf("the folder %s cannot be written (SQLite needs to create files beside the database); fix its permissions or choose another path with --db", dir)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	db.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Store returns the kolaborasi.Store over this database.
func (db *DB) Store() *Store { return &Store{db: db} }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store implements kolaborasi.Store. Outside a transaction reads go to the
// reader pool and writes to the writer; inside one, both go to the
// transaction.
type Store struct {
	db *DB
	tx *sql.Tx
	// afterCommit holds the functions AfterCommit registered in tx.
	afterCommit *[]func()
	// taken holds the change numbers tx took (ChangeNumbers).
	taken *[]kolaborasi.ChangeNumber
}

var _ kolaborasi.Store = (*Store)(nil)

func (s *Store) reader() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db.read
}

func (s *Store) writer() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db.write
}

func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.writer().ExecContext(ctx, s.db.engine.rebind(query), args...)
}

func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.reader().QueryContext(ctx, s.db.engine.rebind(query), args...)
}

func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.reader().QueryRowContext(ctx, s.db.engine.rebind(query), args...)
}

// queryRowPrepared runs a hot read whose text never varies (one per
// request of the item, the page and the list) as a statement the reader
// pool prepares once per connection, rather than parsed on every call
// (K8: a sixth of the solution page's time was SQLite parsing its
// statements). In a transaction, or when preparing fails, it runs as
// queryRow does.
//
// On SQLite these reads run without the request's cancellation: each is a
// few microseconds in this process, while a cancellable context costs
// every statement a watching goroutine in database/sql and another, with
// a progress handler, in the driver (K8: 2-3 % of the API item's CPU).
// A request that ends meanwhile still stops at its next step.
func (s *Store) queryRowPrepared(ctx context.Context, query string, args ...any) *sql.Row {
	if s.tx == nil {
		if st, err := s.db.prepared(ctx, query); err == nil {
			return st.QueryRowContext(s.db.pointReadContext(ctx), args...)
		}
	}
	return s.queryRow(ctx, query, args...)
}

// queryPrepared is queryRowPrepared for reads of many rows.
func (s *Store) queryPrepared(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.tx == nil {
		if st, err := s.db.prepared(ctx, query); err == nil {
			return st.QueryContext(s.db.pointReadContext(ctx), args...)
		}
	}
	return s.query(ctx, query, args...)
}

// pointReadContext is the context of a prepared hot read (see
// queryRowPrepared): on SQLite not cancelled with the request, on
// PostgreSQL, over the network, ctx itself.
func (db *DB) pointReadContext(ctx context.Context) context.Context {
	if db.engine == SQLite && ctx.Err() == nil {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// prepared returns the reader pool's statement of query, prepared on
// first use.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := db.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.read.PrepareContext(ctx, db.engine.rebind(query))
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// InTx implements kolaborasi.Store. The outermost call retries fn, a few
// times with a short jittered pause, when the database gives up on the
// transaction for a reason that a second attempt resolves: a deadlock
// (PostgreSQL 40P01), a serialization failure (40001) or a busy database
// (SQLite BUSY, BUSY_SNAPSHOT). fn must therefore be safe to run again: all
// its effects go through tx, and whatever it sets outside (an ID, a
// version number) it sets from scratch on each run. Nested calls join the
// outer transaction and never retry on their own.
func (s *Store) InTx(ctx context.Context, fn func(tx kolaborasi.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	for attempt := 1; ; attempt++ {
		err := s.inTxOnce(ctx, fn)
		if err == nil || attempt == txAttempts || !retryable(err) {
			return err
		}
		if werr := txBackoff(ctx, attempt); werr != nil {
			return err
		}
	}
}

// txAttempts bounds how often InTx runs a transaction that keeps failing
// with a retryable error.
const txAttempts = 6

// txBackoff waits before attempt+1: 2, 4, 8, 16, 32 ms, each with up to as
// much again of random jitter, so the transactions that collided do not
// meet again in step.
func txBackoff(ctx context.Context, attempt int) error {
	base := time.Millisecond << attempt
	t := time.NewTimer(base + rand.N(base))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// readTx runs fn in a read-only transaction on the reader pool (inside a
// transaction, in it): every statement fn runs sees one committed state.
// SQLite in WAL mode keeps the snapshot of a deferred transaction's first
// read; PostgreSQL needs REPEATABLE READ for that.
func (s *Store) readTx(ctx context.Context, fn func(t *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	var opts *sql.TxOptions
	if s.db.engine == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := s.db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin read transaction: %w", err)
	}
	defer tx.Rollback()
	return fn(&Store{db: s.db, tx: tx})
}

func (s *Store) inTxOnce(ctx context.Context, fn func(tx kolaborasi.Store) error) (err error) {
	tx, err := s.db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	var hooks []func()
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
			return
		}
		if cerr := tx.Commit(); cerr != nil {
			err = fmt.Errorf("commit transaction: %w", cerr)
			return
		}
		for _, f := range hooks {
			f()
		}
	}()
	var taken []kolaborasi.ChangeNumber
	return fn(&Store{db: s.db, tx: tx, afterCommit: &hooks, taken: &taken})
}

// AfterCommit implements kolaborasi.Store.
func (s *Store) AfterCommit(fn func()) {
	if s.tx == nil {
		fn()
		return
	}
	*s.afterCommit = append(*s.afterCommit, fn)
}

// ChangeNumbers implements kolaborasi.Store.
func (s *Store) ChangeNumbers() []kolaborasi.ChangeNumber {
	if s.taken == nil {
		return nil
	}
	return slices.Clone(*s.taken)
}

// took records a change number this transaction took.
func (s *Store) took(counter string, seq int64) {
	if s.taken != nil {
		*s.taken = append(*s.taken, kolaborasi.ChangeNumber{Counter: counter, Seq: seq})
	}
}

// Ping implements kolaborasi.Store.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	var one int
	if err := s.db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("query database: %w", err)
	}
	return nil
}

// notFound returns a not_found error for what when err is sql.ErrNoRows.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, format, args...)
	}
	return err
}
