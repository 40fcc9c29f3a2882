package app_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
)

// TestSolutionPageFollowsEveryWrite: what App.SolutionPage reads with as
// few statements as the solution allows (its history derived from the row
// for a solution never edited, its adopters skipped when the row counts
// none, the export verdict kept per version) is what the separate reads of
// a fresh copy give, after every write another server copy makes: an edit,
// an adoption requested, accepted and stopped, an edit that breaks the
// export.
func TestSolutionPageFollowsEveryWrite(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, other, s := twoCopies(t, db, "Aplikasi Lumbung Warga")
		same := func(step string, versions, adopters int, exportable bool) {
			t.Helper()
			got, err := a.SolutionPage(ctx, s.ID)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			fresh := app.New(db.Store(), app.WithoutSolutionCache())
			sol, err := fresh.SharedSolution(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			history, err := fresh.SolutionHistory(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			ads, err := fresh.SolutionAdopters(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			export := fresh.PublicCodeExportProblem(ctx, s.ID)
			if got.Solution.Version != sol.Version || got.Solution.Long.ID != sol.Long.ID || got.Solution.Adoptions != sol.Adoptions {
				t.Errorf("%s: solution version %d %q (%d adoptions), want %d %q (%d)", step, got.Solution.Version, got.Solution.Long.ID,
					got.Solution.Adoptions, sol.Version, sol.Long.ID, sol.Adoptions)
			}
			if !reflect.DeepEqual(got.History, history) || len(history) != versions {
				t.Errorf("%s: history %+v, want %+v (%d versions)", step, got.History, history, versions)
			}
			if !reflect.DeepEqual(got.Adopters, ads) && len(got.Adopters)+len(ads) > 0 || len(ads) != adopters {
				t.Errorf("%s: adopters %+v, want %+v (%d)", step, got.Adopters, ads, adopters)
			}
			if !reflect.DeepEqual(got.ExportProblem, export) || (export == nil) != exportable {
				t.Errorf("%s: export problem %#v, want %#v (exportable %t)", step, got.ExportProblem, export, exportable)
			}
		}
		// Too short a description and no code repository: not exportable.
		same("new", 1, 0, false)
		same("new, cached", 1, 0, false)

		edit, err := other.Solution(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		edit.Long.ID = "Lumbung pangan warga, versi kedua: setiap desa mencatat stok gabah dan beras harian, " +
			"pemerintah kota melihat cadangan pangan seluruh wilayah dan menyalurkan bantuan sebelum paceklik."
		edit.Links.Code = "https://git.contoh.invalid/lumbung"
		if err := other.UpdateSolution(as(bandungEditor), edit); err != nil {
			t.Fatal(err)
		}
		same("edited", 2, 0, true)

		ad, err := other.RequestAdoption(as(blitarEditor), app.AdoptionRequest{SolutionID: s.ID, Note: "Kami ingin memakai aplikasi ini."})
		if err != nil {
			t.Fatal(err)
		}
		same("requested", 2, 0, true) // a request is not an adoption yet
		if ad, err = other.DecideAdoption(as(bandungEditor), ad.ID, ad.Version, true, ""); err != nil {
			t.Fatal(err)
		}
		same("accepted", 2, 1, true)
		same("accepted, cached", 2, 1, true)
		if _, err = other.MoveAdoption(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StageStopped, "Anggaran tidak tersedia."); err != nil {
			t.Fatal(err)
		}
		same("stopped", 2, 0, true)

		// Without its code repository it cannot be exported again.
		if edit, err = other.Solution(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		edit.Links.Code = ""
		if err := other.UpdateSolution(as(bandungEditor), edit); err != nil {
			t.Fatal(err)
		}
		same("no code repository", 3, 0, false)
		if _, err := a.SolutionPage(ctx, 999999); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			t.Errorf("missing solution: %v", err)
		}
	})
}
