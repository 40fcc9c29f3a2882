package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestConcurrentItemReads: many FindSolutionJSON calls at once, for
// existing and missing solutions, each get their own solution's answer
// (or not_found); on PostgreSQL they share statements (fewer batches than
// reads), and a read that starts after a write commits, through another
// copy's pool, always sees it: batches never answer from before the call.
func TestConcurrentItemReads(t *testing.T) {
	storetest.Copies(t, func(t *testing.T, db, other *store.DB) {
		ctx := context.Background()
		s := db.Store()
		corpus := createCorpus(t, s)
		want := map[int64]string{}
		for _, sol := range corpus {
			doc, _, err := s.FindSolutionJSON(ctx, sol.ID)
			if err != nil {
				t.Fatal(err)
			}
			want[sol.ID] = string(doc)
		}
		batches0, reads0 := db.ItemReadStats()
		const workers, each = 32, 40
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					id := corpus[(w+i)%len(corpus)].ID
					if (w+i)%7 == 0 {
						id = 900000 + int64(w) // missing
					}
					doc, version, err := s.FindSolutionJSON(ctx, id)
					if id >= 900000 {
						if kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
							errs <- fmt.Errorf("solution %d: %v, want not_found", id, err)
							return
						}
						continue
					}
					if err != nil || string(doc) != want[id] || version != 1 {
						errs <- fmt.Errorf("solution %d: version %d, %v: %s", id, version, err, doc)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if db.Engine() == store.Postgres {
			batches, reads := db.ItemReadStats()
			if reads-reads0 != workers*each || batches-batches0 >= reads-reads0 {
				t.Errorf("%d reads in %d statements: not shared", reads-reads0, batches-batches0)
			}
		}

		// Freshness: each write, made through another pool on the same
		// database, is seen by the reads that start after it, while
		// other reads keep batches running.
		sol, err := other.Store().FindSolution(ctx, corpus[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		stop := readUntilStopped(8, func() bool {
			if _, _, err := s.FindSolutionJSON(ctx, corpus[1].ID); err != nil {
				t.Error(err)
				return false
			}
			return true
		})
		for i := range 20 {
			sol.Name.ID = fmt.Sprintf("Nama baru %d", i)
			if err := other.Store().UpdateSolution(ctx, sol); err != nil {
				t.Fatal(err)
			}
			doc, version, err := s.FindSolutionJSON(ctx, sol.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got kolaborasi.Solution
			if err := json.Unmarshal(doc, &got); err != nil {
				t.Fatal(err)
			}
			if version != sol.Version || got.Version != sol.Version || got.Name.ID != sol.Name.ID {
				t.Fatalf("after write %d: version %d, name %q; want %d, %q", i, version, got.Name.ID, sol.Version, sol.Name.ID)
			}
		}
		stop()
	})
}

// TestConcurrentSeqReads: SolutionSeq read by many goroutines at once
// while another copy's pool writes: no read answers a counter older than
// a write that committed before the read began (batches never answer from
// before the call), and on PostgreSQL the reads share statements.
func TestConcurrentSeqReads(t *testing.T) {
	storetest.Copies(t, func(t *testing.T, db, other *store.DB) {
		ctx := context.Background()
		s := db.Store()
		corpus := createCorpus(t, s)
		sol, err := other.Store().FindSolution(ctx, corpus[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		batches0, reads0 := db.SeqReadStats()
		// committed is the counter of the last write known to have
		// committed, read through the writing pool after it returned.
		var committed atomic.Int64
		if seq, err := other.Store().SolutionSeq(ctx); err != nil {
			t.Fatal(err)
		} else {
			committed.Store(seq)
		}
		var reads atomic.Int64
		stop := readUntilStopped(32, func() bool {
			before := committed.Load()
			seq, err := s.SolutionSeq(ctx)
			if err != nil {
				t.Error(err)
				return false
			}
			if seq < before {
				t.Errorf("read %d after a write committed %d", seq, before)
				return false
			}
			reads.Add(1)
			return true
		})
		for i := range 30 {
			sol.Name.ID = fmt.Sprintf("Nama baru %d", i)
			if err := other.Store().UpdateSolution(ctx, sol); err != nil {
				t.Fatal(err)
			}
			seq, err := other.Store().SolutionSeq(ctx)
			if err != nil {
				t.Fatal(err)
			}
			committed.Store(seq)
			// The write's own copy sees it at once, and so does this one.
			if got, err := s.SolutionSeq(ctx); err != nil || got < seq {
				t.Fatalf("after write %d: counter %d, %v; want at least %d", i, got, err, seq)
			}
		}
		stop()
		if reads.Load() == 0 {
			t.Fatal("no read finished")
		}
		if db.Engine() == store.Postgres {
			batches, n := db.SeqReadStats()
			if n-reads0 < reads.Load() || batches-batches0 >= n-reads0 {
				t.Errorf("%d reads in %d statements: not shared", n-reads0, batches-batches0)
			}
		}
	})
}

// createCorpus stores the search corpus (and the regions it needs) and
// returns it.
func createCorpus(t *testing.T, s *store.Store) []*kolaborasi.Solution {
	t.Helper()
	storetest.LoadRegions(t, s)
	corpus := storetest.SearchCorpus()
	for _, sol := range corpus {
		storetest.AnalyzeSolution(sol)
	}
	if err := s.CreateSolutions(context.Background(), corpus); err != nil {
		t.Fatal(err)
	}
	return corpus
}

// readUntilStopped runs read over and over from n goroutines until stop is
// called, which waits for them; a read that returns false ends its
// goroutine.
func readUntilStopped(n int, read func() bool) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if !read() {
					return
				}
			}
		})
	}
	return func() {
		close(done)
		wg.Wait()
	}
}
