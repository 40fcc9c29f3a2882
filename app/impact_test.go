package app_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/impact"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// Synthetic observations with a known effect, through the app: every kota
// follows a common trend with its own level and noise; Kota Blitar gains
// five points from 2021, when its adoption goes live. The estimate finds
// the effect within its interval; an adoption live for one period only, or
// not yet live, gets no estimate and says why.
func TestAdoptionImpactRecoversAKnownEffect(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		var mu sync.Mutex
		now := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
		setNow := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
		a := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
		if _, err := a.LoadReferenceData(context.Background()); err != nil {
			t.Fatal(err)
		}
		const effect = 5.0
		names, err := a.RegionNames(system)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		var rows strings.Builder
		// In code order: the draws, and so the test, are the same every run.
		for _, code := range slices.Sorted(maps.Keys(names)) {
			if len(code) != 5 || code[3] != '7' {
				continue // kota only
			}
			level := 30 + 10*rng.Float64()
			for y := 2015; y <= 2024; y++ {
				v := level + 2*float64(y-2015) + rng.NormFloat64()*0.5
				if code == kotaBlitar && y >= 2021 {
					v += effect
				}
				fmt.Fprintf(&rows, "%s,layanan.daring,%d,%.4f\n", code, y, v)
			}
		}
		importCSV(t, system, a, rows.String())

		sol := newSolution()
		if err := a.CreateSolution(as(bandungEditor), sol); err != nil {
			t.Fatal(err)
		}
		ad, err := a.RequestAdoption(as(blitarEditor), app.AdoptionRequest{SolutionID: sol.ID})
		if err != nil {
			t.Fatal(err)
		}
		if ad, err = a.DecideAdoption(as(bandungEditor), ad.ID, ad.Version, true, "Silakan."); err != nil {
			t.Fatal(err)
		}
		// Not live yet: no estimate.
		imp, err := a.AdoptionImpact(context.Background(), ad.ID, "layanan.daring")
		if err != nil || !imp.NotLive || imp.LiveFrom != "" {
			t.Fatalf("before live: %+v, %v", imp, err)
		}
		setNow(time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC))
		if ad, err = a.MoveAdoption(as(blitarEditor), ad.ID, ad.Version, kolaborasi.StageLive, ""); err != nil {
			t.Fatal(err)
		}
		imp, err = a.AdoptionImpact(context.Background(), ad.ID, "layanan.daring")
		if err != nil {
			t.Fatal(err)
		}
		res := imp.Result
		if !res.OK() || imp.LiveFrom != "2021" || len(res.Before) != 6 || len(res.After) != 4 {
			t.Fatalf("impact %+v", imp)
		}
		if res.Low > effect || res.High < effect || math.Abs(res.Effect-effect) > 1.5 {
			t.Errorf("effect %.3f [%.3f, %.3f], want %v inside", res.Effect, res.Low, res.High, effect)
		}
		// Bandung published the solution: never a comparison region.
		for _, c := range res.ComparisonRegions {
			if c == kotaBandung || c == kotaBlitar {
				t.Errorf("comparison group holds %s", c)
			}
		}
		if res.Excluded.Adopted != 1 || res.Comparison.N < 5 {
			t.Errorf("groups %+v, excluded %+v", res.Comparison, res.Excluded)
		}
		again, err := a.AdoptionImpact(context.Background(), ad.ID, "layanan.daring")
		if err != nil || again.Result.Low != res.Low || again.Result.High != res.High {
			t.Errorf("a second estimate differs: %+v", again.Result)
		}

		// Kota Batu's adoption goes live in 2024, the last period with data.
		batuEditor := &kolaborasi.User{ID: 51, Name: "Diskominfo Batu", RegionCode: kotaBatu, Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
		setNow(time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC))
		batu, err := a.RequestAdoption(as(batuEditor), app.AdoptionRequest{SolutionID: sol.ID})
		if err != nil {
			t.Fatal(err)
		}
		if batu, err = a.DecideAdoption(as(bandungEditor), batu.ID, batu.Version, true, "Silakan."); err != nil {
			t.Fatal(err)
		}
		if batu, err = a.MoveAdoption(as(batuEditor), batu.ID, batu.Version, kolaborasi.StageLive, ""); err != nil {
			t.Fatal(err)
		}
		imp, err = a.AdoptionImpact(context.Background(), batu.ID, "layanan.daring")
		if err != nil {
			t.Fatal(err)
		}
		// (The comparison regions lack two periods after it too.)
		if imp.Result.OK() || len(imp.Result.Shortfalls) != 2 || imp.Result.Shortfalls[0] != (impact.Shortfall{Reason: impact.ReasonAfter, Have: 1, Need: 2}) ||
			imp.Result.Shortfalls[1].Reason != impact.ReasonComparison {
			t.Fatalf("one period after live: %+v", imp.Result.Shortfalls)
		}
		// Blitar's estimate now leaves Batu out of the comparison group.
		imp, err = a.AdoptionImpact(context.Background(), ad.ID, "layanan.daring")
		if err != nil || imp.Result.Excluded.Adopted != 2 {
			t.Fatalf("after Batu adopted: %+v, %v", imp.Result.Excluded, err)
		}
		_, err = a.AdoptionImpact(context.Background(), ad.ID, "tidak.ada")
		wantCode(t, err, kolaborasi.ENOTFOUND)
	})
}
