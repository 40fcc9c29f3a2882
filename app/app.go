package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// App carries out Kolaborasi's use cases over a Store.
type App struct {
	store kolaborasi.Store
	now   func() time.Time
	log   *slog.Logger

	namesMu sync.Mutex
	names   map[string]string // region code → name, read once

	// catalog is the in-process search index (app/catalog.go); nil
	// searches the database directly.
	catalog *catalogState
	// verified keeps bundle verifications (app/verification.go); nil
	// verifies on every call.
	verified *verifyCache
}

// Option configures an App.
type Option func(*App)

// WithClock makes the App read time from now, for tests.
func WithClock(now func() time.Time) Option { return func(a *App) { a.now = now } }

// WithoutVerificationCache makes VerifyAgreement verify on every call, to
// measure what the cache saves.
func WithoutVerificationCache() Option { return func(a *App) { a.verified = nil } }

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(a *App) { a.log = l } }

// New returns an App over store.
func New(store kolaborasi.Store, opts ...Option) *App {
	a := &App{store: store, now: time.Now, log: slog.New(slog.DiscardHandler), catalog: &catalogState{}, verified: &verifyCache{}}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Now returns the App's current time.
func (a *App) Now() time.Time { return a.now() }

// Ready reports whether the database can be reached.
func (a *App) Ready(ctx context.Context) error { return a.store.Ping(ctx) }

// metaWilayah records which version of the embedded region data is loaded.
const metaWilayah = "wilayah_version"

// LoadReferenceData loads the embedded regions when the database holds
// another version of them (or none). It is idempotent and cheap when
// nothing changed, so it runs on every start and on `kolaborasi migrate`.
func (a *App) LoadReferenceData(ctx context.Context) (loaded bool, err error) {
	regions, version, err := wilayah.Regions()
	if err != nil {
		return false, fmt.Errorf("read embedded regions: %w", err)
	}
	err = a.store.InTx(ctx, func(tx kolaborasi.Store) error {
		have, err := tx.Meta(ctx, metaWilayah)
		if err != nil || have == version {
			return err
		}
		if err := tx.LoadRegions(ctx, regions); err != nil {
			return err
		}
		loaded = true
		return tx.SetMeta(ctx, metaWilayah, version)
	})
	return loaded, err
}
