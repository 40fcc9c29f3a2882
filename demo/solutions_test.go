package demo

import (
	"context"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestSeedSolutions(t *testing.T) {
	db := storetest.OpenSQLite(t)
	a := app.New(db.Store(), app.WithEphemeralLogKey())
	if _, err := a.LoadReferenceData(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	if err := seedSolutions(ctx, a); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{
		"perizinan":           "GAMPIL",
		"perekonomian rakyat": "Ekonomi Kerakyatan Kota Blitar",
		"tombol darurat":      "Panic Button",
		"hibah bantuan":       "Sabilulungan",
		// The catalog search box's own example.
		"pengaduan":            "Bandung Command Center",
		"pengaduan masyarakat": "Bandung Command Center",
	} {
		r, err := a.SearchSolutions(context.Background(), app.SolutionQuery{Q: q})
		if err != nil || r.Total == 0 || r.Items[0].Solution.Name.ID != want {
			t.Errorf("%q: %+v %v, want %s first", q, r, err, want)
		}
	}
	// Every figure states its source.
	r, err := a.SearchSolutions(context.Background(), app.SolutionQuery{Size: 50})
	if err != nil || r.Total != len(bandungApps)+2 {
		t.Fatalf("demo solutions: %v %v", r, err)
	}
	for _, it := range r.Items {
		for _, c := range it.Solution.Evidence {
			if c.Source == "" {
				t.Errorf("%s: claim %q without a source", it.Solution.Name.ID, c.Text)
			}
		}
	}
}
