package ledger

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkAppend appends batches and signs one checkpoint per batch, with
// the in-memory store. It reports entries appended per second.
func BenchmarkAppend(b *testing.B) {
	for _, size := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			ctx := context.Background()
			l := newTestLog(b, DefaultOrigin, 1)
			batch := make([]Entry, size)
			for i := range batch {
				batch[i] = testEntry(i)
			}
			b.ResetTimer()
			for range b.N {
				bt, err := AppendBatch(ctx, l.store, l.size, batch)
				if err != nil {
					b.Fatal(err)
				}
				if err := l.store.WriteHashes(ctx, bt.HashIndex, bt.Hashes); err != nil {
					b.Fatal(err)
				}
				if _, err := SignCheckpoint(bt.Checkpoint(DefaultOrigin), l.signer); err != nil {
					b.Fatal(err)
				}
				l.size = bt.Size
			}
			b.ReportMetric(float64(size*b.N)/b.Elapsed().Seconds(), "entries/s")
		})
	}
}

var (
	millionOnce  sync.Once
	millionStore *MemoryStore
)

// millionLeafStore returns an in-memory store of a 1,000,000-entry log,
// built once per process (about 64 MB of stored hashes).
func millionLeafStore(b *testing.B) *MemoryStore {
	millionOnce.Do(func() {
		ctx := context.Background()
		s := new(MemoryStore)
		var size int64
		batch := make([]Entry, 10_000)
		for size < 1_000_000 {
			for i := range batch {
				batch[i] = testEntry(int(size) + i)
			}
			bt, err := AppendBatch(ctx, s, size, batch)
			if err != nil {
				b.Fatal(err)
			}
			if err := s.WriteHashes(ctx, bt.HashIndex, bt.Hashes); err != nil {
				b.Fatal(err)
			}
			size = bt.Size
		}
		millionStore = s
	})
	return millionStore
}

// BenchmarkInclusionProof1M proves random records of a 1,000,000-entry log
// and reports, besides ns/op, the 99th percentile of 10,000 timed proofs.
func BenchmarkInclusionProof1M(b *testing.B) {
	const size = 1_000_000
	s := millionLeafStore(b)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 1))
	b.ResetTimer()
	for range b.N {
		if _, err := ProveInclusion(ctx, s, size, rng.Int64N(size)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	durs := make([]time.Duration, 10_000)
	for i := range durs {
		start := time.Now()
		if _, err := ProveInclusion(ctx, s, size, rng.Int64N(size)); err != nil {
			b.Fatal(err)
		}
		durs[i] = time.Since(start)
	}
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100].Nanoseconds()), "p99-ns")
}

// BenchmarkVerifyBundle verifies the sample bundle (two signatures, five
// entries with proofs in a log of 287 entries).
func BenchmarkVerifyBundle(b *testing.B) {
	f := newBundleFixture(b)
	b.ResetTimer()
	for range b.N {
		if _, err := VerifyBundle(f.bundle, f.log.vkey); err != nil {
			b.Fatal(err)
		}
	}
}
