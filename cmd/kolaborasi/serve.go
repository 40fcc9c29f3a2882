package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/web"
)

// config is the whole configuration of a server: flag > KOLABORASI_* env >
// default.
type config struct {
	Addr     string
	DB       string
	LogLevel string
	// BaseURL is the public address users open: every absolute link is
	// made from it (serve, demo, user add).
	BaseURL string
	// TrustedProxies lists the CIDRs whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (serve, demo).
	TrustedProxies string
	// MetricsAddr is the private listener of /metrics; empty disables it.
	MetricsAddr string
	// LogKeyFile is the public log's signing key (serve, demo).
	LogKeyFile string
	// MemoryLimit is the Go runtime's soft memory limit (serve, demo);
	// empty means GOMEMLIMIT's, else defaultMemoryLimit.
	MemoryLimit string
	// PageWorkers is how many page requests compute at once (serve,
	// demo): a number, off, or empty for pageWorkers' default.
	PageWorkers string

	trusted     []netip.Prefix // TrustedProxies, parsed by checkServer
	memLimit    int64          // MemoryLimit, parsed by checkServer
	pageWorkers int            // PageWorkers, parsed by checkServer: 0 default, -1 off
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func (c *config) bind(fs *flag.FlagSet, defAddr string, withDB bool) {
	fs.StringVar(&c.Addr, "addr", envOr("KOLABORASI_ADDR", defAddr), "address to listen on (env KOLABORASI_ADDR); port 0 picks a free port")
	if withDB {
		fs.StringVar(&c.DB, "db", envOr("KOLABORASI_DB", "./kolaborasi.db"), "SQLite file path or postgres:// URL (env KOLABORASI_DB)")
	}
	fs.StringVar(&c.LogLevel, "log-level", envOr("KOLABORASI_LOG_LEVEL", "info"), "debug, info, warn or error (env KOLABORASI_LOG_LEVEL)")
}

// bindBaseURL binds --base-url; an empty default means the address the
// server listens on.
func (c *config) bindBaseURL(fs *flag.FlagSet, def string) {
	fs.StringVar(&c.BaseURL, "base-url", envOr("KOLABORASI_BASE_URL", def),
		"the public address users open, e.g. https://kolaborasi.example; every absolute link is made from it (env KOLABORASI_BASE_URL)")
}

// bindServer binds the settings of a web server besides those of bind.
func (c *config) bindServer(fs *flag.FlagSet, defMetrics string) {
	c.bindBaseURL(fs, "")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", envOr("KOLABORASI_TRUSTED_PROXIES", ""),
		"comma-separated CIDRs of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (env KOLABORASI_TRUSTED_PROXIES)")
	if v, ok := os.LookupEnv("KOLABORASI_METRICS_ADDR"); ok {
		defMetrics = v // set but empty disables the listener
	}
	fs.StringVar(&c.MetricsAddr, "metrics-addr", defMetrics,
		"private address serving /metrics, e.g. 127.0.0.1:9090; empty disables it (env KOLABORASI_METRICS_ADDR)")
	fs.StringVar(&c.MemoryLimit, "memory-limit", envOr("KOLABORASI_MEMORY_LIMIT", ""),
		fmt.Sprintf("the Go runtime's soft memory limit, e.g. 200MiB or 1GiB, or off; unset: GOMEMLIMIT if set, else %dMiB (env KOLABORASI_MEMORY_LIMIT)", defaultMemoryLimit>>20))
	fs.StringVar(&c.PageWorkers, "page-workers", envOr("KOLABORASI_PAGE_WORKERS", ""),
		"how many page requests compute at once, the others waiting in the order they came, or off; unset: the CPUs on SQLite, twice them on PostgreSQL (env KOLABORASI_PAGE_WORKERS)")
}

// checkServer checks the settings bindServer bound, before anything starts.
func (c *config) checkServer() error {
	if c.BaseURL != "" {
		if _, err := web.ParseBaseURL(c.BaseURL); err != nil {
			return usageError{"--base-url: " + err.Error()}
		}
	}
	var err error
	if c.trusted, err = web.ParseTrustedProxies(c.TrustedProxies); err != nil {
		return usageError{"--trusted-proxies: " + err.Error()}
	}
	if c.MemoryLimit != "" {
		if c.memLimit, err = parseMemoryLimit(c.MemoryLimit); err != nil {
			return usageError{"--memory-limit: " + err.Error()}
		}
	}
	switch c.PageWorkers {
	case "":
	case "off":
		c.pageWorkers = -1
	default:
		n, err := strconv.Atoi(c.PageWorkers)
		if err != nil || n < 1 || n > 10000 {
			return usageError{fmt.Sprintf("--page-workers %q is not a number from 1 to 10000 or off", c.PageWorkers)}
		}
		c.pageWorkers = n
	}
	return nil
}

// workersFor is how many page requests compute at once on db (web.Config's
// PageWorkers): as set, else as many as the CPUs the Go runtime uses on
// SQLite, whose reads run in the process, and twice that on PostgreSQL,
// where a page also waits for the database server (docs/BENCHMARKS.md).
func (c *config) workersFor(engine store.Engine) int {
	switch {
	case c.pageWorkers != 0:
		return c.pageWorkers
	case engine == store.Postgres:
		return 2 * runtime.GOMAXPROCS(0)
	default:
		return runtime.GOMAXPROCS(0)
	}
}

func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q is not one of debug, info, warn, error", c.LogLevel)}
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

// openApp opens and migrates the database, loads the region data and
// returns the app over it. The app has no log key: it cannot append to the
// public log.
func openApp(ctx context.Context, dsn string, log *slog.Logger) (*store.DB, *app.App, error) {
	return openAppWith(ctx, dsn, log, func(*store.DB) ([]app.Option, error) { return nil, nil })
}

// logKeyFile is --log-key-file, or the default for the database.
func (c *config) logKeyFile() string {
	if c.LogKeyFile != "" {
		return c.LogKeyFile
	}
	return defaultLogKeyFile(c.DB)
}

// openApp is openApp with the configured database and logger.
func (c *config) openApp(ctx context.Context, stderr io.Writer) (*store.DB, *app.App, error) {
	log, err := c.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	return openApp(ctx, c.DB, log)
}

// openServerApp is openApp with the log key file of a server (see
// logKeyOptions); notices for the operator go to stdout.
func openServerApp(ctx context.Context, dsn, logKeyFile string, log *slog.Logger, stdout io.Writer) (*store.DB, *app.App, error) {
	return openAppWith(ctx, dsn, log, func(db *store.DB) ([]app.Option, error) {
		return logKeyOptions(ctx, db.Store(), logKeyFile, log, stdout)
	})
}

func openAppWith(ctx context.Context, dsn string, log *slog.Logger, options func(*store.DB) ([]app.Option, error)) (*store.DB, *app.App, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	opts, err := options(db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	a := app.New(db.Store(), append(opts, app.WithLogger(log))...)
	if _, err := a.LoadReferenceData(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("load region data: %w", err)
	}
	return db, a, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("serve", "serve [--addr HOST:PORT] [--db PATH|URL] [--base-url URL] [--log-key-file FILE]", stderr)
	cfg.bind(fs, ":8080", true)
	cfg.bindServer(fs, "127.0.0.1:9090")
	bindLogKeyFile(fs, &cfg.LogKeyFile)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.checkServer(); err != nil {
		return err
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	db, a, err := openServerApp(ctx, cfg.DB, cfg.logKeyFile(), log, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := a.CheckLog(ctx); err != nil {
		log.Error("nothing can be recorded in the public log", "reason", kolaborasi.ErrorMessage(err))
	}
	return serve(ctx, cfg, db, a, log, func(url string) {
		fmt.Fprintf(stdout, "Kolaborasi is listening on %s (database: %s %s)\n", url, db.Engine(), db.Where())
	})
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("demo", "demo [--addr HOST:PORT] [--db postgres://...]", stderr)
	cfg.bind(fs, "127.0.0.1:8080", false)
	cfg.bindServer(fs, "")
	fs.StringVar(&cfg.DB, "db", "", "an empty database to seed and serve instead of a temporary SQLite file, e.g. a fresh PostgreSQL database (kept when the demo stops)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.checkServer(); err != nil {
		return err
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "kolaborasi-demo-")
	if err != nil {
		return fmt.Errorf("create a folder for the demo database: %w", err)
	}
	defer os.RemoveAll(dir)
	// The demo's log key lives in the folder deleted when the demo stops,
	// beside its database unless --db names one.
	dsn, where := filepath.Join(dir, "demo.db"), dir
	if cfg.DB != "" {
		dsn, where = cfg.DB, "the database given with --db"
	}
	db, a, err := openServerApp(ctx, dsn, filepath.Join(dir, "demo.db.logkey"), log, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demo.Seed(ctx, a); err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	return serve(ctx, cfg, db, a, log, func(url string) {
		fmt.Fprintf(stdout, "Kolaborasi demo is running at %s\n", url)
		if cfg.DB == "" {
			fmt.Fprintf(stdout, "Fresh database with demo data in %s; it is deleted when the demo stops (Ctrl+C).\n", where)
		} else {
			fmt.Fprintf(stdout, "Demo data seeded into %s; it stays, but its log key is deleted when the demo stops (Ctrl+C).\n", where)
		}
		fmt.Fprintln(stdout, "The KSB Kota Blitar - Kota Bandung is signed with keys made at start and then thrown away:")
		fmt.Fprintln(stdout, "its signatures are real and verifiable, but nobody can sign with those keys again.")
		fmt.Fprintf(stdout, "\nDemo logins (password for all: %s):\n", demo.Password)
		for _, acc := range demo.Accounts {
			region := "platform"
			if acc.Region != "" {
				region = acc.Region
			}
			fmt.Fprintf(stdout, "  %-30s %-9s %s\n", acc.Email, region, roleList(acc.Roles))
		}
	})
}

func roleList(roles []kolaborasi.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// serve listens on cfg.Addr (and cfg.MetricsAddr for /metrics) and serves
// until ctx is cancelled, then shuts down gracefully. ready is called with
// the public URL once the listeners are open.
func serve(ctx context.Context, cfg config, db *store.DB, a *app.App, log *slog.Logger, ready func(url string)) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s (%v); choose another address with --addr or KOLABORASI_ADDR", cfg.Addr, err)
	}
	defer ln.Close()
	listening := "http://" + displayAddr(ln.Addr())
	if cfg.BaseURL == "" {
		cfg.BaseURL = listening
	}
	write, read := db.Pools()
	handler, err := web.New(a, web.Config{Logger: log, Version: version, BaseURL: cfg.BaseURL, TrustedProxies: cfg.trusted,
		DBPools: map[string]*sql.DB{"db_write": write, "db_read": read}, PageWorkers: cfg.workersFor(db.Engine())})
	if err != nil {
		return err
	}
	servers := []*http.Server{newHTTPServer(handler, log)}
	listeners := []net.Listener{ln}
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return fmt.Errorf("cannot listen on %s for metrics (%v); choose another address with --metrics-addr or KOLABORASI_METRICS_ADDR (empty disables it)",
				cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", handler.MetricsHandler())
		servers, listeners = append(servers, newHTTPServer(mux, log)), append(listeners, mln)
		log.Info("metrics", "url", "http://"+displayAddr(mln.Addr())+"/metrics")
	}
	if cfg.BaseURL != listening {
		log.Info("public address", "base_url", cfg.BaseURL)
	}
	// The memory limit applies once the indexes are ready: loading or
	// building them allocates far more than they keep, and under the limit
	// the collector ran through it, 0.2 s of a 1 s start at national scale.
	var limit struct {
		sync.Mutex
		restore func()
		stopped bool
	}
	applyLimit := func() {
		limit.Lock()
		defer limit.Unlock()
		if !limit.stopped && limit.restore == nil {
			limit.restore = cfg.applyMemoryLimit(log)
		}
	}
	defer func() {
		limit.Lock()
		defer limit.Unlock()
		limit.stopped = true
		if limit.restore != nil {
			limit.restore()
		}
	}()
	ready(listening)
	go web.Warm()
	// Build the catalog's in-process index now rather than on the first
	// search (seconds at national scale); searches before it is ready build
	// or wait for it themselves.
	go func() {
		defer applyLimit()
		if err := a.WarmCatalogIndex(ctx); err != nil && ctx.Err() == nil {
			log.Warn("catalog index", "err", err)
			return
		}
		// The build read the whole catalog in batches; give what it no
		// longer holds back to the system now rather than over minutes, so
		// that the copy's resident size is what it keeps (K8).
		debug.FreeOSMemory()
	}()
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(sctx); err != nil && serveErr == nil {
			serveErr = fmt.Errorf("shut down: %w", err)
		}
	}
	// Save the indexes changed since their last snapshot, so that the next
	// start has little to catch up (an index not built yet is skipped).
	if err := a.SaveIndexSnapshots(sctx); err != nil && !errors.Is(err, app.ErrNoIndex) {
		log.Warn("save the index snapshots", "err", err)
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// newHTTPServer is an http.Server with the timeouts and limits every
// listener gets.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// displayAddr shows a wildcard listener as localhost, which a browser can
// open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("migrate", "migrate [--db PATH|URL]", stderr)
	cfg.bind(fs, "", true)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := cfg.logger(stderr)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	v, err := db.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	loaded, err := app.New(db.Store(), app.WithLogger(log)).LoadReferenceData(ctx)
	if err != nil {
		return fmt.Errorf("load region data: %w", err)
	}
	state := "already current"
	if loaded {
		state = "loaded"
	}
	fmt.Fprintf(stdout, "%s database %s is at migration %d; region data %s\n", db.Engine(), db.Where(), v, state)
	return nil
}
