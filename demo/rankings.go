package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/kolaborasi/kolaborasi/rank"
)

// SmartCityIndex is the slug of the demo's composite index.
const SmartCityIndex = "indeks-kota-cerdas-sintetis"

// The demo index ranks every kabupaten and kota: the news report has
// Bandung rising from rank 200 to rank 1, and there are only 98 kota.
var smartCityComponents = []kolaborasi.IndexComponent{
	{Indicator: "bps.pertumbuhan-ekonomi", Weight: 1},
	{Indicator: "bps.kemiskinan", Weight: 1},
	{Indicator: "spbe.indeks", Weight: 2},
}

// bandungRanks are the synthetic ranks Kota Bandung is given per year: the
// article's 200 → 1 by the year of the signing (2017), then near the top.
var bandungRanks = map[int]int{2015: 200, 2016: 57, 2017: 1, 2018: 1, 2019: 2, 2020: 1, 2021: 1, 2022: 3, 2023: 1, 2024: 1, 2025: 1}

const (
	noteBandungRank = "sintetis: disusun agar peringkat Kota Bandung pada indeks demo mengikuti angka 200 → 1 dari berita penandatanganan Kesepakatan Bersama Blitar–Bandung, 8 Maret 2017"
	noteImpact      = "sintetis: contoh dampak adopsi untuk demo"
	bccSolution     = "Bandung Command Center"
)

// bccLive is when the demo has Blitar's Bandung Command Center go live
// (synthetic; the impact example needs years after going live). The
// adoption's history gives it as the date the stage was reached, recorded
// when the demo is seeded.
var bccLive = time.Date(2021, 3, 8, 0, 0, 0, 0, time.UTC)

// seedRankings defines the demo's composite index, sets Kota Bandung's
// values of its indicators so that its rank history shows the article's
// climb, and prepares the impact example: Blitar's Bandung Command Center
// live since 2021 and a synthetic share of services online for every kota.
func seedRankings(ctx context.Context, a *app.App) error {
	set, err := kabupatenKota(ctx, a)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{obsfile.ColRegion, obsfile.ColIndicator, obsfile.ColPeriod, obsfile.ColValue, obsfile.ColSource, obsfile.ColNote})
	if err := bandungValues(ctx, a, set, w); err != nil {
		return err
	}
	onlineServices(set, w)
	w.Flush()
	if _, err := a.ImportObservations(ctx, "", &b, obsfile.CSV, 0); err != nil {
		return fmt.Errorf("seed ranking observations: %w", err)
	}
	ci := &kolaborasi.CompositeIndex{Slug: SmartCityIndex,
		Name: kolaborasi.Texts{ID: "Indeks Kota Cerdas (sintetis)", EN: "Smart City Index (synthetic)"},
		Description: kolaborasi.Texts{
			ID: "Indeks contoh atas semua kabupaten dan kota: pertumbuhan ekonomi, kemiskinan dan indeks SPBE. Himpunannya kabupaten dan kota, bukan hanya kota, karena peringkat 200 dalam berita melebihi jumlah kota (98).",
			EN: "An example index over every kabupaten and kota: economic growth, poverty and the SPBE index. The set is kabupaten and kota, not kota alone, because the article's rank 200 exceeds the number of kota (98)."},
		Note: kolaborasi.Texts{
			ID: "Indeks dan datanya sintetis. Hanya angka 200 → 1 (Kota Bandung naik dari peringkat 200 ke peringkat 1) berasal dari berita penandatanganan Kesepakatan Bersama Blitar–Bandung, 8 Maret 2017; nilai Bandung disusun agar riwayat peringkatnya mengikuti angka itu.",
			EN: "The index and its data are synthetic. Only the figure 200 → 1 (Kota Bandung rising from rank 200 to rank 1) comes from the news report of the signing of the Blitar–Bandung Kesepakatan Bersama, 8 March 2017; Bandung's values are set so that its rank history follows it."},
		Components: smartCityComponents, Normalisation: string(rank.MinMax), Missing: string(rank.Reweight), MinCoverage: 0.5,
		RegionSet: kolaborasi.RegionSetAll, Synthetic: true}
	if err := a.SaveCompositeIndex(ctx, ci, true); err != nil {
		return fmt.Errorf("seed composite index: %w", err)
	}
	return nil
}

func kabupatenKota(ctx context.Context, a *app.App) ([]string, error) {
	names, err := a.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	var set []string
	for c := range names {
		if len(c) == 5 {
			set = append(set, c)
		}
	}
	slices.Sort(set)
	return set, nil
}

// bandungValues writes Bandung's values of the index's indicators for
// each year: the values at the share t of the way from the set's worst to
// its best (the other regions' values), t chosen between the scores of
// the regions ranked just above and just below the target rank. Under
// min-max every normalised value of Bandung is then t, its score 100·t,
// and the others' scores do not change (the minimum and maximum stay).
func bandungValues(ctx context.Context, a *app.App, set []string, w *csv.Writer) error {
	data := rank.NewData()
	others := map[string]bool{}
	for _, c := range set {
		others[c] = c != Bandung
	}
	for _, comp := range smartCityComponents {
		err := a.EachObservation(ctx, kolaborasi.ObservationFilter{Indicator: comp.Indicator}, func(o *kolaborasi.Observation) error {
			if others[o.RegionCode] {
				data.Add(o.RegionCode, o.Indicator, o.Period, o.Value)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	idx := rank.Index{Name: "demo", Normalisation: rank.MinMax, Missing: rank.Reweight, MinCoverage: 0.5}
	for c, ok := range others {
		if ok {
			idx.Regions = append(idx.Regions, c)
		}
	}
	for _, comp := range smartCityComponents {
		ind, err := a.Indicator(ctx, comp.Indicator)
		if err != nil {
			return err
		}
		idx.Components = append(idx.Components, rank.Component{Indicator: comp.Indicator, Weight: comp.Weight, Direction: rank.Direction(ind.Direction)})
	}
	periods, err := rank.Compute(idx, data)
	if err != nil {
		return err
	}
	for _, p := range periods {
		var year int
		if _, err := fmt.Sscan(p.Period, &year); err != nil {
			return err
		}
		target, ok := bandungRanks[year]
		if !ok {
			continue
		}
		above, below := 100.0, 0.0
		if target >= 2 {
			above = p.Results[target-2].Score
		}
		if target-1 < len(p.Results) {
			below = p.Results[target-1].Score
		}
		t := (above + below) / 200
		for _, comp := range idx.Components {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, r := range idx.Regions {
				if v, ok := data.Value(r, comp.Indicator, p.Period); ok {
					lo, hi = min(lo, v), max(hi, v)
				}
			}
			v := lo + t*(hi-lo)
			if comp.Direction == rank.LowerIsBetter {
				v = hi - t*(hi-lo)
			}
			w.Write([]string{Bandung, comp.Indicator, p.Period, obsfile.FormatNumber(round(v, 6)), SyntheticSource, noteBandungRank})
		}
	}
	return nil
}

// onlineServices writes a synthetic share of services online for every
// kota, 2015–2025: a common upward trend with each kota's level and
// noise, and for Kota Blitar nine points more from 2021, when its Bandung
// Command Center went live (the effect the impact example should find).
// Kota Bandung keeps the series of the indicator demo.
func onlineServices(set []string, w *csv.Writer) {
	for _, c := range set {
		if c == Bandung || c[3] != '7' { // kota codes are NN.7N
			continue
		}
		level := 20 + 6*noise("daring-level"+c)
		if c == Blitar {
			level = 22
		}
		for y := 2015; y <= 2025; y++ {
			v := level + 6.5*float64(y-2015) + 1.5*noise(fmt.Sprint("daring-demo", c, y))
			if c == Blitar && y >= bccLive.Year() {
				v += 9
			}
			w.Write([]string{c, "layanan.daring", fmt.Sprint(y), obsfile.FormatNumber(round(math.Min(98, v), 1)), SyntheticSource, noteImpact})
		}
	}
}
