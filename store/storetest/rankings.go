package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

func testRankings(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	ci := &kolaborasi.CompositeIndex{Slug: "kota-cerdas", Name: kolaborasi.Texts{ID: "Indeks Kota Cerdas", EN: "Smart City Index"},
		Components:    []kolaborasi.IndexComponent{{Indicator: "bps.growth", Weight: 2}, {Indicator: "spbe.index", Weight: 1}},
		Normalisation: "minmax", Missing: "reweight", MinCoverage: 0.5, RegionSet: kolaborasi.RegionSetKota,
		CreatedByName: "Admin", UpdatedByName: "Admin", UpdatedAt: at}
	if err := s.CreateCompositeIndex(ctx, ci); err != nil {
		t.Fatal(err)
	}
	if ci.Version != 1 || !ci.CreatedAt.Equal(at) {
		t.Fatalf("created %+v", ci)
	}
	dup := *ci
	wantCode(t, s.CreateCompositeIndex(ctx, &dup), kolaborasi.ECONFLICT)
	other := &kolaborasi.CompositeIndex{Slug: "aa-provinsi", Name: kolaborasi.Texts{ID: "Jawa Timur"}, RegionSet: "province:35",
		Components: []kolaborasi.IndexComponent{{Indicator: "bps.growth", Weight: 1}}, Normalisation: "zscore", Missing: "exclude", UpdatedAt: at}
	if err := s.CreateCompositeIndex(ctx, other); err != nil {
		t.Fatal(err)
	}

	got, err := s.CompositeIndex(ctx, "kota-cerdas")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name.EN != "Smart City Index" || len(got.Components) != 2 || got.Components[0].Weight != 2 || got.MinCoverage != 0.5 ||
		got.Version != 1 || !got.UpdatedAt.Equal(at) || got.CreatedByName != "Admin" {
		t.Fatalf("read back %+v", got)
	}
	_, err = s.CompositeIndex(ctx, "none")
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// An update names the version it changes, keeps the creation and
	// counts up; a stale version is a conflict and changes nothing.
	got.Components[1].Weight = 3
	got.UpdatedAt = at.Add(time.Hour)
	got.UpdatedByName = "Observer"
	got.CreatedByName = "someone else"
	if err := s.UpdateCompositeIndex(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.CreatedByName != "Admin" || !got.CreatedAt.Equal(at) {
		t.Fatalf("after update %+v", got)
	}
	stale := *got
	stale.Version = 1
	stale.Name.ID = "Stale"
	wantCode(t, s.UpdateCompositeIndex(ctx, &stale), kolaborasi.ECONFLICT)
	again, err := s.CompositeIndex(ctx, "kota-cerdas")
	if err != nil || again.Name.ID != "Indeks Kota Cerdas" || again.Components[1].Weight != 3 || again.Version != 2 ||
		!again.UpdatedAt.Equal(at.Add(time.Hour)) || again.UpdatedByName != "Observer" {
		t.Fatalf("after stale update %+v, %v", again, err)
	}
	missing := &kolaborasi.CompositeIndex{Slug: "none", Version: 1}
	wantCode(t, s.UpdateCompositeIndex(ctx, missing), kolaborasi.ENOTFOUND)

	all, err := s.CompositeIndices(ctx)
	if err != nil || len(all) != 2 || all[0].Slug != "aa-provinsi" || all[1].Slug != "kota-cerdas" {
		t.Fatalf("indices %v, %v", all, err)
	}
	if err := s.DeleteCompositeIndex(ctx, "aa-provinsi"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteCompositeIndex(ctx, "aa-provinsi"), kolaborasi.ENOTFOUND)

	// Values of several indicators in one query; the version counts every
	// write of observations, not reads or empty writes.
	for _, code := range []string{"bps.growth", "spbe.index", "bps.other"} {
		ind := &kolaborasi.Indicator{Code: code, Framework: kolaborasi.FrameworkBPS, Name: kolaborasi.Texts{ID: code}, Unit: "%",
			Direction: kolaborasi.HigherIsBetter, PeriodKind: kolaborasi.Yearly, Source: "BPS", UpdatedAt: at}
		if err := s.PutIndicator(ctx, ind); err != nil {
			t.Fatal(err)
		}
	}
	v0, err := s.ObservationsVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	obs := []*kolaborasi.Observation{
		{RegionCode: "35.72", Indicator: "spbe.index", Period: "2024", Value: 2.5, RecordedAt: at},
		{RegionCode: "32.73", Indicator: "bps.growth", Period: "2024", Value: 5.1, RecordedAt: at},
		{RegionCode: "32.73", Indicator: "bps.growth", Period: "2023", Value: 4.9, RecordedAt: at},
		{RegionCode: "35.72", Indicator: "bps.other", Period: "2024", Value: 9, RecordedAt: at},
	}
	if err := s.UpsertObservations(ctx, obs); err != nil {
		t.Fatal(err)
	}
	if err := s.UpsertObservations(ctx, nil); err != nil {
		t.Fatal(err)
	}
	v1, err := s.ObservationsVersion(ctx)
	if err != nil || v1 != v0+1 {
		t.Fatalf("version %d → %d (%v), want one step", v0, v1, err)
	}
	var rows []string
	err = s.IndicatorValues(ctx, []string{"bps.growth", "spbe.index"}, func(region, indicator, period string, value float64) error {
		rows = append(rows, region+" "+indicator+" "+period)
		if indicator == "spbe.index" && value != 2.5 {
			t.Errorf("value %v", value)
		}
		return nil
	})
	want := []string{"32.73 bps.growth 2023", "32.73 bps.growth 2024", "35.72 spbe.index 2024"}
	if err != nil || len(rows) != len(want) {
		t.Fatalf("values %v, %v", rows, err)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Fatalf("values %v, want %v", rows, want)
		}
	}
	if err := s.IndicatorValues(ctx, nil, func(string, string, string, float64) error { t.Fatal("called"); return nil }); err != nil {
		t.Fatal(err)
	}
	// A rolled-back write does not count.
	boom := kolaborasi.Errorf(kolaborasi.EINVALID, "boom")
	err = s.InTx(ctx, func(tx kolaborasi.Store) error {
		if err := tx.UpsertObservations(ctx, obs[:1]); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatal(err)
	}
	if v, _ := s.ObservationsVersion(ctx); v != v1 {
		t.Fatalf("version after rollback %d, want %d", v, v1)
	}
}
