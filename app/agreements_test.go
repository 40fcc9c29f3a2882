package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/document"
	"github.com/kolaborasi/kolaborasi/internal/pdftext"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// minimalPDF is a tiny well-formed PDF document.
var minimalPDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
	"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n")

// seeded is an app with the demo data: the Blitar–Bandung KSB signed.
type seeded struct {
	a     *app.App
	users map[string]*kolaborasi.User
	ksb   *kolaborasi.Agreement
}

// demoData holds the regions and the demo, seeded once per test binary as
// newSeeded seeds (same clock, log key and password cost);
// demoData.Engines runs a test on a copy of it and on a fresh PostgreSQL
// database, which newSeeded seeds.
var demoData = storetest.NewSQLiteTemplate(func(ctx context.Context, db *store.DB) error {
	a := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow }), testHashCost)
	if _, err := a.LoadReferenceData(ctx); err != nil {
		return err
	}
	return demo.Seed(as(kolaborasi.System), a)
})

func newSeeded(t *testing.T, db *store.DB) *seeded {
	t.Helper()
	a := newApp(t, db)
	sys := as(kolaborasi.System)
	if !demoData.Copied(db) {
		if err := demo.Seed(sys, a); err != nil {
			t.Fatal(err)
		}
	}
	s := &seeded{a: a, users: map[string]*kolaborasi.User{}}
	for _, r := range demo.StoryRegions {
		us, err := a.Users(sys, r)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			s.users[u.Email] = u
		}
	}
	// Platform staff have no region; this one stands for the demo's admin.
	s.users["admin@kolaborasi.test"] = &kolaborasi.User{ID: 1, Name: "Admin Platform", Email: "admin@kolaborasi.test",
		Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}, Status: kolaborasi.UserActive}
	ags, err := a.Agreements(context.Background(), kolaborasi.AgreementFilter{Region: demo.Blitar})
	if err != nil || len(ags) != 1 {
		t.Fatalf("demo agreements = %v, %v", ags, err)
	}
	s.ksb, err = a.Agreement(context.Background(), ags[0].ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *seeded) as(t *testing.T, email string) context.Context {
	t.Helper()
	u, ok := s.users[email]
	if !ok {
		t.Fatalf("no demo user %s", email)
	}
	return as(u)
}

// addUser invites a user as the System actor.
func (s *seeded) addUser(t *testing.T, in app.UserInput) *kolaborasi.User {
	t.Helper()
	in.Status = kolaborasi.UserActive
	u, _, err := s.a.InviteUser(as(kolaborasi.System), in)
	if err != nil {
		t.Fatal(err)
	}
	s.users[u.Email] = u
	return u
}

// key makes a key pair and has it registered for the user's region.
func (s *seeded) key(t *testing.T, holder, admin string) (ed25519.PrivateKey, string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.a.RequestSigningKey(s.as(t, holder), pub, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.a.ApproveSigningKey(s.as(t, admin), k.KeyID); err != nil {
		t.Fatal(err)
	}
	return priv, k.KeyID
}

// sign signs what the server says the signature covers and submits it.
func (s *seeded) sign(t *testing.T, signer string, priv ed25519.PrivateKey, keyID string, in app.SignInput) error {
	t.Helper()
	c, err := s.a.SigningContent(context.Background(), in.AgreementID, in.Version, in.Party, in.Role, in.Stage, keyID)
	if err != nil {
		t.Fatal(err)
	}
	in.KeyID = keyID
	if in.Signature, err = ledger.Sign(priv, c); err != nil {
		t.Fatal(err)
	}
	_, err = s.a.SignAgreement(s.as(t, signer), in)
	return err
}

func TestDemoKSBIsSignedAndLogged(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ag := s.ksb
		if ag.Status != kolaborasi.StatusKSBSigned || !ag.Frozen || len(ag.Signatures) != 2 {
			t.Fatalf("demo KSB: status %s frozen %v, %d signatures", ag.Status, ag.Frozen, len(ag.Signatures))
		}
		events, err := s.a.AgreementEvents(context.Background(), ag.ID)
		if err != nil {
			t.Fatal(err)
		}
		var path []string
		for _, e := range events {
			path = append(path, string(e.To))
		}
		if got := strings.Join(path, " "); got != "offered ksb_negotiated ksb_signed" {
			t.Errorf("events: %s", got)
		}
		// 3 status changes, 2 key registrations, 2 signatures.
		_, size, err := s.a.LogCheckpoint(context.Background())
		if err != nil || size != 7 {
			t.Fatalf("log size %d, %v; want 7", size, err)
		}
		entries, err := s.a.LogEntries(context.Background(), 0, size)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, e := range entries {
			types = append(types, e.Type)
		}
		want := "status_change status_change key_registered signature key_registered signature status_change"
		if got := strings.Join(types, " "); got != want {
			t.Errorf("log types:\n got %s\nwant %s", got, want)
		}
		// The last signature and the status change it caused share a batch.
		if last := events[len(events)-1]; last.LogIndex != 6 || last.ActorRole != "signatory" {
			t.Errorf("last event %+v", last)
		}
		bundle, err := s.a.AgreementBundle(context.Background(), ag.ID, ag.Version)
		if err != nil {
			t.Fatal(err)
		}
		vkey, err := s.a.LogVerifierKey(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ledger.VerifyBundle(bundle, vkey)
		if err != nil {
			t.Fatalf("demo bundle does not verify: %v", err)
		}
		if len(rep.Signatures) != 2 || !rep.Signatures[0].Valid || rep.Signatures[0].HolderOffice != "Wali Kota Blitar" {
			t.Errorf("report %+v", rep)
		}
		// Every single-byte change of the bundle fails verification.
		for i := range bundle {
			bad := append([]byte(nil), bundle...)
			bad[i] ^= 0x20
			if _, err := ledger.VerifyBundle(bad, vkey); err == nil {
				t.Fatalf("bundle with byte %d changed (%q → %q) verifies", i, bundle[i], bad[i])
			}
		}
		tampered := bytes.Replace(bundle, []byte("Balai Kota Kusuma Wicitra"), []byte("Balai Kota Kusuma Wicitrb"), 1)
		if bytes.Equal(tampered, bundle) {
			t.Fatal("venue not in bundle")
		}
		if _, err := ledger.VerifyBundle(tampered, vkey); err == nil {
			t.Error("a tampered bundle verifies")
		}
	})
}

func TestAgreementDraftingRules(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		blitar := s.as(t, "kerjasama@blitarkota.test")
		content := func() kolaborasi.AgreementContent {
			var c kolaborasi.AgreementContent
			b, _ := json.Marshal(demo.KSB)
			json.Unmarshal(b, &c)
			c.Title = "Kerja Sama Pertukaran Aplikasi"
			c.SignDate = ""
			return c
		}

		// Who may draft: a party's coordinator only.
		_, err := s.a.CreateAgreement(context.Background(), content())
		wantCode(t, err, kolaborasi.EUNAUTHORIZED)
		for _, who := range []string{"admin@kolaborasi.test", "walikota@blitarkota.test", "admin@blitarkota.test", "umkm@blitarkota.test"} {
			_, err := s.a.CreateAgreement(s.as(t, who), content())
			wantCode(t, err, kolaborasi.EFORBIDDEN)
		}
		c := content()
		c.Parties = []kolaborasi.AgreementParty{{Region: demo.Malang}, {Region: demo.Kediri}}
		c.Witnesses = nil
		c.Exchanges, c.Financing = nil, nil
		_, err = s.a.CreateAgreement(blitar, c)
		wantCode(t, err, kolaborasi.EINVALID)

		// Bad content.
		for name, mod := range map[string]func(c *kolaborasi.AgreementContent){
			"jakarta unit":     func(c *kolaborasi.AgreementContent) { c.Parties[1] = kolaborasi.AgreementParty{Region: "31.71"} },
			"one party":        func(c *kolaborasi.AgreementContent) { c.Parties = c.Parties[:1] },
			"same party twice": func(c *kolaborasi.AgreementContent) { c.Parties[1] = c.Parties[0] },
			"unknown region":   func(c *kolaborasi.AgreementContent) { c.Parties[1].Region = "35.99" },
			"third party in KSDD": func(c *kolaborasi.AgreementContent) {
				c.Parties[1] = kolaborasi.AgreementParty{ThirdParty: "PT Contoh", Office: "Direktur"}
			},
			"type":             func(c *kolaborasi.AgreementContent) { c.Type = "mou" },
			"giver":            func(c *kolaborasi.AgreementContent) { c.Exchanges[0].Giver = 5 },
			"self exchange":    func(c *kolaborasi.AgreementContent) { c.Exchanges[0].Receivers = []int{1} },
			"term":             func(c *kolaborasi.AgreementContent) { c.Exchanges[0].Terms = []string{"gratis"} },
			"date":             func(c *kolaborasi.AgreementContent) { c.StartDate = "8 Maret 2017" },
			"end before start": func(c *kolaborasi.AgreementContent) { c.StartDate, c.EndDate = "2018-01-01", "2017-01-01" },
			"party witness":    func(c *kolaborasi.AgreementContent) { c.Witnesses[0].Region = demo.Bandung },
			"no scope":         func(c *kolaborasi.AgreementContent) { c.Scope = nil },
			"control char":     func(c *kolaborasi.AgreementContent) { c.Title = "a\x00b" },
		} {
			c := content()
			mod(&c)
			_, err := s.a.CreateAgreement(blitar, c)
			if kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		// Exchange items may name a catalogue solution of the giving region.
		ids := make([]int64, 200)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		sols, err := db.Store().FindSolutionsByID(context.Background(), ids)
		if err != nil {
			t.Fatal(err)
		}
		var bandungSol, blitarSol int64
		for _, sol := range sols {
			switch sol.RegionCode {
			case demo.Bandung:
				bandungSol = sol.ID
			case demo.Blitar:
				blitarSol = sol.ID
			}
		}
		if bandungSol == 0 || blitarSol == 0 {
			t.Fatalf("demo solutions of Bandung %d and Blitar %d", bandungSol, blitarSol)
		}
		for sol, want := range map[int64]string{bandungSol: "", blitarSol: kolaborasi.EINVALID, 1 << 40: kolaborasi.EINVALID} {
			c := content()
			c.Exchanges[0].SolutionID = sol // Bandung gives
			_, err := s.a.CreateAgreement(blitar, c)
			if got := kolaborasi.ErrorCode(err); got != want {
				t.Errorf("solution %d: %q (%v), want %q", sol, got, err, want)
			}
		}
		// KSDPK with a third party is fine.
		c = content()
		c.Type = kolaborasi.KSDPK
		c.Parties[1] = kolaborasi.AgreementParty{ThirdParty: "Institut Teknologi Bandung", Office: "Rektor"}
		c.Exchanges, c.Financing = nil, nil
		if _, err := s.a.CreateAgreement(blitar, c); err != nil {
			t.Fatalf("KSDPK: %v", err)
		}

		ag, err := s.a.CreateAgreement(blitar, content())
		if err != nil {
			t.Fatal(err)
		}
		if ag.Content.Parties[1].Name != "Pemerintah Kota Bandung" || ag.Status != kolaborasi.StatusDraft {
			t.Errorf("created %+v", ag)
		}
		// Drafts are visible to the parties only.
		if _, err := s.a.Agreement(context.Background(), ag.ID, 0); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			t.Errorf("anonymous sees a draft: %v", err)
		}
		if _, err := s.a.Agreement(s.as(t, "diskominfo@bandung.test"), ag.ID, 0); err != nil {
			t.Errorf("a party's user cannot see the draft: %v", err)
		}
		// Attachments: PDFs only, checked by content.
		for _, bad := range [][]byte{nil, []byte("hello"), []byte("%PDF-1.4 but nothing else"), bytes.Repeat([]byte("x"), 100),
			append([]byte("\x89PNG\r\n\x1a\n"), minimalPDF...), make([]byte, app.MaxAttachmentBytes+1)} {
			_, err := s.a.AddAttachment(blitar, ag.ID, kolaborasi.AttachKAK, "KAK.pdf", bad)
			wantCode(t, err, kolaborasi.EINVALID)
		}
		att, err := s.a.AddAttachment(blitar, ag.ID, kolaborasi.AttachKAK, "KAK.pdf", minimalPDF)
		if err != nil || !att.Signed || len(att.SHA256) != 64 {
			t.Fatalf("attach = %+v, %v", att, err)
		}
		// A draft's attachment stays with the parties, even by its hash.
		_, err = s.a.File(context.Background(), att.SHA256)
		wantCode(t, err, kolaborasi.ENOTFOUND)
		if f, err := s.a.File(s.as(t, "diskominfo@bandung.test"), att.SHA256); err != nil || f.ContentType != "application/pdf" {
			t.Errorf("a party's user cannot read the draft's attachment: %+v, %v", f, err)
		}
		_, err = s.a.AddAttachment(s.as(t, "kerjasama@bandung.test"), ag.ID, kolaborasi.AttachKAK, "KAK.pdf", minimalPDF)
		wantCode(t, err, kolaborasi.ECONFLICT)
		_, err = s.a.AddAttachment(s.as(t, "admin@blitarkota.test"), ag.ID, kolaborasi.AttachKAK, "Other.pdf", minimalPDF)
		wantCode(t, err, kolaborasi.EFORBIDDEN)

		// Workflow: only listed moves, by a party's coordinator.
		wantCode(t, s.a.MoveAgreement(blitar, ag.ID, kolaborasi.StatusActive), kolaborasi.ECONFLICT)
		wantCode(t, s.a.MoveAgreement(s.as(t, "walikota@blitarkota.test"), ag.ID, kolaborasi.StatusOffered), kolaborasi.EFORBIDDEN)
		// A coordinator of a non-party region is refused.
		malang := s.addUser(t, app.UserInput{Email: "kerjasama@malangkab.test", Name: "Kerja Sama Malang", Region: demo.Malang,
			Roles: []kolaborasi.Role{kolaborasi.RoleCoordinator}})
		wantCode(t, s.a.MoveAgreement(as(malang), ag.ID, kolaborasi.StatusOffered), kolaborasi.EFORBIDDEN)
		if err := s.a.MoveAgreement(blitar, ag.ID, kolaborasi.StatusOffered); err != nil {
			t.Fatal(err)
		}
		// Offered, the agreement and its attachments are public.
		if _, err := s.a.File(context.Background(), att.SHA256); err != nil {
			t.Errorf("an offered agreement's attachment is not public: %v", err)
		}
		c = content()
		c.Purpose = []string{"Tujuan baru."}
		if err := s.a.UpdateAgreement(s.as(t, "kerjasama@bandung.test"), ag.ID, 1, time.Time{}, c); err != nil {
			t.Fatalf("update while offered: %v", err)
		}

		// The demo KSB is signed: its version is immutable; an addendum
		// makes version 2.
		c = content()
		err = s.a.UpdateAgreement(blitar, s.ksb.ID, s.ksb.Version, time.Time{}, c)
		wantCode(t, err, kolaborasi.ECONFLICT)
		again, _ := s.a.Agreement(context.Background(), s.ksb.ID, 1)
		if again.Content.Title != demo.KSB.Title {
			t.Error("the signed version changed")
		}
		v2, err := s.a.CreateAddendum(blitar, s.ksb.ID, c, false)
		if err != nil || v2.Version != 2 || v2.Status != kolaborasi.StatusDraft {
			t.Fatalf("addendum = %+v, %v", v2, err)
		}
		_, err = s.a.CreateAddendum(blitar, s.ksb.ID, c, false)
		wantCode(t, err, kolaborasi.ECONFLICT) // version 2 is not signed
		if v1, _ := s.a.Agreement(context.Background(), s.ksb.ID, 1); v1.Status != kolaborasi.StatusKSBSigned || len(v1.Signatures) != 2 {
			t.Errorf("version 1 after the addendum: %+v", v1)
		}
		// Listing: the KSDPK is a draft, hidden from the public; the offered
		// agreement shows, and so does the signed KSB as version 1 while its
		// addendum is a draft.
		list, err := s.a.Agreements(context.Background(), kolaborasi.AgreementFilter{Sector: "Koperasi"})
		if err != nil || len(list) != 2 || list[0].ID != ag.ID || list[1].ID != s.ksb.ID || list[1].Version != 1 {
			t.Errorf("public list: %d, %v", len(list), err)
		}
		list, err = s.a.Agreements(blitar, kolaborasi.AgreementFilter{Region: demo.Blitar, Type: kolaborasi.KSDDSukarela})
		if err != nil || len(list) != 3 { // the addendum, the offered one, the one with a solution
			t.Errorf("Blitar's own list: %d, %v", len(list), err)
		}
	})
}

func TestSignatureRules(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		blitarCo, bandungCo := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "kerjasama@bandung.test")
		c := demo.KSB
		c.Title = "Kerja Sama Layanan Perizinan"
		ag, err := s.a.CreateAgreement(blitarCo, c)
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.a.CreateAgreement(blitarCo, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{ag.ID, other.ID} {
			if err := s.a.MoveAgreement(blitarCo, id, kolaborasi.StatusOffered); err != nil {
				t.Fatal(err)
			}
			if err := s.a.MoveAgreement(bandungCo, id, kolaborasi.StatusKSBNegotiated); err != nil {
				t.Fatal(err)
			}
		}

		// Keys: an admin of the key's region or a platform admin approves
		// (the four-eyes rule: TestSigningKeyFourEyes); nobody else.
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		_, err = s.a.RequestSigningKey(s.as(t, "kerjasama@blitarkota.test"), pub, "")
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		k, err := s.a.RequestSigningKey(s.as(t, "walikota@blitarkota.test"), pub, "")
		if err != nil || k.Status != kolaborasi.KeyPending || k.Office != "Wali Kota Blitar" {
			t.Fatalf("request = %+v, %v", k, err)
		}
		_, err = s.a.RequestSigningKey(s.as(t, "walikota@bandung.test"), pub, "")
		wantCode(t, err, kolaborasi.ECONFLICT)
		for _, who := range []string{"umkm@blitarkota.test", "admin@bandung.test", "walikota@blitarkota.test", "kerjasama@blitarkota.test"} {
			wantCode(t, s.a.ApproveSigningKey(s.as(t, who), k.KeyID), kolaborasi.EFORBIDDEN)
		}
		in := app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StageKSB, Party: demo.Blitar, Role: ledger.RoleSignatory}
		err = s.sign(t, "walikota@blitarkota.test", priv, k.KeyID, in)
		wantCode(t, err, kolaborasi.EINVALID) // pending key
		if err := s.a.ApproveSigningKey(s.as(t, "admin@kolaborasi.test"), k.KeyID); err != nil {
			t.Fatal(err)
		}
		_, sizeBefore, _ := s.a.LogCheckpoint(ctx)

		// Replays: a valid signature moved to another agreement, version,
		// party or stage fails.
		sc, err := s.a.SigningContent(ctx, ag.ID, 1, demo.Blitar, ledger.RoleSignatory, ledger.StageKSB, k.KeyID)
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := ledger.Sign(priv, sc)
		good := in
		good.KeyID, good.Signature = k.KeyID, sig
		walikota := s.as(t, "walikota@blitarkota.test")
		for name, mod := range map[string]func(in *app.SignInput){
			"other agreement": func(in *app.SignInput) { in.AgreementID = other.ID },
			"other party":     func(in *app.SignInput) { in.Party = demo.Bandung },
			"other version":   func(in *app.SignInput) { in.Version = 2 },
			"other stage":     func(in *app.SignInput) { in.Stage = ledger.StagePKS },
			"as witness":      func(in *app.SignInput) { in.Role = ledger.RoleWitness },
			"flipped bit":     func(in *app.SignInput) { in.Signature = append([]byte{in.Signature[0] ^ 1}, in.Signature[1:]...) },
		} {
			bad := good
			mod(&bad)
			if _, err := s.a.SignAgreement(walikota, bad); err == nil {
				t.Errorf("%s: replayed signature accepted", name)
			}
		}
		// A signatory of another region is refused, even with the key.
		_, err = s.a.SignAgreement(s.as(t, "walikota@bandung.test"), good)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		// A signatory of the other party cannot use Blitar's key.
		bandungSig := good
		bandungSig.Party = demo.Bandung
		_, err = s.a.SignAgreement(s.as(t, "walikota@bandung.test"), bandungSig)
		if err == nil {
			t.Error("Bandung signed with Blitar's key")
		}
		if _, size, _ := s.a.LogCheckpoint(ctx); size != sizeBefore {
			t.Errorf("refused signatures changed the log: %d → %d", sizeBefore, size)
		}
		if _, err := s.a.SignAgreement(walikota, good); err != nil {
			t.Fatalf("good signature refused: %v", err)
		}
		_, err = s.a.SignAgreement(walikota, good)
		wantCode(t, err, kolaborasi.ECONFLICT)
		// Signed, the version is frozen.
		wantCode(t, s.a.UpdateAgreement(blitarCo, ag.ID, 1, time.Time{}, c), kolaborasi.ECONFLICT)

		// A witness signs the KSB in the witness role.
		_, err = s.a.RequestSigningKey(s.as(t, "bupati@malangkab.test"), pub, "")
		wantCode(t, err, kolaborasi.ECONFLICT) // one key, one holder
		mpriv, mkey := s.key(t, "bupati@malangkab.test", "admin@kolaborasi.test")
		witness := app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StageKSB, Party: demo.Malang, Role: ledger.RoleWitness}
		if err := s.sign(t, "bupati@malangkab.test", mpriv, mkey, witness); err != nil {
			t.Fatalf("witness: %v", err)
		}
		witness.Role = ledger.RoleSignatory
		if err := s.sign(t, "bupati@malangkab.test", mpriv, mkey, witness); err == nil {
			t.Error("a witness signed as a party")
		}
		// Half signed, the bundle's signatures hold but it proves no KSB.
		partial, err := s.a.AgreementBundle(ctx, ag.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		vkey, _ := s.a.LogVerifierKey(ctx)
		rep, err := ledger.VerifyBundle(partial, vkey)
		if !errors.Is(err, ledger.ErrIncomplete) || len(rep.Signatures) != 2 || !rep.Signatures[1].Valid ||
			len(rep.Stages) != 1 || len(rep.Stages[0].Missing) != 1 || !strings.HasPrefix(rep.Stages[0].Missing[0], demo.Bandung) {
			t.Errorf("half-signed bundle: %v, %+v", err, rep)
		}

		// A revoked key's later signature fails.
		bpriv, bkey := s.key(t, "walikota@bandung.test", "admin@kolaborasi.test")
		wantCode(t, s.a.RevokeSigningKey(s.as(t, "admin@blitarkota.test"), bkey, "lost"), kolaborasi.EFORBIDDEN)
		if err := s.a.RevokeSigningKey(s.as(t, "admin@bandung.test"), bkey, "laptop lost"); err != nil {
			t.Fatal(err)
		}
		bin := app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StageKSB, Party: demo.Bandung, Role: ledger.RoleSignatory}
		wantCode(t, s.sign(t, "walikota@bandung.test", bpriv, bkey, bin), kolaborasi.EINVALID)
		// A new key works and completes the KSB.
		bpriv, bkey = s.key(t, "walikota@bandung.test", "admin@kolaborasi.test")
		if err := s.sign(t, "walikota@bandung.test", bpriv, bkey, bin); err != nil {
			t.Fatal(err)
		}
		got, _ := s.a.Agreement(ctx, ag.ID, 0)
		if got.Status != kolaborasi.StatusKSBSigned {
			t.Fatalf("status %s after both parties signed", got.Status)
		}
		bundle, err := s.a.AgreementBundle(ctx, ag.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		rep, err = ledger.VerifyBundle(bundle, vkey)
		if err != nil || len(rep.Signatures) != 3 || rep.Stage != ledger.StageKSB || len(rep.Stages[0].Signatories) != 2 {
			t.Fatalf("bundle: %+v, %v", rep, err)
		}
		for _, r := range rep.Signatures {
			if !r.Valid {
				t.Errorf("signature %+v", r)
			}
		}
	})
}

// TestSigningKeyFourEyes: no single account brings a head of region's
// signing key into use. The holder, whoever invited or last changed the
// holder's account or issued it a reset link, and the only admin of a
// region may not approve; a second region admin or a platform admin may,
// and the log entry names the approver.
func TestSigningKeyFourEyes(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		platform := s.as(t, "admin@kolaborasi.test")
		// request has the holder (a fresh account of its own) ask for a key.
		request := func(holder *kolaborasi.User) string {
			t.Helper()
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			k, err := s.a.RequestSigningKey(as(holder), pub, "")
			if err != nil {
				t.Fatal(err)
			}
			return k.KeyID
		}
		approvedBy := func(region, keyID string) string {
			t.Helper()
			keys, err := s.a.SigningKeys(platform, region)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range keys {
				if k.KeyID == keyID && k.Status == kolaborasi.KeyActive {
					es, err := s.a.LogEntries(ctx, k.RegLogIndex, k.RegLogIndex+1)
					if err != nil {
						t.Fatal(err)
					}
					e, err := ledger.ParseEntry(es[0].Record)
					if err != nil {
						t.Fatal(err)
					}
					return e.(*ledger.KeyRegistered).ApprovedBy
				}
			}
			t.Fatalf("key %s is not active", keyID)
			return ""
		}
		invite := func(by context.Context, email, region string, roles ...kolaborasi.Role) *kolaborasi.User {
			t.Helper()
			u, token, err := s.a.InviteUser(by, app.UserInput{Email: email, Name: email, Region: region, Roles: roles, Status: kolaborasi.UserActive})
			if err != nil {
				t.Fatal(err)
			}
			// The inviter holds the link and can redeem it themselves.
			if _, err := s.a.RedeemLink(ctx, token, "a long demo passphrase"); err != nil {
				t.Fatal(err)
			}
			s.users[email] = u
			return u
		}

		// The attack: Bandung's only admin invites a "head of region",
		// redeems the link, registers a key and approves it, alone.
		bandungAdmin := s.as(t, "admin@bandung.test")
		fake := invite(bandungAdmin, "palsu@bandung.test", demo.Bandung, kolaborasi.RoleSignatory)
		key := request(fake)
		err := s.a.ApproveSigningKey(bandungAdmin, key)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		if !strings.Contains(kolaborasi.ErrorMessage(err), "invited or last changed") {
			t.Errorf("inviter refused with %q", kolaborasi.ErrorMessage(err))
		}
		// Self approval: an admin who is also the region's signatory.
		both := invite(platform, "sekda@bandung.test", demo.Bandung, kolaborasi.RoleSignatory, kolaborasi.RoleRegionAdmin)
		own := request(both)
		wantCode(t, s.a.ApproveSigningKey(as(both), own), kolaborasi.EFORBIDDEN)
		// A platform admin may approve what the inviter may not.
		if err := s.a.ApproveSigningKey(platform, key); err != nil {
			t.Fatalf("platform admin: %v", err)
		}
		if got := approvedBy(demo.Bandung, key); got != "Admin Platform (platform administrator)" {
			t.Errorf("log names approver %q", got)
		}

		// A region with one admin: that admin did not invite the signatory
		// (the operator did) but is still refused; a platform admin approves.
		blitarAdmin := s.as(t, "admin@blitarkota.test")
		deputy := invite(as(kolaborasi.System), "wakil@blitarkota.test", demo.Blitar, kolaborasi.RoleSignatory)
		dkey := request(deputy)
		err = s.a.ApproveSigningKey(blitarAdmin, dkey)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		if !strings.Contains(kolaborasi.ErrorMessage(err), "only one administrator") {
			t.Errorf("single admin refused with %q", kolaborasi.ErrorMessage(err))
		}

		// With a second admin, the admin who did not set up the account
		// approves; the one who did still may not.
		second := invite(platform, "admin2@blitarkota.test", demo.Blitar, kolaborasi.RoleRegionAdmin)
		head := invite(blitarAdmin, "plt@blitarkota.test", demo.Blitar, kolaborasi.RoleSignatory)
		hkey := request(head)
		wantCode(t, s.a.ApproveSigningKey(blitarAdmin, hkey), kolaborasi.EFORBIDDEN)
		if err := s.a.ApproveSigningKey(as(second), dkey); err != nil {
			t.Fatalf("second admin: %v", err)
		}
		if got := approvedBy(demo.Blitar, dkey); got != "admin2@blitarkota.test (region administrator, 35.72)" {
			t.Errorf("log names approver %q", got)
		}
		// Whoever last changed the account's access counts as its inviter:
		// the second admin changes the roles, and may then not approve.
		if err := s.a.UpdateUserAccess(as(second), head.ID, app.UserInput{Name: head.Name, Region: demo.Blitar,
			Roles: []kolaborasi.Role{kolaborasi.RoleSignatory, kolaborasi.RoleViewer}, Status: kolaborasi.UserActive}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.a.ApproveSigningKey(as(second), hkey), kolaborasi.EFORBIDDEN)
		if err := s.a.ApproveSigningKey(blitarAdmin, hkey); err != nil {
			t.Fatalf("the other admin after the change: %v", err)
		}
		// So does whoever issued the account a reset link.
		rkey := request(deputy)
		if _, err := s.a.IssueResetLink(blitarAdmin, demo.Blitar, deputy.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.a.ApproveSigningKey(blitarAdmin, rkey), kolaborasi.EFORBIDDEN)
		// A disabled second admin does not make the region two-admin.
		if err := s.a.UpdateUserAccess(platform, second.ID, app.UserInput{Name: second.Name, Region: demo.Blitar,
			Roles: second.Roles, Status: kolaborasi.UserDisabled}); err != nil {
			t.Fatal(err)
		}
		third := invite(as(kolaborasi.System), "wakil2@blitarkota.test", demo.Blitar, kolaborasi.RoleSignatory)
		wantCode(t, s.a.ApproveSigningKey(blitarAdmin, request(third)), kolaborasi.EFORBIDDEN)
	})
}

func TestPKSWorkflowWithDPRDAndSuratKuasa(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		blitarCo, bandungCo := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "kerjasama@bandung.test")
		c := demo.KSB
		c.Title = "Kerja Sama Pusat Data Bersama"
		c.BurdensCommunity = true
		c.EndDate = "2027-01-31"
		ag, err := s.a.CreateAgreement(blitarCo, c)
		if err != nil {
			t.Fatal(err)
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusOffered))
		must(s.a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusKSBNegotiated))
		heads := map[string][2]string{demo.Blitar: {"walikota@blitarkota.test", "admin@kolaborasi.test"}, demo.Bandung: {"walikota@bandung.test", "admin@kolaborasi.test"}}
		for _, r := range []string{demo.Blitar, demo.Bandung} {
			priv, key := s.key(t, heads[r][0], heads[r][1])
			must(s.sign(t, heads[r][0], priv, key, app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StageKSB, Party: r, Role: ledger.RoleSignatory}))
		}
		// DPRD approval is needed: the PKS waits for it and its document.
		wantCode(t, s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusPKSDrafted), kolaborasi.ECONFLICT)
		wantCode(t, s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusDPRDApproved), kolaborasi.ECONFLICT)
		if _, err := s.a.AddAttachment(blitarCo, ag.ID, kolaborasi.AttachDPRDApproval, "Persetujuan DPRD.pdf", minimalPDF); err != nil {
			t.Fatal(err)
		}
		got, _ := s.a.Agreement(ctx, ag.ID, 0)
		if next := app.NextSteps(got, kolaborasi.RoleCoordinator); !slices.Contains(next, kolaborasi.StatusDPRDApproved) {
			t.Errorf("next steps %v", next)
		}
		must(s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusDPRDApproved))
		must(s.a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusPKSDrafted))

		// Bandung's Diskominfo head signs the PKS under a surat kuasa.
		opds, _ := s.a.OPDs(ctx, demo.Bandung)
		head := s.addUser(t, app.UserInput{Email: "kadis@bandung.test", Name: "Kepala Diskominfo Bandung", Region: demo.Bandung,
			OPDID: opds[0].ID, Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}})
		priv, key := s.key(t, head.Email, "admin@kolaborasi.test")
		pks := app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StagePKS, Party: demo.Bandung, Role: ledger.RoleSignatory}
		wantCode(t, s.sign(t, head.Email, priv, key, pks), kolaborasi.EINVALID) // no surat kuasa
		sk, err := s.a.AddAttachment(bandungCo, ag.ID, kolaborasi.AttachSuratKuasa, "Surat Kuasa 12-2026.pdf", append(minimalPDF, ' '))
		if err != nil || sk.Signed {
			t.Fatalf("surat kuasa %+v, %v", sk, err)
		}
		pks.MandateSHA256 = sk.SHA256
		must(s.sign(t, head.Email, priv, key, pks))
		bpriv, bkey := s.key(t, "walikota@blitarkota.test", "admin@kolaborasi.test")
		must(s.sign(t, "walikota@blitarkota.test", bpriv, bkey, app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StagePKS, Party: demo.Blitar, Role: ledger.RoleSignatory}))
		got, _ = s.a.Agreement(ctx, ag.ID, 0)
		if got.Status != kolaborasi.StatusPKSSigned {
			t.Fatalf("status %s", got.Status)
		}
		must(s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusActive))

		// Deadlines: the report is due in a year; the end is near.
		later := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow.AddDate(1, 0, 1) }))
		ds, err := later.AgreementDeadlines(blitarCo, demo.Blitar)
		if err != nil {
			t.Fatal(err)
		}
		var overdue []string
		for _, d := range ds {
			if d.Agreement.ID == ag.ID && d.Overdue {
				overdue = append(overdue, d.Kind)
			}
		}
		if strings.Join(overdue, " ") != "end report" {
			t.Errorf("overdue %v in %+v", overdue, ds)
		}
		_, err = s.a.AgreementDeadlines(s.as(t, "walikota@blitarkota.test"), demo.Blitar)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		wantCode(t, s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusReported), kolaborasi.ECONFLICT)
		if _, err := s.a.AddAttachment(blitarCo, ag.ID, kolaborasi.AttachReport, "Laporan 2026.pdf", minimalPDF); err != nil {
			t.Fatal(err)
		}
		must(s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusReported))
		must(s.a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusEnded))
		wantCode(t, s.a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusTerminated), kolaborasi.ECONFLICT)

		// The PKS bundle holds both stages' signatures and verifies.
		bundle, err := s.a.AgreementBundle(ctx, ag.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		vkey, _ := s.a.LogVerifierKey(ctx)
		rep, err := ledger.VerifyBundle(bundle, vkey)
		if err != nil || len(rep.Signatures) != 4 || rep.Stage != ledger.StagePKS || len(rep.Stages) != 2 || rep.Status != string(kolaborasi.StatusEnded) {
			t.Fatalf("bundle %+v, %v", rep, err)
		}
	})
}

func TestAgreementDocument(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		pdf, err := s.a.AgreementDocument(ctx, s.ksb.ID, 1, document.KindKSB, "https://kolaborasi.example/")
		if err != nil {
			t.Fatal(err)
		}
		text, pages, err := pdftext.Extract(pdf)
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{
			"KESEPAKATAN BERSAMA", "PEMERINTAH KOTA BLITAR", "PEMERINTAH KOTA BANDUNG",
			"KERJA SAMA PENGEMBANGAN SMART CITY", "Wali Kota Blitar", "Wali Kota Bandung", "Bupati Malang",
			"Balai Kota Kusuma Wicitra", "https://kolaborasi.example/kerjasama/" + strconv.FormatInt(s.ksb.ID, 10) + "?versi=1",
			s.ksb.Signatures[0].KeyID,
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("document text lacks %q:\n%s", want, text)
			}
		}
		if len(pages) == 0 {
			t.Fatal("no pages")
		}
		// The demo KSB is a historical agreement recorded later: its
		// signature blocks give the signing date and the recording time,
		// and name the signatory by the signing account (an office in the
		// demo). Numbers and the period it does not know are blanks; it
		// is signed, so no watermark.
		recorded := s.ksb.Signatures[0].SignedAt.UTC()
		for _, want := range []string{
			"NOMOR : .................... NOMOR : ....................",
			"Pada hari ini Rabu tanggal delapan bulan Maret tahun dua ribu tujuh belas",
			"JANGKA WAKTU", "berlaku untuk jangka waktu ...................., terhitung sejak tanggal 8 Maret 2017 sampai dengan tanggal .....................",
			"(ditandatangani 8 Maret 2017; dicatat",
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("document text lacks %q:\n%s", want, flat)
			}
		}
		if want := "Kolaborasi pada " + document.FormatDate(recorded) + " pukul " + recorded.Format("15.04") + " UTC"; !strings.Contains(flat, want) {
			t.Errorf("no %q in:\n%s", want, flat)
		}
		if runs := runTexts(pages); !slices.Contains(runs, "WALI KOTA BLITAR") || !slices.Contains(runs, "WALI KOTA BANDUNG") ||
			slices.Contains(runs, "DRAF") {
			t.Errorf("signatory names or watermark wrong: %q", runs)
		}
		// The PKS is not signed yet: a draft, citing the KSB with blank
		// numbers.
		pdf, err = s.a.AgreementDocument(ctx, s.ksb.ID, 1, document.KindPKS, "")
		if err != nil {
			t.Fatal(err)
		}
		text, pages, err = pdftext.Extract(pdf)
		if err != nil {
			t.Fatal(err)
		}
		if flat := strings.Join(strings.Fields(text), " "); !strings.Contains(flat, "Kesepakatan Bersama Nomor .................... dan Nomor ....................") ||
			!slices.Contains(runTexts(pages), "DRAF") {
			t.Errorf("PKS draft:\n%s", flat)
		}
		_, err = s.a.AgreementDocument(ctx, s.ksb.ID, 1, "MOU", "")
		wantCode(t, err, kolaborasi.EINVALID)
	})
}

// A draft's document carries the DRAF watermark and names a catalogue
// solution exchanged by its name, not its number.
func TestAgreementDocumentDraftNamesSolutions(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := s.as(t, "kerjasama@blitarkota.test")
		res, err := s.a.SearchSolutions(ctx, app.SolutionQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var sol *kolaborasi.Solution
		for _, it := range res.Items {
			if it.Solution.RegionCode == demo.Bandung {
				sol = it.Solution
			}
		}
		if sol == nil {
			t.Fatal("no demo solution of Bandung")
		}
		c := demo.KSB
		c.Exchanges = []kolaborasi.ExchangeItem{{Giver: 1, Receivers: []int{0}, SolutionID: sol.ID, Terms: []string{"hibah"}}}
		ag, err := s.a.CreateAgreement(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := s.a.AgreementDocument(ctx, ag.ID, ag.Version, document.KindKSB, "")
		if err != nil {
			t.Fatal(err)
		}
		text, pages, err := pdftext.Extract(pdf)
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(text), " ")
		if want := "PIHAK KEDUA memberikan kepada PIHAK KESATU solusi katalog Kolaborasi “" + sol.Name.Get("id") + "”"; !strings.Contains(flat, want) {
			t.Errorf("no %q in:\n%s", want, flat)
		}
		if strings.Contains(flat, "nomor "+strconv.FormatInt(sol.ID, 10)) {
			t.Error("the solution is named by its number")
		}
		if !slices.Contains(runTexts(pages), "DRAF") {
			t.Error("a draft's document has no DRAF watermark")
		}
	})
}

// runTexts lists the trimmed text runs of every page.
func runTexts(pages []pdftext.Page) []string {
	var out []string
	for _, p := range pages {
		for _, r := range p.Runs {
			out = append(out, strings.TrimSpace(r.Text))
		}
	}
	return out
}
