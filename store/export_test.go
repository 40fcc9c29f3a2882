package store

import (
	"context"
	"io/fs"
)

// MigrateWith applies the migrations in fsys, for tests of failing
// migrations.
func (db *DB) MigrateWith(ctx context.Context, fsys fs.FS) error {
	_, err := migrate(ctx, db.engine, db.write, fsys)
	return err
}

// Rebind rewrites ? placeholders for the engine, for tests that run SQL of
// their own.
func (e Engine) Rebind(query string) string { return e.rebind(query) }

// Catch-up queries, for the test of their plans.
const (
	ChangedSolutionsQuery      = changedEntriesQuery
	ChangedSolutionFacetsQuery = changedFacetsQuery
	ChangedProductsQuery       = changedProductsQuery
	RecountAdoptionsQuery      = recountAdoptionsSQL
)

// SetEntryBatch makes EachSolutionEntryChangedAfter read n solutions per
// batch until the test ends.
func SetEntryBatch(t interface{ Cleanup(func()) }, n int) {
	old := entryBatch
	entryBatch = n
	t.Cleanup(func() { entryBatch = old })
}

// SavingRowsQuery is EachSavingRow's statement for the nation on SQLite.
var SavingRowsQuery = savingRowsQuery(SQLite)

// The agreement counts, for the test of their plans.
const (
	CountAgreementsQuery  = countAgreementsQuery
	AgreementRegionsQuery = agreementRegionsQuery
)

// OpenAdoptionsQuery is matchmaking's read of the open adoptions, for the
// test of its plan.
const OpenAdoptionsQuery = openAdoptionsQuery
