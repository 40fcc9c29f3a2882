package kolaborasi

import (
	"context"
	"strings"
	"time"
)

// Region sets of a composite index: which regions it ranks.
const (
	RegionSetKota      = "kota"      // every kota
	RegionSetKabupaten = "kabupaten" // every kabupaten
	RegionSetAll       = "all"       // every kabupaten and kota
	RegionSetList      = "list"      // the regions of CompositeIndex.RegionList
	// RegionSetProvincePrefix starts "province:NN": the kabupaten and kota
	// of province NN.
	RegionSetProvincePrefix = "province:"
)

// IndexComponent is one indicator of a composite index with its weight;
// the direction comes from the indicator.
type IndexComponent struct {
	Indicator string  `json:"indicator"`
	Weight    float64 `json:"weight"`
}

// CompositeIndex is a named, weighted set of indicators ranking a set of
// regions per period (package rank computes it). Platform administrators
// and national observers define them.
type CompositeIndex struct {
	// Slug identifies the index in addresses: 2 to 64 lower-case letters,
	// digits and '-', starting with a letter.
	Slug string `json:"slug"`
	// Version counts the saved changes; an update must name the version
	// it changes.
	Version     int              `json:"version"`
	Name        Texts            `json:"name"`
	Description Texts            `json:"description"`
	Components  []IndexComponent `json:"components"`
	// Normalisation is "minmax" or "zscore", Missing "exclude", "reweight"
	// or "mean", MinCoverage the least covered weight share (0..1] under
	// reweight and mean (see package rank).
	Normalisation string  `json:"normalisation"`
	Missing       string  `json:"missing"`
	MinCoverage   float64 `json:"min_coverage,omitempty"`
	// RegionSet is one of RegionSetKota, RegionSetKabupaten, RegionSetAll,
	// "province:NN" or RegionSetList (then RegionList names the regions).
	RegionSet  string   `json:"region_set"`
	RegionList []string `json:"region_list,omitempty"`
	// Synthetic marks an index over generated data (the demo).
	Synthetic bool `json:"synthetic,omitempty"`
	// Note is a free remark shown with the index (sources of a story).
	Note          Texts     `json:"note"`
	CreatedByName string    `json:"created_by_name,omitempty"`
	UpdatedByName string    `json:"updated_by_name,omitempty"`
	CreatedAt     time.Time `json:"created_at,omitzero"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
}

// ProvinceOfSet returns the province code of a "province:NN" region set.
func ProvinceOfSet(set string) (string, bool) {
	if p, ok := strings.CutPrefix(set, RegionSetProvincePrefix); ok && len(p) == 2 && isDigit(p[0]) && isDigit(p[1]) {
		return p, true
	}
	return "", false
}

// ValidIndexSlug reports whether s has the shape of a composite index slug.
func ValidIndexSlug(s string) bool {
	if len(s) < 2 || len(s) > 64 || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// RankingStore persists composite indices and reads what rankings need.
type RankingStore interface {
	// CreateCompositeIndex stores a new index (conflict when the slug is
	// taken) with version 1.
	CreateCompositeIndex(ctx context.Context, ci *CompositeIndex) error
	// UpdateCompositeIndex replaces the index whose version is ci.Version
	// and increments it; conflict when the stored version differs,
	// not_found when missing.
	UpdateCompositeIndex(ctx context.Context, ci *CompositeIndex) error
	// DeleteCompositeIndex removes an index (not_found when missing).
	DeleteCompositeIndex(ctx context.Context, slug string) error
	// CompositeIndex returns one index (not_found when missing).
	CompositeIndex(ctx context.Context, slug string) (*CompositeIndex, error)
	// CompositeIndices returns every index ordered by slug.
	CompositeIndices(ctx context.Context) ([]*CompositeIndex, error)
	// IndicatorValues calls fn for every observation of the indicators, in
	// one query, ordered by indicator, region and period.
	IndicatorValues(ctx context.Context, indicators []string, fn func(region, indicator, period string, value float64) error) error
	// ObservationsVersion is a counter that grows with every write of
	// observations, for caches of what is computed from them.
	ObservationsVersion(ctx context.Context) (int64, error)
}
