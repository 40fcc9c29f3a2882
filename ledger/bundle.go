package ledger

import (
	"bytes"
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// BundleFormat is the "format" member of every bundle. Version 2 added the
// "stage" member; version 1 bundles, which claimed no stage, are refused.
const BundleFormat = "kolaborasi/bundle/v2"

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
	// Stage is the stage the bundle proves complete (StageKSB or StagePKS),
	// with every stage before it.
	Stage string `json:"stage"`
	// Entries are log entries with their inclusion proofs, in increasing
	// index order: the signatures, their keys' key_registered entries, any
	// key_revoked entries of those keys, and the version's status changes.
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
		return nil, fmt.Errorf("%w: bundle format %q (this verifier reads %q)", ErrMalformed, b.Format, BundleFormat)
	}
	if !slices.Contains(Stages, b.Stage) {
		return nil, fmt.Errorf("%w: bundle stage %q", ErrMalformed, b.Stage)
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
// checkpoint's size. verifier is the log's note verifier; stage is the stage
// the bundle claims (see CompletedStage). It checks the proofs it makes but
// not the signatures; VerifyBundle does. entries should be the version's
// signature entries and status changes, their keys' key_registered entries
// and every key_revoked entry of those keys up to the checkpoint: a bundle
// cannot prove that a revocation was left out.
func BuildBundle(ctx context.Context, r HashReader, signedCheckpoint []byte, verifier note.Verifier, agreement AgreementVersion, stage string, entries []LoggedEntry) ([]byte, error) {
	cp, err := OpenCheckpoint(signedCheckpoint, verifier)
	if err != nil {
		return nil, fmt.Errorf("build bundle: %w", err)
	}
	b := &Bundle{Format: BundleFormat, Agreement: agreement, Stage: stage, Checkpoint: string(signedCheckpoint)}
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

// Stages lists the signed stages in procedural order. A bundle that proves
// a stage proves every stage before it too.
var Stages = []string{StageKSB, StagePKS}

// StatusDraft is the status every agreement version starts in; the status
// changes of a version in a bundle start from it.
const StatusDraft = "draft"

// stageStatus names, per stage, the status in which the parties sign and the
// status the last party's signature moves the version to.
var stageStatus = map[string]struct{ signing, signed string }{
	StageKSB: {"ksb_negotiated", "ksb_signed"},
	StagePKS: {"pks_drafted", "pks_signed"},
}

// CompletedStage returns the last stage whose completing status change
// (ksb_signed, pks_signed) is among entries, or StageKSB when there is none:
// the stage an agreement version's bundle claims.
func CompletedStage(entries []LoggedEntry) string {
	stage := StageKSB
	for _, st := range Stages {
		if slices.ContainsFunc(entries, func(le LoggedEntry) bool {
			sc, ok := le.Entry.(*StatusChange)
			return ok && sc.To == stageStatus[st].signed
		}) {
			stage = st
		}
	}
	return stage
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
	// Stage is the stage the bundle claims to prove.
	Stage string
	// Status is the version's last status in the bundle, StatusIndex the log
	// index of the change to it (-1 when the bundle has no status change).
	Status string
	// StatusIndex is the log index of the last status change, or -1.
	StatusIndex int64
	// Signatures has one verdict per signature entry, in log order.
	Signatures []SignatureReport
	// Stages says, per stage up to Stage, what was proved; it is complete
	// only when VerifyBundle returns no error.
	Stages []StageReport
}

// StageReport is what a bundle proves about one stage.
type StageReport struct {
	// Stage is StageKSB or StagePKS.
	Stage string
	// SignedIndex is the log index of the status change that completed the
	// stage, or -1.
	SignedIndex int64
	// Signatories holds, per region party of the content in order, its
	// valid signatory signature of the stage.
	Signatories []SignatureReport
	// Missing lists the region parties without a valid signatory signature
	// of the stage, as "code name".
	Missing []string
}

// SignatureReport is the verdict on one signature entry of a bundle.
type SignatureReport struct {
	// Index is the log index of the signature entry.
	Index int64
	// Party, Role, Stage and KeyID are those of the signature entry.
	Party string
	// Name is the party's name (a witness's office) in the signed content.
	Name string
	// Role is the role signed in.
	Role string
	// Stage is the stage signed.
	Stage string
	// KeyID is the signing key's ID.
	KeyID string
	// HolderOffice is the key's holder as registered, if found.
	HolderOffice string
	// ApprovedBy is who approved the key's registration, if found.
	ApprovedBy string
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

// signedParties is the part of an agreement version's content that says
// who signs: the parties (those with a region code sign on the platform) and
// the witnesses.
type signedParties struct {
	Parties []struct {
		Region string `json:"region"`
		Name   string `json:"name"`
	} `json:"parties"`
	Witnesses []struct {
		Region string `json:"region"`
		Office string `json:"office"`
	} `json:"witnesses"`
}

// VerifyBundle verifies an encoded bundle against the log's note verifier
// key. It fails (with ErrMalformed or ErrVerify) unless the bundle is in
// canonical form, its checkpoint is signed by the log key, every entry is
// proved to be in the checkpoint's tree, every signature entry is for the
// bundle's agreement version, and every signature verifies with a key
// registered for the signer's party before the signature was logged and not
// revoked before it. It then fails with ErrIncomplete unless the bundle
// proves its stage: the status changes run from draft through each stage's
// signed status, and every region party of the content signed each stage as
// signatory while it was open. When only signatures or completeness fail,
// the returned Report says which; otherwise it is empty.
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
	var who signedParties
	if err := json.Unmarshal(av.Content, &who); err != nil {
		return Report{}, fmt.Errorf("%w: bundle agreement content: parties: %v", ErrMalformed, err)
	}
	names := map[[2]string]string{} // {role, region} → name
	var regions []string
	for _, p := range who.Parties {
		if p.Region != "" && names[[2]string{RoleSignatory, p.Region}] == "" {
			names[[2]string{RoleSignatory, p.Region}] = cmp.Or(p.Name, p.Region)
			regions = append(regions, p.Region)
		}
	}
	for _, w := range who.Witnesses {
		names[[2]string{RoleWitness, w.Region}] = cmp.Or(w.Office, w.Region)
	}
	if len(regions) == 0 {
		return Report{}, fmt.Errorf("%w: the agreement names no party with a region code", ErrVerify)
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
	type statusAt struct {
		index int64
		e     *StatusChange
	}
	var statuses []statusAt
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
			if names[[2]string{e.Role, e.Party}] == "" {
				return Report{}, fmt.Errorf("%w: signature entry %d: the agreement does not name %s as %s", ErrVerify, be.Index, e.Party, e.Role)
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
			statuses = append(statuses, statusAt{be.Index, e})
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
		Stage: b.Stage, StatusIndex: -1,
	}
	failed := 0
	for _, s := range sigs {
		k := keys[s.e.KeyID]
		sr := SignatureReport{
			Index: s.index, Party: s.e.Party, Name: names[[2]string{s.e.Role, s.e.Party}], Role: s.e.Role, Stage: s.e.Stage,
			KeyID: s.e.KeyID, KeyIndex: k.regIndex, RevokedIndex: -1,
		}
		if len(k.revoked) > 0 {
			sr.RevokedIndex = k.revoked[0]
		}
		sr.Problem = checkSignature(av, s.index, s.e, k.reg, k.regIndex, sr.RevokedIndex)
		if k.reg != nil {
			sr.HolderOffice, sr.ApprovedBy = k.reg.HolderOffice, k.reg.ApprovedBy
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

	// The status changes must run without a gap from draft: a change left
	// out shows as a change whose "from" is not the status before it.
	status := StatusDraft
	for _, sc := range statuses {
		if sc.e.From != status {
			return rep, fmt.Errorf("%w: status change %d moves from %s, but the version was %s: a status change is missing",
				ErrIncomplete, sc.index, sc.e.From, status)
		}
		status, rep.Status, rep.StatusIndex = sc.e.To, sc.e.To, sc.index
	}
	var missing []string
	for _, st := range Stages[:slices.Index(Stages, b.Stage)+1] {
		sr := StageReport{Stage: st, SignedIndex: -1}
		opened := int64(-1) // the change into the signing status
		for i, sc := range statuses {
			if sc.e.From == stageStatus[st].signing && sc.e.To == stageStatus[st].signed {
				sr.SignedIndex, opened = sc.index, statuses[i-1].index
				break
			}
		}
		for _, s := range rep.Signatures {
			if s.Stage == st && sr.SignedIndex >= 0 && (s.Index < opened || s.Index > sr.SignedIndex) {
				return rep, fmt.Errorf("%w: signature %d of %s was logged outside the %s stage (log %d to %d)",
					ErrVerify, s.Index, s.Party, strings.ToUpper(st), opened, sr.SignedIndex)
			}
		}
		if sr.SignedIndex < 0 {
			missing = append(missing, "no status change to "+stageStatus[st].signed)
		}
		for _, r := range regions {
			i := slices.IndexFunc(rep.Signatures, func(s SignatureReport) bool {
				return s.Party == r && s.Role == RoleSignatory && s.Stage == st && s.Valid
			})
			if i >= 0 {
				sr.Signatories = append(sr.Signatories, rep.Signatures[i])
				continue
			}
			who := r + " " + names[[2]string{RoleSignatory, r}]
			sr.Missing = append(sr.Missing, who)
			missing = append(missing, fmt.Sprintf("%s has no valid %s signature", who, strings.ToUpper(st)))
		}
		rep.Stages = append(rep.Stages, sr)
	}
	if len(missing) > 0 {
		return rep, fmt.Errorf("%w: %s not proved: %s", ErrIncomplete, strings.ToUpper(b.Stage), strings.Join(missing, "; "))
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
