package app_test

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
)

// TestVerificationIsKeptUntilTheLogGrows: a version's bundle is verified
// once and the verdict reused while the log stays the same size; an append
// anywhere makes the next read verify against the new checkpoint.
func TestVerificationIsKeptUntilTheLogGrows(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		v1, err := s.a.VerifyAgreement(ctx, s.ksb)
		if err != nil || v1 == nil || v1.Problem != "" || len(v1.Signatures) != 2 {
			t.Fatalf("verification %+v, %v", v1, err)
		}
		for _, sr := range v1.Signatures {
			if !sr.Valid {
				t.Errorf("signature %+v", sr)
			}
		}
		again, err := s.a.VerifyAgreement(ctx, s.ksb)
		if err != nil || again != v1 {
			t.Errorf("the unchanged log was verified again: %p vs %p, %v", again, v1, err)
		}
		// A key registration grows the log.
		s.key(t, "walikota@bandung.test", "admin@kolaborasi.test")
		_, size, _ := s.a.LogCheckpoint(ctx)
		v2, err := s.a.VerifyAgreement(ctx, s.ksb)
		if err != nil || v2 == v1 || v2.TreeSize != size || size <= v1.TreeSize || v2.Problem != "" {
			t.Errorf("after the log grew to %d: %+v (was %d), %v", size, v2, v1.TreeSize, err)
		}
		// A version without signatures has nothing to verify.
		c := *s.ksb
		c.Signatures = nil
		if v, err := s.a.VerifyAgreement(ctx, &c); v != nil || err != nil {
			t.Errorf("unsigned: %+v, %v", v, err)
		}
	})
}
