package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
)

func testAdoptions(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	at := time.Date(2026, 3, 8, 10, 30, 0, 123456000, time.UTC)
	sol := &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, RegionCode: "32.73", Name: kolaborasi.Texts{ID: "Hayu"},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"e-government"},
		Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}, CreatedAt: at, UpdatedAt: at}
	AnalyzeSolution(sol)
	if err := s.CreateSolution(ctx, sol); err != nil {
		t.Fatal(err)
	}
	seqBefore, err := s.SolutionSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	planned := &kolaborasi.Money{IDR: 250_000_000, Source: "APBD 2026"}
	a := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: "35.72", AdopterOPDID: 0, SourceRegion: "32.73",
		Stage: kolaborasi.StageInterest, State: kolaborasi.AdoptionRequested, RequestedByID: 7, Planned: planned, Notes: "catatan",
		History:   []kolaborasi.AdoptionChange{{At: at, From: kolaborasi.StageInterest, To: kolaborasi.StageInterest, Event: "requested", ByID: 7, ByName: "Editor"}},
		Documents: []kolaborasi.AdoptionDocument{}, CreatedAt: at, UpdatedAt: at}
	if err := s.CreateAdoption(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Version != 1 {
		t.Fatalf("created: id %d version %d", a.ID, a.Version)
	}
	got, err := s.FindAdoption(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	_, err = s.FindAdoption(ctx, a.ID+100)
	wantCode(t, err, kolaborasi.ENOTFOUND)

	// Every adoption write raises the change counter; the count stays 0
	// until the publisher accepts.
	wantCount := func(want int) {
		t.Helper()
		sol2, err := s.FindSolution(ctx, sol.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sol2.Adoptions != want {
			t.Errorf("solution adoptions = %d, want %d", sol2.Adoptions, want)
		}
		var seen bool
		seq, _ := s.SolutionSeq(ctx)
		if err := s.EachSolutionEntryChangedAfter(ctx, seq-1, func(x *kolaborasi.SolutionEntry) error {
			seen = seen || x.ID == sol.ID && x.Adoptions == want
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !seen {
			t.Errorf("the solution is not among the rows changed by the last change number")
		}
	}
	if seq, _ := s.SolutionSeq(ctx); seq != seqBefore+1 {
		t.Errorf("seq after create = %d, want %d", seq, seqBefore+1)
	}
	wantCount(0)

	// A second open adoption of the solution by the region conflicts.
	dup := *a
	dup.ID = 0
	wantCode(t, s.CreateAdoption(ctx, &dup), kolaborasi.ECONFLICT)

	a.State, a.DecidedAt, a.Decision = kolaborasi.AdoptionAccepted, at, "Silakan"
	if err := s.UpdateAdoption(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.Version != 2 {
		t.Errorf("version = %d, want 2", a.Version)
	}
	wantCount(1)
	stale := *a
	stale.Version = 1
	wantCode(t, s.UpdateAdoption(ctx, &stale), kolaborasi.ECONFLICT)
	if stale.Version != 1 {
		t.Errorf("a failed update changed the version to %d", stale.Version)
	}
	missing := *a
	missing.ID = a.ID + 100
	wantCode(t, s.UpdateAdoption(ctx, &missing), kolaborasi.ENOTFOUND)

	// A second region's adoption counts; a stopped one no longer does and
	// frees the region to adopt again.
	b := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: "35.07", SourceRegion: "32.73", AgreementID: 4,
		Stage: kolaborasi.StageAgreement, State: kolaborasi.AdoptionAccepted, History: []kolaborasi.AdoptionChange{}, CreatedAt: at, UpdatedAt: at}
	if err := s.CreateAdoption(ctx, b); err != nil {
		t.Fatal(err)
	}
	wantCount(2)
	a.Stage, a.StopReason = kolaborasi.StageStopped, "anggaran dialihkan"
	if err := s.UpdateAdoption(ctx, a); err != nil {
		t.Fatal(err)
	}
	wantCount(1)
	again := &kolaborasi.Adoption{SolutionID: sol.ID, AdopterRegion: "35.72", SourceRegion: "32.73",
		Stage: kolaborasi.StageInterest, State: kolaborasi.AdoptionRequested, History: []kolaborasi.AdoptionChange{}, CreatedAt: at, UpdatedAt: at}
	if err := s.CreateAdoption(ctx, again); err != nil {
		t.Fatalf("adopting again after stopping: %v", err)
	}

	ids := func(f kolaborasi.AdoptionFilter) []int64 {
		t.Helper()
		as, err := s.FindAdoptions(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, x := range as {
			out = append(out, x.ID)
		}
		return out
	}
	for name, c := range map[string]struct {
		f    kolaborasi.AdoptionFilter
		want []int64
	}{
		"all":          {kolaborasi.AdoptionFilter{}, []int64{again.ID, b.ID, a.ID}},
		"solution":     {kolaborasi.AdoptionFilter{SolutionID: sol.ID}, []int64{again.ID, b.ID, a.ID}},
		"adopter":      {kolaborasi.AdoptionFilter{AdopterRegion: "35.72"}, []int64{again.ID, a.ID}},
		"source":       {kolaborasi.AdoptionFilter{SourceRegion: "32.73", Stage: kolaborasi.StageAgreement}, []int64{b.ID}},
		"either side":  {kolaborasi.AdoptionFilter{Region: "35.07"}, []int64{b.ID}},
		"province":     {kolaborasi.AdoptionFilter{Province: "35", State: kolaborasi.AdoptionAccepted}, []int64{b.ID, a.ID}},
		"other prov":   {kolaborasi.AdoptionFilter{Province: "32"}, []int64{}},
		"agreement":    {kolaborasi.AdoptionFilter{AgreementID: 4}, []int64{b.ID}},
		"stopped":      {kolaborasi.AdoptionFilter{Stage: kolaborasi.StageStopped}, []int64{a.ID}},
		"page":         {kolaborasi.AdoptionFilter{Limit: 1, Offset: 1}, []int64{b.ID}},
		"before":       {kolaborasi.AdoptionFilter{Before: again.ID}, []int64{b.ID, a.ID}},
		"public":       {kolaborasi.AdoptionFilter{AcceptedOr: "-"}, []int64{b.ID, a.ID}},
		"readable":     {kolaborasi.AdoptionFilter{AcceptedOr: "35.72", Limit: 2}, []int64{again.ID, b.ID}},
		"other solver": {kolaborasi.AdoptionFilter{SolutionID: sol.ID + 1}, []int64{}},
	} {
		if diff := cmp.Diff(c.want, ids(c.f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}

	// Documents are files of the file store.
	f := &kolaborasi.File{SHA256: "ab12", ContentType: "application/pdf", Size: 3, Data: []byte("pdf"), CreatedAt: at}
	if err := s.PutFile(ctx, f); err != nil {
		t.Fatal(err)
	}
	d := kolaborasi.AdoptionDocument{Name: "laporan.pdf", SHA256: "ab12", Size: 3, UploadedBy: 7, UploadedAt: at}
	if err := s.AddAdoptionDocument(ctx, b.ID, &d); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.AddAdoptionDocument(ctx, b.ID, &d), kolaborasi.ECONFLICT)
	got, err = s.FindAdoption(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]kolaborasi.AdoptionDocument{d}, got.Documents); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if refs, err := s.FindFileAdoptions(ctx, "ab12"); err != nil || !cmp.Equal(refs, []int64{b.ID}) {
		t.Errorf("file adoptions = %v, %v", refs, err)
	}
	if refs, err := s.FindFileAdoptions(ctx, "cd"); err != nil || len(refs) != 0 {
		t.Errorf("file adoptions of an unknown file = %v, %v", refs, err)
	}
}
