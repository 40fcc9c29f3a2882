package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// EntryType names the kind of a log entry; it is the "type" member of the
// entry's JSON.
type EntryType string

// The entry types.
const (
	TypeKeyRegistered EntryType = "key_registered"
	TypeKeyRevoked    EntryType = "key_revoked"
	TypeSignature     EntryType = "signature"
	TypeStatusChange  EntryType = "status_change"
)

// EntryVersion is the "v" member of every entry this package writes; entries
// with another version are rejected.
const EntryVersion = 1

// Entry is one record of the public log: *KeyRegistered, *KeyRevoked,
// *SignatureEntry or *StatusChange.
type Entry interface {
	// EntryType returns the entry's type.
	EntryType() EntryType
	validate() error
}

// KeyRegistered records that a signing key was approved for a region.
type KeyRegistered struct {
	// Region is the region code the key signs for, such as "35.72".
	Region string `json:"region"`
	// KeyID is KeyID(PublicKey).
	KeyID string `json:"key_id"`
	// PublicKey is the 32-byte Ed25519 public key (base64 in JSON).
	PublicKey ed25519.PublicKey `json:"public_key"`
	// HolderOffice is the office holding the key, such as "Wali Kota Blitar".
	HolderOffice string `json:"holder_office"`
	// ApprovedBy is who approved the registration.
	ApprovedBy string `json:"approved_by"`
}

// KeyRevoked records that a key must not be trusted for signatures logged
// after this entry.
type KeyRevoked struct {
	// KeyID is the revoked key's ID.
	KeyID string `json:"key_id"`
	// Reason says why, in words.
	Reason string `json:"reason"`
}

// SignatureEntry records one party's signature of an agreement version.
type SignatureEntry struct {
	// AgreementID and Version identify the agreement version signed.
	AgreementID string `json:"agreement_id"`
	// Version is the agreement version number.
	Version int64 `json:"version"`
	// Stage is StageKSB or StagePKS.
	Stage string `json:"stage"`
	// Party is the signing party's region code.
	Party string `json:"party"`
	// Role is RoleSignatory or RoleWitness.
	Role string `json:"role"`
	// KeyID is the signing key's ID.
	KeyID string `json:"key_id"`
	// Signature is the Ed25519 signature of the SignedContent (base64 in JSON).
	Signature []byte `json:"signature"`
	// ContentHash is AgreementVersion.ContentHash of the version signed.
	ContentHash string `json:"content_hash"`
}

// StatusChange records an agreement version moving between statuses.
type StatusChange struct {
	// AgreementID and Version identify the agreement version.
	AgreementID string `json:"agreement_id"`
	// Version is the agreement version number.
	Version int64 `json:"version"`
	// From is the previous status.
	From string `json:"from"`
	// To is the new status.
	To string `json:"to"`
	// ActorRole is the role of whoever made the change.
	ActorRole string `json:"actor_role"`
	// Time is when it happened; it is encoded in UTC (RFC 3339).
	Time time.Time `json:"time"`
}

// EntryType implements Entry.
func (*KeyRegistered) EntryType() EntryType { return TypeKeyRegistered }

// EntryType implements Entry.
func (*KeyRevoked) EntryType() EntryType { return TypeKeyRevoked }

// EntryType implements Entry.
func (*SignatureEntry) EntryType() EntryType { return TypeSignature }

// EntryType implements Entry.
func (*StatusChange) EntryType() EntryType { return TypeStatusChange }

func (e *KeyRegistered) validate() error {
	if err := checkText("region", e.Region); err != nil {
		return err
	}
	if len(e.PublicKey) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: public_key has %d bytes", ErrMalformed, len(e.PublicKey))
	}
	if e.KeyID != KeyID(e.PublicKey) {
		return fmt.Errorf("%w: key_id %q is not the public key's %q", ErrMalformed, e.KeyID, KeyID(e.PublicKey))
	}
	if err := checkText("holder_office", e.HolderOffice); err != nil {
		return err
	}
	return checkText("approved_by", e.ApprovedBy)
}

func (e *KeyRevoked) validate() error {
	if !isKeyID(e.KeyID) {
		return fmt.Errorf("%w: key_id %q", ErrMalformed, e.KeyID)
	}
	return checkText("reason", e.Reason)
}

func (e *SignatureEntry) validate() error {
	c := SignedContent{
		AgreementVersion: AgreementVersion{AgreementID: e.AgreementID, Version: e.Version, Content: json.RawMessage("{}")},
		Party:            e.Party, Role: e.Role, Stage: e.Stage, KeyID: e.KeyID,
	}
	if err := c.validate(); err != nil {
		return err
	}
	if len(e.Signature) != ed25519.SignatureSize {
		return fmt.Errorf("%w: signature has %d bytes", ErrMalformed, len(e.Signature))
	}
	if !isHexHash(e.ContentHash) {
		return fmt.Errorf("%w: content_hash is not 64 lowercase hex digits", ErrMalformed)
	}
	return nil
}

func (e *StatusChange) validate() error {
	if err := checkText("agreement_id", e.AgreementID); err != nil {
		return err
	}
	if e.Version < 1 {
		return fmt.Errorf("%w: version %d is not positive", ErrMalformed, e.Version)
	}
	for _, f := range []struct{ name, v string }{{"from", e.From}, {"to", e.To}, {"actor_role", e.ActorRole}} {
		if err := checkText(f.name, f.v); err != nil {
			return err
		}
	}
	if e.Time.IsZero() {
		return fmt.Errorf("%w: time is zero", ErrMalformed)
	}
	return nil
}

// entryHeader holds the members every entry has.
type entryHeader struct {
	Type EntryType `json:"type"`
	V    int       `json:"v"`
}

// MarshalEntry returns the canonical encoding of e: the RFC 8785 canonical
// JSON of e's fields plus "type" and "v" members. These are the log record
// bytes; their leaf hash is RecordHash.
func MarshalEntry(e Entry) ([]byte, error) {
	if e == nil {
		return nil, fmt.Errorf("%w: nil entry", ErrMalformed)
	}
	if err := e.validate(); err != nil {
		return nil, fmt.Errorf("%s entry: %w", e.EntryType(), err)
	}
	h := entryHeader{Type: e.EntryType(), V: EntryVersion}
	var v any
	switch e := e.(type) {
	case *KeyRegistered:
		v = struct {
			entryHeader
			*KeyRegistered
		}{h, e}
	case *KeyRevoked:
		v = struct {
			entryHeader
			*KeyRevoked
		}{h, e}
	case *SignatureEntry:
		v = struct {
			entryHeader
			*SignatureEntry
		}{h, e}
	case *StatusChange:
		c := *e
		c.Time = c.Time.UTC()
		v = struct {
			entryHeader
			*StatusChange
		}{h, &c}
	default:
		return nil, fmt.Errorf("%w: unknown entry type %T", ErrMalformed, e)
	}
	return canonical("", v)
}

// ParseEntry decodes an entry encoded by MarshalEntry. It accepts only the
// canonical encoding: any other bytes, even of equal meaning, are rejected.
func ParseEntry(data []byte) (Entry, error) {
	var h entryHeader
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("%w: entry: %v", ErrMalformed, err)
	}
	if h.V != EntryVersion {
		return nil, fmt.Errorf("%w: entry version %d", ErrMalformed, h.V)
	}
	// The header is decoded again alongside the body so that the body
	// decoder, which rejects unknown members, knows "type" and "v".
	var e Entry
	var err error
	switch h.Type {
	case TypeKeyRegistered:
		x := new(KeyRegistered)
		e, err = x, decodeStrict(data, &struct {
			*entryHeader
			*KeyRegistered
		}{&h, x})
	case TypeKeyRevoked:
		x := new(KeyRevoked)
		e, err = x, decodeStrict(data, &struct {
			*entryHeader
			*KeyRevoked
		}{&h, x})
	case TypeSignature:
		x := new(SignatureEntry)
		e, err = x, decodeStrict(data, &struct {
			*entryHeader
			*SignatureEntry
		}{&h, x})
	case TypeStatusChange:
		x := new(StatusChange)
		e, err = x, decodeStrict(data, &struct {
			*entryHeader
			*StatusChange
		}{&h, x})
	default:
		return nil, fmt.Errorf("%w: entry type %q", ErrMalformed, h.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s entry: %v", ErrMalformed, h.Type, err)
	}
	again, err := MarshalEntry(e)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(again, data) {
		return nil, fmt.Errorf("%w: %s entry is not in canonical form", ErrMalformed, h.Type)
	}
	return e, nil
}

// RecordHash returns the RFC 6962 leaf hash of an entry's encoding,
// SHA-256(0x00 || data).
func RecordHash(data []byte) tlog.Hash { return tlog.RecordHash(data) }

// decodeStrict decodes one JSON value from data into v, rejecting unknown
// members and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data")
	}
	if _, err := dec.Token(); err == nil {
		return fmt.Errorf("trailing data")
	}
	return nil
}
