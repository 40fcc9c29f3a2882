package ledger_test

import (
	"crypto/rand"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/kolaborasi/kolaborasi/ledger"
)

// The verifier derived from a signing key is the one note.GenerateKey made
// with it, so checkpoints signed with a key read from a file verify with
// the verifier the log publishes.
func TestParseLogKeyDerivesVerifier(t *testing.T) {
	for range 20 {
		skey, vkey, err := note.GenerateKey(rand.Reader, ledger.DefaultOrigin)
		if err != nil {
			t.Fatal(err)
		}
		k, err := ledger.ParseLogKey(skey + "\n")
		if err != nil {
			t.Fatal(err)
		}
		if k.VerifierKey() != vkey || !k.Matches(vkey) || k.Private() != skey {
			t.Fatalf("derived %q from %q, want %q", k.VerifierKey(), skey, vkey)
		}
		cp, err := ledger.SignCheckpoint(ledger.Checkpoint{Origin: ledger.DefaultOrigin, Size: 3}, k.Signer())
		if err != nil {
			t.Fatal(err)
		}
		v, _ := ledger.NewLogVerifier(vkey)
		if _, err := ledger.OpenCheckpoint(cp, v); err != nil {
			t.Fatal(err)
		}
	}
	other, _ := ledger.GenerateLogKey(ledger.DefaultOrigin)
	if k, _ := ledger.GenerateLogKey(ledger.DefaultOrigin); k.Matches(other.VerifierKey()) {
		t.Error("two generated keys match")
	}
	for _, bad := range []string{"", "PRIVATE+KEY+x+00000000+AQ==", other.VerifierKey(), other.Private()[:len(other.Private())-4]} {
		if _, err := ledger.ParseLogKey(bad); err == nil {
			t.Errorf("ParseLogKey(%q) accepted", bad)
		}
	}
	// A tampered key hash is refused.
	p := []byte(other.Private())
	h := len("PRIVATE+KEY+" + ledger.DefaultOrigin + "+")
	p[h] ^= 1
	if _, err := ledger.ParseLogKey(string(p)); err == nil {
		t.Error("tampered key hash accepted")
	}
}
