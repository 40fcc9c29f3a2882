package kolaborasi

import "context"

// Store is everything Kolaborasi persists. One implementation (package store)
// serves SQLite and PostgreSQL; the conformance suite in store/storetest holds
// both to the same behaviour.
//
// Methods return an *Error with code not_found for a missing row and conflict
// for a uniqueness violation.
type Store interface {
	RegionStore
	AuditStore
	AccountStore
	FileStore
	AgreementStore
	LogStore
	SolutionStore
	IndicatorStore
	RankingStore

	AdoptionStore

	ProductStore

	NeedStore

	// InTx runs fn with a Store whose every call is part of one database
	// transaction, committed when fn returns nil and rolled back otherwise.
	// Nested calls of InTx on the transaction's Store join the outer one.
	InTx(ctx context.Context, fn func(tx Store) error) error
	// AfterCommit runs fn once the transaction of this Store has committed
	// (never when it rolls back); outside a transaction it runs fn at once.
	AfterCommit(fn func())
	// ChangeNumbers returns the change numbers this transaction took so far
	// from the counters in-process indexes follow (solution_seq and
	// product_seq), in the order taken; nil outside a transaction.
	ChangeNumbers() []ChangeNumber
	// Meta returns a value of the small key/value table that records, for
	// example, which version of the reference data is loaded ("" if unset).
	Meta(ctx context.Context, key string) (string, error)
	// SetMeta sets a value of the key/value table.
	SetMeta(ctx context.Context, key, value string) error
	// Ping reports whether the database is reachable.
	Ping(ctx context.Context) error
}

// ChangeNumber is one value a transaction took from a change counter.
type ChangeNumber struct {
	// Counter is "solution" or "product".
	Counter string
	Seq     int64
}
