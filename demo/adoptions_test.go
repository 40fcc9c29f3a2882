package demo

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestSeedAdoptions(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	blitar, err := a.Adoptions(ctx, kolaborasi.AdoptionFilter{AdopterRegion: Blitar})
	if err != nil {
		t.Fatal(err)
	}
	stages := map[kolaborasi.AdoptionStage]int{}
	for _, ad := range blitar {
		if ad.SourceRegion != Bandung || !ad.Synthetic {
			t.Errorf("Blitar's adoption %+v", ad)
		}
		stages[ad.Stage]++
	}
	// The pending GAMPIL request is not public.
	if len(blitar) != 4 || stages[kolaborasi.StageLive] != 1 || stages[kolaborasi.StagePilot] != 1 || stages[kolaborasi.StageStopped] != 1 {
		t.Errorf("Blitar's public adoptions: %d, stages %v", len(blitar), stages)
	}
	bandung, err := a.Adoptions(ctx, kolaborasi.AdoptionFilter{AdopterRegion: Bandung, SourceRegion: Blitar})
	if err != nil || len(bandung) != 1 || bandung[0].Stage != kolaborasi.StageStudyVisit || bandung[0].AgreementID == 0 {
		t.Errorf("Bandung's adoption of Blitar's programme: %+v, %v", bandung, err)
	}
	rep, err := a.Savings(ctx, "nation", "")
	if err != nil {
		t.Fatal(err)
	}
	// Figures come only with both costs known: the synthetic solutions.
	if rep.Total.WithFigures != 5 || rep.Total.Adoptions <= rep.Total.WithFigures || rep.Total.Synthetic != 5 || rep.Total.SavedIDR <= 0 {
		t.Errorf("national savings: %+v", rep.Total)
	}
	for _, it := range rep.Items {
		for _, m := range []*kolaborasi.Money{it.Adoption.Planned, it.Adoption.Spent} {
			if m != nil && m.Source == "" {
				t.Errorf("adoption %d: a figure without its source", it.Adoption.ID)
			}
		}
	}
}
