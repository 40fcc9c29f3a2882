package store_test

import (
	"context"
	"io/fs"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) kolaborasi.Store { return storetest.OpenSQLite(t).Store() })
	})
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		storetest.Run(t, func(t *testing.T) kolaborasi.Store { return storetest.OpenPostgres(t).Store() })
	})
}

func TestMigrationNamesMatch(t *testing.T) {
	names := func(e store.Engine) []string {
		ms, err := fs.Glob(store.MigrationFS(e), "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	lite, pg := names(store.SQLite), names(store.Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	if diff := cmp.Diff(lite, pg); diff != "" {
		t.Errorf("migration files differ between engines (-sqlite +postgres):\n%s", diff)
	}
}

// TestInTxRetriesDeadlocks makes two transactions lock two rows in opposite
// orders on PostgreSQL: the first attempt of one of them is chosen as the
// deadlock victim (40P01), and InTx runs it again, so both succeed.
func TestInTxRetriesDeadlocks(t *testing.T) {
	s := storetest.OpenPostgres(t).Store()
	ctx := context.Background()
	for _, k := range []string{"a", "b"} {
		if err := s.SetMeta(ctx, "deadlock_"+k, "0"); err != nil {
			t.Fatal(err)
		}
	}
	var attempts atomic.Int32
	first := make(chan struct{}, 2)
	run := func(x, y string) error {
		return s.InTx(ctx, func(tx kolaborasi.Store) error {
			n := attempts.Add(1)
			if err := tx.SetMeta(ctx, "deadlock_"+x, "1"); err != nil {
				return err
			}
			if n <= 2 { // both first attempts hold their first row before either takes its second
				first <- struct{}{}
				for len(first) < 2 {
					time.Sleep(time.Millisecond)
				}
			}
			return tx.SetMeta(ctx, "deadlock_"+y, "1")
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = run("a", "b") })
	wg.Go(func() { errs[1] = run("b", "a") })
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
	if n := attempts.Load(); n < 3 {
		t.Errorf("%d attempts; the deadlock should have cost one more", n)
	}
}
