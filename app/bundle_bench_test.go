package app_test

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// BenchmarkVerifyBundle measures offline verification of the demo KSB's
// bundle as served by the app (two signatures, two key registrations,
// three status changes, with inclusion proofs and the checkpoint).
func BenchmarkVerifyBundle(b *testing.B) {
	ctx := context.Background()
	a := app.New(storetest.OpenSQLite(b).Store(), app.WithLogKey(testLogKey))
	if _, err := a.LoadReferenceData(ctx); err != nil {
		b.Fatal(err)
	}
	if err := demo.Seed(ctx, a); err != nil {
		b.Fatal(err)
	}
	ags, err := a.Agreements(ctx, kolaborasi.AgreementFilter{})
	if err != nil || len(ags) != 1 {
		b.Fatalf("agreements %v, %v", ags, err)
	}
	bundle, err := a.AgreementBundle(ctx, ags[0].ID, 0)
	if err != nil {
		b.Fatal(err)
	}
	vkey, _ := a.LogVerifierKey(ctx)
	b.SetBytes(int64(len(bundle)))
	for b.Loop() {
		if _, err := ledger.VerifyBundle(bundle, vkey); err != nil {
			b.Fatal(err)
		}
	}
}
