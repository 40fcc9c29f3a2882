package kolaborasi

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// AgreementType is the legal type of a regional cooperation (PP 28/2018,
// Permendagri 22/2020).
type AgreementType string

// The agreement types.
const (
	// KSDDWajib is compulsory cooperation between bordering regions.
	KSDDWajib AgreementType = "ksdd-wajib"
	// KSDDSukarela is voluntary cooperation between regions.
	KSDDSukarela AgreementType = "ksdd-sukarela"
	// KSDPK is cooperation of a region with a third party.
	KSDPK AgreementType = "ksdpk"
	// Sinergi is cooperation with the central government.
	Sinergi AgreementType = "sinergi"
)

// AgreementTypes lists the agreement types in display order.
var AgreementTypes = []AgreementType{KSDDWajib, KSDDSukarela, KSDPK, Sinergi}

// Valid reports whether t is a known agreement type.
func (t AgreementType) Valid() bool { return slices.Contains(AgreementTypes, t) }

// AgreementStatus is the stage an agreement version has reached. The
// transitions between statuses are data: see app.Transitions.
type AgreementStatus string

// The agreement statuses, in procedural order.
const (
	StatusDraft         AgreementStatus = "draft"
	StatusOffered       AgreementStatus = "offered"
	StatusKSBNegotiated AgreementStatus = "ksb_negotiated"
	StatusKSBSigned     AgreementStatus = "ksb_signed"
	StatusDPRDApproved  AgreementStatus = "dprd_approved"
	StatusPKSDrafted    AgreementStatus = "pks_drafted"
	StatusPKSSigned     AgreementStatus = "pks_signed"
	StatusActive        AgreementStatus = "active"
	StatusReported      AgreementStatus = "reported"
	StatusEnded         AgreementStatus = "ended"
	StatusTerminated    AgreementStatus = "terminated"
)

// AgreementStatuses lists every status in procedural order.
var AgreementStatuses = []AgreementStatus{StatusDraft, StatusOffered, StatusKSBNegotiated, StatusKSBSigned,
	StatusDPRDApproved, StatusPKSDrafted, StatusPKSSigned, StatusActive, StatusReported, StatusEnded, StatusTerminated}

// Valid reports whether s is a known status.
func (s AgreementStatus) Valid() bool { return slices.Contains(AgreementStatuses, s) }

// AgreementContent is the legal content of an agreement version: what its
// parties sign. Its JSON form is the "content" of the signed agreement
// version (ledger package), so field names are part of the signature
// format; dates are civil dates "YYYY-MM-DD" and money is never a float.
type AgreementContent struct {
	Type      AgreementType      `json:"type"`
	Title     string             `json:"title"`
	Purpose   []string           `json:"purpose"`
	Parties   []AgreementParty   `json:"parties"`
	Witnesses []AgreementWitness `json:"witnesses"`
	// Scope lists the sectors of cooperation ("Smart City", "E-Government").
	Scope     []string       `json:"scope"`
	Exchanges []ExchangeItem `json:"exchanges"`
	Financing []Funding      `json:"financing"`
	// Place is the town of signing; Venue the building.
	Place string `json:"place"`
	Venue string `json:"venue"`
	// SignDate, StartDate and EndDate are civil dates ("2017-03-08").
	SignDate  string `json:"sign_date"`
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	// BurdensCommunity answers "does the cooperation burden the community
	// or the region?"; BudgetedInAPBD "is it budgeted in this year's APBD?".
	BurdensCommunity bool `json:"burdens_community"`
	BudgetedInAPBD   bool `json:"budgeted_in_apbd"`
}

// DPRDApprovalNeeded reports whether the cooperation needs the approval of
// the parties' DPRD: when it burdens the community or the region, or is not
// budgeted in the current APBD.
func (c *AgreementContent) DPRDApprovalNeeded() bool {
	return c.BurdensCommunity || !c.BudgetedInAPBD
}

// RegionCodes returns the region codes of the parties, in order, leaving
// out third parties.
func (c *AgreementContent) RegionCodes() []string {
	var out []string
	for _, p := range c.Parties {
		if p.Region != "" {
			out = append(out, p.Region)
		}
	}
	return out
}

// AgreementParty is one party: an autonomous region, or (for KSDPK only) a
// named third party.
type AgreementParty struct {
	// Region is the party's region code; empty for a third party.
	Region string `json:"region,omitempty"`
	// ThirdParty names a company, university or organisation (KSDPK).
	ThirdParty string `json:"third_party,omitempty"`
	// Name is the party as written in the document ("Pemerintah Kota Blitar").
	Name string `json:"name"`
	// Office is the signatory's office ("Wali Kota Blitar").
	Office string `json:"office"`
	// Number is the party's number of the document; optional while drafting.
	Number string `json:"number,omitempty"`
}

// AgreementWitness is a witness (saksi): a region's office.
type AgreementWitness struct {
	Region string `json:"region"`
	Office string `json:"office"`
}

// ExchangeItem is what one party gives to others: a solution of the
// catalogue or a programme described in words, under terms.
type ExchangeItem struct {
	// Giver and Receivers are indexes into Parties.
	Giver     int   `json:"giver"`
	Receivers []int `json:"receivers"`
	// SolutionID references a catalogue solution; 0 when none. It is not a
	// foreign key: the signed content keeps it even if the solution goes.
	SolutionID int64 `json:"solution_id,omitempty"`
	// Programme describes what is given in words.
	Programme string `json:"programme"`
	// Terms are the conditions: ExchangeTerms values.
	Terms []string `json:"terms"`
}

// ExchangeTerms are the known terms of an exchange item.
var ExchangeTerms = []string{"hibah", "training", "hosting", "source-code", "mentoring", "study-visit"}

// Funding is one party's source of funds.
type Funding struct {
	// Party is an index into Parties.
	Party int `json:"party"`
	// Source is "apbd" or "other".
	Source string `json:"source"`
	// Detail describes the source in words; required for "other".
	Detail string `json:"detail,omitempty"`
}

// AttachmentKind classifies an agreement attachment.
type AttachmentKind string

// Attachment kinds.
const (
	AttachKAK           AttachmentKind = "kak"
	AttachOffer         AttachmentKind = "surat_penawaran"
	AttachSuratKuasa    AttachmentKind = "surat_kuasa"
	AttachDPRDApproval  AttachmentKind = "dprd_approval"
	AttachReport        AttachmentKind = "report"
	AttachOtherDocument AttachmentKind = "other"
)

// AttachmentKinds lists the attachment kinds.
var AttachmentKinds = []AttachmentKind{AttachKAK, AttachOffer, AttachSuratKuasa, AttachDPRDApproval, AttachReport, AttachOtherDocument}

// Valid reports whether k is a known attachment kind.
func (k AttachmentKind) Valid() bool { return slices.Contains(AttachmentKinds, k) }

// AgreementAttachment is a PDF attached to an agreement version, stored in
// the files table by its SHA-256.
type AgreementAttachment struct {
	Name   string         `json:"name"`
	Kind   AttachmentKind `json:"kind"`
	SHA256 string         `json:"sha256"`
	Size   int64          `json:"size"`
	// Party is the region the attachment belongs to ("" for all parties).
	Party string `json:"party,omitempty"`
	// Signed is true when the attachment was added before the version's
	// first signature: its hash is then part of what every party signs.
	Signed     bool      `json:"signed"`
	UploadedBy int64     `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// AgreementSignature is one party's accepted signature of a version.
type AgreementSignature struct {
	Stage string `json:"stage"` // "ksb" or "pks"
	Party string `json:"party"`
	Role  string `json:"role"` // "signatory" or "witness"
	KeyID string `json:"key_id"`
	// Signature is the 64-byte Ed25519 signature.
	Signature []byte `json:"signature"`
	// MandateSHA256 is the surat kuasa attachment under which an OPD head
	// signed; empty when the head of region signed.
	MandateSHA256 string    `json:"mandate_sha256,omitempty"`
	SignerID      int64     `json:"signer_id"`
	SignedAt      time.Time `json:"signed_at"`
	LogIndex      int64     `json:"log_index"`
}

// Agreement is one version of a cooperation agreement with its state.
type Agreement struct {
	ID      int64            `json:"id"`
	Version int64            `json:"version"`
	Status  AgreementStatus  `json:"status"`
	Content AgreementContent `json:"content"`
	// Frozen is set by the version's first signature; a frozen version's
	// content never changes again (an addendum makes a new version).
	Frozen bool `json:"frozen"`
	// ReportDue is when the next implementation report is due; zero when
	// none is.
	ReportDue   time.Time             `json:"report_due,omitzero"`
	CreatedBy   int64                 `json:"created_by"`
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"updated_at"`
	Attachments []AgreementAttachment `json:"attachments"`
	Signatures  []AgreementSignature  `json:"signatures"`
	// Announced, on a draft version (an addendum), shows the public that it
	// is in preparation: readers of the signed version see a note. The
	// parties choose; it is off by default.
	Announced bool `json:"announced,omitempty"`
	// AddendumInPreparation is, on a version read by someone who may not
	// see drafts, the number of the newer draft version the parties
	// announced; 0 when there is none or it is not announced.
	AddendumInPreparation int64 `json:"addendum_in_preparation,omitempty"`
	// Newest describes the agreement's newest versions as stored, for the
	// app to decide what a reader sees. It is not part of the API.
	Newest AgreementNewest `json:"-"`
}

// MarshalJSON writes an agreement with its empty lists as [], never null.
func (a Agreement) MarshalJSON() ([]byte, error) {
	type plain Agreement
	p := plain(a)
	if p.Attachments == nil {
		p.Attachments = []AgreementAttachment{}
	}
	if p.Signatures == nil {
		p.Signatures = []AgreementSignature{}
	}
	return json.Marshal(p)
}

// AgreementNewest describes an agreement's newest versions.
type AgreementNewest struct {
	// Version is the newest version, a draft or not.
	Version int64
	// Public is the newest version that is not a draft (0: none).
	Public int64
	// Announced is the newest version's Announced.
	Announced bool
}

// VersionRef names one version of an agreement.
type VersionRef struct {
	ID      int64
	Version int64
}

// AgreementEvent records a status change of a version.
type AgreementEvent struct {
	AgreementID int64           `json:"agreement_id"`
	Version     int64           `json:"version"`
	From        AgreementStatus `json:"from"`
	To          AgreementStatus `json:"to"`
	At          time.Time       `json:"at"`
	ActorID     int64           `json:"actor_id"`
	ActorRole   string          `json:"actor_role"`
	// Region is the party the actor acted for.
	Region   string `json:"region"`
	LogIndex int64  `json:"log_index"`
}

// AgreementFilter selects agreements, newest first: of each, its latest
// version, or without IncludeDrafts its latest version that is not a draft.
// Zero fields do not filter.
type AgreementFilter struct {
	Region string
	Type   AgreementType
	Status AgreementStatus
	// Sector matches one scope entry exactly.
	Sector string
	// Year is the year of the signing date.
	Year int
	// IncludeDrafts selects each agreement's latest version even when it
	// is a draft; without it, the latest version that is not a draft (a
	// signed agreement with a draft addendum stays listed as signed).
	IncludeDrafts bool
	// Before is the ID below which the page starts (keyset pagination).
	Before int64
	Limit  int
}

// KeyStatus is the state of a signing key.
type KeyStatus string

// Signing key states.
const (
	KeyPending  KeyStatus = "pending"
	KeyActive   KeyStatus = "active"
	KeyRejected KeyStatus = "rejected"
	KeyRevoked  KeyStatus = "revoked"
)

// SigningKey is a signatory's Ed25519 public key. Only the public key is
// ever stored; the private key stays in the signer's browser or file.
type SigningKey struct {
	KeyID     string    `json:"key_id"`
	PublicKey []byte    `json:"public_key"`
	Region    string    `json:"region"`
	UserID    int64     `json:"user_id"`
	Office    string    `json:"office"`
	Status    KeyStatus `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	// DecidedBy and DecidedAt record the region admin's approval or
	// rejection.
	DecidedBy   int64     `json:"decided_by,omitempty"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
	RegLogIndex int64     `json:"reg_log_index"`
	RevokedAt   time.Time `json:"revoked_at,omitzero"`
	// RevokeLogIndex is the log index of the revocation, -1 when none.
	RevokeLogIndex int64  `json:"revoke_log_index"`
	RevokeReason   string `json:"revoke_reason,omitempty"`
}

// SigningKeyFilter selects signing keys.
type SigningKeyFilter struct {
	Region string
	UserID int64
	Status KeyStatus
}

// AgreementStore persists agreements, their versions, attachments,
// signatures, status events and the signatories' public keys.
type AgreementStore interface {
	// CreateAgreement stores a new agreement with its first version
	// (a.Version must be 1) and sets a.ID.
	CreateAgreement(ctx context.Context, a *Agreement) error
	// CreateAgreementVersion stores a further version of an agreement.
	CreateAgreementVersion(ctx context.Context, a *Agreement) error
	// UpdateAgreementContent replaces the content of a version that is not
	// frozen; a frozen version is a conflict.
	//
	// readAt, when not zero, is the UpdatedAt the editor read: the update
	// happens only if the version still has it, so two concurrent saves
	// cannot both succeed.
	UpdateAgreementContent(ctx context.Context, a *Agreement, readAt time.Time) error
	// SetAgreementStatus moves a version from one status to another, a
	// conflict when it is no longer in from. It also sets ReportDue.
	SetAgreementStatus(ctx context.Context, id, version int64, from, to AgreementStatus, reportDue, at time.Time) error
	// FindAgreement returns a version with attachments and signatures;
	// version 0 means the latest.
	FindAgreement(ctx context.Context, id, version int64) (*Agreement, error)
	// SetAgreementAnnounced sets Announced on a version in status draft; a
	// conflict when the version is not a draft.
	SetAgreementAnnounced(ctx context.Context, id, version int64, on bool) error
	// FindAgreements returns the versions the filter selects (see
	// AgreementFilter) that match it, newest agreement first, without
	// attachments and signatures.
	FindAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, error)
	// CountAgreements counts the public agreements, each at its newest
	// version that is not a draft (what FindAgreements lists without
	// drafts), in one read rather than a walk of every page.
	CountAgreements(ctx context.Context) (*AgreementTotals, error)
	// AddAgreementAttachment attaches a stored file to a version; a name
	// used twice in a version is a conflict.
	// FindAttachmentVersions returns the agreement versions that hold the
	// file with the SHA-256 as an attachment.
	FindAttachmentVersions(ctx context.Context, sha256 string) ([]VersionRef, error)
	AddAgreementAttachment(ctx context.Context, id, version int64, att *AgreementAttachment) error
	// CreateAgreementSignature records a signature and freezes the version;
	// a second signature of one party, role and stage is a conflict.
	CreateAgreementSignature(ctx context.Context, id, version int64, s *AgreementSignature) error
	// CreateAgreementEvent records a status change.
	CreateAgreementEvent(ctx context.Context, e *AgreementEvent) error
	// FindAgreementEvents returns the events of an agreement (all versions)
	// in order.
	FindAgreementEvents(ctx context.Context, id int64) ([]*AgreementEvent, error)

	// CreateSigningKey stores a pending key; a key ID used before is a
	// conflict.
	CreateSigningKey(ctx context.Context, k *SigningKey) error
	// FindSigningKey returns the key or not_found.
	FindSigningKey(ctx context.Context, keyID string) (*SigningKey, error)
	// FindSigningKeys returns keys matching the filter, oldest first.
	FindSigningKeys(ctx context.Context, f SigningKeyFilter) ([]*SigningKey, error)
	// UpdateSigningKey stores the status, decision and revocation fields.
	UpdateSigningKey(ctx context.Context, k *SigningKey) error
}

// AgreementTotals counts the public agreements: each at its newest version
// that is not a draft.
type AgreementTotals struct {
	// ByStatus counts them by the status of that version.
	ByStatus map[AgreementStatus]int
	// Regions are the region codes of that version's parties (witnesses
	// not included), each once, in order.
	Regions []string
}

// LogRecord is one record of the public log with what the store indexes
// it by.
type LogRecord struct {
	Index int64
	Type  string
	// AgreementID and Version are set for signatures and status changes.
	AgreementID string
	Version     int64
	// KeyID is set for key registrations, revocations and signatures.
	KeyID string
	// Data is the record's canonical bytes.
	Data []byte
}

// LogAppend is one batch appended to the public log, with its new stored
// Merkle hashes and the signed checkpoint of the new size.
type LogAppend struct {
	// OldSize is the size the batch was computed against; the append is a
	// conflict if the log has another size.
	OldSize    int64
	Records    []LogRecord
	HashIndex  int64
	Hashes     [][32]byte
	Size       int64
	Checkpoint []byte
	At         time.Time
}

// LogStore persists the public log: records, the stored hashes of its
// Merkle tree (golang.org/x/mod/sumdb/tlog layout), signed checkpoints and
// the log's note key, always in the same transaction as the business rows
// the records are about.
type LogStore interface {
	// LockLog takes the log's write lock for the current transaction and
	// returns the log size.
	LockLog(ctx context.Context) (int64, error)
	// AppendLog writes a batch; see LogAppend.
	AppendLog(ctx context.Context, b *LogAppend) error
	// ReadLogHashes returns the stored hashes at the indexes, in order.
	ReadLogHashes(ctx context.Context, indexes []int64) ([][32]byte, error)
	// LatestCheckpoint returns the newest signed checkpoint and its size
	// (nil and 0 for an empty log).
	LatestCheckpoint(ctx context.Context) ([]byte, int64, error)
	// FindLogRecords returns the records with indexes in [start, end).
	FindLogRecords(ctx context.Context, start, end int64) ([]*LogRecord, error)
	// FindAgreementLogRecords returns, in index order below size, the
	// records of an agreement version and the key records of keyIDs.
	FindAgreementLogRecords(ctx context.Context, agreementID string, version int64, keyIDs []string, size int64) ([]*LogRecord, error)
	// LogKey returns the log's verifier key and, for a database made before
	// the signing key moved to a key file, the note signing key ("" once
	// ClearLogSigner ran); not_found when the log has no key yet.
	LogKey(ctx context.Context) (signer, verifier string, err error)
	// InitLogKey stores the log's verifier key unless one is stored
	// already, in which case it does nothing. The signing key is never
	// stored.
	InitLogKey(ctx context.Context, verifier string) error
	// ClearLogSigner erases a signing key stored by an older version, so
	// that it cannot be read back from the database file either.
	ClearLogSigner(ctx context.Context) error
}
