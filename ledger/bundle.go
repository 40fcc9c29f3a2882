package ledger

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// BundleFormat is the "format" member of every bundle.
const BundleFormat = "kolaborasi/bundle/v1"

// MaxBundleSize bounds the bundles ParseBundle and VerifyBundle read.
const MaxBundleSize = 8 << 20

// Bundle holds everything needed to verify an agreement version's
// signatures offline. Its JSON encoding is canonical (RFC 8785) and every
// member is bound by a signature, hash or proof, so changing any byte of an
// encoded bundle makes VerifyBundle fail.
type Bundle struct {
	// Format is BundleFormat.
	Format string `json:"format"`
	// Agreement is the agreement version signed.
	Agreement AgreementVersion `json:"agreement"`
	// Entries are log entries with their inclusion proofs, in increasing
	// index order: the signatures, their keys' key_registered entries, any
	// key_revoked entries of those keys, and optionally the version's
	// status changes.
	Entries []BundleEntry `json:"entries"`
	// Checkpoint is the signed checkpoint the proofs lead to.
	Checkpoint string `json:"checkpoint"`
}

// BundleEntry is a log entry with its index and its inclusion proof in the
// bundle's checkpoint.
type BundleEntry struct {
	// Index is the entry's log index.
	Index int64
	// Entry is the log entry.
	Entry Entry
	// Proof is the inclusion proof of the entry's record at Index in the
	// tree of the bundle's checkpoint.
	Proof tlog.RecordProof
}

// LoggedEntry is a log entry at its index, the input of BuildBundle.
type LoggedEntry struct {
	// Index is the entry's log index.
	Index int64
	// Entry is the log entry.
	Entry Entry
}

// bundleEntryJSON is the JSON form of a BundleEntry.
type bundleEntryJSON struct {
	Entry json.RawMessage `json:"entry"`
	Index int64           `json:"index"`
	Proof []tlog.Hash     `json:"proof"`
}

// MarshalJSON encodes e as {"entry": <canonical entry>, "index": n,
// "proof": [base64 hashes]}.
func (e BundleEntry) MarshalJSON() ([]byte, error) {
	rec, err := MarshalEntry(e.Entry)
	if err != nil {
		return nil, err
	}
	p := e.Proof
	if p == nil {
		p = tlog.RecordProof{}
	}
	return json.Marshal(bundleEntryJSON{Entry: rec, Index: e.Index, Proof: p})
}

// UnmarshalJSON decodes what MarshalJSON encodes, rejecting unknown members
// and non-canonical entries.
func (e *BundleEntry) UnmarshalJSON(data []byte) error {
	var j bundleEntryJSON
	if err := decodeStrict(data, &j); err != nil {
		return err
	}
	ent, err := ParseEntry(j.Entry)
	if err != nil {
		return err
	}
	*e = BundleEntry{Index: j.Index, Entry: ent, Proof: j.Proof}
	return nil
}

// Marshal returns the canonical encoding of b.
func (b *Bundle) Marshal() ([]byte, error) {
	c := *b
	if c.Agreement.Attachments == nil {
		c.Agreement.Attachments = map[string]string{}
	}
	if c.Entries == nil {
		c.Entries = []BundleEntry{}
	}
	return canonical("", c)
}

// ParseBundle decodes a bundle, accepting only its canonical encoding:
// unknown members, trailing data, white space, other escapes or member
// orders, non-canonical base64 and duplicate members are all rejected. It
// checks the form only; VerifyBundle checks the content.
func ParseBundle(data []byte) (*Bundle, error) {
	if len(data) > MaxBundleSize {
		return nil, fmt.Errorf("%w: bundle larger than %d bytes", ErrMalformed, MaxBundleSize)
	}
	var b Bundle
	if err := decodeStrict(data, &b); err != nil {
		return nil, fmt.Errorf("%w: bundle: %v", ErrMalformed, err)
	}
	if b.Format != BundleFormat {
		return nil, fmt.Errorf("%w: bundle format %q", ErrMalformed, b.Format)
	}
	again, err := b.Marshal()
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	if !bytes.Equal(again, data) {
		return nil, fmt.Errorf("%w: bundle is not in canonical form", ErrMalformed)
	}
	return &b, nil
}

// BuildBundle assembles the bundle of agreement from entries (in any order)
// and the log's signed checkpoint, reading inclusion proofs from r at the
// checkpoint's size. verifier is the log's note verifier. It checks the
// proofs it makes but not the signatures; VerifyBundle does. entries should
// be the version's signature entries, their keys' key_registered entries and
// every key_revoked entry of those keys up to the checkpoint: a bundle
// cannot prove that a revocation was left out.
func BuildBundle(ctx context.Context, r HashReader, signedCheckpoint []byte, verifier note.Verifier, agreement AgreementVersion, entries []LoggedEntry) ([]byte, error) {
	cp, err := OpenCheckpoint(signedCheckpoint, verifier)
	if err != nil {
		return nil, fmt.Errorf("build bundle: %w", err)
	}
	b := &Bundle{Format: BundleFormat, Agreement: agreement, Checkpoint: string(signedCheckpoint)}
	for _, le := range entries {
		rec, err := MarshalEntry(le.Entry)
		if err != nil {
			return nil, fmt.Errorf("build bundle: entry %d: %w", le.Index, err)
		}
		p, err := ProveInclusion(ctx, r, cp.Size, le.Index)
		if err != nil {
			return nil, fmt.Errorf("build bundle: %w", err)
		}
		if err := CheckInclusion(p, cp.Size, cp.Root, le.Index, rec); err != nil {
			return nil, fmt.Errorf("build bundle: entry %d is not in the log: %w", le.Index, err)
		}
		b.Entries = append(b.Entries, BundleEntry{Index: le.Index, Entry: le.Entry, Proof: p})
	}
	slices.SortFunc(b.Entries, func(x, y BundleEntry) int { return cmp.Compare(x.Index, y.Index) })
	return b.Marshal()
}

// Report is the outcome of VerifyBundle.
type Report struct {
	// Origin, TreeSize and Root are those of the bundle's checkpoint.
	Origin string
	// TreeSize is the checkpoint's tree size.
	TreeSize int64
	// Root is the checkpoint's root hash.
	Root tlog.Hash
	// AgreementID and Version identify the agreement version.
	AgreementID string
	// Version is the agreement version number.
	Version int64
	// ContentHash is the version's content hash.
	ContentHash string
	// Signatures has one verdict per signature entry, in log order.
	Signatures []SignatureReport
}

// SignatureReport is the verdict on one signature entry of a bundle.
type SignatureReport struct {
	// Index is the log index of the signature entry.
	Index int64
	// Party, Role, Stage and KeyID are those of the signature entry.
	Party string
	// Role is the role signed in.
	Role string
	// Stage is the stage signed.
	Stage string
	// KeyID is the signing key's ID.
	KeyID string
	// HolderOffice is the key's holder as registered, if found.
	HolderOffice string
	// KeyIndex is the log index of the key's key_registered entry, or -1.
	KeyIndex int64
	// RevokedIndex is the log index of the key's key_revoked entry, or -1.
	// A revocation after the signature leaves it valid.
	RevokedIndex int64
	// Valid reports whether the signature holds.
	Valid bool
	// Problem says why it does not, or is empty.
	Problem string
}

// VerifyBundle verifies an encoded bundle against the log's note verifier
// key. It fails (with ErrMalformed or ErrVerify) unless the bundle is in
// canonical form, its checkpoint is signed by the log key, every entry is
// proved to be in the checkpoint's tree, every signature entry is for the
// bundle's agreement version, and every signature verifies with a key
// registered for the signer's party before the signature was logged and not
// revoked before it. When only signatures fail, the returned Report says
// which; otherwise it is empty.
func VerifyBundle(data []byte, logVerifierKey string) (Report, error) {
	verifier, err := NewLogVerifier(logVerifierKey)
	if err != nil {
		return Report{}, err
	}
	b, err := ParseBundle(data)
	if err != nil {
		return Report{}, err
	}
	cp, err := OpenCheckpoint([]byte(b.Checkpoint), verifier)
	if err != nil {
		return Report{}, fmt.Errorf("bundle checkpoint: %w", err)
	}
	av := b.Agreement
	contentHash, err := av.ContentHash()
	if err != nil {
		return Report{}, fmt.Errorf("bundle agreement: %w", err)
	}

	type keyInfo struct {
		reg      *KeyRegistered
		regIndex int64
		revoked  []int64
		used     bool
	}
	keys := map[string]*keyInfo{}
	key := func(id string) *keyInfo {
		k := keys[id]
		if k == nil {
			k = &keyInfo{regIndex: -1}
			keys[id] = k
		}
		return k
	}
	type sigAt struct {
		index int64
		e     *SignatureEntry
	}
	var sigs []sigAt
	type signer struct{ party, role, stage string }
	seen := map[signer]bool{}
	if len(b.Entries) == 0 {
		return Report{}, fmt.Errorf("%w: bundle has no entries", ErrVerify)
	}
	for i, be := range b.Entries {
		if i > 0 && be.Index <= b.Entries[i-1].Index {
			return Report{}, fmt.Errorf("%w: bundle entries not in increasing index order", ErrMalformed)
		}
		rec, err := MarshalEntry(be.Entry)
		if err != nil {
			return Report{}, err
		}
		if err := CheckInclusion(be.Proof, cp.Size, cp.Root, be.Index, rec); err != nil {
			return Report{}, fmt.Errorf("bundle entry %d: %w", be.Index, err)
		}
		switch e := be.Entry.(type) {
		case *KeyRegistered:
			k := key(e.KeyID)
			if k.reg != nil {
				return Report{}, fmt.Errorf("%w: key %s registered twice", ErrVerify, e.KeyID)
			}
			k.reg, k.regIndex = e, be.Index
		case *KeyRevoked:
			k := key(e.KeyID)
			k.revoked = append(k.revoked, be.Index)
		case *SignatureEntry:
			if e.AgreementID != av.AgreementID || e.Version != av.Version || e.ContentHash != contentHash {
				return Report{}, fmt.Errorf("%w: signature entry %d is for another agreement version", ErrVerify, be.Index)
			}
			s := signer{e.Party, e.Role, e.Stage}
			if seen[s] {
				return Report{}, fmt.Errorf("%w: %s signed as %s at stage %s twice", ErrVerify, e.Party, e.Role, e.Stage)
			}
			seen[s] = true
			key(e.KeyID).used = true
			sigs = append(sigs, sigAt{be.Index, e})
		case *StatusChange:
			if e.AgreementID != av.AgreementID || e.Version != av.Version {
				return Report{}, fmt.Errorf("%w: status change %d is for another agreement version", ErrVerify, be.Index)
			}
		}
	}
	if len(sigs) == 0 {
		return Report{}, fmt.Errorf("%w: bundle has no signatures", ErrVerify)
	}
	for id, k := range keys {
		if !k.used {
			return Report{}, fmt.Errorf("%w: bundle has entries of key %s, which signed nothing in it", ErrVerify, id)
		}
	}

	rep := Report{
		Origin: cp.Origin, TreeSize: cp.Size, Root: cp.Root,
		AgreementID: av.AgreementID, Version: av.Version, ContentHash: contentHash,
	}
	failed := 0
	for _, s := range sigs {
		k := keys[s.e.KeyID]
		sr := SignatureReport{
			Index: s.index, Party: s.e.Party, Role: s.e.Role, Stage: s.e.Stage, KeyID: s.e.KeyID,
			KeyIndex: k.regIndex, RevokedIndex: -1,
		}
		if len(k.revoked) > 0 {
			sr.RevokedIndex = k.revoked[0]
		}
		sr.Problem = checkSignature(av, s.index, s.e, k.reg, k.regIndex, sr.RevokedIndex)
		if k.reg != nil {
			sr.HolderOffice = k.reg.HolderOffice
		}
		sr.Valid = sr.Problem == ""
		if !sr.Valid {
			failed++
		}
		rep.Signatures = append(rep.Signatures, sr)
	}
	if failed > 0 {
		return rep, fmt.Errorf("%w: %d of %d signatures invalid", ErrVerify, failed, len(sigs))
	}
	return rep, nil
}

// checkSignature returns why the signature entry s at index is not valid
// for av, or "" if it is. reg is its key's registration at regIndex (nil if
// absent) and revokedIndex the first revocation of the key, or -1.
func checkSignature(av AgreementVersion, index int64, s *SignatureEntry, reg *KeyRegistered, regIndex, revokedIndex int64) string {
	switch {
	case reg == nil:
		return "key not registered"
	case regIndex > index:
		return "key registered after the signature"
	case reg.Region != s.Party:
		return fmt.Sprintf("key registered for %s, not for %s", reg.Region, s.Party)
	case revokedIndex >= 0 && revokedIndex < index:
		return fmt.Sprintf("key revoked at log index %d, before the signature", revokedIndex)
	}
	c := SignedContent{AgreementVersion: av, Party: s.Party, Role: s.Role, Stage: s.Stage, KeyID: s.KeyID}
	if err := Verify(ed25519.PublicKey(reg.PublicKey), c, s.Signature); err != nil {
		return "bad signature"
	}
	return ""
}
