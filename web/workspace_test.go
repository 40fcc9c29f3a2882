package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// signedIn returns a client with a cookie jar signed in as the account.
func signedIn(t *testing.T, ts *testServer, email, password string) *http.Client {
	t.Helper()
	c := ts.client(t)
	resp, err := c.PostForm(ts.URL+"/masuk", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in of %s: status %d", email, resp.StatusCode)
	}
	return c
}

// Every role's workspace, reached from the header, links exactly to what
// the role may do for its region and lists what waits for it.
func TestWorkspaceListsWhatEachRoleMayDo(t *testing.T) {
	ts := newTestServer(t)
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	a := ts.app

	// Waiting work: a draft of Blitar's, a KSB awaiting Blitar's signature
	// and witnessed by Mojokerto, a Blitar key awaiting approval.
	draft := f.agreement(ownRegion, kolaborasi.StatusDraft)
	c := f.content(ownRegion)
	c.Witnesses = []kolaborasi.AgreementWitness{{Region: demo.Mojokerto, Office: "Wali Kota Mojokerto"}}
	toSign, err := a.CreateAgreement(as(f.coord[ownRegion]), c)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []kolaborasi.AgreementStatus{kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated} {
		if err := a.MoveAgreement(as(f.coord[ownRegion]), toSign.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	pendingKey := f.pendingKey(ownRegion)
	// Bandung's draft is none of Blitar's business.
	bandungDraft := f.agreement(otherRegion, kolaborasi.StatusDraft)

	signURL := fmt.Sprintf("/kerjasama/%d/tanda-tangan", toSign.ID)
	draftURL := fmt.Sprintf(`href="/kerjasama/%d"`, draft)
	cases := []struct {
		account   string
		want, not []string
	}{
		{"umkm@blitarkota.test", []string{`href="/kelola/35.72/solusi/baru"`, `href="/kelola/35.72/impor"`},
			[]string{`/kelola/35.72/kerjasama/baru`, `href="/kelola/35.72/kunci"`, `href="/kelola/35.72#pengguna"`, signURL, draftURL}},
		{"kerjasama@blitarkota.test", []string{`href="/kelola/35.72/kerjasama/baru"`, `href="/kelola/35.72/tenggat"`, draftURL},
			[]string{`/kelola/35.72/solusi/baru`, `href="/kelola/35.72/kunci"`, signURL, fmt.Sprintf(`href="/kerjasama/%d"`, bandungDraft)}},
		{"walikota@blitarkota.test", []string{`href="/akun/kunci"`, signURL},
			[]string{`/kelola/35.72/solusi/baru`, `/kelola/35.72/kerjasama/baru`, `href="/kelola/35.72/kunci"`}},
		{"walikota@mojokertokota.test", []string{signURL, "Saksi"}, []string{`/kelola/35.76/solusi/baru`}},
		{"walikota@bandung.test", []string{`href="/akun/kunci"`}, []string{signURL}},
		{"admin@blitarkota.test", []string{`href="/kelola/35.72/solusi/baru"`, `href="/kelola/35.72/kunci"`, `href="/kelola/35.72#pengguna"`,
			`href="/kelola/35.72/audit"`, pendingKey}, []string{`/kelola/35.72/kerjasama/baru`, signURL, `href="/audit"`}},
		{"admin@kolaborasi.test", []string{`href="/audit"`}, []string{`/solusi/baru`, `/kerjasama/baru`, `/kunci"`}},
		{"pengamat@kemendagri.test", []string{`href="/katalog"`}, []string{`/solusi/baru`, `/kerjasama/baru`, `href="/audit"`}},
	}
	for _, tc := range cases {
		c := signedIn(t, ts, tc.account, demo.Password)
		// The header of any page leads to the workspace.
		if _, body := get(t, c, ts.URL+"/katalog"); !strings.Contains(body, `href="/ruang-kerja"`) {
			t.Errorf("%s: the header has no link to the workspace", tc.account)
		}
		resp, body := get(t, c, ts.URL+"/ruang-kerja")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: workspace status %d", tc.account, resp.StatusCode)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: workspace lacks %s", tc.account, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(body, n) {
				t.Errorf("%s: workspace shows %s, which the account may not use", tc.account, n)
			}
		}
	}
	// A visitor has no workspace.
	if resp, _ := get(t, ts.client(t), ts.URL+"/ruang-kerja"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous workspace: status %d, want 401", resp.StatusCode)
	}
	// The editor's publish link works: the form answers 200, and so it
	// does for the region admin (who used to get 403).
	for _, acc := range []string{"umkm@blitarkota.test", "admin@blitarkota.test"} {
		if resp, _ := get(t, signedIn(t, ts, acc, demo.Password), ts.URL+"/kelola/35.72/solusi/baru"); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: publish form status %d", acc, resp.StatusCode)
		}
	}
}

// GET /api/v1/me/workspace is the workspace in JSON, also for a read-only
// token.
func TestWorkspaceAPI(t *testing.T) {
	ts := newTestServer(t)
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	key := f.pendingKey(ownRegion)
	admin := makeUser(t, ts.app, "ws-admin@k11.test", ownRegion, kolaborasi.RoleRegionAdmin)
	token, _, err := ts.app.CreateAPIToken(as(admin), "ws", []string{"read"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/me/workspace", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Data struct {
			Region  string `json:"region"`
			Actions []struct {
				Action string `json:"action"`
				Links  []struct{ Href, Label string }
			} `json:"actions"`
			Keys       []kolaborasi.SigningKey `json:"signing_keys"`
			Drafts     []json.RawMessage       `json:"drafts"`
			Signatures []json.RawMessage       `json:"signatures"`
			Deadlines  []json.RawMessage       `json:"deadlines"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	var actions, hrefs []string
	for _, a := range doc.Data.Actions {
		actions = append(actions, a.Action)
		for _, l := range a.Links {
			hrefs = append(hrefs, l.Href)
			if l.Label == "" {
				t.Errorf("link %s has no label", l.Href)
			}
		}
	}
	for _, want := range []string{"solution.publish", "signing_key.decide", "region.user.manage"} {
		if !slices.Contains(actions, want) {
			t.Errorf("actions %v lack %s", actions, want)
		}
	}
	if slices.Contains(actions, "agreement.draft") || slices.Contains(actions, "agreement.sign") {
		t.Errorf("a region admin is offered %v", actions)
	}
	if !slices.Contains(hrefs, "/kelola/35.72/kunci") || doc.Data.Region != ownRegion {
		t.Errorf("region %q, links %v", doc.Data.Region, hrefs)
	}
	if len(doc.Data.Keys) != 1 || doc.Data.Keys[0].KeyID != key {
		t.Errorf("pending keys %+v, want %s", doc.Data.Keys, key)
	}
	if doc.Data.Drafts == nil || doc.Data.Signatures == nil || doc.Data.Deadlines == nil {
		t.Errorf("empty lists must be [], not null: %+v", doc.Data)
	}
	if resp, _ := get(t, nil, ts.URL+"/api/v1/me/workspace"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: status %d", resp.StatusCode)
	}
}

// The coordinator's workspace shows a report that is overdue.
func TestWorkspaceShowsOverdueReport(t *testing.T) {
	ts := newTestServer(t)
	f := newAgreementFixtures(t, ts, func() string { return fmt.Sprint(time.Now().UnixNano()) })
	a := ts.app
	// Bring an agreement of Blitar and Bandung to active: both parties
	// sign the KSB and the PKS.
	c := f.content(ownRegion)
	c.Parties = []kolaborasi.AgreementParty{{Region: ownRegion}, {Region: otherRegion}}
	ag, err := a.CreateAgreement(as(f.coord[ownRegion]), c)
	if err != nil {
		t.Fatal(err)
	}
	move := func(to kolaborasi.AgreementStatus) {
		t.Helper()
		if err := a.MoveAgreement(as(f.coord[ownRegion]), ag.ID, to); err != nil {
			t.Fatalf("move to %s: %v", to, err)
		}
	}
	sign := func(stage string) {
		t.Helper()
		for _, r := range []string{ownRegion, otherRegion} {
			u := f.signer[r]
			keyID, priv := f.key(u)
			content, err := a.SigningContent(as(u), ag.ID, 1, r, ledger.RoleSignatory, stage, keyID)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := ledger.Sign(priv, content)
			if err != nil {
				t.Fatal(err)
			}
			in := app.SignInput{AgreementID: ag.ID, Version: 1, Stage: stage, Party: r, Role: ledger.RoleSignatory, KeyID: keyID, Signature: sig}
			if _, err := a.SignAgreement(as(u), in); err != nil {
				t.Fatalf("%s signs %s: %v", r, stage, err)
			}
		}
	}
	move(kolaborasi.StatusOffered)
	move(kolaborasi.StatusKSBNegotiated)
	sign("ksb")
	move(kolaborasi.StatusPKSDrafted)
	sign("pks")
	move(kolaborasi.StatusActive)
	ts.advance(400 * 24 * time.Hour)

	c2 := signedIn(t, ts, "kerjasama@blitarkota.test", demo.Password)
	_, body := get(t, c2, ts.URL+"/ruang-kerja")
	_, item, _ := strings.Cut(body, `<li class="overdue">`)
	item, _, _ = strings.Cut(item, "</li>")
	if !strings.Contains(item, fmt.Sprintf(`href="/kerjasama/%d"`, ag.ID)) || !strings.Contains(item, "terlambat") {
		t.Errorf("the coordinator's workspace does not show the overdue report of agreement %d: %q", ag.ID, item)
	}
}
