package wilayah

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
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
	return pathMin(mp, project, 0.5)
}

// pathMin renders a multipolygon, dropping points closer than minStep units
// to the previous one and rings smaller than that altogether.
func pathMin(mp [][][][2]float64, project func([2]float64) (float64, float64), minStep float64) string {
	var b strings.Builder
	num := func(v float64) { b.WriteString(strconv.FormatFloat(v, 'f', 1, 64)) }
	for _, poly := range mp {
		for _, ring := range poly {
			if minStep > 0.5 && tiny(ring, project, minStep) {
				continue
			}
			lx, ly := math.Inf(1), math.Inf(1)
			for i, p := range ring {
				x, y := project(p)
				if i > 0 && math.Abs(x-lx) < minStep && math.Abs(y-ly) < minStep {
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

// Projection maps longitude and latitude to SVG user units.
type Projection func(lng, lat float64) (x, y float64)

// National is a map of Indonesia: the province outlines as SVG path data
// and the projection that places points on it.
type National struct {
	ViewBox   string
	Provinces []string
	Project   Projection
}

var (
	nationalOnce sync.Once
	national     *National
)

// NationalMap returns the map of all provinces, 1000 units wide, drawn once
// and reused. Detail under 1.5 units is dropped: the map shows where
// regions are, not their coastlines.
func NationalMap() (*National, error) {
	geoOnce.Do(loadShapes)
	if geoErr != nil {
		return nil, geoErr
	}
	nationalOnce.Do(func() {
		// Indonesia spans about 94.9°E–141.1°E and 11.1°S–6.1°N.
		minX, maxX, minY, maxY := 94.5, 141.5, -11.5, 6.5
		width := 1000.0
		k := math.Cos(-2.5 * math.Pi / 180)
		scale := width / ((maxX - minX) * k)
		project := func(lng, lat float64) (float64, float64) { return (lng - minX) * k * scale, (maxY - lat) * scale }
		n := &National{ViewBox: fmt.Sprintf("0 0 %.0f %.0f", width, math.Ceil((maxY-minY)*scale)), Project: project}
		var codes []string
		for code := range shapes {
			if len(code) == 2 {
				codes = append(codes, code)
			}
		}
		sort.Strings(codes)
		for _, code := range codes {
			n.Provinces = append(n.Provinces, pathMin(shapes[code], func(p [2]float64) (float64, float64) { return project(p[0], p[1]) }, 1.5))
		}
		national = n
	})
	return national, nil
}

// tiny reports whether a ring fits within size units both ways.
func tiny(ring [][2]float64, project func([2]float64) (float64, float64), size float64) bool {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range ring {
		x, y := project(p)
		minX, maxX, minY, maxY = math.Min(minX, x), math.Max(maxX, x), math.Min(minY, y), math.Max(maxY, y)
	}
	return maxX-minX < size && maxY-minY < size
}
