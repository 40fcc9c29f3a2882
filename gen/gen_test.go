package gen_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestDeterministicAndValid(t *testing.T) {
	regions := []string{"32.73", "35.72", "35.07"}
	a, b := gen.Solutions(42, 600, regions), gen.Solutions(42, 600, regions)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Fatalf("same seed, different catalog:\n%s", diff)
	}
	if c := gen.Solutions(43, 1, regions); cmp.Equal(c[0], a[0]) {
		t.Error("another seed gave the same first solution")
	}
	kinds := map[kolaborasi.SolutionKind]int{}
	perRegion := map[string]int{}
	for _, s := range a {
		kinds[s.Kind]++
		perRegion[s.RegionCode]++
		if !s.Synthetic || !strings.HasSuffix(s.Long.ID, gen.Marker) || !strings.Contains(s.Links.Site, ".invalid/") {
			t.Fatalf("not marked synthetic: %+v", s)
		}
	}
	if perRegion["32.73"] != 200 || perRegion["35.07"] != 200 {
		t.Errorf("spread over regions: %v", perRegion)
	}
	if kinds[kolaborasi.KindSoftware] < 300 || kinds[kolaborasi.KindProgramme] < 100 || kinds[kolaborasi.KindService] < 50 {
		t.Errorf("kinds: %v (want about 60/25/15 %%)", kinds)
	}

	// Every generated solution passes the app's validation.
	db := storetest.OpenSQLite(t)
	ap := app.New(db.Store(), app.WithEphemeralLogKey())
	if _, err := ap.LoadReferenceData(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	if err := ap.LoadSyntheticSolutions(ctx, a); err != nil {
		t.Fatal(err)
	}
	res, err := ap.SearchSolutions(context.Background(), app.SolutionQuery{Q: "pengaduan", IncludeRetired: true})
	if err != nil || res.Total == 0 {
		t.Fatalf("search the generated catalog: %v %v", res, err)
	}
	editor := &kolaborasi.User{ID: 1, RegionCode: "32.73", Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
	if err := ap.LoadSyntheticSolutions(kolaborasi.WithUser(context.Background(), editor), gen.Solutions(1, 1, regions)); kolaborasi.ErrorCode(err) != kolaborasi.EFORBIDDEN {
		t.Errorf("an editor loaded synthetic data: %v", err)
	}
}
