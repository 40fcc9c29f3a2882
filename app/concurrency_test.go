package app_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
)

// TestConcurrentAgreementWritesNeverFail runs signatures, terminations,
// addenda, attachments, key decisions and solution edits at once. Domain
// refusals (conflict: "already terminated", "changed meanwhile") are
// expected answers; a deadlock, a busy database or any other internal
// error is a failure. Afterwards every agreement is in a state its history
// explains and every signed version's bundle verifies.
func TestConcurrentAgreementWritesNeverFail(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		blitarCo, bandungCo := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "kerjasama@bandung.test")
		bpriv, bkey := s.key(t, "walikota@blitarkota.test", "admin@kolaborasi.test")
		dpriv, dkey := s.key(t, "walikota@bandung.test", "admin@kolaborasi.test")

		const n = 40
		ids := make([]int64, n)
		for i := range ids {
			c := demo.KSB
			c.Title = fmt.Sprintf("Kerja Sama Uji Serentak %d", i)
			ag, err := s.a.CreateAgreement(blitarCo, c)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusOffered); err != nil {
				t.Fatal(err)
			}
			if err := s.a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusKSBNegotiated); err != nil {
				t.Fatal(err)
			}
			ids[i] = ag.ID
		}
		// The signatures are made before the race; only their submission races.
		signed := func(id int64, party, email string, priv []byte, key string) func() error {
			in := app.SignInput{AgreementID: id, Version: 1, Stage: ledger.StageKSB, Party: party, Role: ledger.RoleSignatory, KeyID: key}
			c, err := s.a.SigningContent(ctx, id, 1, party, in.Role, in.Stage, key)
			if err != nil {
				t.Fatal(err)
			}
			if in.Signature, err = ledger.Sign(priv, c); err != nil {
				t.Fatal(err)
			}
			u := s.as(t, email)
			return func() error { _, err := s.a.SignAgreement(u, in); return err }
		}
		var sols []int64
		for id := int64(1); id < 50; id++ {
			if sol, err := s.a.Solution(ctx, id); err == nil && sol.RegionCode == demo.Blitar {
				sols = append(sols, id)
			}
		}
		if len(sols) == 0 {
			t.Fatal("no demo solutions of Blitar")
		}
		editor := s.as(t, "umkm@blitarkota.test")

		var ops []func() error
		// An attachment added before the first signature is part of the
		// signed content, so a signature made before it no longer
		// verifies: invalid is then the right answer.
		mayBeInvalid := map[int]bool{}
		unsignable := map[int64]bool{}
		for i, id := range ids {
			if i%3 == 0 {
				mayBeInvalid[len(ops)], mayBeInvalid[len(ops)+1], unsignable[id] = true, true, true
			}
			ops = append(ops,
				signed(id, demo.Blitar, "walikota@blitarkota.test", bpriv, bkey),
				signed(id, demo.Bandung, "walikota@bandung.test", dpriv, dkey))
			if i%2 == 0 {
				ops = append(ops, func() error { return s.a.MoveAgreement(bandungCo, id, kolaborasi.StatusTerminated) })
			}
			if i%3 == 0 {
				ops = append(ops, func() error {
					_, err := s.a.AddAttachment(blitarCo, id, kolaborasi.AttachKAK, fmt.Sprintf("KAK %d.pdf", id), minimalPDF)
					return err
				})
			}
		}
		for range 3 {
			ops = append(ops, func() error {
				c := demo.KSB
				c.Title = "Adendum Kerja Sama Smart City"
				_, err := s.a.CreateAddendum(blitarCo, s.ksb.ID, c, false)
				return err
			})
		}
		for i := range 6 {
			id := sols[i%len(sols)]
			ops = append(ops, func() error {
				sol, err := s.a.Solution(ctx, id)
				if err != nil {
					return err
				}
				sol.Short.ID = fmt.Sprintf("Diperbarui serentak %d.", i)
				return s.a.UpdateSolution(editor, sol)
			})
		}
		for _, r := range []struct{ holder, admin string }{{"walikota@blitarkota.test", "admin@kolaborasi.test"}, {"walikota@bandung.test", "admin@kolaborasi.test"}} {
			pub, _, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			k, err := s.a.RequestSigningKey(s.as(t, r.holder), pub, "")
			if err != nil {
				t.Fatal(err)
			}
			for range 4 { // four approvals of one key: one wins
				ops = append(ops, func() error { return s.a.ApproveSigningKey(s.as(t, r.admin), k.KeyID) })
			}
		}

		start := make(chan struct{})
		errs := make([]error, len(ops))
		var wg sync.WaitGroup
		for i, op := range ops {
			wg.Go(func() {
				<-start
				errs[i] = op()
			})
		}
		close(start)
		wg.Wait()
		var refused int
		for i, err := range errs {
			switch kolaborasi.ErrorCode(err) {
			case "":
			case kolaborasi.ECONFLICT:
				refused++
			case kolaborasi.EINVALID:
				if !mayBeInvalid[i] {
					t.Errorf("operation %d: %v", i, err)
				}
				refused++
			default:
				t.Errorf("operation %d: %v (code %s)", i, err, kolaborasi.ErrorCode(err))
			}
		}
		t.Logf("%d operations at once, %d refused", len(ops), refused)

		// Every agreement ended where its events say, and what was signed
		// verifies.
		vkey, err := s.a.LogVerifierKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			ag, err := s.a.Agreement(blitarCo, id, 1)
			if err != nil {
				t.Fatal(err)
			}
			switch ag.Status {
			case kolaborasi.StatusKSBSigned:
				if len(ag.Signatures) != 2 {
					t.Errorf("agreement %d is signed with %d signatures", id, len(ag.Signatures))
				}
			case kolaborasi.StatusTerminated:
			case kolaborasi.StatusKSBNegotiated:
				if !unsignable[id] {
					t.Errorf("agreement %d was neither signed nor terminated", id)
				}
			default:
				t.Errorf("agreement %d ended %s", id, ag.Status)
			}
			if len(ag.Signatures) > 0 {
				b, err := s.a.AgreementBundle(ctx, id, 1)
				if err != nil {
					t.Fatal(err)
				}
				// A terminated agreement signed by one party has a bundle that
				// proves its signature but not the stage: incomplete, not forged.
				rep, err := ledger.VerifyBundle(b, vkey)
				switch {
				case err == nil:
				case errors.Is(err, ledger.ErrIncomplete) && ag.Status != kolaborasi.StatusKSBSigned:
					for _, sr := range rep.Signatures {
						if !sr.Valid {
							t.Errorf("agreement %d: signature %d does not verify: %s", id, sr.Index, sr.Problem)
						}
					}
				default:
					t.Errorf("agreement %d (%s): bundle does not verify: %v", id, ag.Status, err)
				}
			}
		}
		keys, err := s.a.SigningKeys(s.as(t, "admin@blitarkota.test"), demo.Blitar)
		if err != nil {
			t.Fatal(err)
		}
		_, size, err := s.a.LogCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := s.a.LogEntries(ctx, 0, size)
		if err != nil {
			t.Fatal(err)
		}
		registered := map[string]int{}
		for _, e := range entries {
			if e.Type == "key_registered" {
				var r struct {
					KeyID string `json:"key_id"`
				}
				if err := json.Unmarshal(e.Record, &r); err != nil {
					t.Fatal(err)
				}
				registered[r.KeyID]++
			}
		}
		t.Logf("registrations %v", registered)
		for _, k := range keys {
			if registered[k.KeyID] > 1 {
				t.Errorf("key %s registered %d times in the log", k.KeyID, registered[k.KeyID])
			}
		}
	})
}
