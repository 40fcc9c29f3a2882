package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// A backup taken while a writer keeps committing opens, passes
// integrity_check and holds a state some commit left: every transaction
// wrote a counter and one row, and the copy's counter equals its rows.
func TestOnlineBackupWhileWriting(t *testing.T) {
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	s := db.Store()
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		for i := 1; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			err := s.InTx(ctx, func(tx kolaborasi.Store) error {
				if err := tx.SetMeta(ctx, fmt.Sprintf("row-%06d", i), "x"); err != nil {
					return err
				}
				return tx.SetMeta(ctx, "counter", strconv.Itoa(i))
			})
			if err != nil {
				done <- err
				return
			}
		}
	}()
	dir := t.TempDir()
	var counts []int
	for i := range 4 {
		out := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		n, err := store.Backup(ctx, db.Where(), out)
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(out); err != nil || st.Size() != n {
			t.Fatalf("backup size %d, %v", n, err)
		}
		if err := store.CheckSQLiteFile(ctx, out); err != nil {
			t.Fatal(err)
		}
		copyDB, err := store.Open(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		counter, err := copyDB.Store().Meta(ctx, "counter")
		if err != nil {
			t.Fatal(err)
		}
		_, read := copyDB.Pools()
		var rows int
		if err := read.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key LIKE 'row-%'`).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		copyDB.Close()
		if c, _ := strconv.Atoi(counter); c != rows {
			t.Errorf("backup %d: counter %q but %d rows: not one transaction's state", i, counter, rows)
		}
		counts = append(counts, rows)
		if _, err := store.Backup(ctx, db.Where(), out); err == nil {
			t.Error("a backup overwrote an existing file")
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("the writer failed during backups: %v", err)
	}
	if counts[len(counts)-1] == 0 {
		t.Errorf("the writer wrote nothing during the backups: %v", counts)
	}
	t.Logf("rows in the successive backups: %v", counts)
	if _, err := store.Backup(ctx, "postgres://x@localhost/y", filepath.Join(dir, "pg")); !errors.Is(err, store.ErrPostgresBackup) {
		t.Errorf("PostgreSQL backup: %v", err)
	}
}

// Restore refuses a damaged or foreign file and a non-empty target without
// force.
func TestRestoreChecks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.OpenSQLite(t)
	if err := db.Store().SetMeta(ctx, "which", "source"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "b.db")
	if _, err := store.Backup(ctx, db.Where(), backup); err != nil {
		t.Fatal(err)
	}
	target := storetest.OpenSQLite(t)
	target.Store().SetMeta(ctx, "which", "target")
	target.Close()
	if err := store.Restore(ctx, backup, target.Where(), false); err == nil {
		t.Fatal("a non-empty database was replaced without force")
	}
	if err := store.Restore(ctx, db.Where(), filepath.Join(dir, "from-live.db"), false); err == nil || !strings.Contains(err.Error(), "kolaborasi backup") {
		t.Errorf("restore from a database in use: %v", err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	data, _ := os.ReadFile(backup)
	data = bytes.Clone(data)
	for i := 4096; i < len(data); i += 7 {
		data[i] ^= 0x55
	}
	os.WriteFile(garbage, data, 0o600)
	if err := store.Restore(ctx, garbage, target.Where(), true); err == nil {
		t.Error("a damaged backup was restored")
	}
	if err := store.Restore(ctx, backup, target.Where(), true); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, target.Where())
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if v, err := restored.Store().Meta(ctx, "which"); err != nil || v != "source" {
		t.Errorf("restored meta %q, %v", v, err)
	}
	if err := store.Restore(ctx, backup, filepath.Join(dir, "new.db"), false); err != nil {
		t.Errorf("restore to a new file: %v", err)
	}
}
