package ledger

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// HashReader reads stored hashes of the log's Merkle tree. The indexes are
// tlog stored-hash indexes (tlog.StoredHashIndex); ReadHashes must return
// exactly one hash per index, in the order asked, or an error.
type HashReader interface {
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// HashStore is the storage of the log's stored hashes. A SQL implementation
// keeps one row (index BIGINT PRIMARY KEY, hash BYTEA/BLOB of 32 bytes) per
// stored hash, written in the same transaction as the entries and the
// checkpoint of their batch.
type HashStore interface {
	HashReader
	// WriteHashes stores hashes at the consecutive stored-hash indexes
	// start, start+1, .... start must equal the number of hashes already
	// stored (Batch.HashIndex); anything else is an error, so two writers
	// racing on one log cannot both succeed.
	WriteHashes(ctx context.Context, start int64, hashes []tlog.Hash) error
}

// Batch is the result of appending entries to a log of size OldSize.
type Batch struct {
	// OldSize and OldRoot describe the tree before the batch.
	OldSize int64
	// OldRoot is the root hash of the tree of OldSize records.
	OldRoot tlog.Hash
	// Size is the new tree size: OldSize + len(Records).
	Size int64
	// Root is the new root hash.
	Root tlog.Hash
	// Records are the canonical encodings of the entries, which get the log
	// indexes OldSize, OldSize+1, ....
	Records [][]byte
	// HashIndex is the stored-hash index of Hashes[0],
	// tlog.StoredHashCount(OldSize).
	HashIndex int64
	// Hashes are the new stored hashes, to be written at HashIndex.
	Hashes []tlog.Hash
}

// AppendBatch computes, without writing anything, the records, stored hashes
// and root that result from appending entries to the log of size size held
// in r. It makes a single ReadHashes call. The caller writes Records and
// Hashes (HashStore.WriteHashes) and signs one checkpoint for the batch.
func AppendBatch(ctx context.Context, r HashReader, size int64, entries []Entry) (*Batch, error) {
	if size < 0 {
		return nil, fmt.Errorf("%w: negative log size %d", ErrMalformed, size)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("%w: empty batch", ErrMalformed)
	}
	b := &Batch{OldSize: size, HashIndex: tlog.StoredHashCount(size)}
	b.Records = make([][]byte, len(entries))
	for i, e := range entries {
		rec, err := MarshalEntry(e)
		if err != nil {
			return nil, fmt.Errorf("append entry %d: %w", i, err)
		}
		b.Records[i] = rec
	}

	// The only old hashes that new ones depend on are the roots of the
	// complete subtrees making up the old tree, which are exactly what
	// tlog.TreeHash reads. Read them once, then serve every later read from
	// them or from the hashes computed so far.
	old := make(map[int64]tlog.Hash)
	var err error
	b.OldRoot, err = tlog.TreeHash(size, tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := readHashes(ctx, r, indexes)
		for i, h := range hs {
			old[indexes[i]] = h
		}
		return hs, err
	}))
	if err != nil {
		return nil, fmt.Errorf("read log root at size %d: %w", size, err)
	}
	b.Hashes = make([]tlog.Hash, 0, 2*len(entries)+1)
	local := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			switch h, ok := old[x]; {
			case x >= b.HashIndex && x-b.HashIndex < int64(len(b.Hashes)):
				out[i] = b.Hashes[x-b.HashIndex]
			case ok:
				out[i] = h
			default:
				return nil, fmt.Errorf("ledger: stored hash %d unexpectedly needed", x)
			}
		}
		return out, nil
	})
	for i, rec := range b.Records {
		hs, err := tlog.StoredHashesForRecordHash(size+int64(i), tlog.RecordHash(rec), local)
		if err != nil {
			return nil, fmt.Errorf("hash record %d: %w", size+int64(i), err)
		}
		b.Hashes = append(b.Hashes, hs...)
	}
	b.Size = size + int64(len(entries))
	if b.Root, err = tlog.TreeHash(b.Size, local); err != nil {
		return nil, fmt.Errorf("compute root at size %d: %w", b.Size, err)
	}
	return b, nil
}

// Checkpoint returns the checkpoint of the tree after the batch.
func (b *Batch) Checkpoint(origin string) Checkpoint {
	return Checkpoint{Origin: origin, Size: b.Size, Root: b.Root}
}

// TreeRoot returns the root hash of the tree of the first size records.
func TreeRoot(ctx context.Context, r HashReader, size int64) (tlog.Hash, error) {
	h, err := tlog.TreeHash(size, tlogReader(ctx, r))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("tree root at size %d: %w", size, err)
	}
	return h, nil
}

// ProveInclusion returns the inclusion proof (RFC 6962 audit path) of the
// record at index in the tree of size records.
func ProveInclusion(ctx context.Context, r HashReader, size, index int64) (tlog.RecordProof, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("%w: index %d outside tree of size %d", ErrMalformed, index, size)
	}
	p, err := tlog.ProveRecord(size, index, tlogReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("prove record %d in tree of size %d: %w", index, size, err)
	}
	return p, nil
}

// ProveConsistency returns the consistency proof that the tree of newSize
// records extends the tree of oldSize records. It is empty when oldSize is
// 0 or equals newSize.
func ProveConsistency(ctx context.Context, r HashReader, oldSize, newSize int64) (tlog.TreeProof, error) {
	if oldSize < 0 || oldSize > newSize {
		return nil, fmt.Errorf("%w: sizes %d and %d", ErrMalformed, oldSize, newSize)
	}
	if oldSize == 0 || oldSize == newSize {
		return tlog.TreeProof{}, nil
	}
	p, err := tlog.ProveTree(newSize, oldSize, tlogReader(ctx, r))
	if err != nil {
		return nil, fmt.Errorf("prove tree %d extends %d: %w", newSize, oldSize, err)
	}
	return p, nil
}

// CheckInclusion checks that proof shows the record data at index is in the
// tree of size records with root.
func CheckInclusion(proof tlog.RecordProof, size int64, root tlog.Hash, index int64, data []byte) error {
	if index < 0 || index >= size {
		return fmt.Errorf("%w: index %d outside tree of size %d", ErrVerify, index, size)
	}
	if err := tlog.CheckRecord(proof, size, root, index, tlog.RecordHash(data)); err != nil {
		return fmt.Errorf("%w: inclusion of record %d in tree of size %d: %v", ErrVerify, index, size, err)
	}
	return nil
}

// tlogReader adapts r to tlog.HashReader, binding ctx.
func tlogReader(ctx context.Context, r HashReader) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return readHashes(ctx, r, indexes)
	})
}

// readHashes calls r.ReadHashes and checks the number of hashes returned.
func readHashes(ctx context.Context, r HashReader, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	hs, err := r.ReadHashes(ctx, indexes)
	if err != nil {
		return nil, err
	}
	if len(hs) != len(indexes) {
		return nil, fmt.Errorf("ledger: read %d hashes, got %d", len(indexes), len(hs))
	}
	return hs, nil
}

// MemoryStore is a HashStore in memory, for tests, benchmarks and tools. It
// is safe for concurrent use.
type MemoryStore struct {
	mu     sync.RWMutex
	hashes []tlog.Hash
}

// ReadHashes implements HashReader.
func (m *MemoryStore) ReadHashes(_ context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("ledger: stored hash %d not found (have %d)", x, len(m.hashes))
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// WriteHashes implements HashStore.
func (m *MemoryStore) WriteHashes(_ context.Context, start int64, hashes []tlog.Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if start != int64(len(m.hashes)) {
		return fmt.Errorf("ledger: write hashes at %d, but %d are stored", start, len(m.hashes))
	}
	m.hashes = append(m.hashes, hashes...)
	return nil
}

// Len returns the number of stored hashes.
func (m *MemoryStore) Len() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.hashes))
}
