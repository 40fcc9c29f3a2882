package wilayah

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
)

type feature struct {
	Properties struct {
		Code string `json:"code"`
	} `json:"properties"`
	Geometry struct {
		Coordinates [][][][2]float64 `json:"coordinates"`
	} `json:"geometry"`
}

var (
	geoOnce sync.Once
	shapes  map[string][][][][2]float64 // code → multipolygon in [lng, lat]
	geoErr  error
)

func loadShapes() {
	shapes = map[string][][][][2]float64{}
	for _, src := range [][]byte{regenciesGeoJSON, provincesGeoJSON} {
		var fc struct {
			Features []feature `json:"features"`
		}
		if err := json.Unmarshal(src, &fc); err != nil {
			geoErr = fmt.Errorf("parse boundaries: %w", err)
			return
		}
		for _, f := range fc.Features {
			shapes[f.Properties.Code] = f.Geometry.Coordinates
		}
	}
}

// Map is a small SVG map of a region: its own outline, and the outlines of
// the other regions of its province (for a province, its kabupaten/kota) as
// context. Paths are in SVG user units inside ViewBox.
type Map struct {
	ViewBox string
	Region  string
	Context []string
}

// MapOf draws the region with the code, with context the codes of the regions
// to draw around it. Width is the drawing's width in user units; the height
// follows the region's shape.
func MapOf(code string, context []string, width float64) (*Map, error) {
	geoOnce.Do(loadShapes)
	if geoErr != nil {
		return nil, geoErr
	}
	own, ok := shapes[code]
	if !ok {
		return nil, fmt.Errorf("no boundary for region %s", code)
	}
	// Frame on the region itself, padded, so small kota stay visible.
	minX, minY, maxX, maxY := bounds(own)
	padX, padY := (maxX-minX)*0.15+0.02, (maxY-minY)*0.15+0.02
	minX, maxX, minY, maxY = minX-padX, maxX+padX, minY-padY, maxY+padY
	// Equirectangular projection scaled by the cosine of the mid latitude.
	k := math.Cos((minY + maxY) / 2 * math.Pi / 180)
	scale := width / ((maxX - minX) * k)
	height := (maxY - minY) * scale
	project := func(p [2]float64) (float64, float64) {
		return (p[0] - minX) * k * scale, (maxY - p[1]) * scale
	}
	m := &Map{ViewBox: fmt.Sprintf("0 0 %.0f %.0f", width, math.Ceil(height)), Region: path(own, project)}
	for _, c := range context {
		if c == code {
			continue
		}
		if s, ok := shapes[c]; ok && overlaps(s, minX, minY, maxX, maxY) {
			m.Context = append(m.Context, path(s, project))
		}
	}
	return m, nil
}

func bounds(mp [][][][2]float64) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, poly := range mp {
		for _, ring := range poly {
			for _, p := range ring {
				minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
				minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
			}
		}
	}
	return
}

func overlaps(mp [][][][2]float64, minX, minY, maxX, maxY float64) bool {
	a, b, c, d := bounds(mp)
	return a <= maxX && c >= minX && b <= maxY && d >= minY
}

// path renders a multipolygon as SVG path data, dropping points closer than
// half a unit to the previous one.
func path(mp [][][][2]float64, project func([2]float64) (float64, float64)) string {
	var b strings.Builder
	num := func(v float64) { b.WriteString(strconv.FormatFloat(v, 'f', 1, 64)) }
	for _, poly := range mp {
		for _, ring := range poly {
			lx, ly := math.Inf(1), math.Inf(1)
			for i, p := range ring {
				x, y := project(p)
				if i > 0 && math.Abs(x-lx) < 0.5 && math.Abs(y-ly) < 0.5 {
					continue
				}
				if i == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				num(x)
				b.WriteByte(' ')
				num(y)
				lx, ly = x, y
			}
			b.WriteByte('Z')
		}
	}
	return b.String()
}
