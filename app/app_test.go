package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testLogKey signs the public log of every test app; apps on one database share it.
var testLogKey, _ = ledger.GenerateLogKey(app.LogOrigin)

// regions is a SQLite database with the reference data loaded, made once
// per test binary; regions.Engines runs a test on a copy of it and on a
// fresh PostgreSQL database.
var regions = storetest.NewSQLiteTemplate(func(ctx context.Context, db *store.DB) error {
	_, err := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow })).LoadReferenceData(ctx)
	return err
})

// newApp returns the test App on db, with opts after its own, after
// loading the reference data (already there in a copy of regions or
// demoData).
func newApp(t *testing.T, db *store.DB, opts ...app.Option) *app.App {
	t.Helper()
	a := app.New(db.Store(), append([]app.Option{app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow }), testHashCost}, opts...)...)
	had := regions.Copied(db) || demoData.Copied(db)
	loaded, err := a.LoadReferenceData(context.Background())
	if err != nil || loaded == had {
		t.Fatalf("LoadReferenceData = %v, %v on a database that had the regions: %v", loaded, err, had)
	}
	if again, err := a.LoadReferenceData(context.Background()); err != nil || again {
		t.Fatalf("second LoadReferenceData = %v, %v; want a no-op", again, err)
	}
	return a
}

func as(u *kolaborasi.User) context.Context {
	return kolaborasi.WithUser(context.Background(), u)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := kolaborasi.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestRegionLookups(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		ctx := context.Background()
		r, err := a.Region(ctx, "35.72")
		if err != nil || r.Name != "Kota Blitar" {
			t.Fatalf("Region(35.72) = %+v, %v", r, err)
		}
		for _, bad := range []string{"35-72", "abc", "3572", "35.7", "", "35.72.01"} {
			_, err := a.Region(ctx, bad)
			wantCode(t, err, kolaborasi.EINVALID)
		}
		_, err = a.Region(ctx, "35.99")
		wantCode(t, err, kolaborasi.ENOTFOUND)
		rs, err := a.Regions(ctx, kolaborasi.RegionFilter{Limit: 1000})
		if err != nil || len(rs) != app.MaxPageSize {
			t.Errorf("a too large page is clamped: %d, %v", len(rs), err)
		}
		_, err = a.Regions(ctx, kolaborasi.RegionFilter{Type: "desa"})
		wantCode(t, err, kolaborasi.EINVALID)
		members, err := a.RegionsOfProvince(ctx, "35")
		if err != nil || len(members) != 38 {
			t.Errorf("Jawa Timur has %d kabupaten/kota, %v", len(members), err)
		}
	})
}

func TestRegionProfileWritesAreAuthorisedAndAudited(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		blitarAdmin := &kolaborasi.User{ID: 7, Name: "Admin Blitar", Email: "admin@blitarkota.go.id", RegionCode: "35.72",
			Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}
		bandungAdmin := &kolaborasi.User{ID: 8, Name: "Admin Bandung", RegionCode: "32.73",
			Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}
		blitarEditor := &kolaborasi.User{ID: 9, Name: "Editor Blitar", RegionCode: "35.72",
			Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
		disabled := *blitarAdmin
		disabled.Status = kolaborasi.UserDisabled
		p := kolaborasi.RegionProfile{HeadTitle: "Wali Kota Blitar", Website: "https://blitarkota.go.id"}

		wantCode(t, a.UpdateRegionProfile(context.Background(), "35.72", p), kolaborasi.EUNAUTHORIZED)
		wantCode(t, a.UpdateRegionProfile(as(bandungAdmin), "35.72", p), kolaborasi.EFORBIDDEN)
		wantCode(t, a.UpdateRegionProfile(as(blitarEditor), "35.72", p), kolaborasi.EFORBIDDEN)
		wantCode(t, a.UpdateRegionProfile(as(&disabled), "35.72", p), kolaborasi.EFORBIDDEN)
		bad := p
		bad.Website = "javascript:alert(1)"
		wantCode(t, a.UpdateRegionProfile(as(blitarAdmin), "35.72", bad), kolaborasi.EINVALID)

		audit, _ := a.AuditTrail(as(blitarAdmin), "35.72", 0)
		if len(audit) != 0 {
			t.Fatalf("refused changes left audit rows: %+v", audit)
		}
		if err := a.UpdateRegionProfile(kolaborasi.WithRequestID(as(blitarAdmin), "req-42"), "35.72", p); err != nil {
			t.Fatal(err)
		}
		r, _ := a.Region(context.Background(), "35.72")
		if r.Profile.Website != p.Website || !r.Profile.UpdatedAt.Equal(testNow) {
			t.Errorf("profile = %+v", r.Profile)
		}
		audit, err := a.AuditTrail(as(blitarAdmin), "35.72", 0)
		if err != nil || len(audit) != 1 {
			t.Fatalf("audit = %+v, %v", audit, err)
		}
		e := audit[0]
		if e.ActorID != 7 || e.Action != "region.profile.update" || e.Entity != "region:35.72" || e.RequestID != "req-42" ||
			e.Summary != `website: "" → "https://blitarkota.go.id"` || !e.At.Equal(testNow) {
			t.Errorf("audit entry = %+v", e)
		}
		// Another region's admin cannot read Blitar's trail.
		_, err = a.AuditTrail(as(bandungAdmin), "35.72", 0)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
	})
}

func TestOPDsBelongToTheirRegion(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		blitarAdmin := &kolaborasi.User{ID: 7, Name: "Admin Blitar", RegionCode: "35.72",
			Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}
		bandungAdmin := &kolaborasi.User{ID: 8, Name: "Admin Bandung", RegionCode: "32.73",
			Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}
		o := &kolaborasi.OPD{RegionCode: "35.72", Name: "Dinas Komunikasi dan Informatika", ShortName: "Diskominfo", Kind: kolaborasi.OPDDinas}
		wantCode(t, a.CreateOPD(as(bandungAdmin), o), kolaborasi.EFORBIDDEN)
		if err := a.CreateOPD(as(blitarAdmin), o); err != nil {
			t.Fatal(err)
		}
		wantCode(t, a.CreateOPD(as(blitarAdmin), &kolaborasi.OPD{RegionCode: "35.72", Name: o.Name, Kind: kolaborasi.OPDDinas}), kolaborasi.ECONFLICT)
		wantCode(t, a.CreateOPD(as(blitarAdmin), &kolaborasi.OPD{RegionCode: "35.72", Name: "X", Kind: "kantor"}), kolaborasi.EINVALID)

		// Bandung's admin cannot reach Blitar's OPD by claiming it is Bandung's.
		hijack := *o
		hijack.RegionCode = "32.73"
		hijack.Name = "Dinas Bandung"
		wantCode(t, a.UpdateOPD(as(bandungAdmin), &hijack), kolaborasi.ENOTFOUND)
		wantCode(t, a.DeleteOPD(as(bandungAdmin), "32.73", o.ID), kolaborasi.ENOTFOUND)
		wantCode(t, a.DeleteOPD(as(bandungAdmin), "35.72", o.ID), kolaborasi.EFORBIDDEN)
		opds, _ := a.OPDs(context.Background(), "35.72")
		if len(opds) != 1 || opds[0].Name != o.Name {
			t.Errorf("OPDs after refused changes: %+v", opds)
		}
		if err := a.DeleteOPD(as(blitarAdmin), "35.72", o.ID); err != nil {
			t.Fatal(err)
		}
		audit, _ := a.AuditTrail(as(blitarAdmin), "35.72", 0)
		if len(audit) != 2 || audit[0].Action != "region.opd.manage" || audit[1].Summary == "" {
			t.Errorf("audit = %+v", audit)
		}
	})
}
