package web

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/document"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// agreementFilter reads the list filters shared by the page and the API:
// region, type, status, sector and year.
func agreementFilter(q url.Values) (kolaborasi.AgreementFilter, error) {
	f := kolaborasi.AgreementFilter{Region: strings.TrimSpace(q.Get("region")), Type: kolaborasi.AgreementType(q.Get("type")),
		Status: kolaborasi.AgreementStatus(q.Get("status")), Sector: strings.TrimSpace(q.Get("sector"))}
	if v := strings.TrimSpace(q.Get("year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 2200 {
			return f, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The year must be a year such as 2017.",
				Fields: map[string]string{"year": "must be a year"}}
		}
		f.Year = y
	}
	return f, nil
}

// queryAnnounce reads ?announce=true|false: whether the public sees that a
// draft addendum is in preparation; set reports whether it was given.
func queryAnnounce(q url.Values) (on, set bool, err error) {
	switch q.Get("announce") {
	case "":
		return false, false, nil
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, false, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "announce is true or false.",
		Fields: map[string]string{"announce": "must be true or false"}}
}

// queryVersion reads ?version=N (0 when absent: the latest).
func queryVersion(q url.Values, name string) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The version must be a whole number from 1.",
			Fields: map[string]string{name: "must be a version number"}}
	}
	return n, nil
}

func agreementLocation(id int64) string { return "/api/v1/agreements/" + strconv.FormatInt(id, 10) }

// agreementETag names a version's state for optimistic concurrency: the
// version number, the time of its last change and a hash of its content.
func agreementETag(ag *kolaborasi.Agreement) string {
	b, _ := json.Marshal(ag.Content)
	sum := sha256.Sum256(b)
	return fmt.Sprintf(`"%d.%d.%x"`, ag.Version, ag.UpdatedAt.UnixMicro(), sum[:8])
}

func (s *Server) apiAgreementList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "region", "type", "status", "sector", "year", "page[size]", "page[after]"); err != nil {
		return err
	}
	f, err := agreementFilter(q)
	if err != nil {
		return err
	}
	size, before, err := idPage(q, 20)
	if err != nil {
		return err
	}
	f.Before, f.Limit = before, min(size+1, app.MaxPageSize)
	ags, err := s.app.Agreements(r.Context(), f)
	if err != nil {
		return err
	}
	return writeIDPage(w, r, ags, size, f.Limit, func(ag *kolaborasi.Agreement) int64 { return ag.ID })
}

// agreementFromPath loads the agreement of the {id} path value, at
// ?version= (the latest when absent).
func (s *Server) agreementFromPath(r *http.Request, versionParam string) (*kolaborasi.Agreement, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	v, err := queryVersion(r.URL.Query(), versionParam)
	if err != nil {
		return nil, err
	}
	return s.app.Agreement(r.Context(), id, v)
}

func (s *Server) apiAgreementShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query(), "version"); err != nil {
		return err
	}
	ag, err := s.agreementFromPath(r, "version")
	if err != nil {
		return err
	}
	w.Header().Set("ETag", agreementETag(ag))
	return writeJSON(w, http.StatusOK, itemResponse{Data: ag})
}

func (s *Server) apiAgreementCreate(w http.ResponseWriter, r *http.Request) error {
	var c kolaborasi.AgreementContent
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	ag, err := s.app.CreateAgreement(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Location", agreementLocation(ag.ID))
	w.Header().Set("ETag", agreementETag(ag))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: ag})
}

// apiAgreementUpdate replaces the content of the latest version while it is
// unsigned. The caller sends If-Match with the ETag it read; a version
// changed since is a conflict.
//
// ?announce=true|false, on a draft addendum, shows or hides the public note
// that it is in preparation.
func (s *Server) apiAgreementUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query(), "announce"); err != nil {
		return err
	}
	announce, setAnnounce, err := queryAnnounce(r.URL.Query())
	if err != nil {
		return err
	}
	match := r.Header.Get("If-Match")
	if match == "" {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "Say which version you read: send If-Match with the ETag of the agreement.")
	}
	var c kolaborasi.AgreementContent
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	ag, err := s.agreementFromPath(r, "version")
	if err != nil {
		return err
	}
	if strings.TrimPrefix(match, "W/") != agreementETag(ag) {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The agreement changed since you read it (now %s); read it again.", agreementETag(ag))
	}
	if err := s.app.UpdateAgreement(r.Context(), ag.ID, ag.Version, ag.UpdatedAt, c); err != nil {
		return err
	}
	if setAnnounce {
		if err := s.app.AnnounceAddendum(r.Context(), ag.ID, ag.Version, announce); err != nil {
			return err
		}
	}
	fresh, err := s.app.Agreement(r.Context(), ag.ID, ag.Version)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", agreementETag(fresh))
	return writeJSON(w, http.StatusOK, itemResponse{Data: fresh})
}

// apiAgreementAddendum drafts an addendum; ?announce=true shows the public
// that it is in preparation (hidden by default).
func (s *Server) apiAgreementAddendum(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query(), "announce"); err != nil {
		return err
	}
	announce, _, err := queryAnnounce(r.URL.Query())
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var c kolaborasi.AgreementContent
	if err := decodeJSON(r, &c); err != nil {
		return err
	}
	ag, err := s.app.CreateAddendum(r.Context(), id, c, announce)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", agreementETag(ag))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: ag})
}

// statusInput asks for a move of the workflow.
type statusInput struct {
	To kolaborasi.AgreementStatus `json:"to"`
}

func (s *Server) apiAgreementMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in statusInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.MoveAgreement(r.Context(), id, in.To); err != nil {
		return err
	}
	ag, err := s.app.Agreement(r.Context(), id, 0)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ag})
}

// pdfBody reads a request body sent as application/pdf.
func pdfBody(r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Send the attachment as application/pdf.",
			Fields: map[string]string{"file": "must be a PDF document"}}
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The file is larger than %d KiB.", app.MaxAttachmentBytes>>10)
	}
	return data, nil
}

// apiAgreementAttach stores the body (application/pdf) as an attachment of
// the latest version; kind and name come from the query.
func (s *Server) apiAgreementAttach(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "kind", "name"); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := pdfBody(r)
	if err != nil {
		return err
	}
	att, err := s.app.AddAttachment(r.Context(), id, kolaborasi.AttachmentKind(q.Get("kind")), q.Get("name"), data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, itemResponse{Data: att})
}

func (s *Server) apiAgreementEvents(w http.ResponseWriter, r *http.Request) error {
	return listByPathID(w, r, s.app.AgreementEvents)
}

// signingContentResponse is what a signer signs: the signed content as
// JSON and its canonical bytes, the exact bytes the signature covers.
type signingContentResponse struct {
	SignedContent any    `json:"signed_content"`
	Canonical     string `json:"canonical"`
}

// apiSigningContent serves what a party signs. With format=content it
// serves the bare signed content, the input of `kolaborasi sign`.
func (s *Server) apiSigningContent(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "version", "party", "role", "stage", "key_id", "format"); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := queryVersion(q, "version")
	if err != nil {
		return err
	}
	if f := q.Get("format"); f != "" && f != "content" {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The only format is content.", Fields: map[string]string{"format": "must be content or absent"}}
	}
	c, err := s.app.SigningContent(r.Context(), id, v, q.Get("party"), q.Get("role"), q.Get("stage"), q.Get("key_id"))
	if err != nil {
		return err
	}
	if q.Get("format") == "content" {
		return writeJSON(w, http.StatusOK, c)
	}
	b, err := c.CanonicalBytes()
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: signingContentResponse{SignedContent: c, Canonical: base64.StdEncoding.EncodeToString(b)}})
}

// signatureInput is a signature submitted for an agreement version.
type signatureInput struct {
	Version       int64  `json:"version"`
	Stage         string `json:"stage"`
	Party         string `json:"party"`
	Role          string `json:"role"`
	KeyID         string `json:"key_id"`
	Signature     []byte `json:"signature"`
	MandateSHA256 string `json:"mandate_sha256"`
}

func (s *Server) apiAgreementSign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in signatureInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	sig, err := s.app.SignAgreement(r.Context(), app.SignInput{AgreementID: id, Version: in.Version, Stage: in.Stage, Party: in.Party,
		Role: in.Role, KeyID: in.KeyID, Signature: in.Signature, MandateSHA256: in.MandateSHA256})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, itemResponse{Data: sig})
}

// apiAgreementBundle serves the verification bundle exactly as the app
// encodes it: its bytes are canonical, and any change fails verification.
func (s *Server) apiAgreementBundle(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query(), "version"); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := queryVersion(r.URL.Query(), "version")
	if err != nil {
		return err
	}
	b, err := s.app.AgreementBundle(r.Context(), id, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="kerjasama-%d-bundle.json"`, id))
	_, err = w.Write(b)
	return err
}

// apiAgreementDocument serves the KSB or PKS of a version as a PDF.
func (s *Server) apiAgreementDocument(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query(), "version"); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := queryVersion(r.URL.Query(), "version")
	if err != nil {
		return err
	}
	kind := map[string]document.Kind{"ksb": document.KindKSB, "pks": document.KindPKS}[r.PathValue("kind")]
	if kind == "" {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such document: choose ksb or pks.")
	}
	pdf, err := s.app.AgreementDocument(r.Context(), id, v, kind, s.baseURL)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-%d.pdf"`, r.PathValue("kind"), id))
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(pdf)
	return err
}

// apiDeadlines lists a region's report deadlines and coming ends.
func (s *Server) apiDeadlines(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	ds, err := s.app.AgreementDeadlines(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	out := apiDeadlines(ds)
	return writeJSON(w, http.StatusOK, listResponse{Data: out, Links: links{Self: r.URL.RequestURI()}})
}

// apiDeadline is a deadline in the JSON API.
type apiDeadline struct {
	AgreementID int64  `json:"agreement_id"`
	Title       string `json:"title"`
	Kind        string `json:"kind"`
	Due         string `json:"due"`
	Overdue     bool   `json:"overdue"`
}

func apiDeadlines(ds []app.Deadline) []apiDeadline {
	out := []apiDeadline{}
	for _, d := range ds {
		out = append(out, apiDeadline{AgreementID: d.Agreement.ID, Title: d.Agreement.Content.Title, Kind: d.Kind,
			Due: d.Due.UTC().Format("2006-01-02"), Overdue: d.Overdue})
	}
	return out
}

// keyInput registers a signing key: the base64 of the 32 raw bytes of an
// Ed25519 public key, or its PEM.
type keyInput struct {
	PublicKey string `json:"public_key"`
	Office    string `json:"office"`
}

// parsePublicKey reads a public key as base64 of its raw bytes (what the
// browser exports) or as the PEM `kolaborasi keygen` writes.
func parsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := ledger.ParsePublicKey([]byte(strings.TrimSpace(s)))
	if err != nil {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The public key is not an Ed25519 key.",
			Fields: map[string]string{"public_key": "must be the base64 of a 32-byte Ed25519 public key, or its PEM"}}
	}
	return k, nil
}

func (s *Server) apiKeyRequest(w http.ResponseWriter, r *http.Request) error {
	var in keyInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	pub, err := parsePublicKey(in.PublicKey)
	if err != nil {
		return err
	}
	k, err := s.app.RequestSigningKey(r.Context(), pub, in.Office)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, itemResponse{Data: k})
}

func (s *Server) apiMyKeys(w http.ResponseWriter, r *http.Request) error {
	ks, err := s.app.MySigningKeys(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, r, ks)
}

func (s *Server) apiRegionKeys(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	ks, err := s.app.SigningKeys(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeList(w, r, ks)
}

// keyDecision is the body of a key decision; the reason is required to
// revoke.
type keyDecision struct {
	Reason string `json:"reason"`
}

func (s *Server) apiKeyDecide(w http.ResponseWriter, r *http.Request) error {
	var in keyDecision
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
	}
	id := r.PathValue("id")
	var err error
	switch r.PathValue("decision") {
	case "approve":
		err = s.app.ApproveSigningKey(r.Context(), id)
	case "reject":
		err = s.app.RejectSigningKey(r.Context(), id)
	case "revoke":
		err = s.app.RevokeSigningKey(r.Context(), id, in.Reason)
	default:
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such decision: approve, reject or revoke.")
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Public log.

func writeText(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write(b)
	return err
}

func (s *Server) apiLogKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.app.LogVerifierKey(r.Context())
	if err != nil {
		return err
	}
	return writeText(w, []byte(k+"\n"))
}

func (s *Server) apiLogCheckpoint(w http.ResponseWriter, r *http.Request) error {
	cp, _, err := s.app.LogCheckpoint(r.Context())
	if err != nil {
		return err
	}
	return writeText(w, cp)
}

// queryInt reads a required (or, with def ≥ 0, optional) whole number.
func queryInt(q url.Values, name string, def int64) (int64, error) {
	v := q.Get(name)
	if v == "" && def >= 0 {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: name + " must be a whole number.",
			Fields: map[string]string{name: "must be a whole number from 0"}}
	}
	return n, nil
}

// queryRange reads the two required whole numbers of a range query, and no
// other parameter.
func queryRange(q url.Values, a, b string) (int64, int64, error) {
	if err := checkQuery(q, a, b); err != nil {
		return 0, 0, err
	}
	x, err := queryInt(q, a, -1)
	if err != nil {
		return 0, 0, err
	}
	y, err := queryInt(q, b, -1)
	return x, y, err
}

func (s *Server) apiLogConsistency(w http.ResponseWriter, r *http.Request) error {
	from, to, err := queryRange(r.URL.Query(), "from", "to")
	if err != nil {
		return err
	}
	p, err := s.app.LogConsistencyProof(r.Context(), from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiLogProof(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "size"); err != nil {
		return err
	}
	index, err := strconv.ParseInt(r.PathValue("index"), 10, 64)
	if err != nil || index < 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The index must be a whole number.", Fields: map[string]string{"index": "must be a whole number"}}
	}
	size, err := queryInt(q, "size", 0)
	if err != nil {
		return err
	}
	p, err := s.app.LogInclusionProof(r.Context(), index, size)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiLogEntries(w http.ResponseWriter, r *http.Request) error {
	start, end, err := queryRange(r.URL.Query(), "start", "end")
	if err != nil {
		return err
	}
	es, err := s.app.LogEntries(r.Context(), start, end)
	if err != nil {
		return err
	}
	return writeList(w, r, es)
}
