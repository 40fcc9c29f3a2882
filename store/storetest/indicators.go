package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

func testObservations(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	at := time.Date(2026, 3, 1, 8, 0, 0, 123456000, time.UTC)
	ind := &kolaborasi.Indicator{Code: "bps.growth", Framework: kolaborasi.FrameworkBPS, Name: kolaborasi.Texts{ID: "Pertumbuhan", EN: "Growth"},
		Unit: "%", Direction: kolaborasi.HigherIsBetter, PeriodKind: kolaborasi.Yearly, Source: "BPS", UpdatedAt: at}
	if err := s.PutIndicator(ctx, ind); err != nil {
		t.Fatal(err)
	}
	other := &kolaborasi.Indicator{Code: "spbe.index", Framework: kolaborasi.FrameworkSPBE, Name: kolaborasi.Texts{ID: "Indeks SPBE"},
		Unit: "indeks", Direction: kolaborasi.HigherIsBetter, PeriodKind: kolaborasi.Yearly, Source: "KemenPAN-RB", UpdatedAt: at}
	if err := s.PutIndicator(ctx, other); err != nil {
		t.Fatal(err)
	}
	// Replacing keeps created_at, changes the data.
	ind.Name.EN = "Economic growth"
	ind.UpdatedAt = at.Add(time.Hour)
	ind.CreatedAt = time.Time{}
	if err := s.PutIndicator(ctx, ind); err != nil {
		t.Fatal(err)
	}
	got, err := s.Indicator(ctx, "bps.growth")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name.EN != "Economic growth" || !got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at.Add(time.Hour)) {
		t.Fatalf("indicator after replace = %+v", got)
	}
	if _, err := s.Indicator(ctx, "none"); kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		t.Fatalf("missing indicator: %v", err)
	}
	all, err := s.Indicators(ctx)
	if err != nil || len(all) != 2 || all[0].Code != "bps.growth" || all[1].Code != "spbe.index" {
		t.Fatalf("indicators = %v, %v", all, err)
	}

	mk := func(region, ind, period string, v float64) *kolaborasi.Observation {
		return &kolaborasi.Observation{RegionCode: region, Indicator: ind, Period: period, Value: v, Source: "BPS", RecordedBy: 0,
			RecordedByName: "System", RecordedAt: at}
	}
	var obs []*kolaborasi.Observation
	// More than one batch, inserted out of order.
	for y := 2025; y >= 2015; y-- {
		for _, r := range []string{"35.72", "32.73", "35.07", "11.01"} {
			obs = append(obs, mk(r, "bps.growth", fmt.Sprint(y), float64(y-2000)+0.25))
		}
	}
	for i := range 600 {
		obs = append(obs, mk("35.72", "spbe.index", fmt.Sprintf("%04d", 1900+i%300), float64(i)/7))
	}
	obs = obs[:len(obs)-300] // 300 distinct years
	if err := s.UpsertObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	var seen []*kolaborasi.Observation
	collect := func(f kolaborasi.ObservationFilter) []*kolaborasi.Observation {
		t.Helper()
		seen = nil
		if err := s.Observations(ctx, f, func(o *kolaborasi.Observation) error { seen = append(seen, o); return nil }); err != nil {
			t.Fatal(err)
		}
		return seen
	}
	if n := len(collect(kolaborasi.ObservationFilter{})); n != 44+300 {
		t.Fatalf("all observations: %d", n)
	}
	// Ordered by indicator, region, period; floats and times round-trip.
	series := collect(kolaborasi.ObservationFilter{Indicator: "bps.growth", Region: "35.72"})
	if len(series) != 11 || series[0].Period != "2015" || series[10].Period != "2025" || series[0].Value != 15.25 {
		t.Fatalf("series = %d rows, first %+v", len(series), series[0])
	}
	if !series[0].RecordedAt.Equal(at) || series[0].Source != "BPS" || series[0].RecordedByName != "System" {
		t.Fatalf("round trip: %+v", series[0])
	}
	rng := collect(kolaborasi.ObservationFilter{Indicator: "bps.growth", From: "2020", To: "2022", ProvinceCode: "35"})
	if len(rng) != 6 || rng[0].RegionCode != "35.07" || rng[0].Period != "2020" || rng[5].RegionCode != "35.72" || rng[5].Period != "2022" {
		t.Fatalf("range in province 35: %v", rng)
	}
	if n := len(collect(kolaborasi.ObservationFilter{Indicator: "bps.growth", Limit: 3})); n != 3 {
		t.Fatalf("limit: %d", n)
	}
	for _, v := range []float64{1.0 / 3, 5.33, -0.1, 1e-9, 123456789.125} {
		o := mk("35.72", "bps.growth", "2010", v)
		if err := s.UpsertObservations(ctx, []*kolaborasi.Observation{o}); err != nil {
			t.Fatal(err)
		}
		ex, err := s.ExistingObservations(ctx, []kolaborasi.ObservationKey{o.Key()})
		if err != nil || ex[o.Key()] == nil || ex[o.Key()].Value != v {
			t.Fatalf("value %v round trip: %v, %v", v, ex[o.Key()], err)
		}
	}

	// Upsert replaces by key.
	up := mk("35.72", "bps.growth", "2024", 5.33)
	up.Note, up.Source, up.RecordedBy, up.RecordedByName = "BPS Kota Blitar", "BPS Kota Blitar", 0, "Editor"
	if err := s.UpsertObservations(ctx, []*kolaborasi.Observation{up}); err != nil {
		t.Fatal(err)
	}
	keys := []kolaborasi.ObservationKey{up.Key(), {RegionCode: "35.72", Indicator: "bps.growth", Period: "1999"}, {RegionCode: "32.73", Indicator: "bps.growth", Period: "2015"}}
	ex, err := s.ExistingObservations(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 || ex[up.Key()].Value != 5.33 || ex[up.Key()].Note != "BPS Kota Blitar" || ex[keys[2]].Value != 15.25 {
		t.Fatalf("existing = %v", ex)
	}
	latest, err := s.LatestObservations(ctx, "35.72")
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 || latest[0].Indicator != "bps.growth" || latest[0].Period != "2025" || latest[1].Period != "2199" {
		t.Fatalf("latest = %v", latest)
	}
	// Unknown region or indicator is refused, nothing written.
	bad := []*kolaborasi.Observation{mk("35.72", "bps.growth", "2030", 1), mk("99.99", "bps.growth", "2030", 1)}
	if err := s.UpsertObservations(ctx, bad); kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
		t.Fatalf("unknown region: %v", err)
	}
	if n := len(collect(kolaborasi.ObservationFilter{Indicator: "bps.growth", From: "2030", To: "2030"})); n != 0 {
		t.Fatalf("half-written batch: %d rows", n)
	}
}
