package app_test

// Benchmarks of adoptions (docs/BENCHMARKS.md, "K5 adoptions"). They run
// only with -bench, for example
//
//	KOLABORASI_TEST_POSTGRES=postgres://... go test ./app/ -run '^$' -bench Adoption -benchtime 200x

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// BenchmarkAdoption measures, on 5,000 synthetic solutions with 2,000 live
// adoptions: an adoption write (a request and its acceptance, each raising
// the change counter and recounting the solution) followed by a "most
// adopted" search that catches the in-process index up; and the national
// money-saved total over every live adoption, recomputed after a write and
// as read again (the report is kept per change number).
func BenchmarkAdoption(b *testing.B) {
	engines := map[string]func(testing.TB) *store.DB{"sqlite": storetest.OpenSQLite}
	if storetest.WantPostgres() {
		engines["postgres"] = storetest.OpenPostgres
	}
	for name, open := range engines {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			sys := kolaborasi.WithUser(ctx, kolaborasi.System)
			a := app.New(open(b).Store(), app.WithEphemeralLogKey())
			if _, err := a.LoadReferenceData(ctx); err != nil {
				b.Fatal(err)
			}
			regions := []string{"32.73", "35.72", "35.07", "51.71", "31.71", "73.71", "35.78", "35.15"}
			if err := a.LoadSyntheticSolutions(sys, gen.Solutions(9, 5000, regions)); err != nil {
				b.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, 2))
			adopt := func() {
				for {
					sol := int64(1 + r.IntN(5000))
					ad, err := a.RequestAdoption(sys, app.AdoptionRequest{SolutionID: sol, AdopterRegion: regions[r.IntN(len(regions))],
						Planned: &kolaborasi.Money{IDR: int64(r.IntN(100)) * 1_000_000, Source: "benchmark"}})
					if kolaborasi.ErrorCode(err) == kolaborasi.EINVALID || kolaborasi.ErrorCode(err) == kolaborasi.ECONFLICT {
						continue // its own region's solution, or already adopting it
					}
					if err != nil {
						b.Fatal(err)
					}
					if _, err := a.DecideAdoption(sys, ad.ID, ad.Version, true, ""); err != nil {
						b.Fatal(err)
					}
					return
				}
			}
			for range 2000 {
				adopt()
			}
			search := app.SolutionQuery{Sort: kolaborasi.SortAdopted, Size: 20}
			if _, err := a.SearchSolutions(ctx, search); err != nil {
				b.Fatal(err)
			}
			b.Run("write+search", func(b *testing.B) {
				for b.Loop() {
					adopt()
					if _, err := a.SearchSolutions(ctx, search); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("write+savings-nation", func(b *testing.B) {
				for b.Loop() {
					adopt()
					if _, err := a.Savings(ctx, "nation", ""); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("savings-nation", func(b *testing.B) {
				for b.Loop() {
					if _, err := a.Savings(ctx, "nation", ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
