package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
)

// minimalPDF passes the app's PDF check: header, an object, startxref and
// the end marker.
const minimalPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\nxref\n0 1\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"

// tokenFor makes a read-write API token for u.
func tokenFor(t *testing.T, ts *testServer, u *kolaborasi.User) string {
	t.Helper()
	tok, _, err := ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), u), "t", []string{"read", "write"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// apiDo sends a request with a bearer token, a body and a content type.
func apiDo(t *testing.T, ts *testServer, token, method, path, contentType string, body []byte, header ...string) (*http.Response, string) {
	t.Helper()
	r, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// demoAgreementID is the ID of the demo's signed KSB.
func demoAgreementID(t *testing.T, ts *testServer) int64 {
	t.Helper()
	ags, err := ts.app.Agreements(context.Background(), kolaborasi.AgreementFilter{Region: demo.Blitar})
	if err != nil || len(ags) == 0 {
		t.Fatalf("demo agreements: %v %v", ags, err)
	}
	return ags[0].ID
}

func getLang(t *testing.T, ts *testServer, lang, path string) (*http.Response, string) {
	t.Helper()
	r, _ := http.NewRequest("GET", ts.URL+path, nil)
	r.AddCookie(&http.Cookie{Name: "lang", Value: lang})
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAgreementPublicPages(t *testing.T) {
	ts := newTestServer(t)
	id := demoAgreementID(t, ts)
	page := fmt.Sprintf("/kerjasama/%d", id)
	for _, tc := range []struct {
		lang, path string
		want       []string
	}{
		{"id", "/kerjasama", []string{"Kerja sama daerah", "Kerja Sama Pengembangan Smart City", "KSB ditandatangani", "Pemerintah Kota Bandung"}},
		{"en", "/kerjasama?jenis=ksdd-sukarela&tahun=2017&wilayah=35.72", []string{"Regional cooperation agreements", "Smart City", "KSB signed"}},
		{"id", page, []string{"Verifikasi tanda tangan", "KSB ditandatangani semua pihak: semua tanda tangan sah", "Bupati Malang", "Balai Kota Kusuma Wicitra",
			"✓ sah", "KSB ditandatangani", "/api/v1/log/entries?start=6&amp;end=7", "/api/v1/agreements/" + strconv.FormatInt(id, 10) + "/bundle?version=1", "verify.js", "Tidak perlu persetujuan DPRD.",
			"aplikasi smart city Kota Bandung", "hibah"}},
		{"en", page, []string{"Signature verification", "KSB signed by every party: every signature is valid", "Timeline", "current stage", "KSB document (PDF)"}},
		{"id", "/jaringan", []string{"Jaringan kerja sama", "<svg", `class="edge status-ksb_signed"`, "/kerjasama/" + strconv.FormatInt(id, 10), "vendor/cytoscape.min.js"}},
		{"en", "/jaringan", []string{"Cooperation network", "2 regions linked by 1 agreement links"}},
		{"id", "/log", []string{"Log publik", "kolaborasi.id/log", "Tanda tangan", "Kunci didaftarkan", "Perubahan tahap"}},
		{"en", "/log", []string{"Public log", "Latest checkpoint"}},
	} {
		resp, body := getLang(t, ts, tc.lang, tc.path)
		if resp.StatusCode != 200 {
			t.Errorf("%s %s: status %d", tc.lang, tc.path, resp.StatusCode)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s %s: no %q", tc.lang, tc.path, w)
			}
		}
	}
	if resp, _ := get(t, nil, ts.URL+"/kerjasama?tahun=abc"); resp.StatusCode != 400 {
		t.Errorf("bad year: %d", resp.StatusCode)
	}
	if resp, _ := get(t, nil, ts.URL+"/kerjasama/999999"); resp.StatusCode != 404 {
		t.Errorf("missing agreement: %d", resp.StatusCode)
	}

	// The network as JSON, for the graph library.
	_, body := get(t, nil, ts.URL+"/api/v1/agreements/network")
	net := decode[struct {
		Data struct {
			Nodes []struct {
				Code string
				X, Y float64
			}
			Edges []struct {
				AgreementID    int64 `json:"agreement_id"`
				Source, Target string
			}
		}
	}](t, body)
	if len(net.Data.Nodes) != 2 || len(net.Data.Edges) != 1 || net.Data.Edges[0].AgreementID != id || net.Data.Nodes[0].X <= 0 {
		t.Errorf("network = %+v", net.Data)
	}

	// The vendored library is served from the binary.
	resp, js := get(t, nil, ts.URL+"/assets/vendor/cytoscape.min.js")
	if resp.StatusCode != 200 || !strings.Contains(js, "cytoscape") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("cytoscape: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// The API list, show and events.
	_, body = get(t, nil, ts.URL+"/api/v1/agreements?region=35.72&status=ksb_signed&page%5Bsize%5D=1")
	list := decode[struct {
		Data  []kolaborasi.Agreement
		Links struct{ Next string }
	}](t, body)
	if len(list.Data) != 1 || list.Data[0].ID != id || list.Links.Next != "" {
		t.Errorf("list = %+v", list)
	}
	resp, body = get(t, nil, ts.URL+fmt.Sprintf("/api/v1/agreements/%d?version=1", id))
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" || !strings.Contains(body, `"signatures":[{`) {
		t.Errorf("show: %d %s", resp.StatusCode, body)
	}
	_, body = get(t, nil, ts.URL+fmt.Sprintf("/api/v1/agreements/%d/events", id))
	if n := len(decode[struct{ Data []any }](t, body).Data); n != 3 {
		t.Errorf("%d events, want 3 (offered, negotiated, signed)", n)
	}
	for _, bad := range []string{"/api/v1/agreements?kind=x", "/api/v1/agreements?type=x", "/api/v1/agreements?page%5Bafter%5D=%21",
		fmt.Sprintf("/api/v1/agreements/%d?version=0", id)} {
		if resp, _ := get(t, nil, ts.URL+bad); resp.StatusCode != 400 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}

	// The KSB as a PDF.
	resp, pdf := get(t, nil, ts.URL+fmt.Sprintf("/api/v1/agreements/%d/documents/ksb", id))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Errorf("KSB PDF: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get(t, nil, ts.URL+fmt.Sprintf("/api/v1/agreements/%d/documents/mou", id)); resp.StatusCode != 404 {
		t.Errorf("unknown document: %d", resp.StatusCode)
	}
}

// The log endpoints speak the formats the CLI parses (package ledger and
// tlog): the CLI is package main, so its functions are not importable here,
// and the test checks the endpoints against the same parsers.
func TestLogEndpointsAndBundle(t *testing.T) {
	ts := newTestServer(t)
	id := demoAgreementID(t, ts)

	resp, key := get(t, nil, ts.URL+"/api/v1/log/key")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("key: %d", resp.StatusCode)
	}
	verifier, err := ledger.NewLogVerifier(strings.TrimSpace(key))
	if err != nil {
		t.Fatal(err)
	}
	_, cp1 := get(t, nil, ts.URL+"/api/v1/log/checkpoint")
	c1, err := ledger.OpenCheckpoint([]byte(cp1), verifier)
	if err != nil || c1.Size < 5 {
		t.Fatalf("checkpoint %q: %v", cp1, err)
	}

	// Every entry is proved included in the checkpoint's tree.
	_, body := get(t, nil, ts.URL+fmt.Sprintf("/api/v1/log/entries?start=0&end=%d", c1.Size))
	entries := decode[struct {
		Data []struct {
			Index int64
			Type  string
			Entry json.RawMessage
		}
	}](t, body)
	if int64(len(entries.Data)) != c1.Size {
		t.Fatalf("%d entries, want %d", len(entries.Data), c1.Size)
	}
	for _, e := range entries.Data {
		if _, err := ledger.ParseEntry(e.Entry); err != nil {
			t.Errorf("entry %d: %v", e.Index, err)
		}
		_, body := get(t, nil, ts.URL+fmt.Sprintf("/api/v1/log/proof/%d?size=%d", e.Index, c1.Size))
		var proof tlog.RecordProof
		if err := json.Unmarshal([]byte(body), &proof); err != nil {
			t.Fatalf("proof %d: %v", e.Index, err)
		}
		if err := ledger.CheckInclusion(proof, c1.Size, c1.Root, e.Index, e.Entry); err != nil {
			t.Errorf("inclusion of %d: %v", e.Index, err)
		}
	}

	// The log grows (a key is registered and approved); the new checkpoint
	// extends the old one by the served consistency proof.
	signer := makeUser(t, ts.app, "signer-log@k4.test", demo.Blitar, kolaborasi.RoleSignatory)
	admin := makeUser(t, ts.app, "admin-log@k4.test", demo.Blitar, kolaborasi.RoleRegionAdmin)
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	keyID := registerKey(t, ts, signer, admin, pub)
	_, cp2 := get(t, nil, ts.URL+"/api/v1/log/checkpoint")
	c2, err := ledger.OpenCheckpoint([]byte(cp2), verifier)
	if err != nil || c2.Size != c1.Size+1 {
		t.Fatalf("new checkpoint %+v: %v", c2, err)
	}
	_, body = get(t, nil, ts.URL+fmt.Sprintf("/api/v1/log/consistency?from=%d&to=%d", c1.Size, c2.Size))
	var tp tlog.TreeProof
	if err := json.Unmarshal([]byte(body), &tp); err != nil {
		t.Fatal(err)
	}
	if err := ledger.VerifyExtends([]byte(cp1), []byte(cp2), tp, verifier); err != nil {
		t.Errorf("consistency: %v", err)
	}
	_, body = get(t, nil, ts.URL+fmt.Sprintf("/api/v1/log/entries?start=%d&end=%d", c1.Size, c2.Size))
	if !strings.Contains(body, `"key_id":"`+keyID+`"`) {
		t.Errorf("the registration is not in the log: %s", body)
	}
	for _, bad := range []string{"/api/v1/log/entries?start=0&end=99999", "/api/v1/log/entries?start=5&end=2", "/api/v1/log/proof/99999",
		"/api/v1/log/consistency?from=9&to=2", "/api/v1/agreements/1/signing-content?party=35.72&role=signatory&stage=ksb&key_id=0123456789abcdef&format=pdf", "/api/v1/log/consistency?from=x&to=2", "/api/v1/log/entries?start=0&end=1&x=1"} {
		if resp, body := get(t, nil, ts.URL+bad); resp.StatusCode != 400 || decode[problem](t, body).Code != "invalid" {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
		}
	}

	// The bundle verifies as served, and not once changed.
	resp, bundle := get(t, nil, ts.URL+fmt.Sprintf("/api/v1/agreements/%d/bundle?version=1", id))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("bundle: %d", resp.StatusCode)
	}
	rep, err := ledger.VerifyBundle([]byte(bundle), strings.TrimSpace(key))
	if err != nil || len(rep.Signatures) != 2 {
		t.Fatalf("bundle: %+v %v", rep, err)
	}
	tampered := []byte(bundle)
	i := bytes.Index(tampered, []byte(`"signature":"`)) + len(`"signature":"`) + 3
	tampered[i] ^= 1
	if _, err := ledger.VerifyBundle(tampered, strings.TrimSpace(key)); err == nil {
		t.Error("a changed bundle verified")
	}
}

// registerKey registers pub for signer through the API and has admin
// approve it; it returns the key ID.
func registerKey(t *testing.T, ts *testServer, signer, admin *kolaborasi.User, pub ed25519.PublicKey) string {
	t.Helper()
	resp, body := ts.api(t, tokenFor(t, ts, signer), "POST", "/api/v1/signing-keys",
		`{"public_key":"`+base64.StdEncoding.EncodeToString(pub)+`","office":""}`)
	if resp.StatusCode != 201 {
		t.Fatalf("register key: %d %s", resp.StatusCode, body)
	}
	k := decode[struct{ Data kolaborasi.SigningKey }](t, body).Data
	if k.Status != kolaborasi.KeyPending || k.KeyID != ledger.KeyID(pub) {
		t.Fatalf("key = %+v", k)
	}
	resp, body = ts.api(t, tokenFor(t, ts, admin), "POST", "/api/v1/signing-keys/"+k.KeyID+"/approve", "")
	if resp.StatusCode != 204 {
		t.Fatalf("approve key: %d %s", resp.StatusCode, body)
	}
	return k.KeyID
}

// draftForm is a drafting form between Blitar and Bandung, as a browser
// sends it, with blank rows.
func draftForm(title string) url.Values {
	return url.Values{
		"type": {"ksdd-sukarela"}, "title": {title}, "purpose": {"Berbagi aplikasi.\nMeningkatkan pelayanan."},
		"scope":     {"Smart City\nE-Government"},
		"p0_region": {"35.72"}, "p0_third": {""}, "p0_name": {""}, "p0_office": {""}, "p0_number": {""},
		"p1_region": {""}, "p1_third": {""}, "p1_name": {""}, "p1_office": {""}, "p1_number": {""},
		"p2_region": {"32.73"}, "p2_third": {""}, "p2_name": {""}, "p2_office": {""}, "p2_number": {"415.4/1-Huk/2017"},
		"w0_region": {"35.07"}, "w0_office": {""}, "w1_region": {""}, "w1_office": {""},
		"x0_giver": {"2"}, "x0_receivers": {"0"}, "x0_solution": {""}, "x0_programme": {"Bandung Command Center"}, "x0_terms": {"hibah", "training"},
		"x1_giver": {""}, "x1_solution": {""}, "x1_programme": {""},
		"f0_party": {"0"}, "f0_source": {"apbd"}, "f0_detail": {""}, "f1_party": {""}, "f1_source": {"apbd"}, "f1_detail": {""},
		"place": {"Blitar"}, "venue": {"Balai Kota"}, "sign_date": {"2026-03-08"}, "start_date": {"2026-03-08"}, "end_date": {"2031-03-08"},
		"burdens_community": {"no"}, "budgeted_in_apbd": {"yes"},
	}
}

func withCSRF(t *testing.T, ts *testServer, session string, f url.Values) url.Values {
	t.Helper()
	f.Set("csrf", csrfOf(t, ts, session))
	return f
}

var agreementPath = regexp.MustCompile(`^/kerjasama/([0-9]+)$`)

// The whole path of an agreement through the pages and the API: drafted
// and edited through forms, offered and negotiated, a PDF attached, keys
// generated in Go, registered and approved over HTTP, signed through the
// API and through the page, then verified on the page and offline.
func TestAgreementDraftingAndSigning(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		users := map[string]*kolaborasi.User{}
		for _, u := range []struct {
			name, region string
			role         kolaborasi.Role
		}{
			{"coord-blitar", demo.Blitar, kolaborasi.RoleCoordinator}, {"coord-bandung", demo.Bandung, kolaborasi.RoleCoordinator},
			{"sign-blitar", demo.Blitar, kolaborasi.RoleSignatory}, {"sign-bandung", demo.Bandung, kolaborasi.RoleSignatory},
			{"admin-blitar", demo.Blitar, kolaborasi.RoleRegionAdmin}, {"admin-bandung", demo.Bandung, kolaborasi.RoleRegionAdmin},
		} {
			users[u.name] = makeUser(t, ts.app, u.name+"@k4.test", u.region, u.role)
		}
		coord := ts.loginAs(t, "coord-blitar@k4.test")

		// The form renders, and an invalid entry comes back with what was
		// typed and what is wrong.
		resp, body := ts.getAs(t, coord, "/kelola/35.72/kerjasama/baru")
		if resp.StatusCode != 200 || !strings.Contains(body, `name="p0_region" value="Kota Blitar"`) || !strings.Contains(body, "persetujuan DPRD") {
			t.Fatalf("new form: %d", resp.StatusCode)
		}
		bad := draftForm("")
		bad.Set("end_date", "2020-01-01")
		resp, body = ts.post(t, coord, "/kelola/35.72/kerjasama", withCSRF(t, ts, coord, bad))
		if resp.StatusCode != 400 || !strings.Contains(body, "end_date") || !strings.Contains(body, "Bandung Command Center") {
			t.Fatalf("invalid draft: %d", resp.StatusCode)
		}
		resp, _ = ts.post(t, coord, "/kelola/35.72/kerjasama", withCSRF(t, ts, coord, draftForm("Kerja Sama Uji")))
		m := agreementPath.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != 303 || m == nil {
			t.Fatalf("create: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ag, err := ts.app.Agreement(kolaborasi.WithUser(context.Background(), users["coord-blitar"]), id, 0)
		if err != nil {
			t.Fatal(err)
		}
		c := ag.Content
		if len(c.Parties) != 2 || c.Parties[1].Region != "32.73" || c.Parties[1].Number != "415.4/1-Huk/2017" || len(c.Witnesses) != 1 ||
			len(c.Exchanges) != 1 || c.Exchanges[0].Giver != 1 || c.Exchanges[0].Receivers[0] != 0 || len(c.Financing) != 1 || c.DPRDApprovalNeeded() {
			t.Fatalf("drafted content = %+v", c)
		}
		// Drafts are for the parties' eyes only.
		if resp, _ := get(t, nil, ts.URL+"/kerjasama/"+m[1]); resp.StatusCode != 404 {
			t.Errorf("a visitor sees the draft: %d", resp.StatusCode)
		}

		// The parties' coordinator sees the draft with its next steps.
		resp, body = ts.getAs(t, coord, "/kerjasama/"+m[1])
		if resp.StatusCode != 200 || !strings.Contains(body, "/kerjasama/"+m[1]+"/ubah") || !strings.Contains(body, `name="to" value="offered"`) ||
			!strings.Contains(body, `action="/kerjasama/`+m[1]+`/lampiran"`) {
			t.Errorf("draft page for its coordinator: %d", resp.StatusCode)
		}

		// Edit through the form, with the ETag it carries.
		resp, body = ts.getAs(t, coord, "/kerjasama/"+m[1]+"/ubah")
		etag := regexp.MustCompile(`name="etag" value="([^"]+)"`).FindStringSubmatch(body)
		if resp.StatusCode != 200 || etag == nil {
			t.Fatalf("edit form: %d", resp.StatusCode)
		}
		f := draftForm("Kerja Sama Uji Berubah")
		f.Set("etag", strings.ReplaceAll(etag[1], "&#34;", `"`))
		resp, body = ts.post(t, coord, "/kerjasama/"+m[1], withCSRF(t, ts, coord, f))
		if resp.StatusCode != 303 {
			t.Fatalf("update: %d %s", resp.StatusCode, body)
		}
		resp, _ = ts.post(t, coord, "/kerjasama/"+m[1], withCSRF(t, ts, coord, f))
		if resp.StatusCode != 409 {
			t.Errorf("stale update: %d, want 409", resp.StatusCode)
		}

		// Attachments through the API: a PDF is kept, anything else refused.
		ctoken := tokenFor(t, ts, users["coord-blitar"])
		resp, body = apiDo(t, ts, ctoken, "POST", "/api/v1/agreements/"+m[1]+"/attachments?kind=kak&name=KAK", "application/pdf", []byte("GIF89a not a pdf"))
		if resp.StatusCode != 400 || decode[problem](t, body).Code != "invalid" {
			t.Errorf("non-PDF: %d %s", resp.StatusCode, body)
		}
		resp, body = apiDo(t, ts, ctoken, "POST", "/api/v1/agreements/"+m[1]+"/attachments?kind=kak&name=KAK", "application/pdf", []byte(minimalPDF))
		if resp.StatusCode != 201 || !strings.Contains(body, `"signed":true`) {
			t.Fatalf("PDF: %d %s", resp.StatusCode, body)
		}
		// And through the page's upload form.
		var mb bytes.Buffer
		mw := multipart.NewWriter(&mb)
		mw.WriteField("csrf", csrfOf(t, ts, coord))
		mw.WriteField("kind", "surat_penawaran")
		fw, _ := mw.CreateFormFile("file", "penawaran.pdf")
		fw.Write([]byte(minimalPDF + "%penawaran\n"))
		mw.Close()
		r, _ := http.NewRequest("POST", ts.URL+"/kerjasama/"+m[1]+"/lampiran", &mb)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: coord})
		resp, err = noRedirectClient(ts).Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 303 {
			t.Errorf("upload form: %d", resp.StatusCode)
		}

		// Offered by Blitar through the page, negotiated by Bandung
		// through the API.
		if resp, _ := ts.post(t, coord, "/kerjasama/"+m[1]+"/status", withCSRF(t, ts, coord, url.Values{"to": {"offered"}})); resp.StatusCode != 303 {
			t.Fatalf("offer: %d", resp.StatusCode)
		}
		resp, body = ts.api(t, tokenFor(t, ts, users["coord-bandung"]), "POST", "/api/v1/agreements/"+m[1]+"/status", `{"to":"ksb_negotiated"}`)
		if resp.StatusCode != 200 || !strings.Contains(body, `"status":"ksb_negotiated"`) {
			t.Fatalf("negotiate: %d %s", resp.StatusCode, body)
		}

		// Keys made in Go, registered and approved over HTTP.
		pubA, privA, _ := ed25519.GenerateKey(rand.Reader)
		pubB, privB, _ := ed25519.GenerateKey(rand.Reader)
		keyA := registerKey(t, ts, users["sign-blitar"], users["admin-blitar"], pubA)
		keyB := registerKey(t, ts, users["sign-bandung"], users["admin-bandung"], pubB)

		// Blitar signs through the API over the served canonical bytes;
		// a changed signature is refused with a clear problem first.
		stoken := tokenFor(t, ts, users["sign-blitar"])
		resp, body = ts.api(t, stoken, "GET", "/api/v1/agreements/"+m[1]+"/signing-content?version=1&party=35.72&role=signatory&stage=ksb&key_id="+keyA, "")
		sc := decode[struct {
			Data struct {
				SignedContent ledger.SignedContent `json:"signed_content"`
				Canonical     []byte
			}
		}](t, body)
		want, _ := sc.Data.SignedContent.CanonicalBytes()
		if resp.StatusCode != 200 || !bytes.Equal(want, sc.Data.Canonical) || !bytes.HasPrefix(sc.Data.Canonical, []byte("kolaborasi/agreement-signature/v1\n")) {
			t.Fatalf("signing content: %d %s", resp.StatusCode, body)
		}
		sig := ed25519.Sign(privA, sc.Data.Canonical)
		forged := append([]byte{}, sig...)
		forged[10] ^= 0x40
		submit := func(s []byte) (*http.Response, string) {
			return ts.api(t, stoken, "POST", "/api/v1/agreements/"+m[1]+"/signatures",
				`{"version":1,"stage":"ksb","party":"35.72","role":"signatory","key_id":"`+keyA+`","signature":"`+base64.StdEncoding.EncodeToString(s)+`"}`)
		}
		resp, body = submit(forged)
		p := decode[problem](t, body)
		if resp.StatusCode != 400 || p.Code != "invalid" || len(p.Errors) != 1 || p.Errors[0].Field != "signature" || !strings.Contains(p.Detail, "does not verify") {
			t.Errorf("forged signature: %d %s", resp.StatusCode, body)
		}
		if resp, body = submit(sig); resp.StatusCode != 201 {
			t.Fatalf("sign: %d %s", resp.StatusCode, body)
		}
		// Half signed, the page says the signature holds but the KSB lacks Bandung.
		if _, body = get(t, nil, ts.URL+"/kerjasama/"+m[1]); !strings.Contains(body, "✓ sah") ||
			!strings.Contains(body, "tetapi KSB belum ditandatangani semua pihak: 32.73 Pemerintah Kota Bandung.") {
			t.Errorf("half-signed agreement page lacks the incomplete notice")
		}

		// Bandung's head signs on the page by pasting what `kolaborasi
		// sign` prints, for the content the page links to.
		signB := ts.loginAs(t, "sign-bandung@k4.test")
		resp, body = ts.getAs(t, signB, "/kerjasama/"+m[1]+"/tanda-tangan")
		if resp.StatusCode != 200 || !strings.Contains(body, keyB) || !strings.Contains(body, "kolaborasi sign --key") {
			t.Fatalf("signing page: %d", resp.StatusCode)
		}
		_, body = get(t, nil, ts.URL+"/api/v1/agreements/"+m[1]+"/signing-content?version=1&party=32.73&role=signatory&stage=ksb&format=content&key_id="+keyB)
		var content ledger.SignedContent
		if err := json.Unmarshal([]byte(body), &content); err != nil {
			t.Fatal(err)
		}
		sigB, err := ledger.Sign(privB, content)
		if err != nil {
			t.Fatal(err)
		}
		resp, body = ts.post(t, signB, "/kerjasama/"+m[1]+"/tanda-tangan", withCSRF(t, ts, signB,
			url.Values{"key_id": {keyB}, "signature": {base64.StdEncoding.EncodeToString(sigB)}}))
		if resp.StatusCode != 303 {
			t.Fatalf("sign on page: %d %s", resp.StatusCode, body)
		}

		// The page shows both signatures verified, and the stage moved.
		_, body = get(t, nil, ts.URL+"/kerjasama/"+m[1])
		if strings.Count(body, "✓ sah") != 2 || !strings.Contains(body, "KSB ditandatangani semua pihak") || !strings.Contains(body, "KSB ditandatangani") {
			t.Errorf("agreement page after signing lacks the verified signatures")
		}
		_, key := get(t, nil, ts.URL+"/api/v1/log/key")
		_, bundle := get(t, nil, ts.URL+"/api/v1/agreements/"+m[1]+"/bundle")
		if rep, err := ledger.VerifyBundle([]byte(bundle), strings.TrimSpace(key)); err != nil || len(rep.Signatures) != 2 {
			t.Errorf("bundle: %+v %v", rep, err)
		}
		resp, pdf := get(t, nil, ts.URL+"/api/v1/agreements/"+m[1]+"/documents/ksb")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
			t.Errorf("PDF: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// Two agreements of Blitar now: one per page, through links.next.
		next, seen := "/api/v1/agreements?region=35.72&page%5Bsize%5D=1", map[int64]bool{}
		for pages := 0; next != ""; pages++ {
			if pages > 2 {
				t.Fatal("the pages do not end")
			}
			_, body := get(t, nil, ts.URL+next)
			pg := decode[struct {
				Data  []kolaborasi.Agreement
				Links struct{ Next string }
			}](t, body)
			for _, a := range pg.Data {
				seen[a.ID] = true
			}
			next = pg.Links.Next
		}
		if len(seen) != 2 || !seen[id] {
			t.Errorf("paged through %v", seen)
		}

		// The signed version no longer changes through the API.
		resp, body = ts.api(t, ctoken, "GET", "/api/v1/agreements/"+m[1], "")
		cur := decode[struct{ Data kolaborasi.Agreement }](t, body).Data
		cj, _ := json.Marshal(cur.Content)
		resp, body = apiDo(t, ts, ctoken, "PUT", "/api/v1/agreements/"+m[1], "application/json", cj, "If-Match", resp.Header.Get("ETag"))
		if resp.StatusCode != 409 {
			t.Errorf("update of a signed version: %d %s", resp.StatusCode, body)
		}
		// An addendum makes version 2 through the page.
		resp, _ = ts.post(t, coord, "/kerjasama/"+m[1]+"/adendum", withCSRF(t, ts, coord, draftForm("Kerja Sama Uji, Adendum")))
		if resp.StatusCode != 303 || !strings.HasSuffix(resp.Header.Get("Location"), "?versi=2") {
			t.Errorf("addendum: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body = ts.getAs(t, coord, "/kerjasama/"+m[1]+"?versi=1")
		if resp.StatusCode != 200 || !strings.Contains(body, "v2") || strings.Count(body, "✓ sah") != 2 {
			t.Errorf("version 1 page: %d", resp.StatusCode)
		}
	})
}

func TestKeysAdoptAndDeadlinePages(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "coord@k4.test", demo.Blitar, kolaborasi.RoleCoordinator)
	signer := makeUser(t, ts.app, "signer@k4.test", demo.Blitar, kolaborasi.RoleSignatory)
	makeUser(t, ts.app, "admin@k4.test", demo.Blitar, kolaborasi.RoleRegionAdmin)

	// A signatory registers a key through the page (as pasted from
	// kolaborasi keygen); the region admin approves it on theirs.
	s := ts.loginAs(t, "signer@k4.test")
	resp, body := ts.getAs(t, s, "/akun/kunci")
	if resp.StatusCode != 200 || !strings.Contains(body, "kolaborasi keygen") || !strings.Contains(body, "sign.js") {
		t.Fatalf("keys page: %d", resp.StatusCode)
	}
	if resp, _ := ts.post(t, s, "/akun/kunci", withCSRF(t, ts, s, url.Values{"public_key": {"bm90IGEga2V5"}})); resp.StatusCode != 400 {
		t.Errorf("bad key: %d", resp.StatusCode)
	}
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	pem, err := ledger.MarshalPublicKeyPEM(pub)
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := ts.post(t, s, "/akun/kunci", withCSRF(t, ts, s, url.Values{"public_key": {string(pem)}, "office": {"Wali Kota Blitar"}})); resp.StatusCode != 303 {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	id := ledger.KeyID(pub)
	a := ts.loginAs(t, "admin@k4.test")
	resp, body = ts.getAs(t, a, "/kelola/35.72/kunci")
	if resp.StatusCode != 200 || !strings.Contains(body, id) || !strings.Contains(body, "/kunci/"+id+"/setujui") {
		t.Fatalf("region keys: %d", resp.StatusCode)
	}
	if _, body := ts.getAs(t, a, "/kelola/35.72"); !strings.Contains(body, "/kelola/35.72/kunci") {
		t.Error("the manage page does not link the keys")
	}
	if resp, _ := ts.post(t, a, "/kelola/35.72/kunci/"+id+"/setujui", withCSRF(t, ts, a, url.Values{})); resp.StatusCode != 303 {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	if resp, _ := ts.post(t, a, "/kelola/35.72/kunci/"+id+"/cabut", withCSRF(t, ts, a, url.Values{"reason": {"perangkat hilang"}})); resp.StatusCode != 303 {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	keys, err := ts.app.MySigningKeys(kolaborasi.WithUser(context.Background(), signer))
	if err != nil || len(keys) != 1 || keys[0].Status != kolaborasi.KeyRevoked || keys[0].RevokeLogIndex < 0 {
		t.Errorf("keys = %+v, %v", keys, err)
	}

	// The catalog's "adopt this" leads a coordinator of another region to
	// a prefilled draft.
	sols, err := ts.app.SearchSolutions(context.Background(), searchAll())
	if err != nil {
		t.Fatal(err)
	}
	var bandung *kolaborasi.Solution
	for _, h := range sols.Items {
		if h.Solution.RegionCode == demo.Bandung {
			bandung = h.Solution
			break
		}
	}
	if bandung == nil {
		t.Fatal("no Bandung solution in the demo")
	}
	c := ts.loginAs(t, "coord@k4.test")
	link := fmt.Sprintf("/kelola/35.72/kerjasama/baru?solusi=%d", bandung.ID)
	if _, body := ts.getAs(t, c, fmt.Sprintf("/solusi/%d", bandung.ID)); !strings.Contains(body, link) {
		t.Errorf("solution page lacks the adopt link %s", link)
	}
	if _, body := get(t, nil, ts.URL+fmt.Sprintf("/solusi/%d", bandung.ID)); strings.Contains(body, "/kerjasama/baru") {
		t.Error("a visitor sees the adopt link")
	}
	resp, body = ts.getAs(t, c, link)
	if resp.StatusCode != 200 || !strings.Contains(body, `name="x0_solution" value="`+html.EscapeString(bandung.Name.ID)+`"`) ||
		!strings.Contains(body, `name="p1_region" value="Kota Bandung"`) {
		t.Errorf("prefilled form: %d", resp.StatusCode)
	}
	resp, body = ts.getAs(t, c, "/kelola/35.72/tenggat")
	if resp.StatusCode != 200 || !strings.Contains(body, "Tenggat kerja sama") {
		t.Errorf("deadlines: %d", resp.StatusCode)
	}
	resp, _ = ts.api(t, tokenFor(t, ts, signer), "GET", "/api/v1/me/signing-keys", "")
	if resp.StatusCode != 200 {
		t.Errorf("my keys: %d", resp.StatusCode)
	}
}

// The page's verification script (web/assets/verify.js) accepts the bundle
// the server serves and refuses changed ones. It runs under Node.js, whose
// WebCrypto is the browser's API; without node the test is skipped.
func TestBrowserVerificationScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	ts := newTestServer(t)
	id := demoAgreementID(t, ts)
	_, bundle := get(t, nil, ts.URL+fmt.Sprintf("/api/v1/agreements/%d/bundle", id))
	_, key := get(t, nil, ts.URL+"/api/v1/log/key")
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte(key), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(b string) string {
		f := filepath.Join(dir, "bundle.json")
		if err := os.WriteFile(f, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(node, "testdata/verify_harness.js", "assets/verify.js", f, keyFile).CombinedOutput()
		if err != nil {
			t.Fatalf("node: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := run(bundle); !strings.HasPrefix(out, "OK") || strings.Count(out, "browser ✓") != 2 {
		t.Errorf("served bundle: %s", out)
	}
	// Like ledger.VerifyBundle, the script refuses bundles with entries
	// left out: a party's signature with its key, or status changes.
	parsed, err := ledger.ParseBundle([]byte(bundle))
	if err != nil {
		t.Fatal(err)
	}
	for name, drop := range map[string]func(ledger.Entry) bool{
		"Bandung's signature and key": func(e ledger.Entry) bool {
			s, sig := e.(*ledger.SignatureEntry)
			k, reg := e.(*ledger.KeyRegistered)
			return sig && s.Party == "32.73" || reg && k.Region == "32.73"
		},
		"all status changes":    func(e ledger.Entry) bool { _, ok := e.(*ledger.StatusChange); return ok },
		"the acceptance":        func(e ledger.Entry) bool { sc, ok := e.(*ledger.StatusChange); return ok && sc.To == "ksb_negotiated" },
		"the completing change": func(e ledger.Entry) bool { sc, ok := e.(*ledger.StatusChange); return ok && sc.To == "ksb_signed" },
	} {
		b := *parsed
		b.Entries = slices.DeleteFunc(slices.Clone(parsed.Entries), func(be ledger.BundleEntry) bool { return drop(be.Entry) })
		data, err := b.Marshal()
		if err != nil || len(b.Entries) == len(parsed.Entries) {
			t.Fatalf("%s: %v", name, err)
		}
		if out := run(string(data)); !strings.HasPrefix(out, "FAIL") && !strings.HasPrefix(out, "INCOMPLETE") {
			t.Errorf("bundle without %s: %s", name, out)
		}
	}
	title := strings.Index(bundle, `"title":"`) + len(`"title":"`)
	sig := strings.Index(bundle, `"signature":"`) + len(`"signature":"`) + 5
	for name, b := range map[string]string{
		"content":   bundle[:title] + "X" + bundle[title+1:],
		"signature": bundle[:sig] + string(bundle[sig]^1) + bundle[sig+1:],
		"spacing":   strings.Replace(bundle, `":`, `": `, 1),
		"key":       strings.Replace(bundle, `"checkpoint":"kolaborasi.id/log`, `"checkpoint":"kolaborasi.id/lob`, 1),
	} {
		if out := run(b); !strings.HasPrefix(out, "FAIL") {
			t.Errorf("bundle with changed %s: %s", name, out)
		}
	}
}
