package app_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/kolaborasi/kolaborasi/store"
)

// The three kota of the hand-checked case.
const (
	kotaBlitar  = "35.72"
	kotaBandung = "32.73"
	kotaBatu    = "35.79"
)

func importCSV(t *testing.T, ctx context.Context, a *app.App, rows string) {
	t.Helper()
	csv := "region_code,indicator_code,period,value\n" + rows
	if rep, err := a.ImportObservations(ctx, "", strings.NewReader(csv), obsfile.CSV, 0); err != nil {
		t.Fatalf("import: %v %+v", err, rep)
	}
}

func handIndex() *kolaborasi.CompositeIndex {
	return &kolaborasi.CompositeIndex{Slug: "uji", Name: kolaborasi.Texts{ID: "Indeks uji"},
		Components:    []kolaborasi.IndexComponent{{Indicator: "bps.pertumbuhan-ekonomi", Weight: 3}, {Indicator: "bps.kemiskinan", Weight: 1}},
		Normalisation: "minmax", Missing: "exclude", RegionSet: kolaborasi.RegionSetList, RegionList: []string{kotaBlitar, kotaBandung, kotaBatu}}
}

func TestCompositeIndicesByAdminsAndObservers(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		editor := invite(t, a, "editor@blitar.test", kotaBlitar, kolaborasi.RoleEditor)
		regionAdmin := invite(t, a, "admin@blitar.test", kotaBlitar, kolaborasi.RoleRegionAdmin)
		observer := invite(t, a, "observer@pusat.test", "", kolaborasi.RoleObserver)
		admin := invite(t, a, "admin@pusat.test", "", kolaborasi.RoleAdmin)
		wantCode(t, a.SaveCompositeIndex(context.Background(), handIndex(), true), kolaborasi.EUNAUTHORIZED)
		wantCode(t, a.SaveCompositeIndex(as(editor), handIndex(), true), kolaborasi.EFORBIDDEN)
		wantCode(t, a.SaveCompositeIndex(as(regionAdmin), handIndex(), true), kolaborasi.EFORBIDDEN)
		ci := handIndex()
		if err := a.SaveCompositeIndex(as(observer), ci, true); err != nil {
			t.Fatal(err)
		}
		if ci.Version != 1 || ci.CreatedByName != observer.Name {
			t.Fatalf("created %+v", ci)
		}
		wantCode(t, a.SaveCompositeIndex(as(admin), handIndex(), true), kolaborasi.ECONFLICT)
		ci.Components[1].Weight = 2
		if err := a.SaveCompositeIndex(as(admin), ci, false); err != nil {
			t.Fatal(err)
		}
		if ci.Version != 2 || ci.UpdatedByName != admin.Name || ci.CreatedByName != observer.Name {
			t.Fatalf("updated %+v", ci)
		}
		es, err := a.AuditTrail(system, "", 0)
		if err != nil || es[0].Action != string(app.ActRankingManage) || es[0].Summary != "Changed composite index uji (version 2)." {
			t.Fatalf("audit %+v, %v", es[0], err)
		}
		wantCode(t, a.DeleteCompositeIndex(as(editor), "uji"), kolaborasi.EFORBIDDEN)
		if err := a.DeleteCompositeIndex(as(observer), "uji"); err != nil {
			t.Fatal(err)
		}
		_, err = a.CompositeIndex(system, "uji")
		wantCode(t, err, kolaborasi.ENOTFOUND)
	})
}

func TestCompositeIndexValidationNamesFields(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		bad := &kolaborasi.CompositeIndex{Slug: "Bad Slug", Components: []kolaborasi.IndexComponent{
			{Indicator: "bps.pertumbuhan-ekonomi", Weight: 0}, {Indicator: "nothing", Weight: 1}, {Indicator: "bps.pertumbuhan-ekonomi", Weight: 1},
			{Indicator: "aduan.waktu-penyelesaian", Weight: 1}},
			Normalisation: "rank", Missing: "reweight", MinCoverage: 1.5, RegionSet: "province:99x"}
		err := a.SaveCompositeIndex(system, bad, true)
		wantCode(t, err, kolaborasi.EINVALID)
		fields := err.(*kolaborasi.Error).Fields
		want := map[string]string{
			"slug":                    "Use 2 to 64 lower-case letters, digits or '-', starting with a letter.",
			"name.id":                 "The Indonesian name is required.",
			"components[0].weight":    "The weight must be a number greater than zero.",
			"components[1].indicator": `No indicator has the code "nothing".`,
			"components[2].indicator": "This indicator is already in the index.",
			"components[3].indicator": "This indicator is reported per quarter, the first one per year: an index ranks periods of one kind.",
			"normalisation":           "Choose min-max or z-score normalisation.",
			"min_coverage":            "The minimum coverage must be more than 0 and at most 1.",
			"region_set":              "Choose all kota, all kabupaten, all kabupaten and kota, one province or a list.",
		}
		for k, v := range want {
			if fields[k] != v {
				t.Errorf("field %s = %q, want %q", k, fields[k], v)
			}
		}
		if len(fields) != len(want) {
			t.Errorf("fields %v", fields)
		}
		list := handIndex()
		list.RegionList = []string{kotaBlitar, "35", kotaBlitar}
		err = a.SaveCompositeIndex(system, list, true)
		wantCode(t, err, kolaborasi.EINVALID)
		if f := err.(*kolaborasi.Error).Fields; f["regions[1]"] != `"35" is not the code of a kabupaten or kota.` {
			t.Errorf("list fields %v", f)
		}
		list.RegionList = []string{kotaBlitar, kotaBatu, kotaBlitar}
		err = a.SaveCompositeIndex(system, list, true)
		wantCode(t, err, kolaborasi.EINVALID)
		if f := err.(*kolaborasi.Error).Fields; f["regions[2]"] != "This region is already in the list." {
			t.Errorf("duplicate fields %v", f)
		}
		if _, err := a.CompositeIndices(system); err != nil {
			t.Fatal(err)
		}
		if all, _ := a.CompositeIndices(system); len(all) != 0 {
			t.Fatalf("an invalid index was stored: %v", all)
		}
	})
}

// A small case checked by hand, through the store, and the cache: served
// again without computing, recomputed after an import.
func TestRankingHandCheckedAndCached(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		// growth (higher better, weight 3): Blitar 5, Bandung 7, Batu 6 → 0, 1, 0.5
		// poverty (lower better, weight 1): Blitar 6, Bandung 10, Batu 8 → 1, 0, 0.5
		// scores: Blitar 100·(.75·0+.25·1) = 25, Bandung 75, Batu 50.
		importCSV(t, system, a, "35.72,bps.pertumbuhan-ekonomi,2024,5\n32.73,bps.pertumbuhan-ekonomi,2024,7\n35.79,bps.pertumbuhan-ekonomi,2024,6\n"+
			"35.72,bps.kemiskinan,2024,6\n32.73,bps.kemiskinan,2024,10\n35.79,bps.kemiskinan,2024,8\n"+
			"35.72,bps.pertumbuhan-ekonomi,2023,9\n32.73,bps.pertumbuhan-ekonomi,2023,1\n35.72,bps.kemiskinan,2023,6\n"+
			"35.01,bps.pertumbuhan-ekonomi,2024,99\n") // outside the set: not ranked, not in the statistics
		ci := handIndex()
		if err := a.SaveCompositeIndex(system, ci, true); err != nil {
			t.Fatal(err)
		}
		r, err := a.Ranking(system, "uji")
		if err != nil {
			t.Fatal(err)
		}
		p := r.Period("")
		if p == nil || p.Period != "2024" || len(p.Results) != 3 {
			t.Fatalf("latest period %+v", p)
		}
		want := []struct {
			region string
			score  float64
		}{{kotaBandung, 75}, {kotaBatu, 50}, {kotaBlitar, 25}}
		for i, w := range want {
			got := p.Results[i]
			if got.Region != w.region || math.Abs(got.Score-w.score) > 1e-9 || got.Rank != i+1 || got.Coverage != 1 {
				t.Errorf("place %d = %+v, want %s %v", i+1, got, w.region, w.score)
			}
		}
		// 2023: Batu and Bandung lack poverty; under exclude only Blitar is ranked.
		p23 := r.Period("2023")
		if p23.Period != "2023" || len(p23.Results) != 1 || p23.Results[0].Region != kotaBlitar || len(p23.Excluded) != 2 {
			t.Fatalf("2023 = %+v", p23)
		}
		h := r.History(kotaBlitar)
		if len(h) != 2 || h[0].Rank != 1 || h[1].Rank != 3 || h[1].Of != 3 {
			t.Fatalf("history %+v", h)
		}
		if f := r.Formula; len(f.Components) != 2 || f.Components[0].Share != 0.75 || f.Regions != 3 {
			t.Fatalf("formula %+v", f)
		}

		n := a.RankingsComputed()
		if _, err := a.Ranking(system, "uji"); err != nil || a.RankingsComputed() != n {
			t.Fatalf("second read computed again (%d → %d), %v", n, a.RankingsComputed(), err)
		}
		ranks, err := a.RegionRanks(system, kotaBlitar)
		if err != nil || len(ranks) != 1 || ranks[0].Rank != 3 || ranks[0].Of != 3 || ranks[0].Period != "2024" || a.RankingsComputed() != n {
			t.Fatalf("region ranks %+v, %v", ranks, err)
		}
		// An import changes the observations: Blitar now leads growth.
		importCSV(t, system, a, "35.72,bps.pertumbuhan-ekonomi,2024,8\n")
		r, err = a.Ranking(system, "uji")
		if err != nil || a.RankingsComputed() != n+1 {
			t.Fatalf("after import: computed %d, %v", a.RankingsComputed(), err)
		}
		// growth 8, 7, 6 → Blitar 1, Bandung .5, Batu 0; scores 100, 37.5, 12.5.
		if top := r.Period("2024").Results[0]; top.Region != kotaBlitar || math.Abs(top.Score-100) > 1e-9 {
			t.Fatalf("after import the top is %+v", top)
		}
		// Changing the index recomputes too.
		ci.Normalisation = "zscore"
		if err := a.SaveCompositeIndex(system, ci, false); err != nil {
			t.Fatal(err)
		}
		r, err = a.Ranking(system, "uji")
		if err != nil || a.RankingsComputed() != n+2 || r.Formula.Normalisation != "zscore" {
			t.Fatalf("after edit: computed %d, %v", a.RankingsComputed(), err)
		}

		// Another server copy on the same database: an indicator renamed
		// there shows here at once, without computing again (the cached
		// ranking must not keep the old definition's texts), and an import
		// there makes this copy compute again.
		other := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow }))
		ind, err := other.Indicator(system, "bps.kemiskinan")
		if err != nil {
			t.Fatal(err)
		}
		ind.Name.ID = "Persentase penduduk miskin (nama baru)"
		if err := other.SaveIndicator(system, ind, false); err != nil {
			t.Fatal(err)
		}
		r, err = a.Ranking(system, "uji")
		if err != nil || a.RankingsComputed() != n+2 {
			t.Fatalf("after a rename on the other copy: computed %d, %v", a.RankingsComputed(), err)
		}
		if got := r.Indicators["bps.kemiskinan"].Name.ID; got != ind.Name.ID {
			t.Errorf("the ranking names the indicator %q after the other copy renamed it %q", got, ind.Name.ID)
		}
		importCSV(t, system, other, "35.72,bps.kemiskinan,2024,1\n")
		if _, err = a.Ranking(system, "uji"); err != nil || a.RankingsComputed() != n+3 {
			t.Fatalf("after an import on the other copy: computed %d, %v", a.RankingsComputed(), err)
		}
	})
}

func TestRankingRegionSets(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		importCSV(t, system, a, "35.72,spbe.indeks,2024,3\n35.05,spbe.indeks,2024,2\n32.73,spbe.indeks,2024,4\n")
		for set, want := range map[string][]string{
			kolaborasi.RegionSetKota:      {kotaBandung, kotaBlitar},
			kolaborasi.RegionSetKabupaten: {"35.05"},
			kolaborasi.RegionSetAll:       {kotaBandung, kotaBlitar, "35.05"},
			"province:35":                 {kotaBlitar, "35.05"},
		} {
			ci := &kolaborasi.CompositeIndex{Slug: "set-" + strings.NewReplacer(":", "-").Replace(set), Name: kolaborasi.Texts{ID: set},
				Components: []kolaborasi.IndexComponent{{Indicator: "spbe.indeks", Weight: 1}}, Normalisation: "minmax", Missing: "exclude", RegionSet: set}
			if err := a.SaveCompositeIndex(system, ci, true); err != nil {
				t.Fatal(err)
			}
			r, err := a.Ranking(system, ci.Slug)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, res := range r.Period("").Results {
				got = append(got, res.Region)
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s ranks %v, want %v", set, got, want)
			}
		}
	})
}
