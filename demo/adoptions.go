package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// srcEstimate marks a budget figure the demo made up.
const srcEstimate = "perkiraan, angka demo sintetis"

func estimate(idr int64) *kolaborasi.Money { return &kolaborasi.Money{IDR: idr, Source: srcEstimate} }

// demoAdoption is one adoption the demo walks through the app: requested,
// decided, moved stage by stage, its figures set.
type demoAdoption struct {
	solution string // the solution's Indonesian name
	adopter  string
	// requester and decider are demo accounts; "" acts as the System actor.
	requester, decider string
	// ksb links the adoption to the demo KSB.
	ksb bool
	// stages are the moves after acceptance; decline declines instead.
	stages  []kolaborasi.AdoptionStage
	stop    string
	decline string
	pending bool
	planned *kolaborasi.Money
	spent   *kolaborasi.Money
	note    string
	// on are the dates the events happened, in order: the request, the
	// decision, each stage, the stop. The platform records them when the
	// demo is seeded, so each event keeps both dates (an event without a
	// date here happened when it was recorded).
	on []string
}

// date returns the date of the i-th event of x, "" when not given.
func (x demoAdoption) date(i int) string {
	if i < len(x.on) {
		return x.on[i]
	}
	return ""
}

// ksbDay is the day the KSB was signed, when the story's adoptions were
// requested and accepted.
const ksbDay = "2017-03-08"

// syntheticSolutions are made-up solutions of regions outside the story,
// with estimated costs, so that the money-saved totals have figures.
var syntheticSolutions = []*kolaborasi.Solution{
	{Kind: kolaborasi.KindSoftware, RegionCode: "35.78", Name: kolaborasi.Texts{ID: "Antrean Puskesmas Daring (sintetis)"},
		Short:      kolaborasi.Texts{ID: "Warga mengambil nomor antrean puskesmas dari ponsel. Data demo sintetis."},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimLiving}, Sectors: []kolaborasi.Sector{"health"},
		Maturity: kolaborasi.MaturityLive, Licence: "MIT", Platforms: []string{"web"}, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence},
		CostBuild: kolaborasi.Money{IDR: 1_200_000_000, Source: srcEstimate}, Synthetic: true},
	{Kind: kolaborasi.KindService, RegionCode: "35.10", Name: kolaborasi.Texts{ID: "Pasar Desa Daring (sintetis)"},
		Short:      kolaborasi.Texts{ID: "Lapak daring bersama bagi produk desa. Data demo sintetis."},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimEconomy}, Sectors: []kolaborasi.Sector{"ekonomi-kreatif"},
		Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseSharedService},
		CostBuild: kolaborasi.Money{IDR: 800_000_000, Source: srcEstimate}, Synthetic: true},
	{Kind: kolaborasi.KindSoftware, RegionCode: "51.71", Name: kolaborasi.Texts{ID: "Peta Timbulan Sampah (sintetis)"},
		Short:      kolaborasi.Texts{ID: "Peta harian volume sampah per tempat penampungan. Data demo sintetis."},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimEnvironment}, Sectors: []kolaborasi.Sector{"environment"},
		Maturity: kolaborasi.MaturityLive, Licence: "Apache-2.0", Platforms: []string{"web"}, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence},
		CostBuild: kolaborasi.Money{IDR: 600_000_000, Source: srcEstimate}, Synthetic: true},
}

var (
	toLive  = []kolaborasi.AdoptionStage{kolaborasi.StageStudyVisit, kolaborasi.StageAgreement, kolaborasi.StageTransfer, kolaborasi.StagePilot, kolaborasi.StageLive}
	toPilot = toLive[:4]
)

// storyAdoptions: Kota Blitar adopts Kota Bandung's applications under the
// KSB, requested and accepted on the day it was signed (8 March 2017), at
// different stages since; Kota Bandung studies Blitar's programme. The KSB
// is real; how far each adoption came and when is illustrative, so every
// one is marked synthetic. The witnesses adopt Bandung's other
// applications (synthetic, so that no application of the story shows
// "0 adopters"), and GAMPIL is a request Blitar made on the platform
// itself (no earlier date). Then made-up adoptions among other regions.
var storyAdoptions = []demoAdoption{
	{solution: bccSolution, adopter: Blitar, requester: "kerjasama@blitarkota.test", decider: "diskominfo@bandung.test", ksb: true,
		stages: toLive, planned: estimate(350_000_000), spent: estimate(310_000_000), note: "Ruang kendali di Diskominfo Kota Blitar.",
		on: []string{ksbDay, ksbDay, "2017-05-15", "2017-11-20", "2019-02-11", "2020-03-02", bccLive.Format(time.DateOnly)}},
	{solution: "Panic Button", adopter: Blitar, requester: "kerjasama@blitarkota.test", decider: "diskominfo@bandung.test", ksb: true,
		stages: toPilot, planned: estimate(90_000_000), on: []string{ksbDay, ksbDay, "2017-05-15", "2017-11-20", "2018-07-02", "2019-09-16"}},
	{solution: "e-Budgeting", adopter: Blitar, requester: "kerjasama@blitarkota.test", decider: "diskominfo@bandung.test", ksb: true,
		stages: toLive[:3], planned: estimate(150_000_000), on: []string{ksbDay, ksbDay, "2017-05-15", "2017-11-20", "2018-04-09"}},
	{solution: "Sabilulungan", adopter: Blitar, requester: "kerjasama@blitarkota.test", decider: "diskominfo@bandung.test", ksb: true,
		stages: toLive[:1], stop: "Kota Blitar memakai sistem hibah provinsi.", on: []string{ksbDay, ksbDay, "2017-05-15", "2017-09-25"}},
	{solution: "GAMPIL", adopter: Blitar, requester: "umkm@blitarkota.test", pending: true, planned: estimate(120_000_000),
		note: "Untuk perizinan usaha mikro."},
	{solution: "Ekonomi Kerakyatan Kota Blitar", adopter: Bandung, requester: "kerjasama@bandung.test", decider: "umkm@blitarkota.test", ksb: true,
		stages: toLive[:1], on: []string{ksbDay, ksbDay, "2017-06-12"}},
	{solution: "Sabilulungan", adopter: Kediri, stages: toLive[:4], on: []string{"2018-02-05", "2018-02-19", "2018-04-10", "2018-08-01", "2019-01-14"}},
	{solution: "Hayu", adopter: Mojokerto, stages: toPilot, on: []string{"2018-03-12", "2018-03-26", "2018-05-07", "2018-09-03", "2019-03-04", "2019-10-07"}},
	{solution: "e-RK", adopter: Probolinggo, stages: toLive[:2], on: []string{"2019-01-21", "2019-02-04", "2019-04-15", "2019-08-19"}},
	{solution: "GAMPIL", adopter: Malang, stages: toLive, on: []string{"2018-01-15", "2018-01-29", "2018-03-19", "2018-07-16", "2018-11-05", "2019-04-01", "2019-10-01"}},

	{solution: "Antrean Puskesmas Daring (sintetis)", adopter: "35.15", stages: toLive, spent: estimate(180_000_000),
		on: []string{"2022-01-10", "2022-01-24", "2022-03-07", "2022-05-09", "2022-08-01", "2022-11-07", "2023-02-06"}},
	{solution: "Antrean Puskesmas Daring (sintetis)", adopter: Mojokerto, stages: toPilot, planned: estimate(150_000_000),
		on: []string{"2023-04-03", "2023-04-17", "2023-06-05", "2023-09-04", "2024-01-08", "2024-06-03"}},
	{solution: "Pasar Desa Daring (sintetis)", adopter: Probolinggo, stages: toLive, planned: estimate(100_000_000), spent: estimate(120_000_000),
		on: []string{"2021-06-07", "2021-06-21", "2021-08-02", "2021-10-04", "2022-01-10", "2022-05-02", "2022-09-05"}},
	{solution: "Pasar Desa Daring (sintetis)", adopter: Malang, stages: toLive[:3], on: []string{"2023-02-13", "2023-02-27", "2023-05-08", "2023-08-14", "2024-02-05"}},
	{solution: "Pasar Desa Daring (sintetis)", adopter: Kediri, decline: "Layanan belum siap untuk kabupaten lain tahun ini.", on: []string{"2024-01-15", "2024-02-01"}},
	// Makassar's happens as the demo is seeded: an adoption just gone live,
	// with no period after it for an impact estimate yet.
	{solution: "Peta Timbulan Sampah (sintetis)", adopter: "73.71", stages: append(toLive, kolaborasi.StageEvaluated), spent: estimate(90_000_000)},
	{solution: "Peta Timbulan Sampah (sintetis)", adopter: Bandung, stages: toLive[:2], planned: estimate(75_000_000),
		on: []string{"2024-09-02", "2024-09-16", "2024-11-04", "2025-03-03"}},
}

// seedAdoptions seeds the adoptions through the app as the demo accounts
// (the System actor for the made-up regions).
func seedAdoptions(ctx context.Context, a *app.App, users map[string]*kolaborasi.User) error {
	if err := a.LoadSyntheticSolutions(ctx, syntheticSolutions); err != nil {
		return fmt.Errorf("seed synthetic solutions: %w", err)
	}
	res, err := a.SearchSolutions(ctx, app.SolutionQuery{Size: app.MaxPageSize})
	if err != nil {
		return err
	}
	byName := map[string]int64{}
	for _, it := range res.Items {
		byName[it.Solution.Name.ID] = it.Solution.ID
	}
	ags, err := a.Agreements(ctx, kolaborasi.AgreementFilter{Region: Blitar})
	if err != nil || len(ags) == 0 {
		return fmt.Errorf("seed adoptions: the demo KSB is missing (%v)", err)
	}
	ksb := ags[len(ags)-1].ID
	as := func(email string) context.Context {
		if u, ok := users[email]; ok {
			return kolaborasi.WithUser(ctx, u)
		}
		return ctx // the System actor
	}
	for _, x := range storyAdoptions {
		id, ok := byName[x.solution]
		if !ok {
			return fmt.Errorf("seed adoptions: no solution %q", x.solution)
		}
		req := app.AdoptionRequest{SolutionID: id, AdopterRegion: x.adopter, Planned: x.planned, Note: x.note, On: x.date(0), Synthetic: true}
		if x.ksb {
			req.AgreementID = ksb
		}
		ad, err := a.RequestAdoption(as(x.requester), req)
		if err != nil {
			return fmt.Errorf("seed adoption of %s by %s: %w", x.solution, x.adopter, err)
		}
		if x.pending {
			continue
		}
		accept, msg := x.decline == "", x.decline
		if accept {
			msg = "Diterima; kami siapkan pendampingan teknis."
		}
		if ad, err = a.DecideAdoptionOn(as(x.decider), ad.ID, ad.Version, accept, msg, x.date(1)); err != nil || !accept {
			if err != nil {
				return fmt.Errorf("seed decision on %s by %s: %w", x.solution, x.adopter, err)
			}
			continue
		}
		for i, st := range x.stages {
			if ad, err = a.MoveAdoptionOn(as(x.requester), ad.ID, ad.Version, st, "", x.date(2+i)); err != nil {
				return fmt.Errorf("seed stage %s of %s by %s: %w", st, x.solution, x.adopter, err)
			}
		}
		if x.stop != "" {
			if ad, err = a.MoveAdoptionOn(as(x.requester), ad.ID, ad.Version, kolaborasi.StageStopped, x.stop, x.date(2+len(x.stages))); err != nil {
				return fmt.Errorf("seed stop of %s by %s: %w", x.solution, x.adopter, err)
			}
		}
		if x.spent != nil {
			d := app.AdoptionDetails{OPDID: ad.AdopterOPDID, Planned: ad.Planned, Spent: x.spent, Notes: ad.Notes}
			if _, err = a.UpdateAdoptionDetails(as(x.requester), ad.ID, ad.Version, d); err != nil {
				return fmt.Errorf("seed figures of %s by %s: %w", x.solution, x.adopter, err)
			}
		}
	}
	return nil
}
