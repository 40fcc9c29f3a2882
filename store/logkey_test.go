package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// ClearLogSigner erases a signing key that an older version stored, also
// from the SQLite file's free pages and WAL.
func TestClearLogSigner(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := db.Store()
		if err := s.InitLogKey(ctx, "kolaborasi.id/log+00000000+verifier"); err != nil {
			t.Fatal(err)
		}
		secret := "PRIVATE+KEY+kolaborasi.id/log+00000000+SECRETSECRETSECRETSECRET"
		write, _ := db.Pools()
		if _, err := write.ExecContext(ctx, db.Engine().Rebind(`UPDATE log_key SET signer = ? WHERE id = 1`), secret); err != nil {
			t.Fatal(err)
		}
		if signer, _, _ := s.LogKey(ctx); signer != secret {
			t.Fatalf("legacy signer %q", signer)
		}
		if err := s.ClearLogSigner(ctx); err != nil {
			t.Fatal(err)
		}
		if signer, verifier, err := s.LogKey(ctx); err != nil || signer != "" || verifier == "" {
			t.Fatalf("after ClearLogSigner: %q %q %v", signer, verifier, err)
		}
		if db.Engine() != store.SQLite {
			return
		}
		for _, suffix := range []string{"", "-wal"} {
			data, err := os.ReadFile(db.Where() + suffix)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte("SECRETSECRET")) {
				t.Errorf("the signing key is still in %s%s", filepath.Base(db.Where()), suffix)
			}
		}
	})
}
