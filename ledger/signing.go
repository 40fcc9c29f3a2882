package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/gowebpki/jcs"
)

// Errors returned by the package. Every error wraps ErrMalformed or
// ErrVerify, so callers can tell bad input from a failed check with
// errors.Is; ErrIncomplete is a kind of ErrVerify.
var (
	// ErrMalformed means an input does not parse, is not in its canonical
	// form, or has a field outside its allowed values.
	ErrMalformed = errors.New("ledger: malformed")
	// ErrVerify means an input is well formed but a signature, hash, proof or
	// log rule check failed.
	ErrVerify = errors.New("ledger: verification failed")
	// ErrIncomplete means a bundle's signatures hold but it does not prove
	// the stage it claims: a party's signature or a status change is
	// missing. It wraps ErrVerify.
	ErrIncomplete = fmt.Errorf("%w: incomplete", ErrVerify)
)

// Domain-separation prefixes: the first line of the bytes that are hashed or
// signed, so bytes made for one purpose can never be taken for another.
const (
	// SignaturePrefix starts the bytes an agreement signature covers.
	SignaturePrefix = "kolaborasi/agreement-signature/v1\n"
	// VersionPrefix starts the bytes whose SHA-256 is an agreement version's
	// content hash.
	VersionPrefix = "kolaborasi/agreement-version/v1\n"
)

// Stages of an agreement that are signed.
const (
	StageKSB = "ksb" // Kesepakatan Bersama, the framework agreement
	StagePKS = "pks" // Perjanjian Kerja Sama, the implementing agreement
)

// Roles in which a party signs.
const (
	RoleSignatory = "signatory"
	RoleWitness   = "witness"
)

// KeyIDSize is the number of bytes of SHA-256 kept in a key ID; the key ID
// is their lowercase hex, so it has 2*KeyIDSize characters.
const KeyIDSize = 8

// AgreementVersion is one version of an agreement as signed: the part that is
// the same for every signer.
type AgreementVersion struct {
	// AgreementID identifies the agreement; it never changes across versions.
	AgreementID string `json:"agreement_id"`
	// Version is the version number, starting at 1.
	Version int64 `json:"version"`
	// Content is the legal content, a JSON object defined by the caller
	// (title, type, parties, witnesses, scope, exchange items, dates, ...).
	// It is signed in its RFC 8785 canonical form.
	Content json.RawMessage `json:"content"`
	// Attachments maps an attachment's name to the lowercase hex SHA-256 of
	// its bytes. It may be empty but is never encoded as null.
	Attachments map[string]string `json:"attachments"`
}

// SignedContent is what one party's signature covers: an agreement version
// plus who signs it, in which role, at which stage, with which key.
type SignedContent struct {
	AgreementVersion
	// Party is the signer's party, a region code such as "35.72".
	Party string `json:"party"`
	// Role is RoleSignatory or RoleWitness.
	Role string `json:"role"`
	// Stage is StageKSB or StagePKS.
	Stage string `json:"stage"`
	// KeyID is KeyID of the signer's public key.
	KeyID string `json:"key_id"`
}

// KeyID returns the key ID of an Ed25519 public key: the lowercase hex of
// the first KeyIDSize bytes of SHA-256 of the 32 raw public key bytes.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:KeyIDSize])
}

// validate checks the fields of an agreement version.
func (v AgreementVersion) validate() error {
	if err := checkText("agreement_id", v.AgreementID); err != nil {
		return err
	}
	if v.Version < 1 {
		return fmt.Errorf("%w: version %d is not positive", ErrMalformed, v.Version)
	}
	if c := bytes.TrimSpace(v.Content); len(c) == 0 || c[0] != '{' || !json.Valid(c) {
		return fmt.Errorf("%w: content is not a JSON object", ErrMalformed)
	}
	for name, h := range v.Attachments {
		if err := checkText("attachment name", name); err != nil {
			return err
		}
		if !isHexHash(h) {
			return fmt.Errorf("%w: attachment %q: hash is not 64 lowercase hex digits", ErrMalformed, name)
		}
	}
	return nil
}

// validate checks the fields of signed content.
func (c SignedContent) validate() error {
	if err := c.AgreementVersion.validate(); err != nil {
		return err
	}
	if err := checkText("party", c.Party); err != nil {
		return err
	}
	if c.Role != RoleSignatory && c.Role != RoleWitness {
		return fmt.Errorf("%w: role %q", ErrMalformed, c.Role)
	}
	if c.Stage != StageKSB && c.Stage != StagePKS {
		return fmt.Errorf("%w: stage %q", ErrMalformed, c.Stage)
	}
	if !isKeyID(c.KeyID) {
		return fmt.Errorf("%w: key_id %q", ErrMalformed, c.KeyID)
	}
	return nil
}

// CanonicalBytes returns the bytes of v whose SHA-256 is its content hash:
// VersionPrefix followed by the RFC 8785 canonical JSON of v.
func (v AgreementVersion) CanonicalBytes() ([]byte, error) {
	if err := v.validate(); err != nil {
		return nil, err
	}
	if v.Attachments == nil {
		v.Attachments = map[string]string{}
	}
	return canonical(VersionPrefix, v)
}

// ContentHash returns the lowercase hex SHA-256 of v.CanonicalBytes(); it is
// the content_hash of signature log entries.
func (v AgreementVersion) ContentHash() (string, error) {
	b, err := v.CanonicalBytes()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// CanonicalBytes returns the bytes a signature covers: SignaturePrefix
// followed by the RFC 8785 canonical JSON of c.
func (c SignedContent) CanonicalBytes() ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	if c.Attachments == nil {
		c.Attachments = map[string]string{}
	}
	return canonical(SignaturePrefix, c)
}

// CanonicalBytes returns c.CanonicalBytes(); it exists so callers can write
// ledger.CanonicalBytes(c).
func CanonicalBytes(c SignedContent) ([]byte, error) { return c.CanonicalBytes() }

// Sign signs c with priv. c.KeyID must be the key ID of priv's public key.
// The CLI calls Sign; private keys never reach the server.
func Sign(priv ed25519.PrivateKey, c SignedContent) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("%w: private key has %d bytes", ErrMalformed, len(priv))
	}
	pub := priv.Public().(ed25519.PublicKey)
	if c.KeyID != KeyID(pub) {
		return nil, fmt.Errorf("%w: key_id %q is not the signing key's %q", ErrMalformed, c.KeyID, KeyID(pub))
	}
	msg, err := c.CanonicalBytes()
	if err != nil {
		return nil, err
	}
	return ed25519.Sign(priv, msg), nil
}

// Verify checks that sig is pub's signature of c and that c names pub's key
// ID. It returns nil only if both hold.
func Verify(pub ed25519.PublicKey, c SignedContent, sig []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public key has %d bytes", ErrMalformed, len(pub))
	}
	msg, err := c.CanonicalBytes()
	if err != nil {
		return err
	}
	if c.KeyID != KeyID(pub) {
		return fmt.Errorf("%w: key_id %q is not the public key's %q", ErrVerify, c.KeyID, KeyID(pub))
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, msg, sig) {
		return fmt.Errorf("%w: bad signature by key %s", ErrVerify, c.KeyID)
	}
	return nil
}

// canonical returns prefix followed by the RFC 8785 form of v's JSON.
func canonical(prefix string, v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	c, err := jcs.Transform(j)
	if err != nil {
		return nil, fmt.Errorf("%w: canonicalize: %v", ErrMalformed, err)
	}
	return append([]byte(prefix), c...), nil
}

// checkText rejects empty strings, invalid UTF-8 and control characters.
func checkText(field, s string) error {
	if s == "" {
		return fmt.Errorf("%w: %s is empty", ErrMalformed, field)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: %s is not UTF-8", ErrMalformed, field)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %s has a control character", ErrMalformed, field)
		}
	}
	return nil
}

// isHexHash reports whether s is 64 lowercase hex digits.
func isHexHash(s string) bool { return len(s) == 2*sha256.Size && isLowerHex(s) }

// isKeyID reports whether s has the shape of a key ID.
func isKeyID(s string) bool { return len(s) == 2*KeyIDSize && isLowerHex(s) }

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
