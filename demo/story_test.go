package demo

import (
	"context"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestStoryCoherence reads the seeded demo back through the app and checks
// that it tells the story without contradicting itself: what happened at
// the signing is dated 2017 and was recorded later, never before it
// happened; every figure names its source; Bandung's applications have
// adopters; everything made up is marked synthetic. On both engines.
func TestStoryCoherence(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		a := app.New(db.Store(), app.WithEphemeralLogKey())
		ctx := kolaborasi.WithUser(context.Background(), kolaborasi.System)
		if _, err := a.LoadReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		seeded := time.Now().UTC().Add(-time.Minute)
		if err := Seed(ctx, a); err != nil {
			t.Fatal(err)
		}

		// The KSB: signed on 8 March 2017, recorded later.
		ags, err := a.Agreements(ctx, kolaborasi.AgreementFilter{Region: Blitar})
		if err != nil || len(ags) != 1 {
			t.Fatalf("agreements %v, %v", ags, err)
		}
		ksb, err := a.Agreement(ctx, ags[0].ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if ksb.Content.SignDate != ksbDay || ksb.Content.Venue != "Balai Kota Kusuma Wicitra" || len(ksb.Content.Witnesses) != 4 || len(ksb.Content.Scope) != 5 {
			t.Errorf("KSB %+v", ksb.Content)
		}
		if len(ksb.Signatures) != 2 {
			t.Errorf("KSB signatures %d", len(ksb.Signatures))
		}
		for _, sg := range ksb.Signatures {
			if sg.SignedAt.Before(seeded) {
				t.Errorf("a signature recorded %v, before the demo was seeded", sg.SignedAt)
			}
		}

		// Adoptions: the KSB's were requested and accepted on its day, every
		// event was recorded on or after it happened, in order, and every
		// adoption is marked synthetic.
		ads, err := a.Adoptions(ctx, kolaborasi.AdoptionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ads) < len(storyAdoptions)-1 { // the pending GAMPIL request is not public
			t.Fatalf("%d adoptions", len(ads))
		}
		both := map[string]bool{}
		for _, ad := range ads {
			full, err := a.Adoption(ctx, ad.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !full.Synthetic {
				t.Errorf("adoption %d is not marked synthetic", full.ID)
			}
			var prev time.Time
			for i, h := range full.History {
				happened := h.Happened()
				if h.At.Before(happened) {
					t.Errorf("adoption %d event %d: recorded %v before it happened %v", full.ID, i, h.At, happened)
				}
				if happened.Before(prev) {
					t.Errorf("adoption %d event %d happened %v, before the event before it (%v)", full.ID, i, happened, prev)
				}
				if h.At.Before(seeded) {
					t.Errorf("adoption %d event %d recorded %v, before the demo was seeded", full.ID, i, h.At)
				}
				prev = happened
			}
			if full.AgreementID == ksb.ID {
				both[full.AdopterRegion] = full.Live()
				for _, h := range full.History[:2] {
					if h.On != ksbDay {
						t.Errorf("adoption %d under the KSB: %s on %q, want the signing day", full.ID, h.Event, h.On)
					}
				}
				for _, h := range full.History {
					if h.Happened().Year() < 2017 {
						t.Errorf("adoption %d under the KSB: %s dated %v, before the KSB", full.ID, h.Event, h.Happened())
					}
					if (h.Event == "requested" || h.Event == "accepted") && h.Happened().Year() != 2017 {
						t.Errorf("adoption %d under the KSB: %s dated %v, not 2017", full.ID, h.Event, h.Happened())
					}
				}
			}
			for _, m := range []*kolaborasi.Money{full.Planned, full.Spent} {
				if m != nil && m.Source == "" {
					t.Errorf("adoption %d: a figure without its source", full.ID)
				}
			}
		}
		if !both[Blitar] || !both[Bandung] {
			t.Errorf("adoptions in progress under the KSB: %v, want both ways", both)
		}

		// Solutions: Bandung's applications are used, figures have sources,
		// only the story's real programmes are not synthetic.
		res, err := a.SearchSolutions(ctx, app.SolutionQuery{Size: app.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		real := map[string]bool{"Bandung Smart City": true, "Ekonomi Kerakyatan Kota Blitar": true}
		apps := map[string]bool{}
		for _, x := range bandungApps {
			real[x.name], apps[x.name] = true, true
		}
		seen := 0
		for _, it := range res.Items {
			s := it.Solution
			name := s.Name.ID
			if real[name] == s.Synthetic {
				t.Errorf("%s: synthetic %v", name, s.Synthetic)
			}
			if s.CostBuild.IDR > 0 && s.CostBuild.Source == "" {
				t.Errorf("%s: a cost without its source", name)
			}
			for _, c := range s.Evidence {
				if c.Source == "" {
					t.Errorf("%s: claim %q without its source", name, c.Text)
				}
			}
			if apps[name] {
				seen++
				if s.RegionCode != Bandung || s.Adoptions == 0 {
					t.Errorf("%s of %s: %d adopters", name, s.RegionCode, s.Adoptions)
				}
			}
		}
		if seen != len(bandungApps) {
			t.Errorf("%d of Bandung's %d applications found", seen, len(bandungApps))
		}
		// Both money figures of Bandung's programme, each with its source.
		for _, it := range res.Items {
			if it.Solution.Name.ID != "Bandung Smart City" {
				continue
			}
			amounts := map[float64]string{}
			for _, c := range it.Solution.Evidence {
				amounts[c.Value] = c.Source
			}
			if amounts[300] != srcBandungCount || amounts[500_000_000_000] != srcBandungHigh || amounts[50_000_000_000] != srcBandungLow {
				t.Errorf("Bandung Smart City's figures: %v", amounts)
			}
		}

		// Needs, producers and products are made up: all marked.
		for _, code := range StoryRegions {
			needs, err := a.Needs(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range needs {
				if !n.Synthetic {
					t.Errorf("need %q of %s is not marked synthetic", n.Title, code)
				}
			}
			producers, err := a.Producers(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range producers {
				if !p.Synthetic {
					t.Errorf("producer %q is not marked synthetic", p.Name)
				}
			}
		}
		products, err := a.SearchProducts(ctx, app.ProductQuery{Size: app.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range products.Items {
			if !p.Synthetic {
				t.Errorf("product %q is not marked synthetic", p.Name.ID)
			}
		}

		// Observations: the two real figures with their sources, dated by
		// their period; everything else synthetic.
		err = a.EachObservation(ctx, kolaborasi.ObservationFilter{}, func(o *kolaborasi.Observation) error {
			real := o.RegionCode == Blitar && o.Indicator == "bps.pertumbuhan-ekonomi" && (o.Period == "2024" || o.Period == "2017")
			if o.Source == "" || real == (o.Source == SyntheticSource) {
				t.Errorf("%+v: source %q", o.Key(), o.Source)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := a.Ranking(ctx, SmartCityIndex)
		if err != nil || !r.Index.Synthetic {
			t.Errorf("the demo index is not marked synthetic: %v", err)
		}
	})
}
