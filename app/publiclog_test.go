package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
)

func TestPublicLogProofs(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		ctx := context.Background()
		_, _, err := a.LogCheckpoint(ctx)
		wantCode(t, err, kolaborasi.ENOTFOUND)
		_, err = a.LogVerifierKey(ctx)
		wantCode(t, err, kolaborasi.ENOTFOUND)

		if err := demo.Seed(as(kolaborasi.System), a); err != nil {
			t.Fatal(err)
		}
		cp, size, err := a.LogCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		vkey, err := a.LogVerifierKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		verifier, err := ledger.NewLogVerifier(vkey)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ledger.OpenCheckpoint(cp, verifier)
		if err != nil || c.Size != size || c.Origin != app.LogOrigin {
			t.Fatalf("checkpoint %+v, %v", c, err)
		}
		entries, err := a.LogEntries(ctx, 0, size)
		if err != nil || int64(len(entries)) != size {
			t.Fatalf("%d entries, %v", len(entries), err)
		}
		js, err := json.Marshal(entries[0])
		if err != nil || !strings.HasPrefix(string(js), `{"index":0,"type":"status_change","entry":{"actor_role":"coordinator",`) {
			t.Errorf("entry JSON %s, %v", js, err)
		}
		for _, e := range entries {
			p, err := a.LogInclusionProof(ctx, e.Index, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := ledger.CheckInclusion(p, c.Size, c.Root, e.Index, e.Record); err != nil {
				t.Errorf("entry %d: %v", e.Index, err)
			}
			if err := ledger.CheckInclusion(p, c.Size, c.Root, e.Index, append(e.Record, ' ')); err == nil {
				t.Errorf("entry %d: a changed record is included", e.Index)
			}
			if _, err := ledger.ParseEntry(e.Record); err != nil {
				t.Errorf("entry %d does not parse: %v", e.Index, err)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := a.LogConsistencyProof(ctx, old, size)
			if err != nil {
				t.Fatal(err)
			}
			oldRoot, err := tlog.TreeHash(old, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
				hs, err := db.Store().ReadLogHashes(ctx, ix)
				out := make([]tlog.Hash, len(hs))
				for i := range hs {
					out[i] = hs[i]
				}
				return out, err
			}))
			if err != nil {
				t.Fatal(err)
			}
			if old < size {
				if err := tlog.CheckTree(p, size, c.Root, old, oldRoot); err != nil {
					t.Errorf("consistency %d → %d: %v", old, size, err)
				}
			}
		}
		for _, bad := range [][2]int64{{-1, size}, {size, size + 1}, {size, 1}} {
			_, err := a.LogConsistencyProof(ctx, bad[0], bad[1])
			wantCode(t, err, kolaborasi.EINVALID)
		}
		_, err = a.LogInclusionProof(ctx, size, 0)
		wantCode(t, err, kolaborasi.EINVALID)
		_, err = a.LogInclusionProof(ctx, 0, size+1)
		wantCode(t, err, kolaborasi.EINVALID)
		_, err = a.LogEntries(ctx, 0, size+1)
		wantCode(t, err, kolaborasi.EINVALID)
		_, err = a.LogEntries(ctx, 3, 2)
		wantCode(t, err, kolaborasi.EINVALID)
	})
}

func TestConcurrentLogAppends(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		blitar := s.as(t, "kerjasama@blitarkota.test")
		var ids []int64
		for range 8 {
			ag, err := s.a.CreateAgreement(blitar, demo.KSB)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, ag.ID)
		}
		_, before, _ := s.a.LogCheckpoint(ctx)
		errs := make(chan error, len(ids))
		for _, id := range ids {
			go func() { errs <- s.a.MoveAgreement(blitar, id, kolaborasi.StatusOffered) }()
		}
		for range ids {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		cp, size, err := s.a.LogCheckpoint(ctx)
		if err != nil || size != before+int64(len(ids)) {
			t.Fatalf("log size %d → %d, %v", before, size, err)
		}
		vkey, _ := s.a.LogVerifierKey(ctx)
		verifier, _ := ledger.NewLogVerifier(vkey)
		c, err := ledger.OpenCheckpoint(cp, verifier)
		if err != nil {
			t.Fatal(err)
		}
		entries, _ := s.a.LogEntries(ctx, 0, size)
		for _, e := range entries {
			p, err := s.a.LogInclusionProof(ctx, e.Index, size)
			if err != nil {
				t.Fatal(err)
			}
			if err := ledger.CheckInclusion(p, c.Size, c.Root, e.Index, e.Record); err != nil {
				t.Errorf("entry %d: %v", e.Index, err)
			}
		}
	})
}
