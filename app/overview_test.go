package app_test

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
)

// The home page's numbers follow the catalog, the public agreements and
// the money-saved report: a new solution from a region not yet taking part
// adds one solution and one region, retiring it takes both away again.
func TestOverviewCountsTheLiveNumbers(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		o, err := s.a.Overview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Counted independently: every solution page, every public
		// agreement.
		res, err := s.a.SearchSolutions(ctx, app.SolutionQuery{Size: app.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		regions := map[string]bool{}
		for _, h := range res.Items {
			regions[h.Solution.RegionCode] = true
		}
		ags, err := s.a.Agreements(ctx, kolaborasi.AgreementFilter{})
		if err != nil {
			t.Fatal(err)
		}
		signed := 0
		for _, ag := range ags {
			for _, c := range ag.Content.RegionCodes() {
				regions[c] = true
			}
			if ag.Status == kolaborasi.StatusKSBSigned || ag.Status == kolaborasi.StatusActive || ag.Status == kolaborasi.StatusPKSSigned {
				signed++
			}
		}
		rep, err := s.a.Savings(ctx, "nation", "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Next != "" || o.Solutions != len(res.Items) || o.Regions != len(regions) || o.AgreementsSigned != signed || signed == 0 || o.Savings != rep.Total {
			t.Fatalf("overview %+v; counted %d solutions, %d regions, %d signed, savings %+v", o, len(res.Items), len(regions), signed, rep.Total)
		}

		const acehCity = "11.71" // Kota Banda Aceh: no demo solution or agreement
		if regions[acehCity] {
			t.Fatalf("%s already takes part", acehCity)
		}
		sol := &kolaborasi.Solution{Kind: kolaborasi.KindProgramme, RegionCode: acehCity,
			Name: kolaborasi.Texts{ID: "Program uji beranda"}, Short: kolaborasi.Texts{ID: "Program untuk menguji angka beranda."},
			Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
			Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
		if err := s.a.CreateSolution(as(kolaborasi.System), sol); err != nil {
			t.Fatal(err)
		}
		after, err := s.a.Overview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if after.Solutions != o.Solutions+1 || after.Regions != o.Regions+1 || after.AgreementsSigned != o.AgreementsSigned {
			t.Errorf("after publishing: %+v, before %+v", after, o)
		}
		if _, err := s.a.RetireSolution(as(kolaborasi.System), sol.ID, sol.Version); err != nil {
			t.Fatal(err)
		}
		if after, err = s.a.Overview(ctx); err != nil || after.Solutions != o.Solutions || after.Regions != o.Regions {
			t.Errorf("after retiring: %+v, %v; before %+v", after, err, o)
		}
	})
}
