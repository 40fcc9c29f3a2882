package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// sameEngine opens another fresh database on the engine of db.
func sameEngine(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	if db.Engine() == store.Postgres {
		return storetest.OpenPostgres(t)
	}
	return storetest.OpenSQLite(t)
}

// appendStatus drafts an agreement with a and offers it, which appends a
// status change to the public log.
func appendStatus(t *testing.T, s *seeded, a *app.App) error {
	t.Helper()
	blitar := s.as(t, "kerjasama@blitarkota.test")
	ag, err := a.CreateAgreement(blitar, demo.KSB)
	if err != nil {
		t.Fatal(err)
	}
	return a.MoveAgreement(blitar, ag.ID, kolaborasi.StatusOffered)
}

func logSize(t *testing.T, a *app.App) int64 {
	t.Helper()
	_, size, err := a.LogCheckpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return size
}

func wantRefused(t *testing.T, err error, words string) {
	t.Helper()
	wantCode(t, err, kolaborasi.ECONFLICT)
	if msg := kolaborasi.ErrorMessage(err); !strings.Contains(msg, words) {
		t.Errorf("message %q does not say %q", msg, words)
	}
}

// A server without the log's key file serves the log but records nothing
// in it; a key file holding another log's key is refused too.
func TestAppendingNeedsTheLogKey(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		size := logSize(t, s.a)
		if signer, _, err := db.Store().LogKey(ctx); err != nil || signer != "" {
			t.Fatalf("the database holds a log signing key %q (%v)", signer, err)
		}

		noKey := app.New(db.Store())
		if _, n, err := noKey.LogCheckpoint(ctx); err != nil || n != size {
			t.Fatalf("reads without the key: size %d, %v", n, err)
		}
		if _, err := noKey.LogEntries(ctx, 0, size); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, noKey.CheckLog(ctx), "signing key")
		wantRefused(t, appendStatus(t, s, noKey), "signing key")

		otherKey := app.New(db.Store(), app.WithEphemeralLogKey())
		wantRefused(t, otherKey.CheckLog(ctx), "another key")
		wantRefused(t, appendStatus(t, s, otherKey), "another key")
		if n := logSize(t, s.a); n != size {
			t.Fatalf("refused appends changed the log: %d → %d", size, n)
		}
		ags, _ := s.a.Agreements(s.as(t, "kerjasama@blitarkota.test"), kolaborasi.AgreementFilter{Region: demo.Blitar, Status: kolaborasi.StatusOffered})
		if len(ags) != 0 {
			t.Errorf("a refused status change was stored: %d offered agreements", len(ags))
		}

		if err := appendStatus(t, s, app.New(db.Store(), app.WithLogKey(testLogKey))); err != nil {
			t.Fatal(err)
		}
	})
}

// The checkpoint file records what the server published; a database that
// is behind it (an older backup restored) or forks from it is refused.
func TestCheckpointFileRefusesOlderOrForkedLog(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		file := filepath.Join(t.TempDir(), "log.key.checkpoint")
		clock := app.WithClock(func() time.Time { return testNow })
		withFile := func(db *store.DB) *app.App {
			return app.New(db.Store(), app.WithLogKey(testLogKey), app.WithCheckpointFile(file), clock)
		}
		s := newSeeded(t, db)
		a := withFile(db)
		// No file yet: the database's latest checkpoint is adopted.
		if err := a.CheckLog(ctx); err != nil {
			t.Fatal(err)
		}
		wantFile := func(a *app.App) {
			t.Helper()
			cp, _, err := a.LogCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := os.ReadFile(file); err != nil || string(got) != string(cp) {
				t.Fatalf("checkpoint file %q (%v), want the latest checkpoint %q", got, err, cp)
			}
		}
		wantFile(a)
		if err := appendStatus(t, s, a); err != nil {
			t.Fatal(err)
		}
		wantFile(a)
		published := logSize(t, a)

		// An older copy: the demo seeded on another database with the same
		// key, one status change short of what was published.
		older := sameEngine(t, db)
		os0 := newSeeded(t, older)
		if n := logSize(t, os0.a); n != published-1 {
			t.Fatalf("older copy has %d entries, want %d", n, published-1)
		}
		stale := withFile(older)
		wantRefused(t, stale.CheckLog(ctx), "older copy")
		wantRefused(t, appendStatus(t, os0, stale), "older copy")
		if n := logSize(t, os0.a); n != published-1 {
			t.Fatalf("the refused append grew the older log to %d", n)
		}

		// A fork: as many entries as published, but other ones.
		if err := appendStatus(t, os0, os0.a); err != nil {
			t.Fatal(err)
		}
		if n := logSize(t, os0.a); n != published {
			t.Fatalf("fork has %d entries, want %d", n, published)
		}
		wantRefused(t, withFile(older).CheckLog(ctx), "forks")
		wantFile(a)

		// Ahead of the file and consistent with it: fine, and the file
		// follows.
		if err := appendStatus(t, s, s.a); err != nil {
			t.Fatal(err)
		}
		ahead := withFile(db)
		if err := ahead.CheckLog(ctx); err != nil {
			t.Fatal(err)
		}
		if err := appendStatus(t, s, ahead); err != nil {
			t.Fatal(err)
		}
		wantFile(ahead)

		// A checkpoint file signed by another key is refused.
		otherKey, _ := ledger.GenerateLogKey(app.LogOrigin)
		forged, _ := ledger.SignCheckpoint(ledger.Checkpoint{Origin: app.LogOrigin, Size: 1}, otherKey.Signer())
		if err := os.WriteFile(file, forged, 0o644); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, withFile(db).CheckLog(ctx), "not a checkpoint signed")
	})
}

// Key files are made with mode 0600, never overwritten, and refused when
// others can read them.
func TestLogKeyFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log.key")
	k, _ := ledger.GenerateLogKey(app.LogOrigin)
	if err := app.CreateLogKeyFile(path, k); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, %v", st.Mode(), err)
	}
	if err := app.CreateLogKeyFile(path, k); err == nil {
		t.Error("an existing key file was overwritten")
	}
	back, err := app.ReadLogKeyFile(path)
	if err != nil || back.VerifierKey() != k.VerifierKey() {
		t.Fatalf("read back %v, %v", back, err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o660} {
		os.Chmod(path, mode)
		if _, err := app.ReadLogKeyFile(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: %v", mode, err)
		}
	}
}
