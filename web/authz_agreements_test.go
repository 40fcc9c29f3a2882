package web_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// thirdParty is the second party of the matrix's agreements, besides the
// target region: Kabupaten Malang.
const thirdParty = "35.07"

// agreementFixtures builds, for the authorisation matrix, agreements and
// keys of the own or the other region in the state each route needs, acting
// through the app as fixture users of that region.
type agreementFixtures struct {
	t     *testing.T
	ts    *testServer
	fresh func() string
	// coord, signer and admin are fixture users per region.
	coord, signer, admin map[string]*kolaborasi.User
	// keys holds the private key of each signatory's approved key.
	keys map[int64]ed25519.PrivateKey
}

func newAgreementFixtures(t *testing.T, ts *testServer, fresh func() string) *agreementFixtures {
	f := &agreementFixtures{t: t, ts: ts, fresh: fresh, coord: map[string]*kolaborasi.User{}, signer: map[string]*kolaborasi.User{},
		admin: map[string]*kolaborasi.User{}, keys: map[int64]ed25519.PrivateKey{}}
	for _, r := range []string{ownRegion, otherRegion} {
		f.coord[r] = makeUser(t, ts.app, "fx-coord-"+r+"@matrix.test", r, kolaborasi.RoleCoordinator)
		f.signer[r] = makeUser(t, ts.app, "fx-sign-"+r+"@matrix.test", r, kolaborasi.RoleSignatory)
		f.admin[r] = makeUser(t, ts.app, "fx-admin-"+r+"@matrix.test", r, kolaborasi.RoleRegionAdmin)
	}
	return f
}

func as(u *kolaborasi.User) context.Context { return kolaborasi.WithUser(context.Background(), u) }

func (f *agreementFixtures) content(region string) kolaborasi.AgreementContent {
	return kolaborasi.AgreementContent{Type: kolaborasi.KSDDSukarela, Title: "Kerja sama " + f.fresh(), Scope: []string{"Smart City"},
		Parties: []kolaborasi.AgreementParty{{Region: region}, {Region: thirdParty}}, SignDate: "2026-03-08", BudgetedInAPBD: true}
}

// agreement makes an agreement of region (and Malang) moved up to status
// to (draft, offered or ksb_negotiated), or signed by region's signatory
// when to is ksb_signed (it stays ksb_negotiated, but frozen).
func (f *agreementFixtures) agreement(region string, to kolaborasi.AgreementStatus) int64 {
	t, a := f.t, f.ts.app
	ctx := as(f.coord[region])
	ag, err := a.CreateAgreement(ctx, f.content(region))
	if err != nil {
		t.Fatal(err)
	}
	steps := map[kolaborasi.AgreementStatus][]kolaborasi.AgreementStatus{
		kolaborasi.StatusOffered:       {kolaborasi.StatusOffered},
		kolaborasi.StatusKSBNegotiated: {kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated},
		kolaborasi.StatusKSBSigned:     {kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated},
	}[to]
	for _, st := range steps {
		if err := a.MoveAgreement(ctx, ag.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	if to == kolaborasi.StatusKSBSigned {
		u := f.signer[region]
		if _, err := a.SignAgreement(as(u), f.signInput(u, region, ag.ID)); err != nil {
			t.Fatal(err)
		}
	}
	return ag.ID
}

// key returns the approved key of a signatory, registering it first.
func (f *agreementFixtures) key(u *kolaborasi.User) (string, ed25519.PrivateKey) {
	t := f.t
	if priv, ok := f.keys[u.ID]; ok {
		return ledger.KeyID(priv.Public().(ed25519.PublicKey)), priv
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	k, err := f.ts.app.RequestSigningKey(as(u), pub, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.ts.app.ApproveSigningKey(as(f.admin[u.RegionCode]), k.KeyID); err != nil {
		t.Fatal(err)
	}
	f.keys[u.ID] = priv
	return k.KeyID, priv
}

// signInput is u's valid KSB signature of agreement id for region.
func (f *agreementFixtures) signInput(u *kolaborasi.User, region string, id int64) app.SignInput {
	keyID, priv := f.key(u)
	c, err := f.ts.app.SigningContent(as(u), id, 1, region, ledger.RoleSignatory, ledger.StageKSB, keyID)
	if err != nil {
		f.t.Fatal(err)
	}
	sig, err := ledger.Sign(priv, c)
	if err != nil {
		f.t.Fatal(err)
	}
	return app.SignInput{AgreementID: id, Version: 1, Stage: ledger.StageKSB, Party: region, Role: ledger.RoleSignatory, KeyID: keyID, Signature: sig}
}

// signature is what an actor submits to sign for region: a valid
// signature when the actor is a signatory of region, junk otherwise (the
// request is refused before it is looked at).
func (f *agreementFixtures) signature(ac *actor, region string, id int64) app.SignInput {
	if ac.role == kolaborasi.RoleSignatory && ac.user.RegionCode == region {
		return f.signInput(ac.user, region, id)
	}
	return app.SignInput{AgreementID: id, Version: 1, Stage: ledger.StageKSB, Party: region, Role: ledger.RoleSignatory,
		KeyID: "0123456789abcdef", Signature: make([]byte, 64)}
}

// pendingKey is a key of region's fixture signatory waiting for approval.
func (f *agreementFixtures) pendingKey(region string) string {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k, err := f.ts.app.RequestSigningKey(as(f.signer[region]), pub, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return k.KeyID
}

func freshPublicKey() string {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	return base64.StdEncoding.EncodeToString(pub)
}

func (f *agreementFixtures) contentJSON(region string) string {
	b, err := json.Marshal(f.content(region))
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

func agreementForm(region string, title string) url.Values {
	return url.Values{"type": {"ksdd-sukarela"}, "title": {title}, "scope": {"Smart City"}, "p0_region": {region}, "p1_region": {thirdParty},
		"burdens_community": {"no"}, "budgeted_in_apbd": {"yes"}}
}

// etagOf reads an agreement's ETag as any client would.
func (f *agreementFixtures) etagOf(id int64) string {
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/agreements/%d", f.ts.URL, id))
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("ETag")
}

func (f *agreementFixtures) fixtures() map[string]func(ac *actor, region string) request {
	path := func(format string, id int64) string { return fmt.Sprintf(format, id) }
	return map[string]func(ac *actor, region string) request{
		"GET /kelola/{code}/kerjasama/baru": func(*actor, string) request { return request{} },
		"POST /kelola/{code}/kerjasama": func(_ *actor, region string) request {
			return request{form: agreementForm(region, "Kerja sama "+f.fresh())}
		},
		"GET /kerjasama/{id}/ubah": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/ubah", f.agreement(region, kolaborasi.StatusOffered))}
		},
		"POST /kerjasama/{id}": func(_ *actor, region string) request {
			id := f.agreement(region, kolaborasi.StatusOffered)
			form := agreementForm(region, "Kerja sama "+f.fresh())
			form.Set("etag", f.etagOf(id))
			return request{path: path("/kerjasama/%d", id), form: form}
		},
		"GET /kerjasama/{id}/adendum": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/adendum", f.agreement(region, kolaborasi.StatusKSBSigned))}
		},
		"POST /kerjasama/{id}/adendum": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/adendum", f.agreement(region, kolaborasi.StatusKSBSigned)), form: agreementForm(region, "Adendum "+f.fresh())}
		},
		"POST /kerjasama/{id}/status": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/status", f.agreement(region, kolaborasi.StatusDraft)), form: url.Values{"to": {"offered"}}}
		},
		"POST /kerjasama/{id}/lampiran": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/lampiran", f.agreement(region, kolaborasi.StatusOffered)), multipart: true, file: "file",
				fileBody: []byte(minimalPDF + "%" + f.fresh() + "\n"), form: url.Values{"kind": {"kak"}, "name": {"KAK " + f.fresh()}}}
		},
		"GET /kerjasama/{id}/tanda-tangan": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/tanda-tangan", f.agreement(region, kolaborasi.StatusKSBNegotiated))}
		},
		"POST /kerjasama/{id}/tanda-tangan": func(ac *actor, region string) request {
			id := f.agreement(region, kolaborasi.StatusKSBNegotiated)
			in := f.signature(ac, region, id)
			return request{path: path("/kerjasama/%d/tanda-tangan", id),
				form: url.Values{"key_id": {in.KeyID}, "signature": {base64.StdEncoding.EncodeToString(in.Signature)}}}
		},
		"GET /kelola/{code}/tenggat": func(*actor, string) request { return request{} },
		"GET /akun/kunci":            func(*actor, string) request { return request{} },
		"POST /akun/kunci": func(*actor, string) request {
			return request{form: url.Values{"public_key": {freshPublicKey()}}}
		},
		"GET /kelola/{code}/kunci": func(*actor, string) request { return request{} },
		"POST /kelola/{code}/kunci/{id}/{decision}": func(_ *actor, region string) request {
			return request{path: "/kelola/" + region + "/kunci/" + f.pendingKey(region) + "/setujui"}
		},

		"POST /api/v1/agreements": func(_ *actor, region string) request {
			return request{json: f.contentJSON(region)}
		},
		"PUT /api/v1/agreements/{id}": func(_ *actor, region string) request {
			id := f.agreement(region, kolaborasi.StatusOffered)
			return request{path: path("/api/v1/agreements/%d", id), json: f.contentJSON(region), header: []string{"If-Match", f.etagOf(id)}}
		},
		"POST /api/v1/agreements/{id}/addenda": func(_ *actor, region string) request {
			return request{path: path("/api/v1/agreements/%d/addenda", f.agreement(region, kolaborasi.StatusKSBSigned)), json: f.contentJSON(region)}
		},
		"POST /api/v1/agreements/{id}/status": func(_ *actor, region string) request {
			return request{path: path("/api/v1/agreements/%d/status", f.agreement(region, kolaborasi.StatusDraft)), json: `{"to":"offered"}`}
		},
		"POST /api/v1/agreements/{id}/attachments": func(_ *actor, region string) request {
			id := f.agreement(region, kolaborasi.StatusOffered)
			return request{path: fmt.Sprintf("/api/v1/agreements/%d/attachments?kind=kak&name=KAK-%s", id, f.fresh()),
				raw: []byte(minimalPDF + "%" + f.fresh() + "\n"), rawType: "application/pdf"}
		},
		"POST /api/v1/agreements/{id}/signatures": func(ac *actor, region string) request {
			id := f.agreement(region, kolaborasi.StatusKSBNegotiated)
			in := f.signature(ac, region, id)
			return request{path: path("/api/v1/agreements/%d/signatures", id), json: fmt.Sprintf(
				`{"version":1,"stage":"ksb","party":%q,"role":"signatory","key_id":%q,"signature":%q}`,
				region, in.KeyID, base64.StdEncoding.EncodeToString(in.Signature))}
		},
		"GET /api/v1/regions/{code}/agreement-deadlines": func(*actor, string) request { return request{} },
		"GET /api/v1/regions/{code}/signing-keys":        func(*actor, string) request { return request{} },
		"GET /api/v1/me/signing-keys":                    func(*actor, string) request { return request{} },
		"POST /api/v1/signing-keys": func(*actor, string) request {
			return request{json: `{"public_key":"` + freshPublicKey() + `"}`}
		},
		"POST /api/v1/signing-keys/{id}/{decision}": func(_ *actor, region string) request {
			return request{path: "/api/v1/signing-keys/" + f.pendingKey(region) + "/approve"}
		},
	}
}
