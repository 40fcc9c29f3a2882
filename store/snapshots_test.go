package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestIndexSnapshotParts checks on both engines that saves leave only the
// current generation's parts: replaced ones, lost ones and those of a
// save that crashed half-way are deleted by the next save.
func TestIndexSnapshotParts(t *testing.T) {
	for name, open := range map[string]func(t testing.TB) *store.DB{"sqlite": storetest.OpenSQLite, "postgres": storetest.OpenPostgres} {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				storetest.PostgresDSN(t)
			}
			db := open(t)
			s := db.Store()
			w, _ := db.Pools()
			ctx := context.Background()
			count := func() int {
				t.Helper()
				var n int
				if err := w.QueryRowContext(ctx, `SELECT count(*) FROM index_snapshot_parts`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			at := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
			// A save that crashed after writing a part.
			if _, err := w.ExecContext(ctx, db.Engine().Rebind(`INSERT INTO index_snapshot_parts (name, generation, part, data) VALUES ('catalog', ?, 0, ?)`),
				at.UnixNano(), []byte("half")); err != nil {
				t.Fatal(err)
			}
			big := make([]byte, 3<<20)
			for i, seq := range []int64{5, 6, 6} {
				at = at.Add(time.Second)
				saved, err := s.SaveIndexSnapshot(ctx, "catalog", kolaborasi.IndexSnapshot{Key: "k", Seq: seq, Data: big}, at)
				if err != nil || saved != (i < 2) {
					t.Fatalf("save %d: %v %v", i, saved, err)
				}
				if n := count(); n != 3 {
					t.Fatalf("after save %d: %d parts, want 3", i, n)
				}
			}
		})
	}
}
