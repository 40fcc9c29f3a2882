package kolaborasi

import (
	"context"
	"slices"
	"strings"
	"time"
)

// RegionType is the administrative level of a region.
type RegionType string

// The three region levels Kolaborasi knows. Desa and kecamatan are not parties
// to cooperation agreements and are not modelled.
const (
	Province RegionType = "provinsi"
	Regency  RegionType = "kabupaten"
	City     RegionType = "kota"
)

// Valid reports whether t is one of the known region types.
func (t RegionType) Valid() bool {
	return t == Province || t == Regency || t == City
}

// Region is a province, kabupaten or kota identified by its Kemendagri code
// ("35.72" is Kota Blitar). Reference fields come from the embedded wilayah
// data set; Profile is edited by the region's own administrators.
type Region struct {
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	ShortName    string     `json:"short_name"`
	Type         RegionType `json:"type"`
	ProvinceCode string     `json:"province_code"`
	ProvinceName string     `json:"province_name"`
	// Autonomous is false for the six administrative units of DKI Jakarta,
	// which have no DPRD of their own and cannot be parties to agreements.
	Autonomous       bool    `json:"autonomous"`
	Population       int64   `json:"population"`
	PopulationMale   int64   `json:"population_male"`
	PopulationFemale int64   `json:"population_female"`
	AreaKm2          float64 `json:"area_km2"`
	Lat              float64 `json:"lat"`
	Lng              float64 `json:"lng"`

	Profile RegionProfile `json:"profile"`
}

// RegionProfile is the part of a region its administrators maintain.
type RegionProfile struct {
	// HeadTitle is the office of the head of region: "Wali Kota Blitar",
	// "Bupati Malang", "Gubernur Jawa Timur".
	HeadTitle string `json:"head_title"`
	Address   string `json:"address"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Website   string `json:"website"`
	// LogoSHA256 identifies the uploaded logo image; empty when none.
	LogoSHA256 string    `json:"logo_sha256,omitempty"`
	UpdatedAt  time.Time `json:"updated_at,omitzero"`
}

// Density returns people per square kilometre, or 0 when the area is unknown.
func (r *Region) Density() float64 {
	if r.AreaKm2 <= 0 {
		return 0
	}
	return float64(r.Population) / r.AreaKm2
}

// DefaultHeadTitle is the office title of a region's head derived from its
// type and name, used until the region sets its own.
func DefaultHeadTitle(t RegionType, name string) string {
	switch t {
	case City:
		return "Wali Kota " + strings.TrimPrefix(strings.TrimPrefix(name, "Kota Administrasi "), "Kota ")
	case Regency:
		return "Bupati " + strings.TrimPrefix(strings.TrimPrefix(name, "Kabupaten Administrasi "), "Kabupaten ")
	default:
		return "Gubernur " + name
	}
}

// ValidRegionCode reports whether code has the shape of a dotted Kemendagri
// code of a province ("35") or a kabupaten/kota ("35.72").
func ValidRegionCode(code string) bool {
	isDigits := func(s string) bool {
		return len(s) == 2 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
	}
	switch len(code) {
	case 2:
		return isDigits(code)
	case 5:
		return isDigits(code[:2]) && code[2] == '.' && isDigits(code[3:])
	}
	return false
}

// RegionFilter selects regions. Zero fields do not filter.
type RegionFilter struct {
	Type         RegionType
	ProvinceCode string
	Autonomous   *bool
	// Query matches a case-insensitive substring of the name.
	Query string
	// After is the code after which the page starts (keyset pagination).
	After string
	// Limit is the page size; 0 means no limit.
	Limit int
}

// OPDKind classifies a perangkat daerah.
type OPDKind string

// Kinds of perangkat daerah under PP 18/2016.
const (
	OPDSecretariat  OPDKind = "sekretariat"
	OPDInspectorate OPDKind = "inspektorat"
	OPDDinas        OPDKind = "dinas"
	OPDBadan        OPDKind = "badan"
	OPDKecamatan    OPDKind = "kecamatan"
	OPDOther        OPDKind = "lainnya"
)

// OPDKinds lists every OPD kind in display order.
var OPDKinds = []OPDKind{OPDSecretariat, OPDInspectorate, OPDDinas, OPDBadan, OPDKecamatan, OPDOther}

// Valid reports whether k is a known OPD kind.
func (k OPDKind) Valid() bool { return slices.Contains(OPDKinds, k) }

// OPD is a perangkat daerah: an agency of a region such as Diskominfo or
// Bappeda.
type OPD struct {
	ID         int64   `json:"id"`
	RegionCode string  `json:"region_code"`
	Name       string  `json:"name"`
	ShortName  string  `json:"short_name"`
	Kind       OPDKind `json:"kind"`
}

// RegionStore persists regions and their OPDs.
type RegionStore interface {
	// LoadRegions inserts or updates the reference fields of regions,
	// keeping profiles that administrators edited. It is idempotent.
	LoadRegions(ctx context.Context, regions []Region) error
	// FindRegion returns the region with the code or a not_found error.
	FindRegion(ctx context.Context, code string) (*Region, error)
	// FindRegions returns regions matching the filter, ordered by code.
	FindRegions(ctx context.Context, f RegionFilter) ([]*Region, error)
	// CountRegions counts the regions matching the filter (After and Limit
	// are ignored).
	CountRegions(ctx context.Context, f RegionFilter) (int, error)
	// UpdateRegionProfile replaces the profile of a region.
	UpdateRegionProfile(ctx context.Context, code string, p RegionProfile) error

	// FindOPDs returns the OPDs of a region ordered by kind and name.
	FindOPDs(ctx context.Context, regionCode string) ([]*OPD, error)
	// FindOPD returns the OPD with the ID or a not_found error.
	FindOPD(ctx context.Context, id int64) (*OPD, error)
	// CreateOPD stores a new OPD and sets its ID.
	CreateOPD(ctx context.Context, o *OPD) error
	// UpdateOPD updates the name, short name and kind of an OPD.
	UpdateOPD(ctx context.Context, o *OPD) error
	// DeleteOPD removes an OPD.
	DeleteOPD(ctx context.Context, id int64) error
}
