// Package wilayah embeds Indonesia's official list of regions (38 provinces
// and 514 kabupaten/kota with Kemendagri codes, population and area) and
// their simplified boundaries, from the MIT-licensed cahyadsn/wilayah and
// cahyadsn/wilayah_boundaries data sets (see data/SOURCE.md and the licence
// files beside it).
package wilayah

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/kolaborasi/kolaborasi"
)

//go:embed data/provinces.csv data/regencies.csv data/region_stats.csv data/region_points.csv
var tables embed.FS

//go:embed data/regencies.geojson
var regenciesGeoJSON []byte

//go:embed data/provinces.geojson
var provincesGeoJSON []byte

// RegenciesGeoJSON returns the kabupaten/kota boundaries as a GeoJSON
// FeatureCollection, one feature per line, properties {code, name}.
func RegenciesGeoJSON() []byte { return regenciesGeoJSON }

// ProvincesGeoJSON returns the province boundaries as GeoJSON.
func ProvincesGeoJSON() []byte { return provincesGeoJSON }

var (
	loadOnce sync.Once
	regions  []kolaborasi.Region
	version  string
	loadErr  error
)

// Regions returns every province and kabupaten/kota, ordered by code, and a
// version string that changes whenever the embedded data changes.
func Regions() ([]kolaborasi.Region, string, error) {
	loadOnce.Do(func() { regions, version, loadErr = parse() })
	return regions, version, loadErr
}

func readCSV(name string) ([][]string, error) {
	b, err := tables.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	if _, err := r.Read(); err != nil { // header
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rows, nil
}

func parse() ([]kolaborasi.Region, string, error) {
	h := sha256.New()
	for _, name := range []string{"provinces.csv", "regencies.csv", "region_stats.csv", "region_points.csv"} {
		b, _ := tables.ReadFile("data/" + name)
		io.WriteString(h, name)
		h.Write(b)
	}
	provinces, err := readCSV("provinces.csv")
	if err != nil {
		return nil, "", err
	}
	regencies, err := readCSV("regencies.csv")
	if err != nil {
		return nil, "", err
	}
	stats, err := readCSV("region_stats.csv")
	if err != nil {
		return nil, "", err
	}
	points, err := readCSV("region_points.csv")
	if err != nil {
		return nil, "", err
	}
	byCode := map[string]*kolaborasi.Region{}
	var out []kolaborasi.Region
	for _, p := range provinces { // code,name,kabupaten_count,kota_count
		out = append(out, kolaborasi.Region{Code: p[0], Name: p[1], ShortName: p[1], Type: kolaborasi.Province,
			ProvinceCode: p[0], ProvinceName: p[1], Autonomous: true})
	}
	for _, r := range regencies { // code,code_compact,name,short_name,type,administrative,province_code
		out = append(out, kolaborasi.Region{Code: r[0], Name: r[2], ShortName: r[3], Type: kolaborasi.RegionType(r[4]),
			ProvinceCode: r[6], Autonomous: r[5] != "true"})
	}
	for i := range out {
		byCode[out[i].Code] = &out[i]
	}
	for i := range out {
		r := &out[i]
		if !r.Type.Valid() || !kolaborasi.ValidRegionCode(r.Code) {
			return nil, "", fmt.Errorf("region %q has type %q or a malformed code", r.Code, r.Type)
		}
		p, ok := byCode[r.ProvinceCode]
		if !ok {
			return nil, "", fmt.Errorf("region %s names unknown province %s", r.Code, r.ProvinceCode)
		}
		r.ProvinceName = p.Name
		r.Profile.HeadTitle = kolaborasi.DefaultHeadTitle(r.Type, r.Name)
	}
	for _, s := range stats { // code,level,name,population_male,population_female,population_total,area_km2
		r, ok := byCode[s[0]]
		if !ok {
			return nil, "", fmt.Errorf("region_stats.csv: unknown code %s", s[0])
		}
		var nums [3]int64
		for i := range nums {
			if nums[i], err = strconv.ParseInt(s[3+i], 10, 64); err != nil {
				return nil, "", fmt.Errorf("region_stats.csv: %s: %w", s[0], err)
			}
		}
		r.PopulationMale, r.PopulationFemale, r.Population = nums[0], nums[1], nums[2]
		if r.AreaKm2, err = strconv.ParseFloat(s[6], 64); err != nil {
			return nil, "", fmt.Errorf("region_stats.csv: %s: %w", s[0], err)
		}
	}
	for _, p := range points { // code,lat,lng
		r, ok := byCode[p[0]]
		if !ok {
			return nil, "", fmt.Errorf("region_points.csv: unknown code %s", p[0])
		}
		if r.Lat, err = strconv.ParseFloat(p[1], 64); err != nil {
			return nil, "", fmt.Errorf("region_points.csv: %s: %w", p[0], err)
		}
		if r.Lng, err = strconv.ParseFloat(p[2], 64); err != nil {
			return nil, "", fmt.Errorf("region_points.csv: %s: %w", p[0], err)
		}
	}
	return out, hex.EncodeToString(h.Sum(nil))[:16], nil
}
