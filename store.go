package kolaborasi

import (
	"context"
	"time"
)

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

	IndexSnapshotStore

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

// IndexSnapshot is the persisted snapshot of an in-process index (package
// catalog): the index at change number Seq, encoded under Key (which names
// everything the encoding depends on: a loader with another key builds
// the index afresh instead).
type IndexSnapshot struct {
	Key  string
	Seq  int64
	Data []byte
}

// IndexSnapshotStore keeps one persisted snapshot per in-process index.
type IndexSnapshotStore interface {
	// SaveIndexSnapshot stores snap as the current snapshot of index name,
	// unless the current one has the same key and a change number at least
	// snap.Seq (then it reports false): two server copies may save at once.
	// The data is written in parts, each in its own short transaction, so
	// that writers wait at most for one part; readers keep reading the
	// previous snapshot until the last, small transaction makes the new
	// one current. Not for use inside a transaction.
	SaveIndexSnapshot(ctx context.Context, name string, snap IndexSnapshot, at time.Time) (bool, error)
	// IndexSnapshot returns the current snapshot of index name, nil if
	// none was saved.
	IndexSnapshot(ctx context.Context, name string) (*IndexSnapshot, error)
}
