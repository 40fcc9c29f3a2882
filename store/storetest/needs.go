package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
)

// testNeeds checks that needs round-trip, are listed by region and status
// in order, conflict on a stale version, count their changes and come back
// not_found when missing.
func testNeeds(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	seq0, err := s.NeedSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 8, 9, 30, 0, 123456000, time.UTC)
	opd := &kolaborasi.OPD{RegionCode: "35.72", Name: "Dinas Komunikasi dan Informatika", Kind: kolaborasi.OPDDinas}
	if err := s.CreateOPD(ctx, opd); err != nil {
		t.Fatal(err)
	}
	blitar := &kolaborasi.Need{RegionCode: "35.72", OPDID: opd.ID, Title: "Aplikasi pengaduan", Text: "Aplikasi pengaduan masyarakat terpadu",
		Dimension: kolaborasi.DimGovernance, Sectors: []kolaborasi.Sector{"e-government"}, Priority: kolaborasi.PriorityHigh,
		BudgetMin: 50_000_000, BudgetMax: 250_000_000, Status: kolaborasi.NeedOpen, CreatedAt: at, UpdatedAt: at, AuthorID: 7}
	bandung := &kolaborasi.Need{RegionCode: "32.73", Title: "Program UMKM", Text: "Pendampingan usaha mikro", Sectors: []kolaborasi.Sector{"umkm"},
		Priority: kolaborasi.PriorityLow, Status: kolaborasi.NeedOpen, Synthetic: true, CreatedAt: at, UpdatedAt: at}
	blitar2 := &kolaborasi.Need{RegionCode: "35.72", Title: "Perizinan", Text: "Perizinan daring", Sectors: []kolaborasi.Sector{},
		Priority: kolaborasi.PriorityMedium, Status: kolaborasi.NeedWithdrawn, CreatedAt: at, UpdatedAt: at}
	for _, n := range []*kolaborasi.Need{blitar, bandung, blitar2} {
		if err := s.CreateNeed(ctx, n); err != nil {
			t.Fatal(err)
		}
		if n.ID == 0 || n.Version != 1 {
			t.Fatalf("created need has ID %d version %d", n.ID, n.Version)
		}
	}
	if seq, _ := s.NeedSeq(ctx); seq != seq0+3 {
		t.Errorf("need change counter %d after three creations, want %d", seq, seq0+3)
	}
	got, err := s.FindNeed(ctx, blitar.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(blitar, got); diff != "" {
		t.Errorf("need round trip (-want +got):\n%s", diff)
	}

	ids := func(ns []*kolaborasi.Need) []int64 {
		var out []int64
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return out
	}
	for _, c := range []struct {
		f    kolaborasi.NeedFilter
		want []int64
	}{
		{kolaborasi.NeedFilter{}, []int64{bandung.ID, blitar.ID, blitar2.ID}},
		{kolaborasi.NeedFilter{Region: "35.72"}, []int64{blitar.ID, blitar2.ID}},
		{kolaborasi.NeedFilter{Status: kolaborasi.NeedOpen}, []int64{bandung.ID, blitar.ID}},
		{kolaborasi.NeedFilter{Region: "35.72", Status: kolaborasi.NeedOpen}, []int64{blitar.ID}},
		{kolaborasi.NeedFilter{Region: "11.01"}, nil},
	} {
		ns, err := s.FindNeeds(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c.want, ids(ns)); diff != "" {
			t.Errorf("FindNeeds(%+v) (-want +got):\n%s", c.f, diff)
		}
	}

	// An update saves the next version; a stale one conflicts and keeps
	// the caller's version.
	upd := *got
	upd.Status, upd.Text, upd.UpdatedAt = kolaborasi.NeedMet, "Sudah terpenuhi", at.Add(time.Hour)
	if err := s.UpdateNeed(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	if upd.Version != 2 {
		t.Errorf("version after update %d, want 2", upd.Version)
	}
	again, _ := s.FindNeed(ctx, blitar.ID)
	if diff := cmp.Diff(&upd, again); diff != "" {
		t.Errorf("updated need (-want +got):\n%s", diff)
	}
	stale := *got
	stale.Text = "lost update"
	wantCode(t, s.UpdateNeed(ctx, &stale), kolaborasi.ECONFLICT)
	if stale.Version != 1 {
		t.Errorf("a refused update changed the version to %d", stale.Version)
	}
	if ns, _ := s.FindNeeds(ctx, kolaborasi.NeedFilter{Region: "35.72", Status: kolaborasi.NeedOpen}); len(ns) != 0 {
		t.Errorf("a met need is still listed as open")
	}
	missing := kolaborasi.Need{ID: 999999, Version: 1, RegionCode: "35.72", Status: kolaborasi.NeedOpen}
	wantCode(t, s.UpdateNeed(ctx, &missing), kolaborasi.ENOTFOUND)
	_, err = s.FindNeed(ctx, 999999)
	wantCode(t, err, kolaborasi.ENOTFOUND)
	if seq, _ := s.NeedSeq(ctx); seq != seq0+4 {
		t.Errorf("need change counter %d, want %d (refused updates roll back)", seq, seq0+4)
	}

	// A need of an unknown region is refused and nothing is stored.
	bad := &kolaborasi.Need{RegionCode: "99.99", Title: "x", Text: "x", Status: kolaborasi.NeedOpen, Priority: kolaborasi.PriorityLow, UpdatedAt: at, CreatedAt: at}
	if err := s.CreateNeed(ctx, bad); err == nil {
		t.Fatal("a need of an unknown region was stored")
	}
	if ns, _ := s.FindNeeds(ctx, kolaborasi.NeedFilter{}); len(ns) != 3 {
		t.Errorf("%d needs after a refused creation, want 3", len(ns))
	}
}
