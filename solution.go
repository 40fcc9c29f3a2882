package kolaborasi

import (
	"context"
	"slices"
	"time"
)

// SolutionKind says what a region offers.
type SolutionKind string

// The kinds of solution.
const (
	// KindSoftware has code, a licence and platforms; publiccode.yml
	// describes it.
	KindSoftware SolutionKind = "software"
	// KindProgramme is a policy or practice (Blitar's ekonomi kerakyatan).
	KindProgramme SolutionKind = "programme"
	// KindService is a hosted service another region can join.
	KindService SolutionKind = "service"
)

// SolutionKinds lists the kinds in display order.
var SolutionKinds = []SolutionKind{KindSoftware, KindProgramme, KindService}

// Dimension is one of the six dimensions of Gerakan Menuju 100 Smart City.
type Dimension string

// The six smart-city dimensions.
const (
	DimGovernance  Dimension = "governance"
	DimBranding    Dimension = "branding"
	DimEconomy     Dimension = "economy"
	DimLiving      Dimension = "living"
	DimSociety     Dimension = "society"
	DimEnvironment Dimension = "environment"
)

// Dimensions lists the smart-city dimensions in display order.
var Dimensions = []Dimension{DimGovernance, DimBranding, DimEconomy, DimLiving, DimSociety, DimEnvironment}

// Sector is a field of government a solution serves.
type Sector string

// Sectors lists the sectors a solution may serve.
var Sectors = []Sector{"e-government", "umkm", "ekonomi-kreatif", "koperasi", "health", "education",
	"transport", "environment", "finance", "public-safety", "tourism", "other"}

// Maturity is how far a solution has come.
type Maturity string

// The maturity levels. A retired solution stays readable but is left out of
// searches unless asked for.
const (
	MaturityIdea    Maturity = "idea"
	MaturityPilot   Maturity = "pilot"
	MaturityLive    Maturity = "live"
	MaturityRetired Maturity = "retired"
)

// Maturities lists the maturity levels in order.
var Maturities = []Maturity{MaturityIdea, MaturityPilot, MaturityLive, MaturityRetired}

// ReuseTerm is a way another region may reuse a solution.
type ReuseTerm string

// The reuse terms.
const (
	// ReuseOpenLicence: take the code or material under its open licence.
	ReuseOpenLicence ReuseTerm = "open-licence"
	// ReuseHibah: a grant (hibah) of the asset under a cooperation agreement.
	ReuseHibah ReuseTerm = "hibah"
	// ReuseSharedService: join a hosted service the publisher runs.
	ReuseSharedService ReuseTerm = "shared-service"
)

// ReuseTerms lists the reuse terms.
var ReuseTerms = []ReuseTerm{ReuseOpenLicence, ReuseHibah, ReuseSharedService}

// Valid reports whether k is a known kind.
func (k SolutionKind) Valid() bool { return slices.Contains(SolutionKinds, k) }

// Valid reports whether d is a known dimension.
func (d Dimension) Valid() bool { return slices.Contains(Dimensions, d) }

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool { return slices.Contains(Sectors, s) }

// Valid reports whether m is a known maturity.
func (m Maturity) Valid() bool { return slices.Contains(Maturities, m) }

// Valid reports whether r is a known reuse term.
func (r ReuseTerm) Valid() bool { return slices.Contains(ReuseTerms, r) }

// Texts holds a text in Indonesian and in English; either may be empty.
type Texts struct {
	ID string `json:"id,omitempty"`
	EN string `json:"en,omitempty"`
}

// Get returns the text in lang ("id" or "en"), falling back to the other
// language when it is empty.
func (t Texts) Get(lang string) string {
	if lang == "en" && t.EN != "" || t.ID == "" {
		return t.EN
	}
	return t.ID
}

// LangOf returns the language of the text Get(lang) returns: lang itself,
// or the other language when the text falls back to it.
func (t Texts) LangOf(lang string) string {
	if lang == "en" && t.EN != "" || t.ID == "" {
		return "en"
	}
	return "id"
}

// Money is an amount in rupiah with where the figure comes from.
type Money struct {
	IDR    int64  `json:"idr"`
	Source string `json:"source,omitempty"`
}

// Claim is one piece of evidence: "growth 5.6 %/year in 2017", with its
// source: a description (Source), an address (SourceURL) or both.
type Claim struct {
	Text      string  `json:"text"`
	Value     float64 `json:"value,omitempty"`
	Unit      string  `json:"unit,omitempty"`
	Period    string  `json:"period,omitempty"`
	Source    string  `json:"source,omitempty"`
	SourceURL string  `json:"source_url,omitempty"`
}

// SolutionContact is a person or office to ask about a solution.
type SolutionContact struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// SolutionLinks are the addresses of a solution.
type SolutionLinks struct {
	Site string `json:"site,omitempty"`
	// Code is the code repository; for imported software it is the
	// publiccode.yml url and identifies the solution within its region.
	Code string `json:"code,omitempty"`
	Docs string `json:"docs,omitempty"`
}

// Solution is what a region offers for reuse: software, a programme or a
// hosted service.
type Solution struct {
	ID         int64        `json:"id"`
	Kind       SolutionKind `json:"kind"`
	RegionCode string       `json:"region_code"`
	// OPDID is the publishing perangkat daerah, 0 when none.
	OPDID       int64             `json:"opd_id,omitempty"`
	Name        Texts             `json:"name"`
	Short       Texts             `json:"short"`
	Long        Texts             `json:"long"`
	Dimensions  []Dimension       `json:"dimensions"`
	Sectors     []Sector          `json:"sectors"`
	Maturity    Maturity          `json:"maturity"`
	StartedYear int               `json:"started_year,omitempty"`
	CostBuild   Money             `json:"cost_build"`
	CostAdopt   Money             `json:"cost_adopt"`
	Evidence    []Claim           `json:"evidence,omitempty"`
	Contacts    []SolutionContact `json:"contacts,omitempty"`
	Links       SolutionLinks     `json:"links"`
	// Licence is an SPDX expression; software only.
	Licence   string      `json:"licence,omitempty"`
	Platforms []string    `json:"platforms,omitempty"`
	Reuse     []ReuseTerm `json:"reuse"`
	// LogoSHA256 and Screenshots name uploaded files (kolaborasi.File).
	LogoSHA256  string   `json:"logo_sha256,omitempty"`
	Screenshots []string `json:"screenshots,omitempty"`
	// PublicCode is the publiccode.yml the solution was last imported from,
	// kept verbatim so that export gives it back unchanged.
	PublicCode string `json:"publiccode,omitempty"`
	// Synthetic marks generated data (benchmarks, load tests).
	Synthetic bool `json:"synthetic,omitempty"`
	// Adoptions counts regions that adopted the solution (filled by K5).
	Adoptions int `json:"adoptions"`
	// Version counts saved versions; an update must name the version it
	// read, so concurrent edits conflict instead of overwriting.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// AuthorID and AuthorName record who saved this version.
	AuthorID   int64  `json:"author_id"`
	AuthorName string `json:"author_name"`

	// Terms are the analysed search terms of the texts, space-separated,
	// computed by the app with package search. Not shown.
	Terms string `json:"-"`
	// Seq is the change number of the transaction that last wrote the
	// solution's row (SolutionStore.SolutionSeq), set when it is read:
	// caches of decoded solutions check it. Not shown.
	Seq int64 `json:"-"`
}

// SolutionEntry is what an in-process search index keeps of a solution,
// read from the row's columns and its facet rows without decoding the
// stored document.
type SolutionEntry struct {
	ID        int64
	CreatedAt time.Time
	Adoptions int
	Maturity  Maturity
	// Facets are the stored facet values (FacetValues at the last write).
	Facets map[string][]string
	Terms  string
	// Seq is the row's change number.
	Seq int64
}

// Facet names, as used in SolutionFilter.Facets and SolutionPage.Facets.
const (
	FacetKind      = "kind"
	FacetDimension = "dimension"
	FacetSector    = "sector"
	FacetProvince  = "province"
	FacetRegion    = "region"
	FacetLicence   = "licence"
	FacetMaturity  = "maturity"
	FacetReuse     = "reuse"
)

// FacetNames lists the facets in display order.
var FacetNames = []string{FacetKind, FacetDimension, FacetSector, FacetProvince, FacetRegion, FacetLicence, FacetMaturity, FacetReuse}

// FacetValues returns the facet values of a solution: what it is counted
// under and filtered by.
func (s *Solution) FacetValues() map[string][]string {
	m := map[string][]string{
		FacetKind:     {string(s.Kind)},
		FacetRegion:   {s.RegionCode},
		FacetMaturity: {string(s.Maturity)},
	}
	if len(s.RegionCode) >= 2 {
		m[FacetProvince] = []string{s.RegionCode[:2]}
	}
	if s.Licence != "" {
		m[FacetLicence] = []string{s.Licence}
	}
	for _, d := range s.Dimensions {
		m[FacetDimension] = append(m[FacetDimension], string(d))
	}
	for _, x := range s.Sectors {
		m[FacetSector] = append(m[FacetSector], string(x))
	}
	for _, r := range s.Reuse {
		m[FacetReuse] = append(m[FacetReuse], string(r))
	}
	return m
}

// SolutionSort orders search results.
type SolutionSort string

// The orders of search results. Relevance needs a text query; without one
// it falls back to newest.
const (
	SortRelevance SolutionSort = "relevance"
	SortNewest    SolutionSort = "newest"
	SortAdopted   SolutionSort = "adopted"
)

// Valid reports whether s is a known order.
func (s SolutionSort) Valid() bool {
	return s == SortRelevance || s == SortNewest || s == SortAdopted
}

// TextQuery is an analysed full-text query (built by the app from a
// search.Query): a solution matches when it matches every clause.
type TextQuery struct {
	Clauses []TextClause
}

// TextClause holds when any alternative matches, or, when Negated, when
// none does (a negated clause has one alternative).
type TextClause struct {
	Negated bool
	// Alternatives are phrases: terms at consecutive positions.
	Alternatives [][]TextTerm
}

// TextTerm is one analysed term; Prefix matches every term starting with Text.
type TextTerm struct {
	Text   string
	Prefix bool
}

// SolutionFilter selects solutions.
type SolutionFilter struct {
	// Text is the full-text query; nil matches every solution.
	Text *TextQuery
	// Facets maps a facet name to the values to keep: any of the values of
	// one facet, all of the facets.
	Facets map[string][]string
	// IncludeRetired keeps retired solutions (left out by default unless
	// the maturity facet asks for them).
	IncludeRetired bool
	Sort           SolutionSort
	// Offset and Limit select the page.
	Offset, Limit int
	// NoFacets skips counting facets.
	NoFacets bool
}

// FacetCount is how many matching solutions have a facet value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SolutionPage is one page of search results.
type SolutionPage struct {
	Solutions []*Solution
	// Total counts every matching solution.
	Total int
	// Facets maps a facet name to its value counts over all matching
	// solutions, largest count first, then by value.
	Facets map[string][]FacetCount
}

// SolutionVersion is one saved version of a solution.
type SolutionVersion struct {
	Version    int       `json:"version"`
	At         time.Time `json:"at"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Solution   *Solution `json:"solution"`
}

// SolutionStore persists solutions, their history and their search index.
type SolutionStore interface {
	// CreateSolution stores a new solution as version 1 and sets its ID,
	// Version, CreatedAt (if zero) and UpdatedAt.
	CreateSolution(ctx context.Context, s *Solution) error
	// CreateSolutions stores many new solutions at once (the generator).
	CreateSolutions(ctx context.Context, ss []*Solution) error
	// UpdateSolution saves s as the next version; s.Version must be the
	// stored version (else conflict), and is incremented.
	UpdateSolution(ctx context.Context, s *Solution) error
	// FindSolution returns the solution or a not_found error.
	FindSolution(ctx context.Context, id int64) (*Solution, error)
	// FindSolutionByCode returns the region's solution whose code link is
	// url, or a not_found error.
	FindSolutionByCode(ctx context.Context, region, url string) (*Solution, error)
	// FindSolutionVersions returns the saved versions, newest first.
	FindSolutionVersions(ctx context.Context, id int64) ([]*SolutionVersion, error)
	// FindSolutionVersionLog returns the saved versions, newest first,
	// without their documents (Solution is nil): who saved which when.
	FindSolutionVersionLog(ctx context.Context, id int64) ([]*SolutionVersion, error)
	// SearchSolutions returns a page of matching solutions with facet counts.
	SearchSolutions(ctx context.Context, f SolutionFilter) (*SolutionPage, error)
	// FindSolutionsByID returns the solutions with the IDs, in that order,
	// leaving out IDs that do not exist.
	FindSolutionsByID(ctx context.Context, ids []int64) ([]*Solution, error)
	// FindSolutionIfChanged returns the solution unless its row still has
	// the change number known: then it returns nil without reading (or
	// decoding) the stored document. A missing solution is not_found.
	FindSolutionIfChanged(ctx context.Context, id, known int64) (*Solution, error)
	// FindSolutionWithRegion is FindSolutionIfChanged and FindRegion of
	// the solution's region, read together.
	FindSolutionWithRegion(ctx context.Context, id, known int64) (*Solution, *Region, error)
	// FindSolutionJSON returns the solution as stored now as a JSON object
	// (the members encoding/json makes of the Solution FindSolution
	// returns, possibly in another order, <, > and & not escaped) and its
	// version, without decoding the stored document. A missing solution is
	// not_found.
	FindSolutionJSON(ctx context.Context, id int64) (doc []byte, version int, err error)

	// SolutionSeq returns the change counter of solutions: every
	// transaction that writes solutions (adoption counts included) raises
	// it and stamps its rows with the new value, and numbers become
	// visible in order.
	SolutionSeq(ctx context.Context) (int64, error)
	// EachSolutionEntryChangedAfter calls fn for the index entry of every
	// solution whose change number is above seq (all of them for 0), in
	// ID order. The rows and their facets are read in one transaction
	// (one committed state of the database), from columns only.
	EachSolutionEntryChangedAfter(ctx context.Context, seq int64, fn func(e *SolutionEntry) error) error
	// ReanalyseSolutions replaces the search terms of every solution with
	// terms(s), in batches of transactions that each raise the change
	// counter, and returns how many solutions it rewrote. The data,
	// version and history stay as they are; a solution saved meanwhile
	// keeps the terms its writer stored.
	ReanalyseSolutions(ctx context.Context, terms func(*Solution) string) (int, error)
}
