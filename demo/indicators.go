package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
)

// Sources of the demo's observations. Only two figures are real, each with
// its source; every other value is generated and says so in its source
// and note.
const (
	srcBlitarGrowth2024 = srcBlitarBPS
	srcBlitarClaim2017  = srcBlitarClaim
	// SyntheticSource marks a generated observation.
	SyntheticSource = "Data sintetis demo Kolaborasi (bukan angka resmi)"
	syntheticNote   = "sintetis"
)

// syntheticIndicators are generated for every kabupaten/kota so that
// their maps are full: base value, spread between regions, yearly trend.
var syntheticIndicators = []struct {
	code                string
	base, spread, trend float64
	decimals            int
}{
	{"bps.pertumbuhan-ekonomi", 5.0, 1.5, 0, 2},
	{"bps.kemiskinan", 11, 6, -0.35, 2},
	{"spbe.indeks", 1.9, 0.8, 0.17, 2},
}

// noise returns a deterministic number in [-1, 1) for the key.
func noise(key string) float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return float64(h.Sum64()%20000)/10000 - 1
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// seedIndicators imports the demo's observations through the same import
// as any file: 2015–2025 for every kabupaten/kota (synthetic), the two
// story cities' other indicators (synthetic), and the real figures.
func seedIndicators(ctx context.Context, a *app.App) error {
	names, err := a.RegionNames(ctx)
	if err != nil {
		return err
	}
	var codes []string
	for c := range names {
		if len(c) == 5 {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{obsfile.ColRegion, obsfile.ColIndicator, obsfile.ColPeriod, obsfile.ColValue, obsfile.ColSource, obsfile.ColNote})
	row := func(region, ind, period string, v float64, source, note string) {
		w.Write([]string{region, ind, period, obsfile.FormatNumber(v), source, note})
	}
	for _, ind := range syntheticIndicators {
		for _, c := range codes {
			level := ind.base + ind.spread*noise(ind.code+c)
			for y := 2015; y <= 2025; y++ {
				if ind.code == "bps.pertumbuhan-ekonomi" && c == Blitar && (y == 2024 || y == 2017) {
					continue // real figures below
				}
				v := level + ind.trend*float64(y-2015) + ind.spread*0.25*noise(fmt.Sprint(ind.code, c, y))
				if ind.code == "bps.pertumbuhan-ekonomi" && y == 2020 {
					v -= 6 // the pandemic year, also in synthetic data
				}
				if ind.code == "spbe.indeks" {
					v = math.Max(0.5, math.Min(5, v))
				}
				if ind.code == "bps.kemiskinan" {
					v = math.Max(1.5, v)
				}
				row(c, ind.code, fmt.Sprint(y), round(v, ind.decimals), SyntheticSource, syntheticNote)
			}
		}
	}
	for _, c := range []string{Blitar, Bandung} {
		for y := 2015; y <= 2025; y++ {
			row(c, "bps.pengangguran-terbuka", fmt.Sprint(y), round(6+2*noise(fmt.Sprint("tpt", c, y)), 2), SyntheticSource, syntheticNote)
			row(c, "layanan.daring", fmt.Sprint(y), round(math.Min(98, 20+6.5*float64(y-2015)+5*noise(fmt.Sprint("daring", c, y))), 1), SyntheticSource, syntheticNote)
			for q := 1; q <= 4; q++ {
				row(c, "aduan.waktu-penyelesaian", fmt.Sprintf("%d-Q%d", y, q), round(math.Max(1, 12-0.8*float64(y-2015)+2*noise(fmt.Sprint("aduan", c, y, q))), 1), SyntheticSource, syntheticNote)
			}
		}
	}
	row(Blitar, "bps.pertumbuhan-ekonomi", "2024", 5.33, srcBlitarGrowth2024, "")
	row(Blitar, "bps.pertumbuhan-ekonomi", "2017", 5.6, srcBlitarClaim2017, "klaim pemerintah daerah, bukan rilis BPS")
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	rep, err := a.ImportObservations(ctx, "", &b, obsfile.CSV, 0)
	if err != nil {
		if rep != nil && len(rep.Problems) > 0 {
			return fmt.Errorf("seed observations: %v (first: %v)", err, rep.Problems[0])
		}
		return fmt.Errorf("seed observations: %w", err)
	}
	return nil
}
