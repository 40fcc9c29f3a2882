package demo

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestSeedIndicators(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	if err := seedIndicators(ctx, a); err != nil {
		t.Fatal(err)
	}
	// The map of 2025 is full: every kabupaten/kota has a value.
	obs, err := a.Observations(ctx, kolaborasi.ObservationFilter{Indicator: "bps.kemiskinan", From: "2025", To: "2025"})
	if err != nil || len(obs) != 514 {
		t.Fatalf("poverty 2025: %d values, %v", len(obs), err)
	}
	// Real figures carry their source; every other value is marked synthetic.
	err = a.EachObservation(ctx, kolaborasi.ObservationFilter{}, func(o *kolaborasi.Observation) error {
		real := o.RegionCode == Blitar && o.Indicator == "bps.pertumbuhan-ekonomi" && (o.Period == "2024" || o.Period == "2017")
		if real == (o.Source == SyntheticSource) || o.Source == "" {
			t.Errorf("%+v: source %q", o.Key(), o.Source)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Observations(ctx, kolaborasi.ObservationFilter{Indicator: "bps.pertumbuhan-ekonomi", Region: Blitar, From: "2024", To: "2024"})
	if err != nil || len(got) != 1 || got[0].Value != 5.33 || got[0].Source != srcBlitarGrowth2024 {
		t.Fatalf("Blitar 2024: %+v %v", got, err)
	}
}
