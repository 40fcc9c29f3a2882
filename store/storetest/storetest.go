package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// Run runs every storage behaviour against stores made by open, which must
// return a fresh, migrated, empty store for each call.
func Run(t *testing.T, open func(t *testing.T) kolaborasi.Store) {
	t.Run("Regions", func(t *testing.T) { testRegions(t, open(t)) })
	t.Run("RegionProfile", func(t *testing.T) { testRegionProfile(t, open(t)) })
	t.Run("OPDs", func(t *testing.T) { testOPDs(t, open(t)) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, open(t)) })
	t.Run("Meta", func(t *testing.T) { testMeta(t, open(t)) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open(t)) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open(t)) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open(t)) })
	t.Run("TokensAndLinks", func(t *testing.T) { testTokensAndLinks(t, open(t)) })
	t.Run("SignInLimits", func(t *testing.T) { testSignInLimits(t, open(t)) })
	t.Run("Files", func(t *testing.T) { testFiles(t, open(t)) })
	t.Run("Agreements", func(t *testing.T) { testAgreements(t, open(t)) })
	t.Run("PublicLog", func(t *testing.T) { testPublicLog(t, open(t)) })
	t.Run("Solutions", func(t *testing.T) { testSolutions(t, open(t)) })
	t.Run("SolutionSearch", func(t *testing.T) { testSolutionSearch(t, open(t)) })
	t.Run("ReanalyseSolutions", func(t *testing.T) { testReanalyseSolutions(t, open(t)) })
	t.Run("SolutionEntries", func(t *testing.T) { testSolutionEntries(t, open(t)) })
	t.Run("Observations", func(t *testing.T) { testObservations(t, open(t)) })
	t.Run("Rankings", func(t *testing.T) { testRankings(t, open(t)) })

	t.Run("Adoptions", func(t *testing.T) { testAdoptions(t, open(t)) })
	t.Run("SavingRows", func(t *testing.T) { testSavingRows(t, open(t)) })

	t.Run("Products", func(t *testing.T) { testProducts(t, open(t)) })

	t.Run("Needs", func(t *testing.T) { testNeeds(t, open(t)) })
	t.Run("IndexSnapshots", func(t *testing.T) { testIndexSnapshots(t, open(t)) })
}

// LoadRegions loads the embedded regions into s.
func LoadRegions(t testing.TB, s kolaborasi.Store) {
	t.Helper()
	rs, _, err := wilayah.Regions()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LoadRegions(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := kolaborasi.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func codes(rs []*kolaborasi.Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

func testRegions(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	LoadRegions(t, s) // idempotent

	all, err := s.FindRegions(ctx, kolaborasi.RegionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 552 {
		t.Fatalf("%d regions, want 552", len(all))
	}
	blitar, err := s.FindRegion(ctx, "35.72")
	if err != nil {
		t.Fatal(err)
	}
	rs, _, _ := wilayah.Regions()
	var want kolaborasi.Region
	for _, r := range rs {
		if r.Code == "35.72" {
			want = r
		}
	}
	if diff := cmp.Diff(want, *blitar); diff != "" {
		t.Errorf("Kota Blitar round trip (-want +got):\n%s", diff)
	}
	_, err = s.FindRegion(ctx, "35.99")
	wantCode(t, err, kolaborasi.ENOTFOUND)

	yes, no := true, false
	for _, tc := range []struct {
		name string
		f    kolaborasi.RegionFilter
		n    int
	}{
		{"kota", kolaborasi.RegionFilter{Type: kolaborasi.City}, 98},
		{"kabupaten", kolaborasi.RegionFilter{Type: kolaborasi.Regency}, 416},
		{"provinsi", kolaborasi.RegionFilter{Type: kolaborasi.Province}, 38},
		{"jawa timur", kolaborasi.RegionFilter{ProvinceCode: "35"}, 39},
		{"administrative", kolaborasi.RegionFilter{Autonomous: &no}, 6},
		{"autonomous kota", kolaborasi.RegionFilter{Autonomous: &yes, Type: kolaborasi.City}, 93},
		{"name, any case", kolaborasi.RegionFilter{Query: "BLITAR"}, 2},
		{"wildcards are literal", kolaborasi.RegionFilter{Query: "%"}, 0},
		{"underscore is literal", kolaborasi.RegionFilter{Query: "_"}, 0},
		{"after", kolaborasi.RegionFilter{Type: kolaborasi.City, After: "35.72"}, 41},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.FindRegions(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Errorf("%d regions, want %d: %v", len(got), tc.n, codes(got))
			}
		})
	}

	yesAuto := true
	for _, tc := range []struct {
		f    kolaborasi.RegionFilter
		want int
	}{
		{kolaborasi.RegionFilter{}, 552},
		{kolaborasi.RegionFilter{Type: kolaborasi.City, Autonomous: &yesAuto}, 93},
		{kolaborasi.RegionFilter{Query: "blitar", After: "35.72", Limit: 1}, 2},
	} {
		if n, err := s.CountRegions(ctx, tc.f); err != nil || n != tc.want {
			t.Errorf("CountRegions(%+v) = %d, %v; want %d", tc.f, n, err, tc.want)
		}
	}

	// Keyset pages cover every kota exactly once, in code order.
	var paged []string
	after := ""
	for {
		page, err := s.FindRegions(ctx, kolaborasi.RegionFilter{Type: kolaborasi.City, After: after, Limit: 30})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, codes(page)...)
		if len(page) < 30 {
			break
		}
		after = page[len(page)-1].Code
	}
	kota, _ := s.FindRegions(ctx, kolaborasi.RegionFilter{Type: kolaborasi.City})
	if diff := cmp.Diff(codes(kota), paged); diff != "" {
		t.Errorf("paged kota differ (-all +paged):\n%s", diff)
	}
}

func testRegionProfile(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	updated := time.Date(2026, 11, 27, 8, 30, 15, 123456789, time.FixedZone("WIB", 7*3600))
	p := kolaborasi.RegionProfile{HeadTitle: "Wali Kota Blitar", Address: "Jl. Merdeka No. 105, Blitar",
		Phone: "+62 342 801400", Email: "kominfo@blitarkota.go.id", Website: "https://blitarkota.go.id",
		LogoSHA256: "ab12", UpdatedAt: updated}
	if err := s.UpdateRegionProfile(ctx, "35.72", p); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindRegion(ctx, "35.72")
	if err != nil {
		t.Fatal(err)
	}
	want := p
	want.UpdatedAt = updated.UTC().Truncate(time.Microsecond)
	if diff := cmp.Diff(want, got.Profile); diff != "" {
		t.Errorf("profile round trip (-want +got):\n%s", diff)
	}
	// Reloading reference data keeps the edited profile.
	p.HeadTitle = "Wali Kota Blitar (diubah)"
	if err := s.UpdateRegionProfile(ctx, "35.72", p); err != nil {
		t.Fatal(err)
	}
	LoadRegions(t, s)
	if got, _ := s.FindRegion(ctx, "35.72"); got.Profile.HeadTitle != p.HeadTitle || got.Profile.Address != p.Address {
		t.Errorf("reload overwrote the profile: %+v", got.Profile)
	}
	wantCode(t, s.UpdateRegionProfile(ctx, "35.99", p), kolaborasi.ENOTFOUND)
}

func testOPDs(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	kominfo := &kolaborasi.OPD{RegionCode: "35.72", Name: "Dinas Komunikasi dan Informatika", ShortName: "Diskominfo", Kind: kolaborasi.OPDDinas}
	bappeda := &kolaborasi.OPD{RegionCode: "35.72", Name: "Badan Perencanaan Pembangunan Daerah", ShortName: "Bappeda", Kind: kolaborasi.OPDBadan}
	for _, o := range []*kolaborasi.OPD{kominfo, bappeda} {
		if err := s.CreateOPD(ctx, o); err != nil {
			t.Fatal(err)
		}
		if o.ID == 0 {
			t.Fatal("CreateOPD did not set the ID")
		}
	}
	// Same name in the same region conflicts; in another region it does not.
	wantCode(t, s.CreateOPD(ctx, &kolaborasi.OPD{RegionCode: "35.72", Name: kominfo.Name, Kind: kolaborasi.OPDDinas}), kolaborasi.ECONFLICT)
	if err := s.CreateOPD(ctx, &kolaborasi.OPD{RegionCode: "32.73", Name: kominfo.Name, Kind: kolaborasi.OPDDinas}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.CreateOPD(ctx, &kolaborasi.OPD{RegionCode: "99.99", Name: "X", Kind: kolaborasi.OPDDinas}), kolaborasi.EINVALID)

	got, err := s.FindOPDs(ctx, "35.72")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*kolaborasi.OPD{bappeda, kominfo}, got); diff != "" {
		t.Errorf("OPDs (-want +got):\n%s", diff)
	}
	kominfo.ShortName = "Kominfo"
	if err := s.UpdateOPD(ctx, kominfo); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.FindOPD(ctx, kominfo.ID); o.ShortName != "Kominfo" {
		t.Errorf("after update: %+v", o)
	}
	bappeda.Name = kominfo.Name
	wantCode(t, s.UpdateOPD(ctx, bappeda), kolaborasi.ECONFLICT)
	if err := s.DeleteOPD(ctx, kominfo.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.FindOPD(ctx, kominfo.ID)
	wantCode(t, err, kolaborasi.ENOTFOUND)
	wantCode(t, s.DeleteOPD(ctx, kominfo.ID), kolaborasi.ENOTFOUND)
	wantCode(t, s.UpdateOPD(ctx, kominfo), kolaborasi.ENOTFOUND)
}

func testTransactions(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	LoadRegions(t, s)
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		if err := tx.CreateOPD(ctx, &kolaborasi.OPD{RegionCode: "35.72", Name: "Inspektorat", Kind: kolaborasi.OPDInspectorate}); err != nil {
			return err
		}
		tx.AfterCommit(func() { t.Error("AfterCommit ran for a rolled-back transaction") })
		// A nested InTx joins the outer transaction.
		return tx.InTx(ctx, func(tx kolaborasi.Store) error {
			if err := tx.SetMeta(ctx, "k", "v"); err != nil {
				return err
			}
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx error = %v, want boom", err)
	}
	var committed []string
	err = s.InTx(ctx, func(tx kolaborasi.Store) error {
		tx.AfterCommit(func() {
			// The hook runs after the commit: another connection sees the write.
			v, err := s.Meta(ctx, "hook")
			committed = append(committed, "first "+v)
			if err != nil {
				t.Error(err)
			}
		})
		if err := tx.SetMeta(ctx, "hook", "set"); err != nil {
			return err
		}
		return tx.InTx(ctx, func(tx kolaborasi.Store) error {
			tx.AfterCommit(func() { committed = append(committed, "nested") })
			if len(committed) != 0 {
				t.Error("AfterCommit ran before the commit")
			}
			return nil
		})
	})
	if err != nil || strings.Join(committed, ",") != "first set,nested" {
		t.Errorf("AfterCommit hooks ran as %q (%v), want the first then the nested one, after the commit", committed, err)
	}
	ran := false
	s.AfterCommit(func() { ran = true })
	if !ran {
		t.Error("AfterCommit outside a transaction did not run at once")
	}
	if opds, _ := s.FindOPDs(ctx, "35.72"); len(opds) != 0 {
		t.Errorf("rolled-back OPD is visible: %+v", opds)
	}
	if v, _ := s.Meta(ctx, "k"); v != "" {
		t.Errorf("rolled-back meta is visible: %q", v)
	}
	err = s.InTx(ctx, func(tx kolaborasi.Store) error {
		// Reads inside the transaction see its own writes.
		if err := tx.SetMeta(ctx, "k", "v"); err != nil {
			return err
		}
		if v, err := tx.Meta(ctx, "k"); err != nil || v != "v" {
			t.Errorf("read own write = %q, %v", v, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Meta(ctx, "k"); v != "v" {
		t.Errorf("committed meta = %q", v)
	}
}

func testMeta(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	if v, err := s.Meta(ctx, "missing"); err != nil || v != "" {
		t.Errorf("Meta(missing) = %q, %v", v, err)
	}
	for _, v := range []string{"one", "two"} {
		if err := s.SetMeta(ctx, "wilayah", v); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Meta(ctx, "wilayah"); got != v {
			t.Errorf("Meta = %q, want %q", got, v)
		}
	}
}

func testAudit(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 27, 1, 2, 3, 456789999, time.UTC)
	var entries []*kolaborasi.AuditEntry
	for i, region := range []string{"35.72", "32.73", "35.72", "35.72"} {
		e := &kolaborasi.AuditEntry{At: at.Add(time.Duration(i) * time.Second), ActorID: int64(i + 1), ActorName: "Admin Blitar",
			RegionCode: region, Action: "region.profile.update", Entity: "region:" + region, Summary: `website: "" → "https://blitarkota.go.id"`,
			RequestID: "req-1"}
		if err := s.CreateAuditEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 {
			t.Fatal("CreateAuditEntry did not set the ID")
		}
		entries = append(entries, e)
	}
	got, err := s.FindAuditEntries(ctx, kolaborasi.AuditFilter{RegionCode: "35.72"})
	if err != nil {
		t.Fatal(err)
	}
	want := []*kolaborasi.AuditEntry{entries[3], entries[2], entries[0]}
	for _, e := range want {
		e.At = e.At.Truncate(time.Microsecond)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit of 35.72 (-want +got):\n%s", diff)
	}
	page, err := s.FindAuditEntries(ctx, kolaborasi.AuditFilter{Before: entries[2].ID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].ID != entries[1].ID {
		t.Errorf("page before %d = %+v", entries[2].ID, page)
	}
	all, _ := s.FindAuditEntries(ctx, kolaborasi.AuditFilter{})
	if len(all) != 4 {
		t.Errorf("%d entries in all, want 4", len(all))
	}
}
