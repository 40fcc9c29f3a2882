package app_test

import (
	"context"
	"crypto/ed25519"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

var (
	blitarCoordinator = &kolaborasi.User{ID: 16, Name: "Kerja Sama Blitar", RegionCode: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleCoordinator}, Status: kolaborasi.UserActive}
	blitarViewer      = &kolaborasi.User{ID: 17, Name: "Viewer Blitar", RegionCode: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleViewer}, Status: kolaborasi.UserActive}
	malangEditor      = &kolaborasi.User{ID: 18, Name: "Editor Malang", RegionCode: "35.07", Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
	observer          = &kolaborasi.User{ID: 19, Name: "Observer", Roles: []kolaborasi.Role{kolaborasi.RoleObserver}, Status: kolaborasi.UserActive}
)

func adoptionCount(t *testing.T, a *app.App, id int64) int {
	t.Helper()
	s, err := a.Solution(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s.Adoptions
}

func TestAdoptionRules(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		sol := newSolution()
		if err := a.CreateSolution(as(bandungEditor), sol); err != nil {
			t.Fatal(err)
		}
		planned := &kolaborasi.Money{IDR: 100_000_000, Source: "RKA Diskominfo 2027"}
		req := app.AdoptionRequest{SolutionID: sol.ID, Planned: planned, Note: "Kami ingin memakai aplikasi ini."}

		// Who may request: the adopter's editors and coordinators, not for
		// their own region's solution.
		_, err := a.RequestAdoption(context.Background(), req)
		wantCode(t, err, kolaborasi.EUNAUTHORIZED)
		for _, u := range []*kolaborasi.User{blitarAdmin, blitarViewer, platformAdmin, observer} {
			_, err := a.RequestAdoption(as(u), req)
			wantCode(t, err, kolaborasi.EFORBIDDEN)
		}
		_, err = a.RequestAdoption(as(bandungEditor), req)
		wantCode(t, err, kolaborasi.EINVALID)
		bad := req
		bad.Planned = &kolaborasi.Money{IDR: 5}
		_, err = a.RequestAdoption(as(blitarEditor), bad)
		wantCode(t, err, kolaborasi.EINVALID)
		bad = req
		bad.SolutionID = sol.ID + 99
		_, err = a.RequestAdoption(as(blitarEditor), bad)
		wantCode(t, err, kolaborasi.ENOTFOUND)

		ad, err := a.RequestAdoption(as(blitarEditor), req)
		if err != nil {
			t.Fatal(err)
		}
		if ad.State != kolaborasi.AdoptionRequested || ad.Stage != kolaborasi.StageInterest || ad.SourceRegion != "32.73" || len(ad.History) != 1 {
			t.Fatalf("requested: %+v", ad)
		}
		_, err = a.RequestAdoption(as(blitarCoordinator), req)
		wantCode(t, err, kolaborasi.ECONFLICT) // one open adoption per region and solution
		if n := adoptionCount(t, a, sol.ID); n != 0 {
			t.Errorf("a request counts as an adoption: %d", n)
		}

		// A request is seen by the two regions and observers only.
		for u, want := range map[*kolaborasi.User]bool{nil: false, malangEditor: false, blitarViewer: true, bandungEditor: true, observer: true} {
			_, err := a.Adoption(as(u), ad.ID)
			if (err == nil) != want {
				t.Errorf("%v reads the request: %v", u, err)
			}
			list, _ := a.Adoptions(as(u), kolaborasi.AdoptionFilter{SolutionID: sol.ID})
			if (len(list) == 1) != want {
				t.Errorf("%v lists %d", u, len(list))
			}
		}

		// Nothing moves before the publisher accepts, but the adopter may
		// withdraw (tested below on another adoption).
		_, err = a.MoveAdoption(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StagePilot, "")
		wantCode(t, err, kolaborasi.ECONFLICT)

		// Who decides: the publisher's editors and region admin.
		for _, u := range []*kolaborasi.User{blitarEditor, blitarAdmin, platformAdmin} {
			_, err := a.DecideAdoption(as(u), ad.ID, ad.Version, true, "")
			wantCode(t, err, kolaborasi.EFORBIDDEN)
		}
		_, err = a.DecideAdoption(as(bandungEditor), ad.ID, ad.Version, false, "")
		wantCode(t, err, kolaborasi.EINVALID) // declining needs a reason
		_, err = a.DecideAdoption(as(bandungEditor), ad.ID, ad.Version+1, true, "")
		wantCode(t, err, kolaborasi.ECONFLICT) // stale version
		ad, err = a.DecideAdoption(as(bandungEditor), ad.ID, ad.Version, true, "Selamat datang, kami siapkan pendampingan.")
		if err != nil {
			t.Fatal(err)
		}
		if ad.State != kolaborasi.AdoptionAccepted || ad.DecidedByID != bandungEditor.ID || len(ad.History) != 2 {
			t.Fatalf("accepted: %+v", ad)
		}
		_, err = a.DecideAdoption(as(bandungAdmin), ad.ID, ad.Version, false, "no")
		wantCode(t, err, kolaborasi.ECONFLICT)
		if n := adoptionCount(t, a, sol.ID); n != 1 {
			t.Errorf("adoptions after acceptance = %d, want 1", n)
		}
		if _, err := a.Adoption(context.Background(), ad.ID); err != nil {
			t.Errorf("an accepted adoption is public: %v", err)
		}

		// Stage moves: forward only (skipping allowed), evaluated only from
		// live, stopped with a reason, nothing after the end; only the
		// adopter's editors and coordinators.
		_, err = a.MoveAdoption(as(bandungEditor), ad.ID, 0, kolaborasi.StageStudyVisit, "")
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		steps := []struct {
			to   kolaborasi.AdoptionStage
			note string
			code string
		}{
			{"nonsense", "", kolaborasi.EINVALID},
			{kolaborasi.StageInterest, "", kolaborasi.EINVALID},
			{kolaborasi.StageStudyVisit, "Kunjungan ke Bandung Command Center", ""},
			{kolaborasi.StageInterest, "", kolaborasi.EINVALID},
			{kolaborasi.StageTransfer, "", ""},
			{kolaborasi.StageEvaluated, "", kolaborasi.EINVALID},
			{kolaborasi.StageStopped, "", kolaborasi.EINVALID},
			{kolaborasi.StageLive, "", ""},
			{kolaborasi.StageEvaluated, "Evaluasi Inspektorat", ""},
			{kolaborasi.StageStopped, "terlambat", kolaborasi.ECONFLICT},
		}
		for i, st := range steps {
			got, err := a.MoveAdoption(as(blitarCoordinator), ad.ID, 0, st.to, st.note)
			if kolaborasi.ErrorCode(err) != st.code {
				t.Fatalf("step %d to %s: %v, want %q", i, st.to, err, st.code)
			}
			if err == nil {
				ad = got
			}
		}
		if ad.Stage != kolaborasi.StageEvaluated || len(ad.History) != 6 || ad.History[2].Note != "Kunjungan ke Bandung Command Center" {
			t.Errorf("after the moves: stage %s, history %+v", ad.Stage, ad.History)
		}
		if n := adoptionCount(t, a, sol.ID); n != 1 {
			t.Errorf("an evaluated adoption still counts: %d", n)
		}

		// Figures and savings: spent beats planned, unknown stays unknown.
		_, err = a.UpdateAdoptionDetails(as(bandungEditor), ad.ID, 0, app.AdoptionDetails{})
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		_, err = a.UpdateAdoptionDetails(as(blitarEditor), ad.ID, 0, app.AdoptionDetails{Spent: &kolaborasi.Money{IDR: 40_000_000}})
		wantCode(t, err, kolaborasi.EINVALID)
		ad, err = a.UpdateAdoptionDetails(as(blitarEditor), ad.ID, 0, app.AdoptionDetails{Planned: planned,
			Spent: &kolaborasi.Money{IDR: 40_000_000, Source: "Realisasi APBD 2027"}, Notes: "Server memakai pusat data provinsi."})
		if err != nil || ad.Spent.IDR != 40_000_000 {
			t.Fatalf("details: %+v, %v", ad, err)
		}

		// A second adopter: Malang, declined and asking again, accepted
		// without figures, then stopped.
		m, err := a.RequestAdoption(as(malangEditor), app.AdoptionRequest{SolutionID: sol.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DecideAdoption(as(bandungAdmin), m.ID, 0, false, "Belum ada tim pendamping tahun ini."); err != nil {
			t.Fatal(err)
		}
		_, err = a.MoveAdoption(as(malangEditor), m.ID, 0, kolaborasi.StageStudyVisit, "")
		wantCode(t, err, kolaborasi.ECONFLICT)
		m, err = a.RequestAdoption(as(malangEditor), app.AdoptionRequest{SolutionID: sol.ID})
		if err != nil {
			t.Fatalf("asking again after a refusal: %v", err)
		}
		if _, err := a.DecideAdoption(as(bandungEditor), m.ID, 0, true, ""); err != nil {
			t.Fatal(err)
		}
		if n := adoptionCount(t, a, sol.ID); n != 2 {
			t.Errorf("adoptions = %d, want 2", n)
		}
		adopters, err := a.SolutionAdopters(context.Background(), sol.ID)
		if err != nil || len(adopters) != 2 || adopters[0].AdopterRegion != "35.72" {
			t.Errorf("adopters = %v, %v", adopters, err)
		}

		rep, err := a.Savings(context.Background(), "nation", "")
		if err != nil {
			t.Fatal(err)
		}
		want := kolaborasi.SavingsTotal{Scope: "nation", SavedIDR: 250_000_000 - 40_000_000, WithFigures: 1, Adoptions: 2}
		if rep.Total != want || len(rep.Parts) != 1 || rep.Parts[0].Code != "35" || rep.Parts[0].Adoptions != 2 {
			t.Errorf("nation: %+v parts %+v", rep.Total, rep.Parts)
		}
		for _, it := range rep.Items {
			if it.Adoption.AdopterRegion == "35.07" && (it.Saving.Saved != nil || it.Saving.Basis != "") {
				t.Errorf("unknown spending gave a saving: %+v", it.Saving)
			}
		}
		rep, err = a.Savings(context.Background(), "region", "35.07")
		if err != nil || rep.Total.Adoptions != 1 || rep.Total.WithFigures != 0 || rep.Total.SavedIDR != 0 {
			t.Errorf("Malang: %+v, %v", rep, err)
		}
		_, err = a.Savings(context.Background(), "province", "35.72")
		wantCode(t, err, kolaborasi.EINVALID)

		_, err = a.MoveAdoption(as(malangEditor), m.ID, 0, kolaborasi.StageStopped, "Anggaran dialihkan.")
		if err != nil {
			t.Fatal(err)
		}
		if n := adoptionCount(t, a, sol.ID); n != 1 {
			t.Errorf("a stopped adoption still counts: %d", n)
		}

		// The workspace: Bandung's editor sees a new request, Malang's its
		// adoption in progress.
		if _, err := a.RequestAdoption(as(malangEditor), app.AdoptionRequest{SolutionID: sol.ID}); err != nil {
			t.Fatal(err)
		}
		w, err := a.MyWorkspace(as(bandungEditor))
		if err != nil || len(w.Adoptions.Incoming) != 1 || w.Adoptions.Incoming[0].AdopterRegion != "35.07" {
			t.Errorf("Bandung's incoming requests: %+v, %v", w.Adoptions, err)
		}
		w, err = a.MyWorkspace(as(malangEditor))
		if err != nil || len(w.Adoptions.InProgress) != 1 {
			t.Errorf("Malang's adoptions in progress: %+v, %v", w.Adoptions, err)
		}

		// Documents: PDFs, by the adopter; readable like the adoption.
		_, err = a.AddAdoptionDocument(as(blitarEditor), ad.ID, "laporan.pdf", []byte("not a pdf"))
		wantCode(t, err, kolaborasi.EINVALID)
		_, err = a.AddAdoptionDocument(as(bandungEditor), ad.ID, "laporan.pdf", minimalPDF)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		doc, err := a.AddAdoptionDocument(as(blitarEditor), ad.ID, "laporan.pdf", minimalPDF)
		if err != nil {
			t.Fatal(err)
		}
		if _, public, err := a.FileAccess(context.Background(), doc.SHA256); err != nil || !public {
			t.Errorf("a document of an accepted adoption: public %v, %v", public, err)
		}
		got, err := a.Adoption(context.Background(), ad.ID)
		if err != nil || len(got.Documents) != 1 {
			t.Errorf("documents: %+v, %v", got, err)
		}
	})
}

func TestAdoptionsFromAgreement(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		sol := newSolution()
		if err := s.a.CreateSolution(s.as(t, "diskominfo@bandung.test"), sol); err != nil {
			t.Fatal(err)
		}
		blitarCo, bandungCo := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "kerjasama@bandung.test")
		c := demo.KSB
		c.Title = "Kerja Sama Aplikasi Aduan"
		c.Exchanges = []kolaborasi.ExchangeItem{
			{Giver: 1, Receivers: []int{0}, SolutionID: sol.ID, Programme: "aplikasi aduan warga", Terms: []string{"hibah"}},
			{Giver: 0, Receivers: []int{1}, Programme: "pendampingan koperasi", Terms: []string{"mentoring"}},
		}
		ag, err := s.a.CreateAgreement(blitarCo, c)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.a.AdoptionsFromAgreement(blitarCo, ag.ID)
		wantCode(t, err, kolaborasi.ECONFLICT) // not signed
		if err := s.a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusOffered); err != nil {
			t.Fatal(err)
		}
		if err := s.a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusKSBNegotiated); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct{ head, region string }{{"walikota@blitarkota.test", demo.Blitar}, {"walikota@bandung.test", demo.Bandung}} {
			var priv ed25519.PrivateKey
			priv, keyID := s.key(t, p.head, "admin@kolaborasi.test")
			if err := s.sign(t, p.head, priv, keyID, app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StageKSB,
				Party: p.region, Role: ledger.RoleSignatory}); err != nil {
				t.Fatal(err)
			}
		}
		todo, err := s.a.PromisedAdoptions(context.Background(), ag.ID, demo.Blitar)
		if err != nil || len(todo) != 1 || todo[0].Adopter != demo.Blitar {
			t.Fatalf("promised: %+v, %v", todo, err)
		}
		// An open request by Blitar is linked, not duplicated.
		req, err := s.a.RequestAdoption(s.as(t, "umkm@blitarkota.test"), app.AdoptionRequest{SolutionID: sol.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"umkm@blitarkota.test", "walikota@blitarkota.test", "diskominfo@bandung.test"} {
			_, err := s.a.AdoptionsFromAgreement(s.as(t, who), ag.ID)
			wantCode(t, err, kolaborasi.EFORBIDDEN)
		}
		made, err := s.a.AdoptionsFromAgreement(bandungCo, ag.ID)
		if err != nil || len(made) != 1 {
			t.Fatalf("from agreement: %v, %v", made, err)
		}
		got := made[0]
		if got.ID != req.ID || got.AgreementID != ag.ID || got.State != kolaborasi.AdoptionAccepted || got.Stage != kolaborasi.StageAgreement {
			t.Errorf("linked adoption: %+v", got)
		}
		again, err := s.a.AdoptionsFromAgreement(blitarCo, ag.ID)
		if err != nil || len(again) != 0 {
			t.Errorf("a second click created %d, %v", len(again), err)
		}
		if todo, _ := s.a.PromisedAdoptions(context.Background(), ag.ID, demo.Blitar); len(todo) != 0 {
			t.Errorf("still promised: %+v", todo)
		}
		if n := adoptionCount(t, s.a, sol.ID); n != 1 {
			t.Errorf("adoptions = %d, want 1", n)
		}
	})
}

// TestAdoptionCountsKeepCatalogIndexExact writes random adoptions (requests,
// decisions, stage moves, stops) and checks after each that the in-process
// index's "most adopted" order equals the database's, and that every
// solution's count equals the distinct regions with a live adoption.
func TestAdoptionCountsKeepCatalogIndexExact(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sys := kolaborasi.WithUser(ctx, kolaborasi.System)
		indexed := newApp(t, db)
		direct := app.New(db.Store(), app.WithoutCatalogIndex())
		regions := []string{"32.73", "35.72", "35.07", "51.71", "31.71"}
		if err := indexed.LoadSyntheticSolutions(sys, gen.Solutions(5, 40, regions)); err != nil {
			t.Fatal(err)
		}
		all, err := indexed.SearchSolutions(ctx, app.SolutionQuery{Sort: kolaborasi.SortNewest, Size: app.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		queries := []app.SolutionQuery{
			{Sort: kolaborasi.SortAdopted, Size: 10},
			{Sort: kolaborasi.SortAdopted, Size: 50},
			{Sort: kolaborasi.SortAdopted, Size: 5, Facets: map[string][]string{kolaborasi.FacetProvince: {"35"}}},
		}
		sameResults(t, indexed, direct, queries[0]) // builds the index before the writes
		r := rand.New(rand.NewPCG(7, 11))
		iterations := 80
		if testing.Short() || raceDetector {
			iterations = 25
		}
		for i := range iterations {
			sol := all.Items[r.IntN(len(all.Items))].Solution
			adopter := regions[r.IntN(len(regions))]
			if adopter == sol.RegionCode {
				continue
			}
			open, err := indexed.Adoptions(sys, kolaborasi.AdoptionFilter{SolutionID: sol.ID, AdopterRegion: adopter})
			if err != nil {
				t.Fatal(err)
			}
			var cur *kolaborasi.Adoption
			for _, ad := range open {
				if ad.Open() {
					cur = ad
				}
			}
			switch {
			case cur == nil:
				_, err = indexed.RequestAdoption(sys, app.AdoptionRequest{SolutionID: sol.ID, AdopterRegion: adopter})
			case cur.State == kolaborasi.AdoptionRequested:
				_, err = indexed.DecideAdoption(sys, cur.ID, cur.Version, r.IntN(4) > 0, "keputusan")
			case r.IntN(4) == 0:
				_, err = indexed.MoveAdoption(sys, cur.ID, cur.Version, kolaborasi.StageStopped, "berhenti")
			default:
				next := app.NextAdoptionStages(cur)
				if len(next) > 1 {
					_, err = indexed.MoveAdoption(sys, cur.ID, cur.Version, next[0], "")
				}
			}
			if err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
			for _, q := range queries {
				sameResults(t, indexed, direct, q)
			}
		}
		live := map[int64]map[string]bool{}
		ads, err := db.Store().FindAdoptions(ctx, kolaborasi.AdoptionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ad := range ads {
			if ad.Live() {
				if live[ad.SolutionID] == nil {
					live[ad.SolutionID] = map[string]bool{}
				}
				live[ad.SolutionID][ad.AdopterRegion] = true
			}
		}
		counted := 0
		for _, it := range all.Items {
			if got, want := adoptionCount(t, indexed, it.Solution.ID), len(live[it.Solution.ID]); got != want {
				t.Errorf("solution %d: adoptions %d, live regions %d", it.Solution.ID, got, want)
			}
			counted += len(live[it.Solution.ID])
		}
		if counted == 0 {
			t.Error("the random writes made no live adoption")
		}
	})
}

// An adoption entered after the fact keeps both dates of each event: when
// it happened (On, set by whoever may record the event) and when the
// platform recorded it (At). Dates in the future, before the previous event
// or not dates at all are refused; going live counts from the event date.
func TestAdoptionEventDates(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		sol := newSolution()
		if err := a.CreateSolution(as(bandungEditor), sol); err != nil {
			t.Fatal(err)
		}
		today := testNow.In(time.FixedZone("WIB", 7*3600)).Format(time.DateOnly)
		tomorrow := testNow.In(time.FixedZone("WIB", 7*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
		for _, on := range []string{tomorrow, "8 Maret 2017", "2017-02-30"} {
			_, err := a.RequestAdoption(as(blitarEditor), app.AdoptionRequest{SolutionID: sol.ID, On: on})
			wantCode(t, err, kolaborasi.EINVALID)
		}
		ad, err := a.RequestAdoption(as(blitarEditor), app.AdoptionRequest{SolutionID: sol.ID, On: "2017-03-08"})
		if err != nil {
			t.Fatal(err)
		}
		if ad, err = a.DecideAdoptionOn(as(bandungEditor), ad.ID, ad.Version, true, "Silakan.", "2017-03-08"); err != nil {
			t.Fatal(err)
		}
		// Not before the previous event, not in the future.
		_, err = a.MoveAdoptionOn(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StageStudyVisit, "", "2017-03-07")
		wantCode(t, err, kolaborasi.EINVALID)
		_, err = a.MoveAdoptionOn(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StageStudyVisit, "", tomorrow)
		wantCode(t, err, kolaborasi.EINVALID)
		// Only who may move the adoption may date the move.
		_, err = a.MoveAdoptionOn(as(bandungEditor), ad.ID, ad.Version, kolaborasi.StageLive, "", "2019-01-02")
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		if ad, err = a.MoveAdoptionOn(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StageLive, "", "2019-01-02"); err != nil {
			t.Fatal(err)
		}
		// Today's date is an event happening as it is recorded.
		if ad, err = a.MoveAdoptionOn(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StageEvaluated, "", today); err != nil {
			t.Fatal(err)
		}
		got, err := a.Adoption(as(blitarEditor), ad.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2017-03-08", "2017-03-08", "2019-01-02", ""}
		if len(got.History) != len(want) {
			t.Fatalf("history %+v", got.History)
		}
		for i, h := range got.History {
			if h.On != want[i] || !h.At.Equal(testNow.UTC().Truncate(time.Microsecond)) {
				t.Errorf("event %d: on %q at %v, want on %q recorded %v", i, h.On, h.At, want[i], testNow)
			}
		}
		if live := got.WentLive(); !live.Equal(time.Date(2019, 1, 2, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("went live %v, want the event date", live)
		}
		if since := got.Since(); since.Format(time.DateOnly) != "2017-03-08" || !got.CreatedAt.Equal(got.History[0].At) {
			t.Errorf("since %v, created %v", since, got.CreatedAt)
		}
		if d := got.DecisionEvent(); d == nil || d.On != "2017-03-08" || d.Event != "accepted" {
			t.Errorf("decision %+v", d)
		}
	})
}

// slowAdoptions is a store whose saving figures take as long to read as
// the national savings report once took (seconds), counted.
type slowAdoptions struct {
	kolaborasi.Store
	reads atomic.Int32
}

func (s *slowAdoptions) EachSavingRow(ctx context.Context, province, region string, fn func(*kolaborasi.SavingRow) error) error {
	s.reads.Add(1)
	time.Sleep(200 * time.Millisecond)
	return s.Store.EachSavingRow(ctx, province, region, fn)
}

// Readers who miss the savings report at once (after a write, at national
// scale) share one computation rather than each running it, and a reader
// who gives up does not fail the others.
func TestSavingsMissesShareOneComputation(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		newApp(t, db)
		slow := &slowAdoptions{Store: db.Store()}
		a := app.New(slow, app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow }))
		gone, cancel := context.WithCancel(context.Background())
		reps := make([]*app.SavingsReport, 16)
		var wg sync.WaitGroup
		for i := range reps {
			ctx := context.Background()
			if i == 0 {
				ctx = gone
			}
			wg.Go(func() {
				r, err := a.Savings(ctx, "nation", "")
				if err != nil && i != 0 {
					t.Error(err)
				}
				reps[i] = r
			})
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
		wg.Wait()
		if n := slow.reads.Load(); n != 1 {
			t.Errorf("%d computations of one report for 16 readers, want 1", n)
		}
		for _, r := range reps[1:] {
			if r == nil || r != reps[1] {
				t.Fatalf("readers got different reports: %p, first %p", r, reps[1])
			}
		}
	})
}
