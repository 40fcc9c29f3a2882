package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/match"
	"github.com/kolaborasi/kolaborasi/store"
)

// blitarCoordinator and blitarViewer are declared in adoptions_test.go.

func newNeed() *kolaborasi.Need {
	return &kolaborasi.Need{RegionCode: "35.72", Title: "Aplikasi pengaduan", Text: "Pengaduan masyarakat yang ditindaklanjuti.",
		Dimension: kolaborasi.DimGovernance, Sectors: []kolaborasi.Sector{"e-government"}, Priority: kolaborasi.PriorityHigh,
		BudgetMin: 10_000_000, BudgetMax: 90_000_000}
}

func TestNeedRules(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		for _, c := range []struct {
			ctx  context.Context
			code string
		}{
			{context.Background(), kolaborasi.EUNAUTHORIZED},
			{as(blitarViewer), kolaborasi.EFORBIDDEN},
			{as(blitarAdmin), kolaborasi.EFORBIDDEN},
			{as(bandungEditor), kolaborasi.EFORBIDDEN},
			{as(platformAdmin), kolaborasi.EFORBIDDEN},
		} {
			wantCode(t, a.CreateNeed(c.ctx, newNeed()), c.code)
		}
		n := newNeed()
		n.Status, n.Synthetic = kolaborasi.NeedMet, true
		if err := a.CreateNeed(as(blitarEditor), n); err != nil {
			t.Fatal(err)
		}
		if n.Status != kolaborasi.NeedOpen || n.Synthetic || n.Version != 1 || n.AuthorID != blitarEditor.ID {
			t.Errorf("created need: status %s, synthetic %v, version %d, author %d", n.Status, n.Synthetic, n.Version, n.AuthorID)
		}
		if err := a.CreateNeed(as(blitarCoordinator), newNeed()); err != nil {
			t.Errorf("a coordinator declares needs too: %v", err)
		}

		// Bad input names its fields and stores nothing.
		before, _ := a.Needs(context.Background(), "35.72")
		for _, c := range []struct {
			edit  func(*kolaborasi.Need)
			field string
		}{
			{func(n *kolaborasi.Need) { n.Text = "  \n " }, "text"},
			{func(n *kolaborasi.Need) { n.Title = "" }, "title"},
			{func(n *kolaborasi.Need) { n.BudgetMin, n.BudgetMax = 500, 100 }, "budget_max_idr"},
			{func(n *kolaborasi.Need) { n.BudgetMin = -1 }, "budget_min_idr"},
			{func(n *kolaborasi.Need) { n.Priority = "urgent" }, "priority"},
			{func(n *kolaborasi.Need) { n.Dimension = "smart" }, "dimension"},
			{func(n *kolaborasi.Need) { n.Sectors = []kolaborasi.Sector{"mining"} }, "sectors"},
			{func(n *kolaborasi.Need) { n.OPDID = 999999 }, "opd_id"},
		} {
			bad := newNeed()
			c.edit(bad)
			err := a.CreateNeed(as(blitarEditor), bad)
			wantCode(t, err, kolaborasi.EINVALID)
			if _, ok := kolaborasi.ErrorFields(err)[c.field]; !ok {
				t.Errorf("%s: fields %v do not name it", c.field, kolaborasi.ErrorFields(err))
			}
		}
		if after, _ := a.Needs(context.Background(), "35.72"); len(after) != len(before) {
			t.Errorf("refused needs were stored: %d → %d", len(before), len(after))
		}

		// Edit and withdraw; a stale version conflicts; a need stays home.
		n.Text = "Pengaduan warga terpadu."
		if err := a.UpdateNeed(as(blitarCoordinator), n); err != nil {
			t.Fatal(err)
		}
		stale := *n
		stale.Version = 1
		wantCode(t, a.UpdateNeed(as(blitarEditor), &stale), kolaborasi.ECONFLICT)
		moved := *n
		moved.RegionCode = "32.73"
		wantCode(t, a.UpdateNeed(as(blitarEditor), &moved), kolaborasi.EINVALID)
		_, err := a.WithdrawNeed(as(bandungEditor), n.ID, n.Version)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		w, err := a.WithdrawNeed(as(blitarEditor), n.ID, n.Version)
		if err != nil || w.Status != kolaborasi.NeedWithdrawn {
			t.Fatalf("withdraw: %v, %v", w, err)
		}
		open, _ := a.OpenNeeds(context.Background())
		if slices.ContainsFunc(open, func(o *kolaborasi.Need) bool { return o.ID == n.ID }) {
			t.Error("a withdrawn need is still open")
		}
		trail, err := a.AuditTrail(as(blitarAdmin), "35.72", 0)
		if err != nil {
			t.Fatal(err)
		}
		var needRows int
		for _, e := range trail {
			if e.Action == string(app.ActNeedManage) {
				needRows++
			}
		}
		if needRows != 4 {
			t.Errorf("%d audit rows of need changes, want 4 (two creations, an edit, a withdrawal)", needRows)
		}
	})
}

func TestMatchmakingDemo(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		a, ctx := s.a, context.Background()

		// The barter: Blitar and Bandung are reciprocal partners.
		p, err := a.RegionPartners(ctx, demo.Blitar)
		if err != nil {
			t.Fatal(err)
		}
		if p.Reason != "" || len(p.Pairs) != 1 || !slices.Equal(p.Pairs[0].Parties, []string{demo.Bandung, demo.Blitar}) {
			t.Fatalf("Blitar's partners: reason %q, pairs %+v", p.Reason, p.Pairs)
		}
		pair := p.Pairs[0]
		gives, receives := map[string]bool{}, map[string]bool{}
		for _, it := range pair.Items {
			if it.Solution == nil || it.Need == nil {
				t.Fatalf("item without solution or need: %+v", it)
			}
			if it.Giver == demo.Blitar {
				gives[it.Solution.Name.Get("id")] = true
			} else {
				receives[it.Solution.Name.Get("id")+" → "+it.Need.Title] = true
			}
		}
		if !gives[demo.BlitarCooperatives] || len(gives) != 1 {
			t.Errorf("Blitar gives %v, want its cooperative bookkeeping (Bandung already studies its programme)", gives)
		}
		if !receives["Hayu → Informasi layanan publik di ponsel warga"] || !receives["e-RK → Rencana dan penilaian kinerja pegawai elektronik"] {
			t.Errorf("Blitar receives %v, want Hayu for public information and e-RK for staff performance", receives)
		}
		// Nothing a region already adopts is suggested to it: Blitar has
		// the Command Center, Panic Button, e-Budgeting and a GAMPIL request
		// open, Bandung studies Blitar's programme.
		adopted := map[string]map[int64]bool{}
		for _, region := range []string{demo.Blitar, demo.Bandung} {
			ads, err := a.Adoptions(as(platformAdmin), kolaborasi.AdoptionFilter{AdopterRegion: region})
			if err != nil {
				t.Fatal(err)
			}
			adopted[region] = map[int64]bool{}
			for _, ad := range ads {
				if ad.Open() {
					adopted[region][ad.SolutionID] = true
				}
			}
		}
		if len(adopted[demo.Blitar]) != 4 || len(adopted[demo.Bandung]) != 2 {
			t.Fatalf("open adoptions: %v", adopted)
		}
		for _, region := range []string{demo.Blitar, demo.Bandung} {
			needs, err := a.Needs(ctx, region)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range needs {
				r, err := a.SolutionsForNeed(ctx, n.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range r.Items {
					if adopted[region][it.Solution.ID] {
						t.Errorf("%s's need %q is suggested %s, which it already adopts", region, n.Title, it.Solution.Name.Get("id"))
					}
				}
			}
		}

		// The synthetic 3-cycle.
		c, err := a.RegionPartners(ctx, demo.Denpasar)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Pairs) != 0 || len(c.Cycles) != 1 || !slices.Equal(c.Cycles[0].Parties, []string{demo.Surakarta, demo.Denpasar, demo.Balikpapan}) {
			t.Fatalf("Denpasar: pairs %+v cycles %+v", c.Pairs, c.Cycles)
		}
		if c.Cycles[0].Kind != match.KindCycle3 || c.Cycles[0].NeedsMet != 3 {
			t.Errorf("cycle kind %s, needs met %d", c.Cycles[0].Kind, c.Cycles[0].NeedsMet)
		}

		// An empty region: not an error, a reason.
		e, err := a.RegionPartners(ctx, "11.01")
		if err != nil || e.Reason != match.ReasonNoNeeds || len(e.Pairs)+len(e.Cycles) != 0 {
			t.Errorf("empty region: %+v, %v", e, err)
		}
		_, err = a.RegionPartners(ctx, "99.99")
		wantCode(t, err, kolaborasi.ENOTFOUND)

		// A need's ranked solutions, with reasons.
		needs, _ := a.Needs(ctx, demo.Blitar)
		var complaints *kolaborasi.Need
		for _, n := range needs {
			if strings.HasPrefix(n.Title, "Informasi layanan publik") {
				complaints = n
			}
		}
		r, err := a.SolutionsForNeed(ctx, complaints.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Items) == 0 || r.Items[0].Solution.Name.Get("id") != "Hayu" {
			t.Fatalf("ranking for the public-information need: %+v", r.Items)
		}
		top := r.Items[0]
		if !slices.Contains(top.Why.Words, "layanan") || !top.Why.Dimension || !slices.Contains(top.Why.Sectors, "e-government") ||
			top.Maturity != match.MaturityLive || top.Score <= 0 {
			t.Errorf("top reason: %+v", top)
		}
		for _, it := range r.Items {
			if it.Solution.RegionCode == demo.Blitar {
				t.Errorf("a need's own region's solution was suggested: %s", it.Solution.Name.Get("id"))
			}
		}

		// Requesting Hayu takes it out of Blitar's suggestions; stopping
		// the adoption brings it back.
		hayu := top.Solution.ID
		suggested := func() bool {
			t.Helper()
			r, err := a.SolutionsForNeed(ctx, complaints.ID)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(r.Items, func(it app.RankedSolution) bool { return it.Solution.ID == hayu })
		}
		req, err := a.RequestAdoption(as(blitarEditor), app.AdoptionRequest{SolutionID: hayu})
		if err != nil {
			t.Fatal(err)
		}
		if suggested() {
			t.Error("Hayu is still suggested to Blitar after Blitar asked to adopt it")
		}
		if _, err := a.MoveAdoption(as(blitarEditor), req.ID, req.Version, kolaborasi.StageStopped, "Belum jadi."); err != nil {
			t.Fatal(err)
		}
		if !suggested() {
			t.Error("Hayu is not suggested to Blitar again after Blitar stopped adopting it")
		}

		// The graph is cached until needs or solutions change.
		builds := a.MatchmakingStats().Builds
		if _, err := a.RegionPartners(ctx, demo.Bandung); err != nil {
			t.Fatal(err)
		}
		if got := a.MatchmakingStats().Builds; got != builds {
			t.Errorf("graph rebuilt without a change: %d → %d builds", builds, got)
		}
		if _, err := a.WithdrawNeed(as(blitarEditor), complaints.ID, complaints.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := a.RegionPartners(ctx, demo.Blitar); err != nil {
			t.Fatal(err)
		}
		if st := a.MatchmakingStats(); st.Builds != builds+1 || st.Searches != 0 {
			t.Errorf("after a need was withdrawn: %d builds (want %d), %d searches (want 0: the others are reused)", st.Builds, builds+1, st.Searches)
		}
		// A new need is searched alone; a catalogue change searches all.
		if err := a.CreateNeed(as(blitarEditor), newNeed()); err != nil {
			t.Fatal(err)
		}
		if _, err := a.RegionPartners(ctx, demo.Blitar); err != nil {
			t.Fatal(err)
		}
		open, _ := a.OpenNeeds(ctx)
		if st := a.MatchmakingStats(); st.Searches != 1 || st.Needs != len(open) {
			t.Errorf("after a new need: %d searches (want 1), %d needs (want %d)", st.Searches, st.Needs, len(open))
		}
		sol := newSolution()
		if err := a.CreateSolution(as(bandungEditor), sol); err != nil {
			t.Fatal(err)
		}
		if _, err := a.RegionPartners(ctx, demo.Blitar); err != nil {
			t.Fatal(err)
		}
		if st := a.MatchmakingStats(); st.Searches != len(open) {
			t.Errorf("after a catalogue change: %d searches, want %d", st.Searches, len(open))
		}
		p, err = a.RegionPartners(ctx, demo.Blitar)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Pairs[0].Items {
			if it.Need.ID == complaints.ID {
				t.Error("a withdrawn need is still matched")
			}
		}
		r, err = a.SolutionsForNeed(ctx, complaints.ID)
		if err != nil || len(r.Items) != 0 || r.Reason == "" {
			t.Errorf("a withdrawn need's solutions: %+v, %v", r, err)
		}
	})
}

func suggestionOf(e app.Exchange) ([]string, []app.SuggestionItem) {
	var items []app.SuggestionItem
	for _, it := range e.Items {
		items = append(items, app.SuggestionItem{Giver: it.Giver, Solution: it.Solution.ID, Receiver: it.Receiver, Need: it.Need.ID})
	}
	return e.Parties, items
}

func TestDraftFromSuggestion(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		a := s.a
		p, err := a.RegionPartners(context.Background(), demo.Blitar)
		if err != nil || len(p.Pairs) != 1 {
			t.Fatalf("partners: %+v, %v", p, err)
		}
		parties, items := suggestionOf(p.Pairs[0])
		coord := s.as(t, "kerjasama@blitarkota.test")

		// Refused: not a coordinator, another region's coordinator, a
		// forged item, a forged party set, an edge without an item.
		_, err = a.DraftFromSuggestion(s.as(t, "umkm@blitarkota.test"), demo.Blitar, parties, items)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		_, err = a.DraftFromSuggestion(s.as(t, "kerjasama@bandung.test"), demo.Blitar, parties, items)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		_, err = a.DraftFromSuggestion(context.Background(), demo.Blitar, parties, items)
		wantCode(t, err, kolaborasi.EUNAUTHORIZED)
		forged := slices.Clone(items)
		forged[0].Solution = s.ksb.ID + 100000
		_, err = a.DraftFromSuggestion(coord, demo.Blitar, parties, forged)
		wantCode(t, err, kolaborasi.EINVALID)
		_, err = a.DraftFromSuggestion(coord, demo.Blitar, []string{demo.Blitar, demo.Denpasar}, items)
		wantCode(t, err, kolaborasi.EINVALID)
		var oneWay []app.SuggestionItem
		for _, it := range items {
			if it.Giver == demo.Bandung {
				oneWay = append(oneWay, it)
			}
		}
		_, err = a.DraftFromSuggestion(coord, demo.Blitar, parties, oneWay)
		wantCode(t, err, kolaborasi.EINVALID)
		before, _ := a.Agreements(s.as(t, "kerjasama@blitarkota.test"), kolaborasi.AgreementFilter{Region: demo.Blitar})

		ag, err := a.DraftFromSuggestion(coord, demo.Blitar, parties, items)
		if err != nil {
			t.Fatal(err)
		}
		c := ag.Content
		if ag.Status != kolaborasi.StatusDraft || !slices.Equal(c.RegionCodes(), parties) || len(c.Exchanges) != len(items) {
			t.Fatalf("draft: status %s, parties %v, %d exchanges (want %d)", ag.Status, c.RegionCodes(), len(c.Exchanges), len(items))
		}
		for i, x := range c.Exchanges {
			want := items[i]
			if c.Parties[x.Giver].Region != want.Giver || len(x.Receivers) != 1 || c.Parties[x.Receivers[0]].Region != want.Receiver || x.SolutionID != want.Solution {
				t.Errorf("exchange %d = %+v, want %+v", i, x, want)
			}
		}
		if !slices.Contains(c.Scope, "Koperasi") || !slices.Contains(c.Scope, "E-government") || c.Parties[0].Office == "" || len(c.Purpose) != len(items) {
			t.Errorf("scope %v, parties %+v, purpose %v", c.Scope, c.Parties, c.Purpose)
		}
		after, _ := a.Agreements(s.as(t, "kerjasama@blitarkota.test"), kolaborasi.AgreementFilter{Region: demo.Blitar})
		if len(after) != len(before)+1 {
			t.Errorf("agreements %d → %d", len(before), len(after))
		}
	})
}

// TestMatchmakingFollowsAnotherCopysWrite: the graph is kept under the
// catalogue's change number, so it must be built from a snapshot holding
// that number. Here the index of this copy cannot catch up (its writer
// lock is held, as by a slow catch-up) when another copy's new solution
// moves the counter: a search would give up after 5 ms and use the older
// snapshot, but the graph waits for the catch-up, so the new solution is a
// candidate once the lock is free, and stays one (a graph built from the
// late snapshot would be kept until the next write).
func TestMatchmakingFollowsAnotherCopysWrite(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newApp(t, db)
		other := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow }))
		n := newNeed()
		if err := a.CreateNeed(as(blitarEditor), n); err != nil {
			t.Fatal(err)
		}
		r, err := a.SolutionsForNeed(ctx, n.ID)
		if err != nil || len(r.Items) != 0 {
			t.Fatalf("before any solution: %+v, %v", r, err)
		}
		s := newSolution()
		if err := other.CreateSolution(as(bandungEditor), s); err != nil {
			t.Fatal(err)
		}
		release := a.HoldCatalogWriter()
		done := make(chan *app.NeedSolutions, 1)
		r = nil
		go func() {
			r, err := a.SolutionsForNeed(ctx, n.ID)
			if err != nil {
				t.Error(err)
			}
			done <- r
		}()
		select {
		case r = <-done:
		case <-time.After(100 * time.Millisecond):
		}
		release()
		if r == nil {
			r = <-done
		}
		for i := range 2 {
			if len(r.Items) != 1 || r.Items[0].Solution.ID != s.ID {
				t.Fatalf("call %d: the need's candidates are %+v, want the other copy's solution %d", i+1, r.Items, s.ID)
			}
			if r, err = a.SolutionsForNeed(ctx, n.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}
