package app

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/search"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// App carries out Kolaborasi's use cases over a Store.
type App struct {
	store kolaborasi.Store
	now   func() time.Time
	log   *slog.Logger

	namesMu sync.Mutex
	names   map[string]string // region code → name, read once
	// refs are the regions' reference data (without their profiles),
	// read with names.
	refs map[string]*kolaborasi.Region

	// catalog is the in-process search index (app/catalog.go); nil
	// searches the database directly.
	catalog *catalogState
	// products is the in-process index of products (K6, app/products.go),
	// the same machinery over product_seq; nil searches the database.
	products *catalogState
	// solutions keeps decoded solutions for reads (app/solutioncache.go);
	// nil decodes on every read.
	solutions *solutionCache
	// listFacets keeps the facet counts of lists without a query.
	listFacets *facetCache

	// hashes bounds the password hashes running at once (password.go).
	hashes *hashGate
	// hashCost is the cost of new password hashes (password.go).
	hashCost argonCost

	// logs holds the public log's signing key and published checkpoint
	// (app/logkey.go).
	logs *logState

	// matches caches the K6 matchmaking graph (app/matchmaking.go).
	matches matchState

	// verified keeps bundle verifications (app/verification.go); nil
	// verifies on every call.
	verified *verifyCache

	// rankings keeps computed composite-index rankings (app/rankings.go).
	rankings rankingCache
	// savings keeps money-saved reports by change number (app/adoptions.go).
	savings savingsCache

	// batch is set on the App a Batch runs its use cases with
	// (app/batch.go); nil outside a batch.
	batch *batchState
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
	a := &App{store: store, now: time.Now, log: slog.New(slog.DiscardHandler), hashes: defaultHashGate(),
		hashCost: defaultArgonCost, verified: &verifyCache{}, solutions: newSolutionCache(), listFacets: newFacetCache(), logs: &logState{}}
	a.catalog, a.products = solutionIndex(a), productIndex(a)
	for _, o := range opts {
		o(a)
	}
	return a
}

// Now returns the App's current time.
func (a *App) Now() time.Time { return a.now() }

// ErrIndexBuilding is Ready's answer while an in-process search index is
// still being built: the copy would answer searches slowly until it is.
var ErrIndexBuilding = errors.New("the in-process search indexes are being built")

// Ready reports whether this copy can serve every route at its normal
// speed: the database can be reached and the in-process search indexes
// are built. An index not built yet starts building in the background
// (once), and Ready answers ErrIndexBuilding until it is done.
func (a *App) Ready(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return err
	}
	for _, c := range []*catalogState{a.catalog, a.products} {
		if c != nil && c.idx.Load() == nil {
			c.buildLater()
			return ErrIndexBuilding
		}
	}
	return nil
}

// metaWilayah records which version of the embedded region data is loaded.
const metaWilayah = "wilayah_version"

// metaSearchTerms records which analysis made the stored search terms of
// the solutions (see searchTermsVersion).
const metaSearchTerms = "search_terms_version"

// searchTermsVersion names everything the search terms of a solution are
// made from besides its own texts: the analyser, the labels of kinds,
// dimensions and sectors, and the region data (the region's name). When
// it differs from the stored one, the terms are analysed again.
func searchTermsVersion(wilayahVersion string) string {
	b, _ := json.Marshal(kolaborasi.Labels) // sorted keys: stable
	sum := sha256.Sum256(b)
	return fmt.Sprintf("analyzer %s; labels %x; wilayah %s", search.AnalyzerVersion, sum[:6], wilayahVersion)
}

// LoadReferenceData loads the embedded regions when the database holds
// another version of them (or none), and analyses the search terms of
// every solution again when they were made by another analysis
// (searchTermsVersion). It is idempotent and cheap when nothing changed,
// so it runs on every start and on `kolaborasi migrate`; loaded reports
// whether the regions were loaded.
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
	if err != nil {
		return loaded, err
	}
	if loaded {
		a.namesMu.Lock()
		a.names = nil // read the new names
		a.namesMu.Unlock()
	}
	if _, err := a.loadSeedIndicators(ctx); err != nil {
		return loaded, fmt.Errorf("load the seed indicators: %w", err)
	}
	n, err := a.reanalyseSolutions(ctx, searchTermsVersion(version))
	if err != nil {
		return loaded, fmt.Errorf("analyse the search terms again: %w", err)
	}
	if n > 0 {
		a.log.Info("search terms analysed again", "solutions", n, "version", searchTermsVersion(version))
	}
	if n, err = a.reanalyseProducts(ctx, productTermsVersion(version)); err != nil {
		return loaded, fmt.Errorf("analyse the product search terms again: %w", err)
	} else if n > 0 {
		a.log.Info("search terms analysed again", "products", n, "version", productTermsVersion(version))
	}
	return loaded, nil
}

// reanalyseSolutions rewrites the search terms of every solution when the
// stored version of their analysis is not want, and returns how many it
// rewrote.
func (a *App) reanalyseSolutions(ctx context.Context, want string) (int, error) {
	have, err := a.store.Meta(ctx, metaSearchTerms)
	if err != nil || have == want {
		return 0, err
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return 0, err
	}
	n, err := a.store.ReanalyseSolutions(ctx, func(s *kolaborasi.Solution) string {
		return solutionTerms(s, names[s.RegionCode])
	})
	if err != nil {
		return n, err
	}
	return n, a.store.SetMeta(ctx, metaSearchTerms, want)
}
