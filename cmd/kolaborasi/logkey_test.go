package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/store"
)

// serverApp opens the database at path as `serve` does, with its log key
// file; the database is closed when the test ends.
func serverApp(t *testing.T, path, keyFile string) *app.App {
	t.Helper()
	db, a, err := openServerApp(context.Background(), path, keyFile, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return a
}

// seedDemo seeds the demo into a new database at path, as `serve` would
// with its default log key file.
func seedDemo(t *testing.T, path string) *app.App {
	t.Helper()
	a := serverApp(t, path, defaultLogKeyFile(path))
	if err := demo.Seed(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// offerAgreement drafts and offers an agreement, which appends a status
// change to the public log.
func offerAgreement(t *testing.T, a *app.App) error {
	t.Helper()
	ctx := user(t, a, demo.Blitar, "kerjasama@blitarkota.test")
	ag, err := a.CreateAgreement(ctx, demo.KSB)
	if err != nil {
		t.Fatal(err)
	}
	return a.MoveAgreement(ctx, ag.ID, kolaborasi.StatusOffered)
}

// keygen writes a 0600 key file; the server refuses a key file others can
// read; export-key moves an older database's key out of it.
func TestLogKeyCommands(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "log.key")
	code, out, errOut := runCmd(t, "log", "keygen", "--out", keyFile)
	if code != 0 || !strings.Contains(out, "verifier key: "+app.LogOrigin+"+") {
		t.Fatalf("log keygen: exit %d %s %s", code, out, errOut)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if code, _, errOut := runCmd(t, "log", "keygen", "--out", keyFile); code != 1 || !strings.Contains(errOut, "exists") {
		t.Errorf("keygen over a file: exit %d %s", code, errOut)
	}
	os.Chmod(keyFile, 0o644)
	db := filepath.Join(dir, "k.db")
	if code, _, errOut := runCmd(t, "serve", "--db", db, "--log-key-file", keyFile, "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errOut, "chmod 600") {
		t.Errorf("serve with a readable key file: exit %d %s", code, errOut)
	}

	// A database made by an older version kept its signing key in log_key.
	seedDemo(t, db)
	k, err := app.ReadLogKeyFile(defaultLogKeyFile(db))
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := legacy.Pools()
	if _, err := w.Exec(`UPDATE log_key SET signer = ?`, k.Private()); err != nil {
		t.Fatal(err)
	}
	legacy.Close()
	os.Remove(defaultLogKeyFile(db))
	os.Remove(app.CheckpointFileFor(defaultLogKeyFile(db)))
	if code, _, errOut := runCmd(t, "serve", "--db", db, "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errOut, "log export-key") {
		t.Errorf("serve on a database holding its log key: exit %d %s", code, errOut)
	}
	moved := filepath.Join(dir, "moved.key")
	code, out, errOut = runCmd(t, "log", "export-key", "--db", db, "--out", moved)
	if code != 0 || !strings.Contains(out, k.VerifierKey()) {
		t.Fatalf("export-key: exit %d %s %s", code, out, errOut)
	}
	if back, err := app.ReadLogKeyFile(moved); err != nil || back.Private() != k.Private() {
		t.Fatalf("exported key %v, %v", back, err)
	}
	for _, f := range []string{db, db + "-wal"} {
		data, _ := os.ReadFile(f)
		if bytes.Contains(data, []byte(k.Private()[len(k.Private())-40:])) {
			t.Errorf("%s still holds the log's signing key", filepath.Base(f))
		}
	}
	if code, _, errOut := runCmd(t, "log", "export-key", "--db", db, "--out", filepath.Join(dir, "again.key")); code != 1 || !strings.Contains(errOut, "moved out already") {
		t.Errorf("export-key twice: exit %d %s", code, errOut)
	}
	a := serverApp(t, db, moved)
	cp, _, err := a.LogCheckpoint(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(app.CheckpointFileFor(moved)); !bytes.Equal(got, cp) {
		t.Errorf("export-key recorded checkpoint %q, want %q", got, cp)
	}
	if err := offerAgreement(t, a); err != nil {
		t.Fatalf("append with the exported key: %v", err)
	}
	if v, _ := a.LogVerifierKey(context.Background()); v != k.VerifierKey() {
		t.Errorf("verifier changed to %s", v)
	}
}
