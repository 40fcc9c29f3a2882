package kolaborasi

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Framework is the measurement framework an indicator belongs to. Only the
// names and codes of the ISO standards are used, never their text.
type Framework string

// The frameworks Kolaborasi knows.
const (
	FrameworkISO37120 Framework = "iso37120" // ISO 37120 Sustainable cities and communities
	FrameworkISO37122 Framework = "iso37122" // ISO 37122 Indicators for smart cities
	FrameworkU4SSC    Framework = "u4ssc"    // ITU United for Smart Sustainable Cities KPIs
	FrameworkSPBE     Framework = "spbe"     // Indeks SPBE (KemenPAN-RB)
	FrameworkIKCI     Framework = "ikci"     // Indeks Kota Cerdas Indonesia
	FrameworkBPS      Framework = "bps"      // Badan Pusat Statistik
	FrameworkCustom   Framework = "custom"   // defined on the platform
)

// Frameworks lists the frameworks in display order.
var Frameworks = []Framework{FrameworkBPS, FrameworkSPBE, FrameworkIKCI, FrameworkISO37120, FrameworkISO37122, FrameworkU4SSC, FrameworkCustom}

// Valid reports whether f is a known framework.
func (f Framework) Valid() bool { return slices.Contains(Frameworks, f) }

// Direction says which way an indicator improves.
type Direction string

// The directions.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// Valid reports whether d is a known direction.
func (d Direction) Valid() bool { return d == HigherIsBetter || d == LowerIsBetter }

// PeriodKind is the length of an indicator's periods. Every indicator has
// exactly one kind: its observations are all yearly, all quarterly or all
// monthly, so its series sort and compare without conversion.
type PeriodKind string

// The period kinds.
const (
	Yearly    PeriodKind = "year"
	Quarterly PeriodKind = "quarter"
	Monthly   PeriodKind = "month"
)

// Valid reports whether k is a known period kind.
func (k PeriodKind) Valid() bool { return k == Yearly || k == Quarterly || k == Monthly }

// Indicator is the definition of something measured per region: "Laju
// pertumbuhan ekonomi" in percent per year, higher is better.
// Indicators are platform-wide: platform administrators define them (the
// framework "custom" is for the platform's own), and every region reports
// against the same definitions so that regions can be compared.
type Indicator struct {
	// Code identifies the indicator: lower-case letters, digits, '-' and
	// '.', for example "bps.pertumbuhan-ekonomi".
	Code      string    `json:"code"`
	Framework Framework `json:"framework"`
	// FrameworkCode is the framework's own code where it has one
	// ("ISO 37120 5.1").
	FrameworkCode string `json:"framework_code,omitempty"`
	Name          Texts  `json:"name"`
	// Theme is the indicator's topic ("ekonomi", "pemerintahan").
	Theme string `json:"theme,omitempty"`
	// Dimension is the smart-city dimension it measures, if any.
	Dimension   Dimension  `json:"dimension,omitempty"`
	Unit        string     `json:"unit"`
	Direction   Direction  `json:"direction"`
	PeriodKind  PeriodKind `json:"period_kind"`
	Description Texts      `json:"description"`
	// Source is who publishes the figures (BPS, KemenPAN-RB, ...);
	// SourceURL where.
	Source    string    `json:"source"`
	SourceURL string    `json:"source_url,omitempty"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// ValidIndicatorCode reports whether code has the shape of an indicator
// code: 2 to 64 characters of a-z, 0-9, '-', '_' and '.', starting with a
// letter.
func ValidIndicatorCode(code string) bool {
	if len(code) < 2 || len(code) > 64 || code[0] < 'a' || code[0] > 'z' {
		return false
	}
	for _, c := range []byte(code) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Period is a year ("2024"), a quarter ("2024-Q1") or a month ("2024-03").
// Its zero value is no period.
type Period struct {
	Kind PeriodKind
	Year int
	// Part is the quarter (1–4) or month (1–12); 0 for a year.
	Part int
}

// ParsePeriod reads a period in its canonical form: "2024", "2024-Q1"
// (also "2024-q1") or "2024-03". Years run from 1900 to 2199.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a period: write a year (2024), a quarter (2024-Q1) or a month (2024-03)", s)
	if len(s) < 4 {
		return Period{}, bad
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil || year < 1900 || year > 2199 || s[0] == '+' || s[0] == '-' {
		return Period{}, bad
	}
	rest := s[4:]
	switch {
	case rest == "":
		return Period{Kind: Yearly, Year: year}, nil
	case len(rest) == 3 && rest[0] == '-' && (rest[1] == 'Q' || rest[1] == 'q') && rest[2] >= '1' && rest[2] <= '4':
		return Period{Kind: Quarterly, Year: year, Part: int(rest[2] - '0')}, nil
	case len(rest) == 3 && rest[0] == '-' && isDigit(rest[1]) && isDigit(rest[2]):
		m := int(rest[1]-'0')*10 + int(rest[2]-'0')
		if m >= 1 && m <= 12 {
			return Period{Kind: Monthly, Year: year, Part: m}, nil
		}
	}
	return Period{}, bad
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ParsePeriodAs reads a period of the given kind. Besides the canonical
// forms it accepts a date "2024-03-15" (as a spreadsheet's date cell gives
// it), which stands for the period of that kind containing the date.
func ParsePeriodAs(kind PeriodKind, s string) (Period, error) {
	s = strings.TrimSpace(s)
	if len(s) == 10 {
		if d, err := time.Parse(time.DateOnly, s); err == nil && d.Year() >= 1900 && d.Year() <= 2199 {
			return PeriodOf(kind, d), nil
		}
	}
	p, err := ParsePeriod(s)
	if err != nil {
		return p, err
	}
	if p.Kind != kind {
		return Period{}, fmt.Errorf("%q is a %s, but this indicator is reported per %s", s, p.Kind, kind)
	}
	return p, nil
}

// PeriodOf returns the period of the kind that contains the day d.
func PeriodOf(kind PeriodKind, d time.Time) Period {
	switch kind {
	case Quarterly:
		return Period{Kind: Quarterly, Year: d.Year(), Part: (int(d.Month())-1)/3 + 1}
	case Monthly:
		return Period{Kind: Monthly, Year: d.Year(), Part: int(d.Month())}
	}
	return Period{Kind: Yearly, Year: d.Year()}
}

// String returns the canonical form; periods of one kind sort by it.
func (p Period) String() string {
	switch p.Kind {
	case Yearly:
		return fmt.Sprintf("%04d", p.Year)
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.Part)
	case Monthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Part)
	}
	return ""
}

// IsZero reports whether p is no period.
func (p Period) IsZero() bool { return p.Kind == "" }

// Start returns the first day of the period.
func (p Period) Start() time.Time {
	month := 1
	switch p.Kind {
	case Quarterly:
		month = (p.Part-1)*3 + 1
	case Monthly:
		month = p.Part
	}
	return time.Date(p.Year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
}

// Compare orders periods by their start, and a longer period before a
// shorter one starting on the same day (2024 before 2024-Q1 before
// 2024-01).
func (p Period) Compare(q Period) int {
	if c := p.Start().Compare(q.Start()); c != 0 {
		return c
	}
	rank := map[PeriodKind]int{Yearly: 0, Quarterly: 1, Monthly: 2}
	return rank[p.Kind] - rank[q.Kind]
}

// Observation is one value of an indicator for a region and period.
type Observation struct {
	RegionCode string  `json:"region_code"`
	Indicator  string  `json:"indicator"`
	Period     string  `json:"period"`
	Value      float64 `json:"value"`
	Source     string  `json:"source,omitempty"`
	Note       string  `json:"note,omitempty"`
	// RecordedBy is the account that last changed the value (0 for the
	// System actor); RecordedAt when.
	RecordedBy     int64     `json:"recorded_by,omitempty"`
	RecordedByName string    `json:"recorded_by_name,omitempty"`
	RecordedAt     time.Time `json:"recorded_at,omitzero"`
}

// ObservationKey identifies an observation.
type ObservationKey struct {
	RegionCode, Indicator, Period string
}

// Key returns the observation's key.
func (o *Observation) Key() ObservationKey {
	return ObservationKey{RegionCode: o.RegionCode, Indicator: o.Indicator, Period: o.Period}
}

// ObservationFilter selects observations. Zero fields do not filter. From
// and To bound the period inclusively, compared as canonical period text
// (meaningful within one indicator, whose periods are of one kind).
type ObservationFilter struct {
	Indicator    string
	Region       string
	ProvinceCode string
	From, To     string
	// Limit caps the number returned; 0 means no cap.
	Limit int
}

// IndicatorStore persists indicators and observations.
type IndicatorStore interface {
	// PutIndicator creates or replaces the indicator with its code.
	PutIndicator(ctx context.Context, ind *Indicator) error
	// Indicator returns one indicator (not_found when missing).
	Indicator(ctx context.Context, code string) (*Indicator, error)
	// Indicators returns every indicator ordered by framework then code.
	Indicators(ctx context.Context) ([]*Indicator, error)
	// ExistingObservations returns the stored observations among keys.
	ExistingObservations(ctx context.Context, keys []ObservationKey) (map[ObservationKey]*Observation, error)
	// UpsertObservations writes the observations, replacing those with the
	// same region, indicator and period.
	UpsertObservations(ctx context.Context, obs []*Observation) error
	// Observations calls fn for each observation the filter selects, ordered
	// by indicator, region and period; an error from fn stops it.
	Observations(ctx context.Context, f ObservationFilter, fn func(*Observation) error) error
	// LatestObservations returns, for each indicator with a value for the
	// region, its observation of the latest period, ordered by indicator.
	LatestObservations(ctx context.Context, region string) ([]*Observation, error)
}
