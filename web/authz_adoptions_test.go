package web_test

import (
	"fmt"
	"net/url"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// adoptionFixtures builds, for the authorisation matrix, solutions and
// adoptions in which the target region is the adopter or the source, and
// signed agreements whose exchange items promise an adoption to it.
type adoptionFixtures struct {
	k4 *agreementFixtures
}

func newAdoptionFixtures(k4 *agreementFixtures) *adoptionFixtures {
	// Kabupaten Malang signs the fixture agreements as the second party;
	// with no region administrator of its own, a platform administrator
	// approves its key (the four-eyes rule).
	k4.signer[thirdParty] = makeUser(k4.t, k4.ts.app, "fx-sign-"+thirdParty+"@matrix.test", thirdParty, kolaborasi.RoleSignatory)
	k4.admin[thirdParty] = makeUser(k4.t, k4.ts.app, "fx-platform-admin@matrix.test", "", kolaborasi.RoleAdmin)
	return &adoptionFixtures{k4: k4}
}

func (f *adoptionFixtures) solution(region string) *kolaborasi.Solution {
	sol := &kolaborasi.Solution{Kind: kolaborasi.KindProgramme, RegionCode: region, Name: kolaborasi.Texts{ID: "Program " + f.k4.fresh()},
		Short: kolaborasi.Texts{ID: "Ringkasan"}, Dimensions: []kolaborasi.Dimension{kolaborasi.DimEconomy},
		Sectors: []kolaborasi.Sector{"umkm"}, Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
	if err := f.k4.ts.app.CreateSolution(system, sol); err != nil {
		f.k4.t.Fatal(err)
	}
	return sol
}

// other is a region that is not region: the source of what region adopts.
func other(region string) string {
	if region == otherRegion {
		return thirdParty
	}
	return otherRegion
}

// adoption is an adoption of a new solution: by region when adopter, else
// of region's solution by Kabupaten Malang; accepted unless requested.
func (f *adoptionFixtures) adoption(region string, adopter, accepted bool) int64 {
	src, by := region, thirdParty
	if adopter {
		src, by = other(region), region
	}
	a := f.k4.ts.app
	ad, err := a.RequestAdoption(system, app.AdoptionRequest{SolutionID: f.solution(src).ID, AdopterRegion: by})
	if err != nil {
		f.k4.t.Fatal(err)
	}
	if accepted {
		if _, err := a.DecideAdoption(system, ad.ID, 0, true, ""); err != nil {
			f.k4.t.Fatal(err)
		}
	}
	return ad.ID
}

// signedAgreement is a KSB between region and Kabupaten Malang, signed by
// both, in which Malang gives region a catalogue solution.
func (f *adoptionFixtures) signedAgreement(region string) int64 {
	k4, a := f.k4, f.k4.ts.app
	c := k4.content(region)
	c.Exchanges = []kolaborasi.ExchangeItem{{Giver: 1, Receivers: []int{0}, SolutionID: f.solution(thirdParty).ID,
		Programme: "program", Terms: []string{"hibah"}}}
	ctx := as(k4.coord[region])
	ag, err := a.CreateAgreement(ctx, c)
	if err != nil {
		k4.t.Fatal(err)
	}
	for _, st := range []kolaborasi.AgreementStatus{kolaborasi.StatusOffered, kolaborasi.StatusKSBNegotiated} {
		if err := a.MoveAgreement(ctx, ag.ID, st); err != nil {
			k4.t.Fatal(err)
		}
	}
	for _, party := range []string{region, thirdParty} {
		u := k4.signer[party]
		if _, err := a.SignAgreement(as(u), k4.signInput(u, party, ag.ID)); err != nil {
			k4.t.Fatal(err)
		}
	}
	return ag.ID
}

func (f *adoptionFixtures) fixtures() map[string]func(ac *actor, region string) request {
	path := func(format string, id int64) string { return fmt.Sprintf(format, id) }
	return map[string]func(ac *actor, region string) request{
		"GET /adopsi/baru": func(_ *actor, region string) request {
			return request{path: path("/adopsi/baru?solusi=%d", f.solution(other(region)).ID)}
		},
		"POST /adopsi": func(_ *actor, region string) request {
			return request{path: path("/adopsi?solusi=%d", f.solution(other(region)).ID), form: url.Values{"note": {"Kami berminat."}}}
		},
		"POST /adopsi/{id}/keputusan": func(_ *actor, region string) request {
			return request{path: path("/adopsi/%d/keputusan", f.adoption(region, false, false)), form: url.Values{"decision": {"accept"}}}
		},
		"POST /adopsi/{id}/tahap": func(_ *actor, region string) request {
			return request{path: path("/adopsi/%d/tahap", f.adoption(region, true, true)), form: url.Values{"to": {"study_visit"}}}
		},
		"POST /adopsi/{id}/rincian": func(_ *actor, region string) request {
			return request{path: path("/adopsi/%d/rincian", f.adoption(region, true, true)),
				form: url.Values{"budget_planned": {"1000000"}, "budget_planned_source": {"RKA 2027"}, "notes": {"Catatan"}}}
		},
		"POST /adopsi/{id}/dokumen": func(_ *actor, region string) request {
			return request{path: path("/adopsi/%d/dokumen", f.adoption(region, true, true)), multipart: true, file: "file",
				fileBody: []byte(minimalPDF + "%" + f.k4.fresh() + "\n"), form: url.Values{"name": {"Laporan " + f.k4.fresh()}}}
		},
		"POST /kerjasama/{id}/adopsi": func(_ *actor, region string) request {
			return request{path: path("/kerjasama/%d/adopsi", f.signedAgreement(region))}
		},
		"POST /api/v1/adoptions": func(_ *actor, region string) request {
			return request{json: fmt.Sprintf(`{"solution_id":%d,"adopter_region":%q}`, f.solution(other(region)).ID, region)}
		},
		"POST /api/v1/adoptions/{id}/decision": func(_ *actor, region string) request {
			return request{path: path("/api/v1/adoptions/%d/decision", f.adoption(region, false, false)), json: `{"accept":false,"message":"Belum siap."}`}
		},
		"POST /api/v1/adoptions/{id}/stage": func(_ *actor, region string) request {
			return request{path: path("/api/v1/adoptions/%d/stage", f.adoption(region, true, true)), json: `{"to":"stopped","note":"Anggaran dialihkan."}`}
		},
		"PUT /api/v1/adoptions/{id}/details": func(_ *actor, region string) request {
			return request{path: path("/api/v1/adoptions/%d/details", f.adoption(region, true, true)),
				json: `{"budget_spent":{"idr":5000000,"source":"Realisasi APBD"},"notes":"x"}`}
		},
		"POST /api/v1/adoptions/{id}/documents": func(_ *actor, region string) request {
			return request{path: path("/api/v1/adoptions/%d/documents?name=laporan", f.adoption(region, true, true)),
				raw: []byte(minimalPDF + "%" + f.k4.fresh() + "\n"), rawType: "application/pdf"}
		},
		"POST /api/v1/agreements/{id}/adoptions": func(_ *actor, region string) request {
			return request{path: path("/api/v1/agreements/%d/adoptions", f.signedAgreement(region))}
		},
	}
}
