package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// algEd25519 is the note key algorithm byte of Ed25519 keys.
const algEd25519 = 1

// LogKey is a log's note signing key: the private key that signs its
// checkpoints, and the public verifier key derived from it. It is kept
// outside the database (a key file), so a copy of the database cannot sign
// checkpoints of a forged log.
type LogKey struct {
	skey, vkey string
	signer     note.Signer
}

// GenerateLogKey makes a new signing key for the log named origin.
func GenerateLogKey(origin string) (*LogKey, error) {
	skey, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, fmt.Errorf("generate log key: %w", err)
	}
	return ParseLogKey(skey)
}

// ParseLogKey parses a note signer key ("PRIVATE+KEY+<origin>+<hash>+<base64>",
// as made by note.GenerateKey) and derives its verifier key.
func ParseLogKey(skey string) (*LogKey, error) {
	skey = strings.TrimSpace(skey)
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("%w: log signing key: %v", ErrMalformed, err)
	}
	// "PRIVATE", "KEY", name and hash never hold "+"; the base64 key may.
	rest := skey
	for range 4 {
		_, rest, _ = strings.Cut(rest, "+")
	}
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != algEd25519 {
		return nil, fmt.Errorf("%w: log signing key is not an Ed25519 note key", ErrMalformed)
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		return nil, fmt.Errorf("%w: log signing key: %v", ErrMalformed, err)
	}
	return &LogKey{skey: skey, vkey: vkey, signer: signer}, nil
}

// Signer returns the note signer of checkpoints.
func (k *LogKey) Signer() note.Signer { return k.signer }

// VerifierKey returns the public verifier key ("<origin>+<hash>+<base64>").
func (k *LogKey) VerifierKey() string { return k.vkey }

// Private returns the signing key in its text form, the content of a log
// key file. It is secret.
func (k *LogKey) Private() string { return k.skey }

// Matches reports whether the key signs what the verifier key vkey
// accepts, that is whether vkey is this key's verifier.
func (k *LogKey) Matches(vkey string) bool { return k.vkey == strings.TrimSpace(vkey) }
