package app_test

import (
	"slices"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
)

// The workspace lists the signatures a region owes (as a party, or as a
// KSB witness), drops them once given, leaves KSBs out for an OPD head, and
// offers exactly the actions the policies allow.
func TestWorkspacePendingSignatures(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		blitarCo, bandungCo := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "kerjasama@bandung.test")
		c := demo.KSB
		c.Title = "Kerja Sama Ruang Kerja"
		ag, err := s.a.CreateAgreement(blitarCo, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			by string
			to kolaborasi.AgreementStatus
		}{{"blitar", kolaborasi.StatusOffered}, {"bandung", kolaborasi.StatusKSBNegotiated}} {
			ctx := blitarCo
			if step.by == "bandung" {
				ctx = bandungCo
			}
			if err := s.a.MoveAgreement(ctx, ag.ID, step.to); err != nil {
				t.Fatal(err)
			}
		}
		owed := func(email string) []app.PendingSignature {
			t.Helper()
			w, err := s.a.MyWorkspace(s.as(t, email))
			if err != nil {
				t.Fatal(err)
			}
			return slices.DeleteFunc(w.ToSign, func(p app.PendingSignature) bool { return p.Agreement.ID != ag.ID })
		}
		if p := owed("walikota@blitarkota.test"); len(p) != 1 || p[0].Role != ledger.RoleSignatory || p[0].Stage != ledger.StageKSB {
			t.Errorf("Blitar's head owes %+v, want one KSB signature", p)
		}
		if p := owed("bupati@malangkab.test"); len(p) != 1 || p[0].Role != ledger.RoleWitness {
			t.Errorf("Malang (a witness) owes %+v, want one witness signature", p)
		}
		// Once Blitar signed, Blitar owes nothing more; Bandung still does.
		priv, keyID := s.key(t, "walikota@blitarkota.test", "admin@kolaborasi.test")
		if err := s.sign(t, "walikota@blitarkota.test", priv, keyID, app.SignInput{AgreementID: ag.ID, Version: ag.Version,
			Stage: ledger.StageKSB, Party: demo.Blitar, Role: ledger.RoleSignatory}); err != nil {
			t.Fatal(err)
		}
		if p := owed("walikota@blitarkota.test"); len(p) != 0 {
			t.Errorf("after signing Blitar still owes %+v", p)
		}
		if p := owed("walikota@bandung.test"); len(p) != 1 {
			t.Errorf("Bandung owes %+v, want one", p)
		}
		// An OPD head with a signatory role signs only a PKS.
		bandungOPDs, err := s.a.OPDs(bandungCo, demo.Bandung)
		if err != nil || len(bandungOPDs) == 0 {
			t.Fatal(bandungOPDs, err)
		}
		s.addUser(t, app.UserInput{Email: "kadis@bandung.test", Name: "Kepala Diskominfo", Region: demo.Bandung, OPDID: bandungOPDs[0].ID,
			Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}})
		if p := owed("kadis@bandung.test"); len(p) != 0 {
			t.Errorf("an OPD head is asked for a KSB signature: %+v", p)
		}

		// Actions follow the policies, one by one.
		for _, email := range []string{"umkm@blitarkota.test", "kerjasama@blitarkota.test", "walikota@blitarkota.test", "admin@blitarkota.test"} {
			u := s.users[email]
			got := s.a.Capabilities(as(u), u.RegionCode)
			for _, act := range app.Actions() {
				region := u.RegionCode
				if act == app.ActAuditReadAll {
					region = ""
				}
				if slices.Contains(got, act) && !app.Allowed(u, act, region) {
					t.Errorf("%s is offered %s, which the policy refuses", email, act)
				}
			}
			if !slices.Contains(got, app.ActSolutionPublish) != (email == "kerjasama@blitarkota.test" || email == "walikota@blitarkota.test") {
				t.Errorf("%s: publishing offered = %v", email, slices.Contains(got, app.ActSolutionPublish))
			}
		}
	})
}
