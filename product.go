package kolaborasi

import (
	"context"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ProducerKind is what kind of business makes products (K6).
type ProducerKind string

// The kinds of producer.
const (
	// ProducerUMKM is a micro, small or medium enterprise (PP 7/2021).
	ProducerUMKM ProducerKind = "umkm"
	// ProducerCreative is a creative-economy business in one of the 17
	// subsectors of Bekraf/Kemenparekraf.
	ProducerCreative ProducerKind = "creative"
	// ProducerCooperative is a koperasi (UU 25/1992).
	ProducerCooperative ProducerKind = "cooperative"
)

// ProducerKinds lists the kinds in display order.
var ProducerKinds = []ProducerKind{ProducerUMKM, ProducerCreative, ProducerCooperative}

// Valid reports whether k is a known kind.
func (k ProducerKind) Valid() bool { return slices.Contains(ProducerKinds, k) }

// UMKMClass is the size class of an UMKM.
type UMKMClass string

// The size classes of PP 7/2021 Pasal 35.
const (
	UMKMMicro  UMKMClass = "micro"
	UMKMSmall  UMKMClass = "small"
	UMKMMedium UMKMClass = "medium"
)

// UMKMClasses lists the size classes in order.
var UMKMClasses = []UMKMClass{UMKMMicro, UMKMSmall, UMKMMedium}

// The thresholds of PP 7/2021 Pasal 35, in rupiah: business capital (modal
// usaha, excluding land and buildings) and annual sales (hasil penjualan
// tahunan). Each bound is inclusive for the class below it.
const (
	microMaxCapital  = 1_000_000_000
	smallMaxCapital  = 5_000_000_000
	mediumMaxCapital = 10_000_000_000
	microMaxSales    = 2_000_000_000
	smallMaxSales    = 15_000_000_000
	mediumMaxSales   = 50_000_000_000
)

// UMKMClassOf derives the size class from the figures entered (either may
// be 0 when not given, not both). Rule: each figure gives a class by the
// thresholds of PP 7/2021 Pasal 35 (micro ≤ Rp1 miliar modal or ≤ Rp2
// miliar sales; kecil > Rp1–5 miliar modal or > Rp2–15 miliar sales;
// menengah > Rp5–10 miliar modal or > Rp15–50 miliar sales), and the
// business gets the larger of the classes, so that a business is never
// shown smaller than one of its figures says. ok is false when no figure is
// given or a figure is above the menengah bounds (a large business, not an
// UMKM).
func UMKMClassOf(capital, sales int64) (class UMKMClass, ok bool) {
	if capital <= 0 && sales <= 0 {
		return "", false
	}
	rank := func(v, micro, small, medium int64) int {
		switch {
		case v <= 0:
			return -1
		case v <= micro:
			return 0
		case v <= small:
			return 1
		case v <= medium:
			return 2
		}
		return 3
	}
	r := max(rank(capital, microMaxCapital, smallMaxCapital, mediumMaxCapital),
		rank(sales, microMaxSales, smallMaxSales, mediumMaxSales))
	if r > 2 {
		return "", false
	}
	return UMKMClasses[r], true
}

// CreativeSubsectors are the 17 subsectors of the creative economy of
// Bekraf/Kemenparekraf (Perpres 72/2015).
var CreativeSubsectors = []string{"app", "game", "architecture", "interior-design", "visual-communication-design",
	"product-design", "fashion", "film-animation-video", "photography", "craft", "culinary", "music",
	"publishing", "advertising", "performing-arts", "fine-arts", "television-radio"}

// CooperativeTypes are the types of koperasi of UU 25/1992 Pasal 16.
var CooperativeTypes = []string{"consumer", "producer", "savings-loan", "marketing", "service"}

// MinCooperativeMembers is the least number of members of a primary
// koperasi (UU 25/1992 Pasal 6 as amended by UU 6/2023, Cipta Kerja: 9).
const MinCooperativeMembers = 9

// Verification is the state of a producer's verification by its region.
type Verification string

// The verification states.
const (
	Unverified Verification = "unverified"
	// Verified: checked by the region (Dinas Koperasi & UMKM).
	Verified Verification = "verified"
)

// ProducerContact is how to reach a producer.
type ProducerContact struct {
	// Phone is stored normalised as +62… (NormalisePhone).
	Phone        string   `json:"phone,omitempty"`
	Email        string   `json:"email,omitempty"`
	Marketplaces []string `json:"marketplaces,omitempty"`
}

// Producer is a business that makes products: an UMKM, a creative-economy
// business or a cooperative, in a region.
type Producer struct {
	ID         int64        `json:"id"`
	RegionCode string       `json:"region_code"`
	Kind       ProducerKind `json:"kind"`
	Name       string       `json:"name"`
	About      Texts        `json:"about"`
	// Capital and Sales (rupiah) give an UMKM's Class (UMKMClassOf).
	Capital int64     `json:"capital_idr,omitempty"`
	Sales   int64     `json:"annual_sales_idr,omitempty"`
	Class   UMKMClass `json:"umkm_class,omitempty"`
	// Subsector is a creative business's subsector (CreativeSubsectors).
	Subsector string `json:"subsector,omitempty"`
	// CoopType and Members describe a cooperative.
	CoopType     string          `json:"cooperative_type,omitempty"`
	Members      int             `json:"members,omitempty"`
	Contact      ProducerContact `json:"contact"`
	Verification Verification    `json:"verification"`
	VerifiedByID int64           `json:"verified_by_id,omitempty"`
	VerifiedBy   string          `json:"verified_by,omitempty"`
	VerifiedAt   time.Time       `json:"verified_at,omitzero"`
	Synthetic    bool            `json:"synthetic,omitempty"`
	Version      int             `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
}

// WhatsApp returns the wa.me link of the producer's phone when it is a
// mobile number, else "".
func (p *Producer) WhatsApp() string { return WhatsAppLink(p.Contact.Phone) }

// Check validates a producer and fills its derived fields (Class, the
// normalised phone). It returns field messages for what is wrong.
func (p *Producer) Check() map[string]string {
	fields := map[string]string{}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		fields["name"] = "required"
	}
	if !ValidRegionCode(p.RegionCode) {
		fields["region_code"] = "not a region code"
	}
	if p.Capital < 0 {
		fields["capital_idr"] = "must not be negative"
	}
	if p.Sales < 0 {
		fields["annual_sales_idr"] = "must not be negative"
	}
	p.Class = ""
	switch p.Kind {
	case ProducerUMKM:
		c, ok := UMKMClassOf(p.Capital, p.Sales)
		switch {
		case p.Capital <= 0 && p.Sales <= 0:
			fields["capital_idr"] = "enter the business capital or the annual sales"
		case !ok:
			fields["capital_idr"] = "above the bounds of a medium enterprise (PP 7/2021)"
		}
		p.Class = c
	case ProducerCreative:
		if !slices.Contains(CreativeSubsectors, p.Subsector) {
			fields["subsector"] = "choose one of the 17 subsectors"
		}
	case ProducerCooperative:
		if !slices.Contains(CooperativeTypes, p.CoopType) {
			fields["cooperative_type"] = "choose a type of cooperative"
		}
		if p.Members < MinCooperativeMembers {
			fields["members"] = "a cooperative has at least 9 members"
		}
	default:
		fields["kind"] = "unknown kind"
	}
	if p.Kind != ProducerCreative {
		p.Subsector = ""
	}
	if p.Kind != ProducerCooperative {
		p.CoopType, p.Members = "", 0
	}
	if p.Contact.Phone != "" {
		if n, ok := NormalisePhone(p.Contact.Phone); ok {
			p.Contact.Phone = n
		} else {
			fields["phone"] = "not an Indonesian phone number"
		}
	}
	if e := strings.TrimSpace(p.Contact.Email); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e {
			fields["email"] = "not an e-mail address"
		}
		p.Contact.Email = e
	}
	for _, m := range p.Contact.Marketplaces {
		if u, err := url.Parse(m); err != nil || u.Scheme != "https" || u.Host == "" {
			fields["marketplaces"] = "each link must be an https address"
		}
	}
	if p.Verification == "" {
		p.Verification = Unverified
	}
	return fields
}

// NormalisePhone reads an Indonesian phone number written as 0…, 62… or
// +62… with spaces, dots, dashes or brackets, and returns it as +62…. The
// national number (after the trunk 0) has 8 to 12 digits and starts with
// 1–9: an area code and subscriber number, or a mobile number 8xx.
func NormalisePhone(s string) (string, bool) {
	var d strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			d.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := d.String()
	switch {
	case strings.HasPrefix(s, "+") || strings.HasPrefix(n, "62"):
		if !strings.HasPrefix(n, "62") {
			return "", false
		}
		n = n[2:]
	case strings.HasPrefix(n, "0"):
		n = n[1:]
	default:
		return "", false
	}
	if len(n) < 8 || len(n) > 12 || n[0] == '0' {
		return "", false
	}
	return "+62" + n, true
}

// WhatsAppLink returns https://wa.me/62… for a normalised Indonesian mobile
// number (+628…), else "".
func WhatsAppLink(phone string) string {
	if !strings.HasPrefix(phone, "+628") {
		return ""
	}
	return "https://wa.me/" + phone[1:]
}

// ProductCategory is one of a fixed list of product categories.
type ProductCategory string

// ProductCategories lists the categories.
var ProductCategories = []ProductCategory{"food", "beverage", "craft", "fashion", "batik-textile", "furniture",
	"beauty", "agriculture", "fishery", "souvenir", "creative-media", "service", "other"}

// Valid reports whether c is a known category.
func (c ProductCategory) Valid() bool { return slices.Contains(ProductCategories, c) }

// Availability says whether a product can be ordered.
type Availability string

// The availabilities.
const (
	Available   Availability = "available"
	PreOrder    Availability = "preorder"
	Unavailable Availability = "unavailable"
)

// Availabilities lists them in display order.
var Availabilities = []Availability{Available, PreOrder, Unavailable}

// CertKind is a kind of product certification.
type CertKind string

// The certifications a product may carry.
const (
	CertHalal CertKind = "halal"
	CertPIRT  CertKind = "pirt"
	CertBPOM  CertKind = "bpom"
	CertSNI   CertKind = "sni"
)

// CertKinds lists the certification kinds.
var CertKinds = []CertKind{CertHalal, CertPIRT, CertBPOM, CertSNI}

// Certification is a certificate a product carries: its kind, number and
// the last day it is valid ("" when none is stated).
type Certification struct {
	Kind       CertKind `json:"kind"`
	Number     string   `json:"number"`
	ValidUntil string   `json:"valid_until,omitempty"`
	// Problem is what is wrong with it on the day it is read (Flag); set
	// by the app when it hands a product out, never stored.
	Problem CertFlag `json:"flag,omitempty"`
}

// CertFlag is what is wrong with a certification as entered.
type CertFlag string

// The flags of a certification; "" is none.
const (
	CertMalformed CertFlag = "malformed"
	CertExpired   CertFlag = "expired"
)

// ParseCertNumber checks a certification number's format and returns it in
// canonical form. The formats checked:
//   - pirt: SPP-IRT/P-IRT number, 15 digits (spaces, dots and dashes are
//     ignored; "P-IRT", "PIRT" and "No." prefixes are dropped).
//   - bpom: BPOM RI registration of processed food, "MD" (domestic) or
//     "ML" (imported) followed by 12 digits ("BPOM RI" prefix dropped).
//   - halal: a BPJPH certificate ID, "ID" followed by 17 digits, or an MUI
//     certificate number of 14 digits issued before BPJPH took over (2019).
//   - sni: an SNI designation "SNI" number[.part][-part]:year, e.g.
//     "SNI 3140.3:2010" (the standard the product is certified to).
//
// ok is false for any other form.
func ParseCertNumber(kind CertKind, s string) (canonical string, ok bool) {
	u := strings.ToUpper(strings.TrimSpace(s))
	strip := func(u string, prefixes ...string) string {
		for _, p := range prefixes {
			u = strings.TrimSpace(strings.TrimPrefix(u, p))
		}
		return u
	}
	compact := func(u string) string {
		return strings.NewReplacer(" ", "", ".", "", "-", "").Replace(u)
	}
	switch kind {
	case CertPIRT:
		n := compact(strip(u, "P-IRT", "PIRT", "SPP-IRT", "NO.", "NO"))
		if len(n) == 15 && allDigits(n) {
			return n, true
		}
	case CertBPOM:
		n := compact(strip(u, "BPOM", "RI"))
		if len(n) == 14 && (strings.HasPrefix(n, "MD") || strings.HasPrefix(n, "ML")) && allDigits(n[2:]) {
			return n, true
		}
	case CertHalal:
		n := compact(u)
		if len(n) == 19 && strings.HasPrefix(n, "ID") && allDigits(n[2:]) || len(n) == 14 && allDigits(n) {
			return n, true
		}
	case CertSNI:
		n := strings.Join(strings.Fields(strip(u, "SNI")), "")
		num, year, found := strings.Cut(n, ":")
		if !found || len(year) != 4 || !allDigits(year) || year < "1970" || num == "" {
			return "", false
		}
		prev := '.'
		for _, r := range num {
			if !(r >= '0' && r <= '9') && (r != '.' && r != '-' || prev == '.' || prev == '-') {
				return "", false
			}
			prev = r
		}
		if prev == '.' || prev == '-' || num[0] < '0' || num[0] > '9' {
			return "", false
		}
		return "SNI " + num + ":" + year, true
	}
	return "", false
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Flag returns what is wrong with the certification on day today
// ("YYYY-MM-DD"): a malformed number first, then an expired date.
func (c Certification) Flag(today string) CertFlag {
	if _, ok := ParseCertNumber(c.Kind, c.Number); !ok {
		return CertMalformed
	}
	if c.ValidUntil != "" && c.ValidUntil < today {
		return CertExpired
	}
	return ""
}

// ProductPhoto is an uploaded photo: thumbnails re-encoded from it (the
// original is not kept, so its metadata is gone).
type ProductPhoto struct {
	// Small is about 320 px wide, Large about 960 px; both kolaborasi.File
	// hashes.
	Small  string `json:"small"`
	Large  string `json:"large"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// Product is a region's product, made by one producer.
type Product struct {
	ID         int64 `json:"id"`
	ProducerID int64 `json:"producer_id"`
	// RegionCode and ProducerKind are the producer's, copied on save.
	RegionCode   string          `json:"region_code"`
	ProducerKind ProducerKind    `json:"producer_kind"`
	Name         Texts           `json:"name"`
	Description  Texts           `json:"description"`
	Category     ProductCategory `json:"category"`
	// PriceMin and PriceMax are the price range in rupiah per Unit.
	PriceMin       int64           `json:"price_min_idr"`
	PriceMax       int64           `json:"price_max_idr"`
	Unit           string          `json:"unit"`
	Certifications []Certification `json:"certifications"`
	Photos         []ProductPhoto  `json:"photos"`
	Availability   Availability    `json:"availability"`
	Synthetic      bool            `json:"synthetic,omitempty"`
	Version        int             `json:"version"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	// Terms are the analysed search terms, computed by the app. Not shown.
	Terms string `json:"-"`
}

// Check validates a product's own fields (not its producer) and returns
// field messages for what is wrong. Certification numbers of a known kind
// are kept as entered, even when malformed: they are flagged (Flag), not
// refused, so that the region sees what the producer claims.
func (p *Product) Check() map[string]string {
	fields := map[string]string{}
	p.Name.ID, p.Name.EN = strings.TrimSpace(p.Name.ID), strings.TrimSpace(p.Name.EN)
	if p.Name.ID == "" && p.Name.EN == "" {
		fields["name"] = "required"
	}
	if !p.Category.Valid() {
		fields["category"] = "choose a category"
	}
	if p.PriceMin < 0 || p.PriceMax < 0 {
		fields["price"] = "must not be negative"
	} else if p.PriceMax != 0 && p.PriceMax < p.PriceMin {
		fields["price"] = "the highest price is below the lowest"
	}
	if p.PriceMax == 0 {
		p.PriceMax = p.PriceMin
	}
	p.Unit = strings.TrimSpace(p.Unit)
	if p.Unit == "" {
		fields["unit"] = "required"
	}
	if p.Availability == "" {
		p.Availability = Available
	}
	if !slices.Contains(Availabilities, p.Availability) {
		fields["availability"] = "unknown availability"
	}
	for i := range p.Certifications {
		c := &p.Certifications[i]
		c.Number, c.Problem = strings.TrimSpace(c.Number), ""
		if !slices.Contains(CertKinds, c.Kind) {
			fields["certifications"] = "unknown kind of certification"
		} else if c.Number == "" {
			fields["certifications"] = "a certification needs its number"
		}
		if c.ValidUntil != "" {
			if _, err := time.Parse(time.DateOnly, c.ValidUntil); err != nil {
				fields["certifications"] = "dates are written YYYY-MM-DD"
			}
		}
	}
	if len(p.Photos) > MaxProductPhotos {
		fields["photos"] = "too many photos"
	}
	return fields
}

// MaxProductPhotos bounds the photos of a product.
const MaxProductPhotos = 8

// Product facet names (ProductFilter.Facets).
const (
	FacetCategory      = "category"
	FacetCertification = "certification"
	FacetProducerKind  = "producer_kind"
)

// ProductFacetNames lists the product facets in display order.
var ProductFacetNames = []string{FacetCategory, FacetProvince, FacetRegion, FacetCertification, FacetProducerKind}

// FacetValues returns the facet values of a product. A certification counts
// under its kind only when its number is well-formed; the date is not
// considered (it changes with the day, the index does not).
func (p *Product) FacetValues() map[string][]string {
	m := map[string][]string{
		FacetCategory:     {string(p.Category)},
		FacetRegion:       {p.RegionCode},
		FacetProducerKind: {string(p.ProducerKind)},
	}
	if len(p.RegionCode) >= 2 {
		m[FacetProvince] = []string{p.RegionCode[:2]}
	}
	for _, c := range p.Certifications {
		if _, ok := ParseCertNumber(c.Kind, c.Number); ok && !slices.Contains(m[FacetCertification], string(c.Kind)) {
			m[FacetCertification] = append(m[FacetCertification], string(c.Kind))
		}
	}
	return m
}

// ProductFilter selects products: the same text query and facets as
// solutions, newest first or by relevance.
type ProductFilter struct {
	Text   *TextQuery
	Facets map[string][]string
	// Sort is SortNewest or SortRelevance.
	Sort          SolutionSort
	Offset, Limit int
	NoFacets      bool
}

// ProductPage is one page of products with facet counts.
type ProductPage struct {
	Products []*Product
	Total    int
	Facets   map[string][]FacetCount
}

// Feature is a product a region shows in its showcase as a partner
// region's product, under an agreement between the two.
type Feature struct {
	RegionCode  string    `json:"region_code"`
	ProductID   int64     `json:"product_id"`
	AgreementID int64     `json:"agreement_id"`
	ByID        int64     `json:"by_id"`
	ByName      string    `json:"by_name"`
	At          time.Time `json:"at"`
}

// ProductStore persists producers, products and featured products.
type ProductStore interface {
	// CreateProducer stores a new producer and sets ID, Version 1 and times.
	CreateProducer(ctx context.Context, p *Producer) error
	// UpdateProducer saves p; p.Version must be the stored one (else
	// conflict) and is incremented.
	UpdateProducer(ctx context.Context, p *Producer) error
	FindProducer(ctx context.Context, id int64) (*Producer, error)
	// FindProducers lists a region's producers by name.
	FindProducers(ctx context.Context, region string) ([]*Producer, error)

	// CreateProduct stores a new product and sets ID, Version 1 and times.
	CreateProduct(ctx context.Context, p *Product) error
	// UpdateProduct saves p; p.Version must be the stored one (else
	// conflict) and is incremented.
	UpdateProduct(ctx context.Context, p *Product) error
	FindProduct(ctx context.Context, id int64) (*Product, error)
	// FindProductsByID returns the products in the order of ids, leaving
	// out missing ones.
	FindProductsByID(ctx context.Context, ids []int64) ([]*Product, error)
	// SearchProducts returns a page of matching products with facet counts.
	SearchProducts(ctx context.Context, f ProductFilter) (*ProductPage, error)
	// ProductSeq is the change counter of products (like SolutionSeq).
	ProductSeq(ctx context.Context) (int64, error)
	// EachProductChangedAfter calls fn for every product whose change
	// number is above seq (all of them for 0, in ID order; otherwise in
	// change order, through the index on it), read in one statement.
	EachProductChangedAfter(ctx context.Context, seq int64, fn func(p *Product, seq int64) error) error
	// ReanalyseProducts replaces the search terms of every product with
	// terms(p), in batches of transactions that each raise the change
	// counter (as ReanalyseSolutions), and returns how many it rewrote.
	ReanalyseProducts(ctx context.Context, terms func(*Product) string) (int, error)

	// PutFeature records that a region features a product (replacing the
	// agreement of an existing feature).
	PutFeature(ctx context.Context, f *Feature) error
	// DeleteFeature removes a feature; not_found when there is none.
	DeleteFeature(ctx context.Context, region string, productID int64) error
	// FindFeatures lists a region's features, newest first.
	FindFeatures(ctx context.Context, region string) ([]*Feature, error)
}

// ProductLabels are the display names of product categories, producer
// kinds and certification kinds, keyed like the web message catalog
// ("product.category.food", "producer.kind.umkm", "cert.kind.halal"). A
// product's search terms include the labels of its values
// (Product.SearchTexts), so "makanan" finds food and "koperasi" finds the
// products of cooperatives.
var ProductLabels = map[string]Texts{
	"product.category.food":           {ID: "Makanan", EN: "Food"},
	"product.category.beverage":       {ID: "Minuman", EN: "Beverages"},
	"product.category.craft":          {ID: "Kerajinan", EN: "Crafts"},
	"product.category.fashion":        {ID: "Fesyen", EN: "Fashion"},
	"product.category.batik-textile":  {ID: "Batik dan tenun", EN: "Batik and textiles"},
	"product.category.furniture":      {ID: "Mebel", EN: "Furniture"},
	"product.category.beauty":         {ID: "Kecantikan dan perawatan", EN: "Beauty and care"},
	"product.category.agriculture":    {ID: "Hasil pertanian", EN: "Farm produce"},
	"product.category.fishery":        {ID: "Hasil perikanan", EN: "Fishery produce"},
	"product.category.souvenir":       {ID: "Oleh-oleh", EN: "Souvenirs"},
	"product.category.creative-media": {ID: "Media kreatif", EN: "Creative media"},
	"product.category.service":        {ID: "Jasa", EN: "Services"},
	"product.category.other":          {ID: "Lainnya", EN: "Other"},

	"producer.kind.umkm":        {ID: "UMKM", EN: "SME (UMKM)"},
	"producer.kind.creative":    {ID: "Ekonomi kreatif", EN: "Creative economy"},
	"producer.kind.cooperative": {ID: "Koperasi", EN: "Cooperative"},

	"cert.kind.halal": {ID: "Halal", EN: "Halal"},
	"cert.kind.pirt":  {ID: "P-IRT", EN: "P-IRT"},
	"cert.kind.bpom":  {ID: "BPOM", EN: "BPOM"},
	"cert.kind.sni":   {ID: "SNI", EN: "SNI"},
}

// SearchTexts returns the texts of p the search index holds: name,
// description, the labels of its category, producer kind and well-formed
// certifications, and the region's name. The producer's name is left out:
// it can change without the product being saved again.
func (p *Product) SearchTexts(regionName string) []Texts {
	out := []Texts{p.Name, p.Description, ProductLabels["product.category."+string(p.Category)],
		ProductLabels["producer.kind."+string(p.ProducerKind)]}
	for _, c := range p.FacetValues()[FacetCertification] {
		out = append(out, ProductLabels["cert.kind."+c])
	}
	return append(out, Texts{ID: regionName})
}
