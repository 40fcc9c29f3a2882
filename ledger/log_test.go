package ledger

import (
	"context"
	"crypto"
	_ "crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// testEntry returns a distinct small entry for index i.
func testEntry(i int) Entry {
	return &StatusChange{
		AgreementID: fmt.Sprintf("agreement-%d", i), Version: 1, From: "draft", To: "offered",
		ActorRole: "cooperation_office", Time: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC),
	}
}

// appendAll appends entries in one batch and writes the hashes.
func appendAll(t testing.TB, s HashStore, size int64, entries []Entry) *Batch {
	t.Helper()
	ctx := context.Background()
	b, err := AppendBatch(ctx, s, size, entries)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteHashes(ctx, b.HashIndex, b.Hashes); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLogAgainstOracle builds logs of many sizes in random batches and
// checks roots, inclusion proofs and consistency proofs against
// github.com/transparency-dev/merkle.
func TestLogAgainstOracle(t *testing.T) {
	ctx := context.Background()
	hasher := rfc6962.New(crypto.SHA256)
	rng := rand.New(rand.NewPCG(1, 2))
	const maxSize = 300
	store := new(MemoryStore)
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	oracle := rf.NewEmptyRange(0)
	var leaves [][]byte
	roots := [][]byte{hasher.EmptyRoot()}
	for size := int64(0); size < maxSize; {
		n := 1 + rng.IntN(17)
		var entries []Entry
		for i := range n {
			entries = append(entries, testEntry(int(size)+i))
		}
		b := appendAll(t, store, size, entries)
		if b.OldSize != size || b.Size != size+int64(n) || b.HashIndex != tlog.StoredHashCount(size) {
			t.Fatalf("batch sizes = %d→%d at %d", b.OldSize, b.Size, b.HashIndex)
		}
		if got := store.Len(); got != tlog.StoredHashCount(b.Size) {
			t.Fatalf("stored %d hashes for size %d, want %d", got, b.Size, tlog.StoredHashCount(b.Size))
		}
		for _, rec := range b.Records {
			leaves = append(leaves, rec)
			if err := oracle.Append(hasher.HashLeaf(rec), nil); err != nil {
				t.Fatal(err)
			}
			r, err := oracle.GetRootHash(nil)
			if err != nil {
				t.Fatal(err)
			}
			roots = append(roots, r)
		}
		if string(b.OldRoot[:]) != string(roots[size]) || string(b.Root[:]) != string(roots[b.Size]) {
			t.Fatalf("batch %d→%d roots differ from oracle", size, b.Size)
		}
		size = b.Size
	}

	for size := int64(1); size <= int64(len(leaves)); size++ {
		root, err := TreeRoot(ctx, store, size)
		if err != nil {
			t.Fatal(err)
		}
		if string(root[:]) != string(roots[size]) {
			t.Fatalf("TreeRoot(%d) differs from oracle", size)
		}
		// A sample of indexes per size keeps the test fast but covers edges.
		for _, index := range []int64{0, size / 2, size - 1, rng.Int64N(size)} {
			p, err := ProveInclusion(ctx, store, size, index)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyInclusion(hasher, uint64(index), uint64(size), hasher.HashLeaf(leaves[index]), hashBytes(p), roots[size]); err != nil {
				t.Fatalf("oracle rejects inclusion proof of %d in %d: %v", index, size, err)
			}
			if err := CheckInclusion(p, size, root, index, leaves[index]); err != nil {
				t.Fatal(err)
			}
			if index+1 < size {
				if err := CheckInclusion(p, size, root, index+1, leaves[index]); !errors.Is(err, ErrVerify) {
					t.Fatalf("proof of %d accepted for %d", index, index+1)
				}
			}
		}
		for _, old := range []int64{1, size / 2, size - 1, size, 1 + rng.Int64N(size)} {
			if old < 1 {
				continue
			}
			p, err := ProveConsistency(ctx, store, old, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := proof.VerifyConsistency(hasher, uint64(old), uint64(size), hashBytes(p), roots[old], roots[size]); err != nil {
				t.Fatalf("oracle rejects consistency proof %d→%d: %v", old, size, err)
			}
		}
	}
}

func hashBytes(p []tlog.Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

// countingStore counts ReadHashes calls.
type countingStore struct {
	MemoryStore
	reads int
}

func (c *countingStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	c.reads++
	return c.MemoryStore.ReadHashes(ctx, indexes)
}

func TestAppendBatchReadsOnce(t *testing.T) {
	s := new(countingStore)
	var entries []Entry
	for i := range 1000 {
		entries = append(entries, testEntry(i))
	}
	appendAll(t, s, 0, entries[:517])
	s.reads = 0
	appendAll(t, s, 517, entries[517:])
	if s.reads != 1 {
		t.Errorf("AppendBatch made %d ReadHashes calls, want 1", s.reads)
	}
}

func TestAppendBatchErrors(t *testing.T) {
	ctx := context.Background()
	s := new(MemoryStore)
	appendAll(t, s, 0, []Entry{testEntry(0), testEntry(1), testEntry(2)})
	if _, err := AppendBatch(ctx, s, 3, nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("empty batch: %v", err)
	}
	if _, err := AppendBatch(ctx, s, 3, []Entry{&KeyRevoked{}}); !errors.Is(err, ErrMalformed) {
		t.Errorf("invalid entry: %v", err)
	}
	// A size beyond what is stored cannot be extended.
	if _, err := AppendBatch(ctx, s, 8, []Entry{testEntry(8)}); err == nil {
		t.Error("AppendBatch past the stored tree succeeded")
	}
	// Writing at the wrong place fails, so racing writers cannot both win.
	b, err := AppendBatch(ctx, s, 3, []Entry{testEntry(3)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteHashes(ctx, b.HashIndex+1, b.Hashes); err == nil {
		t.Error("WriteHashes at a gap succeeded")
	}
	if err := s.WriteHashes(ctx, b.HashIndex, b.Hashes); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteHashes(ctx, b.HashIndex, b.Hashes); err == nil {
		t.Error("WriteHashes twice succeeded")
	}
	if _, err := ProveInclusion(ctx, s, 4, 4); !errors.Is(err, ErrMalformed) {
		t.Errorf("ProveInclusion out of range: %v", err)
	}
	if _, err := ProveConsistency(ctx, s, 5, 4); !errors.Is(err, ErrMalformed) {
		t.Errorf("ProveConsistency shrinking: %v", err)
	}
}

// TestLargeLogAgainstOracle checks roots at every batch boundary and random
// proofs of a larger tree against github.com/transparency-dev/merkle.
func TestLargeLogAgainstOracle(t *testing.T) {
	ctx := context.Background()
	hasher := rfc6962.New(crypto.SHA256)
	rng := rand.New(rand.NewPCG(3, 4))
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	oracle := rf.NewEmptyRange(0)
	store := new(MemoryStore)
	roots := [][]byte{hasher.EmptyRoot()}
	var leaves [][]byte
	for size := int64(0); size < 4100; {
		var batch []Entry
		for i := range 1 + rng.IntN(400) {
			batch = append(batch, testEntry(int(size)+i))
		}
		b := appendAll(t, store, size, batch)
		for _, rec := range b.Records {
			leaves = append(leaves, rec)
			if err := oracle.Append(hasher.HashLeaf(rec), nil); err != nil {
				t.Fatal(err)
			}
			r, _ := oracle.GetRootHash(nil)
			roots = append(roots, r)
		}
		if string(b.Root[:]) != string(roots[b.Size]) {
			t.Fatalf("root at %d differs from oracle", b.Size)
		}
		size = b.Size
	}
	n := int64(len(leaves))
	for range 300 {
		size := 1 + rng.Int64N(n)
		index := rng.Int64N(size)
		p, err := ProveInclusion(ctx, store, size, index)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyInclusion(hasher, uint64(index), uint64(size), hasher.HashLeaf(leaves[index]), hashBytes(p), roots[size]); err != nil {
			t.Fatalf("oracle rejects inclusion proof of %d in %d: %v", index, size, err)
		}
		old := 1 + rng.Int64N(size)
		cp, err := ProveConsistency(ctx, store, old, size)
		if err != nil {
			t.Fatal(err)
		}
		if err := proof.VerifyConsistency(hasher, uint64(old), uint64(size), hashBytes(cp), roots[old], roots[size]); err != nil {
			t.Fatalf("oracle rejects consistency proof %d→%d: %v", old, size, err)
		}
	}
}
