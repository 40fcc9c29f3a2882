package app_test

import (
	"context"
	"slices"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
)

// TestDraftAddendumKeepsSignedVersionPublic: while an addendum is drafted,
// everyone who may not read drafts keeps seeing the signed version (page,
// list, events, bundle); the parties see the draft; the note that an
// addendum is in preparation shows only when the parties announce it.
func TestDraftAddendumKeepsSignedVersionPublic(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		anon := context.Background()
		blitar, party := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "diskominfo@bandung.test")
		id := s.ksb.ID
		c := demo.KSB
		c.Title = "Adendum Kerja Sama Smart City"
		v2, err := s.a.CreateAddendum(blitar, id, c, false)
		if err != nil || v2.Version != 2 || v2.Announced {
			t.Fatalf("addendum %+v, %v", v2, err)
		}

		public := func(want int64, note int64) {
			t.Helper()
			ag, err := s.a.Agreement(anon, id, 0)
			if err != nil || ag.Version != 1 || ag.Status != kolaborasi.StatusKSBSigned || len(ag.Signatures) != 2 {
				t.Fatalf("public view: %+v, %v", ag, err)
			}
			if ag.AddendumInPreparation != note {
				t.Errorf("addendum note %d, want %d", ag.AddendumInPreparation, note)
			}
			list, err := s.a.Agreements(anon, kolaborasi.AgreementFilter{Region: demo.Blitar})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(list, func(a *kolaborasi.Agreement) bool { return a.ID == id })
			if i < 0 || list[i].Version != want || list[i].AddendumInPreparation != note {
				t.Errorf("public list: %d at %d", len(list), i)
			}
		}
		public(1, 0)
		_, err = s.a.Agreement(anon, id, 2)
		wantCode(t, err, kolaborasi.ENOTFOUND)
		if v1, err := s.a.Agreement(anon, id, 1); err != nil || v1.Version != 1 {
			t.Errorf("?version=1: %+v, %v", v1, err)
		}
		if ag, err := s.a.Agreement(party, id, 0); err != nil || ag.Version != 2 || ag.Status != kolaborasi.StatusDraft {
			t.Errorf("a party's view: %+v, %v", ag, err)
		}
		if list, err := s.a.Agreements(blitar, kolaborasi.AgreementFilter{Region: demo.Blitar}); err != nil ||
			!slices.ContainsFunc(list, func(a *kolaborasi.Agreement) bool { return a.ID == id && a.Version == 2 }) {
			t.Errorf("Blitar's own list lacks the draft: %v", err)
		}
		if evs, err := s.a.AgreementEvents(anon, id); err != nil || len(evs) != 3 {
			t.Errorf("public events: %d, %v", len(evs), err)
		}
		// The bundle without a version is the signed version's, for all.
		vkey, _ := s.a.LogVerifierKey(anon)
		for _, ctx := range []context.Context{anon, party} {
			b, err := s.a.AgreementBundle(ctx, id, 0)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := ledger.VerifyBundle(b, vkey)
			if err != nil || len(rep.Signatures) != 2 {
				t.Errorf("bundle: %+v, %v", rep, err)
			}
		}

		// Announcing: the parties' coordinators only, drafts only.
		wantCode(t, s.a.AnnounceAddendum(anon, id, 2, true), kolaborasi.EUNAUTHORIZED)
		malang := s.as(t, "bupati@malangkab.test")
		if err := s.a.AnnounceAddendum(malang, id, 2, true); kolaborasi.ErrorCode(err) != kolaborasi.EFORBIDDEN {
			t.Errorf("a witness's signatory announced: %v", err)
		}
		wantCode(t, s.a.AnnounceAddendum(blitar, id, 1, true), kolaborasi.ECONFLICT)
		if err := s.a.AnnounceAddendum(s.as(t, "kerjasama@bandung.test"), id, 2, true); err != nil {
			t.Fatal(err)
		}
		public(1, 2)
		if err := s.a.AnnounceAddendum(blitar, id, 2, false); err != nil {
			t.Fatal(err)
		}
		public(1, 0)

		// Offered, the addendum is the public version; version 1 stays
		// reachable.
		if err := s.a.MoveAgreement(blitar, id, kolaborasi.StatusOffered); err != nil {
			t.Fatal(err)
		}
		if ag, err := s.a.Agreement(anon, id, 0); err != nil || ag.Version != 2 {
			t.Errorf("public view of the offered addendum: %+v, %v", ag, err)
		}
		if v1, err := s.a.Agreement(anon, id, 1); err != nil || len(v1.Signatures) != 2 {
			t.Errorf("version 1 after the addendum is offered: %+v, %v", v1, err)
		}
		if _, err := s.a.AgreementBundle(anon, id, 0); err != nil {
			t.Errorf("bundle while the addendum is unsigned: %v", err)
		}
	})
}
