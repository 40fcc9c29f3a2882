package app_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/match"
	"github.com/kolaborasi/kolaborasi/store"
)

func TestMatchmakingPlan(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		a, ctx := s.a, context.Background()
		p, err := a.MatchmakingPlan(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.Reason != "" || !p.Exact || p.UpperBound != p.NeedsMet || p.Truncated {
			t.Fatalf("demo plan: reason %q exact %v bound %d needs met %d truncated %v", p.Reason, p.Exact, p.UpperBound, p.NeedsMet, p.Truncated)
		}
		// The chosen set is a packing: each solution given once, each need
		// met once, one item per edge, and NeedsMet counts the items.
		sols, needs := map[int64]bool{}, map[int64]bool{}
		items := 0
		for _, e := range p.Exchanges {
			if len(e.Items) != len(e.Parties) || e.NeedsMet != len(e.Items) {
				t.Errorf("exchange %v: %d items, %d needs met, want one per edge", e.Parties, len(e.Items), e.NeedsMet)
			}
			for k, it := range e.Items {
				if it.Giver != e.Parties[k] || it.Receiver != e.Parties[(k+1)%len(e.Parties)] {
					t.Errorf("exchange %v item %d: %s → %s is not its edge", e.Parties, k, it.Giver, it.Receiver)
				}
				if it.Solution == nil || it.Need == nil {
					t.Fatalf("item without solution or need: %+v", it)
				}
				if sols[it.Solution.ID] || needs[it.Need.ID] {
					t.Errorf("solution %d or need %d used twice", it.Solution.ID, it.Need.ID)
				}
				sols[it.Solution.ID], needs[it.Need.ID] = true, true
				items++
			}
		}
		if items != p.NeedsMet {
			t.Errorf("%d items, needs met %d", items, p.NeedsMet)
		}
		// The Blitar–Bandung barter and the synthetic 3-cycle are chosen.
		blitar := p.For(demo.Blitar)
		if len(blitar) != 1 || !slices.Equal(blitar[0].Parties, []string{demo.Bandung, demo.Blitar}) || blitar[0].Kind != match.KindPair {
			t.Fatalf("Blitar's chosen exchanges: %+v", blitar)
		}
		cycle := p.For(demo.Denpasar)
		if len(cycle) != 1 || !slices.Equal(cycle[0].Parties, []string{demo.Surakarta, demo.Denpasar, demo.Balikpapan}) || cycle[0].NeedsMet != 3 {
			t.Fatalf("Denpasar's chosen exchanges: %+v", cycle)
		}
		if got := p.For("11.01"); len(got) != 0 {
			t.Errorf("a region without needs has chosen exchanges: %+v", got)
		}

		// Cached with the graph: the same set until needs or solutions change.
		builds := a.MatchmakingStats().Builds
		again, err := a.MatchmakingPlan(ctx)
		if err != nil || again != p || a.MatchmakingStats().Builds != builds {
			t.Errorf("plan not cached: same %v, builds %d → %d, %v", again == p, builds, a.MatchmakingStats().Builds, err)
		}

		// A chosen exchange is a suggestion the draft flow accepts.
		parties, sugg := suggestionOf(blitar[0])
		ag, err := a.DraftFromSuggestion(s.as(t, "kerjasama@blitarkota.test"), demo.Blitar, parties, sugg)
		if err != nil {
			t.Fatal(err)
		}
		if ag.Status != kolaborasi.StatusDraft || len(ag.Content.Exchanges) != 2 || !slices.Equal(ag.Content.RegionCodes(), parties) {
			t.Errorf("draft from the chosen pair: %s, %d exchanges, parties %v", ag.Status, len(ag.Content.Exchanges), ag.Content.RegionCodes())
		}

		// A new need rebuilds the graph and so the plan; callers at the
		// same time share one computation.
		if err := a.CreateNeed(as(blitarEditor), newNeed()); err != nil {
			t.Fatal(err)
		}
		plans := make([]*app.MatchPlan, 8)
		var wg sync.WaitGroup
		for i := range plans {
			wg.Go(func() {
				var err error
				if plans[i], err = a.MatchmakingPlan(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, q := range plans {
			if q == nil || q == p || q != plans[0] {
				t.Fatalf("concurrent plans after a new need: %p (old %p), want one new shared plan", q, p)
			}
		}
	})
}
