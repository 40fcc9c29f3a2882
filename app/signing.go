package app

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/document"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// RequestSigningKey registers the acting signatory's Ed25519 public key for
// its region, pending the region admin's approval. Only the public key ever
// reaches the server. office is the holder's office as it will appear in the
// public log; empty means the region's head of region title.
func (a *App) RequestSigningKey(ctx context.Context, pub ed25519.PublicKey, office string) (*kolaborasi.SigningKey, error) {
	region := actingRegion(ctx)
	if len(pub) != ed25519.PublicKeySize {
		return nil, errInvalid("The public key is not an Ed25519 key.", map[string]string{"public_key": "must be a 32-byte Ed25519 public key"})
	}
	if !cleanText(&office, 200) {
		return nil, errInvalid("The office is too long.", map[string]string{"office": "is at most 200 characters"})
	}
	var k *kolaborasi.SigningKey
	err := a.change(ctx, ActSigningKeyRequest, region, func(tx kolaborasi.Store) (string, string, error) {
		var name string
		if msg := a.checkAgreementRegion(ctx, tx, region, &name, &office, true); msg != "" {
			return "", "", errInvalid("Your region cannot sign agreements.", map[string]string{"region": msg})
		}
		k = &kolaborasi.SigningKey{KeyID: ledger.KeyID(pub), PublicKey: pub, Region: region, UserID: kolaborasi.UserFrom(ctx).ID,
			Office: office, Status: kolaborasi.KeyPending, CreatedAt: a.now(), RegLogIndex: -1, RevokeLogIndex: -1}
		if err := tx.CreateSigningKey(ctx, k); err != nil {
			return "", "", err
		}
		return "signing_key:" + k.KeyID, "requested key " + k.KeyID + " for " + office, nil
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// decideKey loads a key and runs fn as the acting admin of the key's region.
func (a *App) decideKey(ctx context.Context, keyID string, fn func(tx kolaborasi.Store, k *kolaborasi.SigningKey, u *kolaborasi.User) (string, error)) error {
	k, err := a.store.FindSigningKey(ctx, keyID)
	if err != nil {
		return err
	}
	return a.changeAgreement(ctx, ActSigningKeyDecide, k.Region, func(tx kolaborasi.Store) (string, string, error) {
		k, err := tx.FindSigningKey(ctx, keyID)
		if err != nil {
			return "", "", err
		}
		summary, err := fn(tx, k, kolaborasi.UserFrom(ctx))
		if err != nil {
			return "", "", err
		}
		return "signing_key:" + keyID, summary, tx.UpdateSigningKey(ctx, k)
	})
}

// ApproveSigningKey approves a pending key as an admin of its region or a
// platform admin, under the four-eyes rule (checkFourEyes). The
// registration, naming the approver, is appended to the public log, so a
// key swapped in by anyone shows up there.
func (a *App) ApproveSigningKey(ctx context.Context, keyID string) error {
	return a.decideKey(ctx, keyID, func(tx kolaborasi.Store, k *kolaborasi.SigningKey, u *kolaborasi.User) (string, error) {
		if k.Status != kolaborasi.KeyPending {
			return "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The key is %s, not pending.", k.Status)
		}
		if err := checkFourEyes(ctx, tx, k, u); err != nil {
			return "", err
		}
		idx, err := a.appendLog(ctx, tx, &ledger.KeyRegistered{Region: k.Region, KeyID: k.KeyID, PublicKey: k.PublicKey,
			HolderOffice: k.Office, ApprovedBy: approverText(u)})
		if err != nil {
			return "", err
		}
		k.Status, k.DecidedBy, k.DecidedAt, k.RegLogIndex = kolaborasi.KeyActive, u.ID, a.now(), idx
		return fmt.Sprintf("approved key %s (log %d)", k.KeyID, idx), nil
	})
}

// checkFourEyes refuses an approval of k by u that one person could bring
// about alone: u may not hold the key, nor have invited, last changed or
// issued a reset link to the holder's account (any of which lets u choose
// who is behind it); and a region admin approves only where the region has
// another active admin; in a region with one admin a platform admin does.
// Where the account's history is not recorded, only a platform admin may.
func checkFourEyes(ctx context.Context, tx kolaborasi.Store, k *kolaborasi.SigningKey, u *kolaborasi.User) error {
	holder, err := tx.FindUser(ctx, k.UserID)
	if err != nil {
		return err
	}
	platform := u.Has(kolaborasi.RoleAdmin)
	switch {
	case holder.ID == u.ID:
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "You cannot approve your own signing key; another administrator must.")
	case holder.AccessChangedBy == u.ID:
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN,
			"You invited or last changed the account of %s, so another region administrator or a platform administrator must approve its key.", holder.Name)
	case holder.AccessChangedBy == kolaborasi.UnknownUser && !platform:
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN,
			"It is not recorded who set up the account of %s, so a platform administrator must approve its key.", holder.Name)
	case platform:
		return nil
	}
	admins, err := tx.FindUsers(ctx, kolaborasi.UserFilter{RegionCode: k.Region, Role: kolaborasi.RoleRegionAdmin})
	if err != nil {
		return err
	}
	active := 0
	for _, ad := range admins {
		if ad.Status == kolaborasi.UserActive {
			active++
		}
	}
	if active < 2 {
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN,
			"Region %s has only one administrator, so a platform administrator must approve signing keys.", k.Region)
	}
	return nil
}

// approverText names the approver of a key in the public log, with the
// capacity in which they approved.
func approverText(u *kolaborasi.User) string {
	if u.Has(kolaborasi.RoleAdmin) {
		return u.Name + " (platform administrator)"
	}
	return fmt.Sprintf("%s (region administrator, %s)", u.Name, u.RegionCode)
}

// RejectSigningKey turns down a pending key; nothing is logged, as the key
// was never trusted.
func (a *App) RejectSigningKey(ctx context.Context, keyID string) error {
	return a.decideKey(ctx, keyID, func(tx kolaborasi.Store, k *kolaborasi.SigningKey, u *kolaborasi.User) (string, error) {
		if k.Status != kolaborasi.KeyPending {
			return "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The key is %s, not pending.", k.Status)
		}
		k.Status, k.DecidedBy, k.DecidedAt = kolaborasi.KeyRejected, u.ID, a.now()
		return "rejected key " + k.KeyID, nil
	})
}

// RevokeSigningKey revokes an active key as the admin of its region; the
// revocation is a public log entry and signatures made after it fail.
func (a *App) RevokeSigningKey(ctx context.Context, keyID, reason string) error {
	if !cleanText(&reason, 300) || reason == "" {
		return errInvalid("Say why the key is revoked.", map[string]string{"reason": "is required, at most 300 characters"})
	}
	return a.decideKey(ctx, keyID, func(tx kolaborasi.Store, k *kolaborasi.SigningKey, u *kolaborasi.User) (string, error) {
		if k.Status != kolaborasi.KeyActive {
			return "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The key is %s, not active.", k.Status)
		}
		idx, err := a.appendLog(ctx, tx, &ledger.KeyRevoked{KeyID: k.KeyID, Reason: reason})
		if err != nil {
			return "", err
		}
		k.Status, k.RevokedAt, k.RevokeLogIndex, k.RevokeReason = kolaborasi.KeyRevoked, a.now(), idx, reason
		return fmt.Sprintf("revoked key %s (log %d): %s", k.KeyID, idx, reason), nil
	})
}

// SigningKeys lists the keys of a region, for its admin.
func (a *App) SigningKeys(ctx context.Context, region string) ([]*kolaborasi.SigningKey, error) {
	if _, err := a.authorize(ctx, ActSigningKeyDecide, region); err != nil {
		return nil, err
	}
	return a.store.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{Region: region})
}

// MySigningKeys lists the acting user's keys.
func (a *App) MySigningKeys(ctx context.Context) ([]*kolaborasi.SigningKey, error) {
	u, err := a.authorize(ctx, ActOwnAccount, "")
	if err != nil {
		return nil, err
	}
	return a.store.FindSigningKeys(ctx, kolaborasi.SigningKeyFilter{UserID: u.ID})
}

// signedVersion is the agreement version as signed: its ID, number, legal
// content and the hashes of the attachments added before its first
// signature.
func signedVersion(ag *kolaborasi.Agreement) (ledger.AgreementVersion, error) {
	content, err := json.Marshal(ag.Content)
	if err != nil {
		return ledger.AgreementVersion{}, fmt.Errorf("encode agreement content: %w", err)
	}
	atts := map[string]string{}
	for _, at := range ag.Attachments {
		if at.Signed {
			atts[at.Name] = at.SHA256
		}
	}
	return ledger.AgreementVersion{AgreementID: ledgerID(ag.ID), Version: ag.Version, Content: content, Attachments: atts}, nil
}

// SigningContent returns what a party's signature of an agreement version
// covers. The signer's browser or `kolaborasi sign` signs its canonical
// bytes (ledger.SignedContent.CanonicalBytes) with the private key.
func (a *App) SigningContent(ctx context.Context, id, version int64, party, role, stage, keyID string) (ledger.SignedContent, error) {
	ag, err := a.Agreement(ctx, id, version)
	if err != nil {
		return ledger.SignedContent{}, err
	}
	av, err := signedVersion(ag)
	if err != nil {
		return ledger.SignedContent{}, err
	}
	c := ledger.SignedContent{AgreementVersion: av, Party: party, Role: role, Stage: stage, KeyID: keyID}
	if _, err := c.CanonicalBytes(); err != nil {
		return ledger.SignedContent{}, errInvalid("The signing request is not valid.", map[string]string{"signed_content": err.Error()})
	}
	return c, nil
}

// SignInput is a party's signature submitted for an agreement version.
type SignInput struct {
	AgreementID int64
	Version     int64
	// Stage is "ksb" or "pks"; Role "signatory" or "witness".
	Stage, Party, Role, KeyID string
	// Signature is the Ed25519 signature of the SignedContent's canonical bytes.
	Signature []byte
	// MandateSHA256 is the surat kuasa attachment under which an OPD head
	// signs a PKS for the head of region.
	MandateSHA256 string
}

// SignAgreement verifies and records a signature by the acting signatory
// of the party's region. The signature must verify, with the signer's own
// active key registered for that region, over the version's content, party,
// role, stage and key, so it cannot be replayed onto another agreement,
// version or party. It is appended to the public log; when it is the last
// signature the stage needs, the status change follows in the same batch.
func (a *App) SignAgreement(ctx context.Context, in SignInput) (*kolaborasi.AgreementSignature, error) {
	var sig *kolaborasi.AgreementSignature
	// changeAgreement locks the log before the signatures are read, so two
	// parties signing at once cannot both miss that the stage is complete.
	err := a.changeAgreement(ctx, ActAgreementSign, in.Party, func(tx kolaborasi.Store) (string, string, error) {
		u := kolaborasi.UserFrom(ctx)
		ag, err := tx.FindAgreement(ctx, in.AgreementID, 0)
		if err != nil {
			return "", "", err
		}
		if ag.Version != in.Version {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "Version %d is not the agreement's current version %d.", in.Version, ag.Version)
		}
		stage, ok := signingStage[ag.Status]
		if !ok || stage != in.Stage {
			return "", "", kolaborasi.Errorf(kolaborasi.ECONFLICT, "The agreement is %s; it cannot be signed at stage %q now.", ag.Status, in.Stage)
		}
		switch in.Role {
		case ledger.RoleSignatory:
			if !isParty(&ag.Content, in.Party) {
				return "", "", kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Region %s is not a party to this agreement.", in.Party)
			}
		case ledger.RoleWitness:
			isWitness := slices.ContainsFunc(ag.Content.Witnesses, func(w kolaborasi.AgreementWitness) bool { return w.Region == in.Party })
			if !isWitness || in.Stage != ledger.StageKSB {
				return "", "", kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Region %s does not witness this agreement's KSB.", in.Party)
			}
		default:
			return "", "", errInvalid("Unknown signing role.", map[string]string{"role": "must be signatory or witness"})
		}
		if err := checkMandate(ag, u, in); err != nil {
			return "", "", err
		}
		k, err := tx.FindSigningKey(ctx, in.KeyID)
		if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
			return "", "", errInvalid("Unknown signing key.", map[string]string{"key_id": "is not a registered key"})
		} else if err != nil {
			return "", "", err
		}
		switch {
		case k.Status != kolaborasi.KeyActive:
			return "", "", errInvalid("The signing key is "+string(k.Status)+".", map[string]string{"key_id": "is " + string(k.Status)})
		case k.Region != in.Party || k.UserID != u.ID:
			return "", "", kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Key %s is not yours for region %s.", k.KeyID, in.Party)
		}
		av, err := signedVersion(ag)
		if err != nil {
			return "", "", err
		}
		sc := ledger.SignedContent{AgreementVersion: av, Party: in.Party, Role: in.Role, Stage: in.Stage, KeyID: k.KeyID}
		if err := ledger.Verify(k.PublicKey, sc, in.Signature); err != nil {
			return "", "", errInvalid("The signature does not verify for this agreement version, party, role and stage.",
				map[string]string{"signature": "does not verify"})
		}
		hash, err := av.ContentHash()
		if err != nil {
			return "", "", err
		}
		entries := []ledger.Entry{&ledger.SignatureEntry{AgreementID: av.AgreementID, Version: av.Version, Stage: in.Stage,
			Party: in.Party, Role: in.Role, KeyID: k.KeyID, Signature: in.Signature, ContentHash: hash}}
		complete := in.Role == ledger.RoleSignatory && stageComplete(ag, in.Stage, in.Party)
		var next kolaborasi.AgreementStatus
		now := a.now()
		if complete {
			i := slices.IndexFunc(Transitions, func(t Transition) bool { return t.From == ag.Status && t.By == "" })
			next = Transitions[i].To
			entries = append(entries, &ledger.StatusChange{AgreementID: av.AgreementID, Version: av.Version,
				From: string(ag.Status), To: string(next), ActorRole: string(kolaborasi.RoleSignatory), Time: now})
		}
		idx, err := a.appendLog(ctx, tx, entries...)
		if err != nil {
			return "", "", err
		}
		sig = &kolaborasi.AgreementSignature{Stage: in.Stage, Party: in.Party, Role: in.Role, KeyID: k.KeyID, Signature: in.Signature,
			MandateSHA256: in.MandateSHA256, SignerID: u.ID, SignedAt: now, LogIndex: idx}
		if err := tx.CreateAgreementSignature(ctx, ag.ID, ag.Version, sig); err != nil {
			return "", "", err
		}
		summary := fmt.Sprintf("%s signed %s as %s with key %s (log %d)", in.Party, in.Stage, in.Role, k.KeyID, idx)
		if complete {
			if err := tx.SetAgreementStatus(ctx, ag.ID, ag.Version, ag.Status, next, time.Time{}, now); err != nil {
				return "", "", err
			}
			if err := a.recordEvent(ctx, tx, ag, next, string(kolaborasi.RoleSignatory), in.Party, idx+1); err != nil {
				return "", "", err
			}
			summary += fmt.Sprintf("; status %s → %s", ag.Status, next)
		}
		return fmt.Sprintf("agreement:%d/%d", ag.ID, ag.Version), summary, nil
	})
	if err != nil {
		return nil, err
	}
	return sig, nil
}

// checkMandate enforces who signs: the head of region (a signatory without
// an OPD) signs either stage; an OPD head holding a signatory role signs
// only a PKS, under a surat kuasa attachment of its region on the version.
func checkMandate(ag *kolaborasi.Agreement, u *kolaborasi.User, in SignInput) error {
	if u.OPDID == 0 {
		if in.MandateSHA256 != "" {
			return errInvalid("The head of region signs without a surat kuasa.", map[string]string{"mandate_sha256": "must be empty"})
		}
		return nil
	}
	if in.Stage != ledger.StagePKS || in.Role != ledger.RoleSignatory {
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Only the head of region signs a KSB or as a witness; an OPD head may sign a PKS under a surat kuasa.")
	}
	ok := slices.ContainsFunc(ag.Attachments, func(at kolaborasi.AgreementAttachment) bool {
		return at.Kind == kolaborasi.AttachSuratKuasa && at.Party == in.Party && at.SHA256 == in.MandateSHA256
	})
	if !ok {
		return errInvalid("Attach the surat kuasa under which you sign, then name it.",
			map[string]string{"mandate_sha256": "must be a surat kuasa attached to this version by your region"})
	}
	return nil
}

// stageComplete reports whether party's signature completes the signatory
// signatures of every region party at stage. Third parties sign on paper.
func stageComplete(ag *kolaborasi.Agreement, stage, party string) bool {
	for _, r := range ag.Content.RegionCodes() {
		if r == party {
			continue
		}
		if !slices.ContainsFunc(ag.Signatures, func(s kolaborasi.AgreementSignature) bool {
			return s.Stage == stage && s.Party == r && s.Role == ledger.RoleSignatory
		}) {
			return false
		}
	}
	return true
}

// AgreementBundle returns the verification bundle of an agreement version
// (ledger bundle format): the signed version, its signatures, the signers'
// key registrations and revocations and its status changes, each with an
// inclusion proof in the latest checkpoint. It claims the last stage the
// version completed (the KSB while none is: such a bundle then fails as
// incomplete). `kolaborasi verify` and the browser check it offline.
//
// Version 0 is the newest version the reader may see that has signatures:
// while an addendum is drafted or negotiated, the signed version's bundle.
func (a *App) AgreementBundle(ctx context.Context, id, version int64) ([]byte, error) {
	ag, err := a.Agreement(ctx, id, version)
	if err != nil {
		return nil, err
	}
	for version == 0 && len(ag.Signatures) == 0 && ag.Version > 1 {
		if ag, err = a.Agreement(ctx, id, ag.Version-1); err != nil {
			return nil, err
		}
	}
	if len(ag.Signatures) == 0 {
		return nil, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Version %d of agreement %d has no signatures yet.", ag.Version, id)
	}
	av, err := signedVersion(ag)
	if err != nil {
		return nil, err
	}
	cp, size, err := a.LogCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	vkey, err := a.LogVerifierKey(ctx)
	if err != nil {
		return nil, err
	}
	verifier, err := ledger.NewLogVerifier(vkey)
	if err != nil {
		return nil, err
	}
	var keyIDs []string
	for _, s := range ag.Signatures {
		if !slices.Contains(keyIDs, s.KeyID) {
			keyIDs = append(keyIDs, s.KeyID)
		}
	}
	recs, err := a.store.FindAgreementLogRecords(ctx, av.AgreementID, av.Version, keyIDs, size)
	if err != nil {
		return nil, err
	}
	entries := make([]ledger.LoggedEntry, len(recs))
	for i, r := range recs {
		e, err := ledger.ParseEntry(r.Data)
		if err != nil {
			return nil, fmt.Errorf("log entry %d: %w", r.Index, err)
		}
		entries[i] = ledger.LoggedEntry{Index: r.Index, Entry: e}
	}
	return ledger.BuildBundle(ctx, hashStore{a.store}, cp, verifier, av, ledger.CompletedStage(entries), entries)
}

// documentTypes maps agreement types to the document's.
var documentTypes = map[kolaborasi.AgreementType]document.Type{
	kolaborasi.KSDDWajib:    document.TypeKSDDWajib,
	kolaborasi.KSDDSukarela: document.TypeKSDDSukarela,
	kolaborasi.KSDPK:        document.TypeKSDPK,
	kolaborasi.Sinergi:      document.TypeSinergi,
}

// AgreementDocument renders the KSB or PKS of an agreement version as a PDF
// in the formal Indonesian layout, with a QR code to the public
// verification page of that very version, baseURL + "/kerjasama/{id}?versi=N",
// which stays reachable whatever versions follow.
func (a *App) AgreementDocument(ctx context.Context, id, version int64, kind document.Kind, baseURL string) ([]byte, error) {
	ag, err := a.Agreement(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if kind != document.KindKSB && kind != document.KindPKS {
		return nil, errInvalid("Choose KSB or PKS.", map[string]string{"kind": "must be KSB or PKS"})
	}
	d, err := toDocument(ag, kind)
	if err != nil {
		return nil, err
	}
	if err := a.nameDocument(ctx, ag, &d); err != nil {
		return nil, err
	}
	if baseURL != "" {
		d.VerifyURL = strings.TrimSuffix(baseURL, "/") + "/kerjasama/" + ledgerID(ag.ID) + "?versi=" + strconv.FormatInt(ag.Version, 10)
	}
	pdf, err := document.Render(d)
	if ve, ok := err.(document.ValidationError); ok {
		f := map[string]string{}
		for _, fe := range ve {
			f[fe.Field] = fe.Message
		}
		return nil, errInvalid("The agreement cannot be printed yet.", f)
	}
	return pdf, err
}

// nameDocument completes d with what the agreement's content only refers
// to: each signatory's name (the signing account's display name, an office
// such as "Wali Kota Blitar" in the demo, never an ID number) and the names
// of catalogue solutions exchanged. A solution that no longer exists keeps
// its number.
func (a *App) nameDocument(ctx context.Context, ag *kolaborasi.Agreement, d *document.Agreement) error {
	for i := range d.Parties {
		if sig := partySignature(ag, i, d.Kind); sig != nil && sig.SignerID != 0 {
			u, err := a.store.FindUser(ctx, sig.SignerID)
			switch kolaborasi.ErrorCode(err) {
			case "":
				d.Parties[i].Name = u.Name
			case kolaborasi.ENOTFOUND:
			default:
				return err
			}
		}
	}
	var k int
	for _, x := range ag.Content.Exchanges {
		name := ""
		if x.Programme == "" && x.SolutionID != 0 {
			sol, err := a.store.FindSolution(ctx, x.SolutionID)
			switch kolaborasi.ErrorCode(err) {
			case "":
				name = sol.Name.Get("id")
			case kolaborasi.ENOTFOUND:
			default:
				return err
			}
		}
		for range x.Receivers {
			if name != "" {
				d.Exchanges[k].What = "solusi katalog Kolaborasi “" + name + "”"
			}
			k++
		}
	}
	return nil
}

// partySignature returns the signatory's signature of party i at the
// document's stage, or nil.
func partySignature(ag *kolaborasi.Agreement, i int, kind document.Kind) *kolaborasi.AgreementSignature {
	p := ag.Content.Parties[i]
	stage := strings.ToLower(string(kind))
	for j, s := range ag.Signatures {
		if s.Party == p.Region && p.Region != "" && s.Stage == stage && s.Role == ledger.RoleSignatory {
			return &ag.Signatures[j]
		}
	}
	return nil
}

// signedStatus is the status from which a document of each kind is
// signed: before it, the document is a draft and printed as one.
var signedStatus = map[document.Kind]kolaborasi.AgreementStatus{
	document.KindKSB: kolaborasi.StatusKSBSigned,
	document.KindPKS: kolaborasi.StatusPKSSigned,
}

// toDocument maps an agreement version onto the document model.
func toDocument(ag *kolaborasi.Agreement, kind document.Kind) (document.Agreement, error) {
	c := &ag.Content
	date, err := parseDate(c.SignDate)
	if err != nil {
		return document.Agreement{}, errInvalid("Set the signing date first.", map[string]string{"sign_date": "is required"})
	}
	d := document.Agreement{Kind: kind, Type: documentTypes[c.Type], Title: c.Title, Purpose: c.Purpose, Scope: c.Scope,
		Place: c.Place, Venue: c.Venue, Date: date,
		Draft: slices.Index(kolaborasi.AgreementStatuses, ag.Status) < slices.Index(kolaborasi.AgreementStatuses, signedStatus[kind])}
	var numbers []string
	for i, p := range c.Parties {
		dp := document.Party{Region: p.Name, Office: p.Office, Number: p.Number}
		// A number not known yet is left blank for the parties to fill in.
		numbers = append(numbers, cmp.Or(p.Number, "...................."))
		if s := partySignature(ag, i, kind); s != nil {
			dp.Signature = &document.Signature{SignedAt: s.SignedAt, KeyID: s.KeyID}
			for _, at := range ag.Attachments {
				if s.MandateSHA256 != "" && at.SHA256 == s.MandateSHA256 {
					dp.Mandate = &document.Mandate{Grantor: p.Office, Number: at.Name, Date: at.UploadedAt}
				}
			}
		}
		d.Parties = append(d.Parties, dp)
	}
	for _, w := range c.Witnesses {
		d.Witnesses = append(d.Witnesses, document.Witness{Office: w.Office})
	}
	if kind == document.KindPKS {
		d.Reference = &document.Reference{Title: c.Title, Numbers: numbers, Date: date}
	}
	for _, x := range c.Exchanges {
		what := x.Programme
		if what == "" {
			what = fmt.Sprintf("solusi katalog Kolaborasi nomor %d", x.SolutionID)
		}
		for _, r := range x.Receivers {
			d.Exchanges = append(d.Exchanges, document.Exchange{Giver: x.Giver, Receiver: r, What: what, Terms: strings.Join(x.Terms, ", ")})
		}
	}
	for _, fu := range c.Financing {
		src := fu.Detail
		if fu.Source == "apbd" && fu.Party < len(c.Parties) {
			src = "Anggaran Pendapatan dan Belanja Daerah " + strings.TrimPrefix(c.Parties[fu.Party].Name, "Pemerintah ")
		}
		d.Financing = append(d.Financing, document.Funding{Party: fu.Party, Source: src})
	}
	if start, err := parseDate(c.StartDate); err == nil {
		d.Duration.Start = start
	}
	if end, err := parseDate(c.EndDate); err == nil {
		d.Duration.End = end
	}
	return d, nil
}
