package app

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/catalog"
	"github.com/kolaborasi/kolaborasi/search"
)

// K6: producers, products, product search and showcases.
//
// Who may do what (app/authz.go): a region's editors and its region
// administrator edit the region's producers and products and pick the
// partner products its showcase features; verification of a producer
// (by the region's Dinas Koperasi & UMKM) is done by the region's
// editors: the OPD model has no function that identifies the Dinas
// Koperasi among a region's OPDs, so the editor role decides and the
// audit trail names the person and their OPD.

// productIndex returns the in-process index of products: the catalog
// index (package catalog) fed from product_seq. Products are never
// "retired"; every product is searched.
func productIndex(a *App) *catalogState {
	return &catalogState{app: a, snapMin: defaultSnapshotMin, src: indexSource{name: "product", termsMeta: metaProductTerms, seq: a.store.ProductSeq,
		each: func(ctx context.Context, after int64, fn func(catalog.Doc, int64) error) error {
			return a.store.EachProductChangedAfter(ctx, after, func(p *kolaborasi.Product, seq int64) error {
				return fn(productDoc(p), seq)
			})
		}}}
}

func productDoc(p *kolaborasi.Product) catalog.Doc {
	return catalog.Doc{ID: p.ID, CreatedAt: p.CreatedAt.UnixMicro(), Facets: p.FacetValues(), Terms: p.Terms}
}

// metaProductTerms records which analysis made the stored search terms of
// the products (productTermsVersion).
const metaProductTerms = "product_terms_version"

// productTermsVersion names what product terms are made from besides the
// products' own texts: the analyser, the product labels and the region data.
func productTermsVersion(wilayahVersion string) string {
	b, _ := json.Marshal(kolaborasi.ProductLabels) // sorted keys: stable
	sum := sha256.Sum256(b)
	return fmt.Sprintf("analyzer %s; product labels %x; wilayah %s", search.AnalyzerVersion, sum[:6], wilayahVersion)
}

// reanalyseProducts rewrites the search terms of every product when the
// stored version of their analysis is not want (as reanalyseSolutions).
func (a *App) reanalyseProducts(ctx context.Context, want string) (int, error) {
	have, err := a.store.Meta(ctx, metaProductTerms)
	if err != nil || have == want {
		return 0, err
	}
	names, err := a.RegionNames(ctx)
	if err != nil {
		return 0, err
	}
	n, err := a.store.ReanalyseProducts(ctx, func(p *kolaborasi.Product) string {
		return search.IndexTerms(p.SearchTexts(names[p.RegionCode]))
	})
	if err != nil {
		return n, err
	}
	return n, a.store.SetMeta(ctx, metaProductTerms, want)
}

func producerEntity(id int64) string { return "producer:" + strconv.FormatInt(id, 10) }
func productEntity(id int64) string  { return "product:" + strconv.FormatInt(id, 10) }

// Producer returns a producer; producers are public.
func (a *App) Producer(ctx context.Context, id int64) (*kolaborasi.Producer, error) {
	return a.store.FindProducer(ctx, id)
}

// Producers lists a region's producers.
func (a *App) Producers(ctx context.Context, region string) ([]*kolaborasi.Producer, error) {
	if !kolaborasi.ValidRegionCode(region) {
		return nil, errBadRegionCode(region)
	}
	return a.store.FindProducers(ctx, region)
}

// CreateProducer validates and stores a new producer of p.RegionCode,
// unverified, and sets its ID and version.
func (a *App) CreateProducer(ctx context.Context, p *kolaborasi.Producer) error {
	p.Verification, p.VerifiedByID, p.VerifiedBy, p.VerifiedAt = kolaborasi.Unverified, 0, "", time.Time{}
	if bad := p.Check(); len(bad) > 0 {
		return errInvalid("The producer is not valid.", bad)
	}
	synthetic := p.Synthetic
	return a.change(ctx, ActProductEdit, p.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if synthetic && kolaborasi.UserFrom(ctx) != kolaborasi.System {
			p.Synthetic = false
		}
		p.UpdatedAt = a.now()
		p.CreatedAt = p.UpdatedAt
		if err := tx.CreateProducer(ctx, p); err != nil {
			return "", "", err
		}
		return producerEntity(p.ID), fmt.Sprintf("added %s producer %q", p.Kind, p.Name), nil
	})
}

// UpdateProducer saves p as the next version of the stored producer. The
// region and kind stay (a product's facets hold its producer's kind), and
// p.Version must be the version read. A saved change makes the producer
// unverified again: what the region verified is no longer what it shows.
func (a *App) UpdateProducer(ctx context.Context, p *kolaborasi.Producer) error {
	old, err := a.store.FindProducer(ctx, p.ID)
	if err != nil {
		return err
	}
	if p.RegionCode != old.RegionCode || p.Kind != old.Kind {
		return errInvalid("A producer keeps its region and kind.", map[string]string{"kind": "cannot change"})
	}
	p.Verification, p.VerifiedByID, p.VerifiedBy, p.VerifiedAt = kolaborasi.Unverified, 0, "", time.Time{}
	p.Synthetic, p.CreatedAt = old.Synthetic, old.CreatedAt
	if bad := p.Check(); len(bad) > 0 {
		return errInvalid("The producer is not valid.", bad)
	}
	return a.change(ctx, ActProductEdit, old.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		p.UpdatedAt = a.now()
		if err := tx.UpdateProducer(ctx, p); err != nil {
			return "", "", err
		}
		return producerEntity(p.ID), fmt.Sprintf("changed producer %q (now unverified)", p.Name), nil
	})
}

// VerifyProducer sets the verification state of a producer (version must
// be the one read) and records who set it and when.
func (a *App) VerifyProducer(ctx context.Context, id int64, version int, state kolaborasi.Verification) (*kolaborasi.Producer, error) {
	if state != kolaborasi.Verified && state != kolaborasi.Unverified {
		return nil, errInvalid("Choose verified or unverified.", map[string]string{"verification": "unknown state"})
	}
	p, err := a.store.FindProducer(ctx, id)
	if err != nil {
		return nil, err
	}
	err = a.change(ctx, ActProducerVerify, p.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		u := kolaborasi.UserFrom(ctx)
		old := p.Verification
		p.Version, p.Verification, p.UpdatedAt = version, state, a.now()
		p.VerifiedByID, p.VerifiedBy, p.VerifiedAt = u.ID, u.Name, p.UpdatedAt
		if state == kolaborasi.Unverified {
			p.VerifiedByID, p.VerifiedBy, p.VerifiedAt = 0, "", time.Time{}
		}
		if err := tx.UpdateProducer(ctx, p); err != nil {
			return "", "", err
		}
		return producerEntity(p.ID), diffSummary("verification", string(old), string(state)), nil
	})
	return p, err
}

// flagProduct sets the flag of each certification as of today, in the
// time zone of the platform's readers (WIB).
func (a *App) flagProduct(p *kolaborasi.Product) *kolaborasi.Product {
	if p.Certifications == nil {
		p.Certifications = []kolaborasi.Certification{}
	}
	if p.Photos == nil {
		p.Photos = []kolaborasi.ProductPhoto{}
	}
	today := a.now().In(wib).Format(time.DateOnly)
	for i := range p.Certifications {
		p.Certifications[i].Problem = p.Certifications[i].Flag(today)
	}
	return p
}

// wib is Western Indonesian Time (UTC+7), the civil day of certificates.
var wib = time.FixedZone("WIB", 7*3600)

// Product returns a product with its certifications flagged; products are
// public.
func (a *App) Product(ctx context.Context, id int64) (*kolaborasi.Product, error) {
	p, err := a.store.FindProduct(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.flagProduct(p), nil
}

// prepareProduct fills in what comes from the database: the producer's
// region and kind (the producer must be of region), the photos' files and
// the search terms.
func (a *App) prepareProduct(ctx context.Context, tx kolaborasi.Store, p *kolaborasi.Product, region string) error {
	pr, err := tx.FindProducer(ctx, p.ProducerID)
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND || err == nil && pr.RegionCode != region {
		return errInvalid("Choose a producer of this region.", map[string]string{"producer_id": fmt.Sprintf("not a producer of region %s", region)})
	} else if err != nil {
		return err
	}
	p.RegionCode, p.ProducerKind = pr.RegionCode, pr.Kind
	for _, ph := range p.Photos {
		for _, sha := range []string{ph.Small, ph.Large} {
			f, err := tx.FindFile(ctx, sha)
			if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND || err == nil && !strings.HasPrefix(f.ContentType, "image/") {
				return errInvalid("Upload the photo first.", map[string]string{"photos": "is not an uploaded image"})
			} else if err != nil {
				return err
			}
		}
	}
	r, err := tx.FindRegion(ctx, region)
	if err != nil {
		return err
	}
	p.UpdatedAt = a.now()
	p.Terms = search.IndexTerms(p.SearchTexts(r.Name))
	return nil
}

// CreateProduct validates and stores a new product of its producer's
// region and sets its ID and version. Certifications are stored as
// entered and flagged when read (Product).
func (a *App) CreateProduct(ctx context.Context, p *kolaborasi.Product) error {
	if bad := p.Check(); len(bad) > 0 {
		return errInvalid("The product is not valid.", bad)
	}
	pr, err := a.store.FindProducer(ctx, p.ProducerID)
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
		return errInvalid("Choose a producer.", map[string]string{"producer_id": "no such producer"})
	} else if err != nil {
		return err
	}
	synthetic := p.Synthetic
	err = a.change(ctx, ActProductEdit, pr.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		p.Synthetic = synthetic && kolaborasi.UserFrom(ctx) == kolaborasi.System
		if err := a.prepareProduct(ctx, tx, p, pr.RegionCode); err != nil {
			return "", "", err
		}
		p.CreatedAt = p.UpdatedAt
		if err := tx.CreateProduct(ctx, p); err != nil {
			return "", "", err
		}
		return productEntity(p.ID), fmt.Sprintf("added product %q", p.Name.Get("id")), nil
	})
	if err == nil {
		a.flagProduct(p)
	}
	return err
}

// UpdateProduct saves p as the next version of the stored product; it
// stays with its region (another producer of the same region may make it).
func (a *App) UpdateProduct(ctx context.Context, p *kolaborasi.Product) error {
	old, err := a.store.FindProduct(ctx, p.ID)
	if err != nil {
		return err
	}
	if bad := p.Check(); len(bad) > 0 {
		return errInvalid("The product is not valid.", bad)
	}
	p.Synthetic, p.CreatedAt = old.Synthetic, old.CreatedAt
	err = a.change(ctx, ActProductEdit, old.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		if err := a.prepareProduct(ctx, tx, p, old.RegionCode); err != nil {
			return "", "", err
		}
		if err := tx.UpdateProduct(ctx, p); err != nil {
			return "", "", err
		}
		return productEntity(p.ID), fmt.Sprintf("changed product %q", p.Name.Get("id")), nil
	})
	if err == nil {
		a.flagProduct(p)
	}
	return err
}

// AddProductPhoto checks an uploaded photo (checkPhoto), stores its
// thumbnails and adds it to the product as its next version.
func (a *App) AddProductPhoto(ctx context.Context, id int64, data []byte) (*kolaborasi.Product, error) {
	p, err := a.store.FindProduct(ctx, id)
	if err != nil {
		return nil, err
	}
	// Authorise before the costly decoding.
	if err := a.Check(ctx, ActProductEdit, p.RegionCode); err != nil {
		return nil, err
	}
	if len(p.Photos) >= kolaborasi.MaxProductPhotos {
		return nil, errInvalid("The product has as many photos as it may.", map[string]string{"photo": fmt.Sprintf("at most %d photos", kolaborasi.MaxProductPhotos)})
	}
	photo, files, err := makeThumbnails(data, a.now())
	if err != nil {
		return nil, err
	}
	err = a.change(ctx, ActProductEdit, p.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		for _, f := range files {
			if err := tx.PutFile(ctx, f); err != nil {
				return "", "", err
			}
		}
		p.Photos = append(p.Photos, photo)
		if err := a.prepareProduct(ctx, tx, p, p.RegionCode); err != nil {
			return "", "", err
		}
		if err := tx.UpdateProduct(ctx, p); err != nil {
			return "", "", err
		}
		return productEntity(p.ID), fmt.Sprintf("added a photo to product %q", p.Name.Get("id")), nil
	})
	if err != nil {
		return nil, err
	}
	return a.flagProduct(p), nil
}

// DefaultProductPage is the page size of a product search without one.
const DefaultProductPage = 24

// ProductQuery is a search of products (the national showcase).
type ProductQuery struct {
	// Q is the query text, with the catalog's syntax (K11).
	Q string
	// Lang is the language of the query: "id" or "en".
	Lang string
	// Facets maps a facet name (kolaborasi.ProductFacetNames) to values.
	Facets map[string][]string
	// Sort is relevance (the default with Q) or newest.
	Sort  kolaborasi.SolutionSort
	Size  int
	After string
}

// ProductResults is one page of found products.
type ProductResults struct {
	Items  []*kolaborasi.Product
	Total  int
	Facets map[string][]kolaborasi.FacetCount
	// Next is the cursor of the next page; "" on the last page.
	Next    string
	Query   *search.Query
	NoWords bool
}

// validProductFacet reports whether v is a value the product facet may take.
func validProductFacet(facet, v string) bool {
	switch facet {
	case kolaborasi.FacetCategory:
		return kolaborasi.ProductCategory(v).Valid()
	case kolaborasi.FacetCertification:
		return slices.Contains(kolaborasi.CertKinds, kolaborasi.CertKind(v))
	case kolaborasi.FacetProducerKind:
		return kolaborasi.ProducerKind(v).Valid()
	}
	return validFacetValue(facet, v)
}

// productFilter turns a query into the store's filter, checking it.
func productFilter(pq ProductQuery) (kolaborasi.ProductFilter, *ProductResults, error) {
	f := kolaborasi.ProductFilter{Facets: map[string][]string{}, Sort: pq.Sort}
	lang := search.LangIndonesian
	if pq.Lang == search.LangEnglish {
		lang = search.LangEnglish
	}
	res := &ProductResults{}
	var err error
	if res.Query, f.Text, res.NoWords, err = parseSearch(pq.Q, lang, false); err != nil {
		return f, nil, err
	}
	if f.Facets, err = badFacetFilters(pq.Facets, kolaborasi.ProductFacetNames, validProductFacet, "is not a facet of products"); err != nil {
		return f, nil, err
	}
	switch {
	case f.Sort == "" && f.Text != nil:
		f.Sort = kolaborasi.SortRelevance
	case f.Sort == "":
		f.Sort = kolaborasi.SortNewest
	case f.Sort != kolaborasi.SortRelevance && f.Sort != kolaborasi.SortNewest:
		return f, nil, badQuery("sort", "must be relevance or newest")
	}
	if f.Limit, f.Offset, err = pageOf(pq.Size, pq.After, DefaultProductPage); err != nil {
		return f, nil, err
	}
	return f, res, nil
}

// SearchProducts searches every region's products: one page, facet
// counts over every match and the cursor of the next page. It runs on the
// in-process index (the catalog's machinery over product_seq) or, without
// one, on the database's full-text index; both give the same answer
// (app/products_property_test.go).
func (a *App) SearchProducts(ctx context.Context, pq ProductQuery) (*ProductResults, error) {
	f, res, err := productFilter(pq)
	if err != nil {
		return nil, err
	}
	page, err := a.productPage(ctx, f)
	if err != nil {
		return nil, err
	}
	res.Total, res.Facets = page.Total, page.Facets
	for _, p := range page.Products {
		res.Items = append(res.Items, a.flagProduct(p))
	}
	if next := f.Offset + len(page.Products); next < page.Total && next <= maxSearchOffset && len(page.Products) > 0 {
		res.Next = encodeCursor(next)
	}
	return res, nil
}

// productPage runs the filter on the in-process index when there is one.
func (a *App) productPage(ctx context.Context, f kolaborasi.ProductFilter) (*kolaborasi.ProductPage, error) {
	if a.products == nil {
		return a.store.SearchProducts(ctx, f)
	}
	snap, err := a.products.currentSnapshot(ctx)
	if err != nil {
		return nil, err
	}
	// IncludeRetired: products have no retired state.
	res, ok := snap.Search(kolaborasi.SolutionFilter{Text: f.Text, Facets: f.Facets, IncludeRetired: true,
		Sort: f.Sort, Offset: f.Offset, Limit: f.Limit, NoFacets: f.NoFacets})
	if !ok {
		return a.store.SearchProducts(ctx, f)
	}
	page := &kolaborasi.ProductPage{Total: res.Total, Facets: res.Facets}
	if page.Products, err = a.store.FindProductsByID(ctx, res.IDs); err != nil {
		return nil, err
	}
	return page, nil
}

// featureScopes are the words of an agreement's scope under which a
// region may feature a partner's products: UKM/UMKM, ekonomi kreatif,
// koperasi (and their English names), matched in lower case within a
// scope entry ("Pengembangan Usaha Kecil dan Menengah" holds "usaha kecil").
var featureScopes = []string{"ukm", "umkm", "usaha mikro", "usaha kecil", "usaha menengah", "ekonomi kreatif",
	"creative economy", "koperasi", "cooperative", "small and medium", "sme", "smes"}

// ScopeAllowsFeaturing reports whether an agreement's scope covers UKM,
// the creative economy or cooperatives.
func ScopeAllowsFeaturing(scope []string) bool {
	for _, s := range scope {
		l := strings.ToLower(s)
		for _, w := range featureScopes {
			if i := strings.Index(l, w); i >= 0 && wordBounded(l, i, len(w)) {
				return true
			}
		}
	}
	return false
}

func wordBounded(s string, i, n int) bool {
	letter := func(b byte) bool { return b >= 'a' && b <= 'z' }
	return (i == 0 || !letter(s[i-1])) && (i+n == len(s) || !letter(s[i+n]))
}

// agreementInForce reports whether an agreement version binds its parties
// on day today: signed (KSB signed or any later stage), not ended or
// terminated, and today within its start and end dates when it has them.
func agreementInForce(ag *kolaborasi.Agreement, today string) bool {
	switch ag.Status {
	case kolaborasi.StatusKSBSigned, kolaborasi.StatusDPRDApproved, kolaborasi.StatusPKSDrafted,
		kolaborasi.StatusPKSSigned, kolaborasi.StatusActive, kolaborasi.StatusReported:
	default:
		return false
	}
	c := ag.Content
	return (c.StartDate == "" || c.StartDate <= today) && (c.EndDate == "" || c.EndDate >= today)
}

// featuringAgreement returns an agreement in force today between the two
// regions whose scope allows featuring products, or nil.
func (a *App) featuringAgreement(ctx context.Context, tx kolaborasi.Store, region, partner string) (*kolaborasi.Agreement, error) {
	ags, err := tx.FindAgreements(ctx, kolaborasi.AgreementFilter{Region: region, Limit: 500})
	if err != nil {
		return nil, err
	}
	today := a.now().In(wib).Format(time.DateOnly)
	for _, ag := range ags {
		if slices.Contains(ag.Content.RegionCodes(), partner) && agreementInForce(ag, today) && ScopeAllowsFeaturing(ag.Content.Scope) {
			return ag, nil
		}
	}
	return nil, nil
}

// FeatureProduct features a partner region's product in region's
// showcase, under an agreement in force between the two whose scope
// includes UKM, ekonomi kreatif or koperasi.
func (a *App) FeatureProduct(ctx context.Context, region string, productID int64) (*kolaborasi.Feature, error) {
	if !kolaborasi.ValidRegionCode(region) {
		return nil, errBadRegionCode(region)
	}
	var f *kolaborasi.Feature
	err := a.change(ctx, ActProductFeature, region, func(tx kolaborasi.Store) (string, string, error) {
		p, err := tx.FindProduct(ctx, productID)
		if err != nil {
			return "", "", err
		}
		if p.RegionCode == region {
			return "", "", errInvalid("A region's own products are in its showcase already; feature a partner region's product.",
				map[string]string{"product_id": "is a product of this region"})
		}
		ag, err := a.featuringAgreement(ctx, tx, region, p.RegionCode)
		if err != nil {
			return "", "", err
		}
		if ag == nil {
			return "", "", errInvalid("A region features a partner's products only under an agreement in force whose scope includes UKM, ekonomi kreatif or koperasi.",
				map[string]string{"product_id": "no such agreement with the product's region"})
		}
		u := kolaborasi.UserFrom(ctx)
		f = &kolaborasi.Feature{RegionCode: region, ProductID: p.ID, AgreementID: ag.ID, ByID: u.ID, ByName: u.Name, At: a.now()}
		if err := tx.PutFeature(ctx, f); err != nil {
			return "", "", err
		}
		return productEntity(p.ID), fmt.Sprintf("featured product %q under agreement %d", p.Name.Get("id"), ag.ID), nil
	})
	return f, err
}

// UnfeatureProduct stops featuring a product in region's showcase.
func (a *App) UnfeatureProduct(ctx context.Context, region string, productID int64) error {
	if !kolaborasi.ValidRegionCode(region) {
		return errBadRegionCode(region)
	}
	return a.change(ctx, ActProductFeature, region, func(tx kolaborasi.Store) (string, string, error) {
		if err := tx.DeleteFeature(ctx, region, productID); err != nil {
			return "", "", err
		}
		return productEntity(productID), "stopped featuring the product", nil
	})
}

// FeaturedProduct is a partner's product in a showcase, with the
// agreement that allows it.
type FeaturedProduct struct {
	Product   *kolaborasi.Product
	Agreement *kolaborasi.Agreement
	Feature   *kolaborasi.Feature
}

// Showcase is a region's showcase page: its own products and, apart, the
// partner products it features under agreements in force.
type Showcase struct {
	Region    *kolaborasi.Region
	Producers []*kolaborasi.Producer
	Own       *ProductResults
	Featured  []FeaturedProduct
}

// RegionShowcase returns a region's showcase. Featured products whose
// agreement is no longer in force (ended, terminated, past its end date)
// are left out when read, so nothing stale shows; the feature itself stays
// and shows again under a renewed agreement version.
func (a *App) RegionShowcase(ctx context.Context, region string, pq ProductQuery) (*Showcase, error) {
	r, err := a.Region(ctx, region)
	if err != nil {
		return nil, err
	}
	sc := &Showcase{Region: r}
	if sc.Producers, err = a.store.FindProducers(ctx, region); err != nil {
		return nil, err
	}
	if pq.Facets == nil {
		pq.Facets = map[string][]string{}
	}
	pq.Facets[kolaborasi.FacetRegion] = []string{region}
	if sc.Own, err = a.SearchProducts(ctx, pq); err != nil {
		return nil, err
	}
	if sc.Featured, err = a.featured(ctx, region); err != nil {
		return nil, err
	}
	return sc, nil
}

// featured returns the region's features whose agreement is in force and
// still allows featuring between the two regions.
func (a *App) featured(ctx context.Context, region string) ([]FeaturedProduct, error) {
	fs, err := a.store.FindFeatures(ctx, region)
	if err != nil || len(fs) == 0 {
		return nil, err
	}
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = f.ProductID
	}
	ps, err := a.store.FindProductsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*kolaborasi.Product{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	// The newest version of each agreement that is not a draft: what
	// binds the parties now.
	ags, err := a.store.FindAgreements(ctx, kolaborasi.AgreementFilter{Region: region, Limit: 500})
	if err != nil {
		return nil, err
	}
	agreements := map[int64]*kolaborasi.Agreement{}
	for _, g := range ags {
		agreements[g.ID] = g
	}
	today := a.now().In(wib).Format(time.DateOnly)
	var out []FeaturedProduct
	for _, f := range fs {
		p, ag := byID[f.ProductID], agreements[f.AgreementID]
		if p == nil {
			continue
		}
		if ag == nil || !agreementInForce(ag, today) || !ScopeAllowsFeaturing(ag.Content.Scope) ||
			!slices.Contains(ag.Content.RegionCodes(), p.RegionCode) {
			continue
		}
		out = append(out, FeaturedProduct{Product: a.flagProduct(p), Agreement: ag, Feature: f})
	}
	return out, nil
}

// FeatureCandidates lists, for a region's editors, the partner products
// the region may feature now: products of regions it has an agreement in
// force with whose scope allows featuring, with the agreement of each
// partner region.
func (a *App) FeatureCandidates(ctx context.Context, region string) ([]FeaturedProduct, error) {
	if err := a.Check(ctx, ActProductFeature, region); err != nil {
		return nil, err
	}
	ags, err := a.store.FindAgreements(ctx, kolaborasi.AgreementFilter{Region: region, Limit: 500})
	if err != nil {
		return nil, err
	}
	today := a.now().In(wib).Format(time.DateOnly)
	partner := map[string]*kolaborasi.Agreement{}
	for _, ag := range ags {
		if !agreementInForce(ag, today) || !ScopeAllowsFeaturing(ag.Content.Scope) {
			continue
		}
		for _, code := range ag.Content.RegionCodes() {
			if code != region && partner[code] == nil {
				partner[code] = ag
			}
		}
	}
	if len(partner) == 0 {
		return nil, nil
	}
	codes := slices.Sorted(func(yield func(string) bool) {
		for c := range partner {
			if !yield(c) {
				return
			}
		}
	})
	page, err := a.store.SearchProducts(ctx, kolaborasi.ProductFilter{Facets: map[string][]string{kolaborasi.FacetRegion: codes},
		Sort: kolaborasi.SortNewest, Limit: MaxPageSize, NoFacets: true})
	if err != nil {
		return nil, err
	}
	fs, err := a.store.FindFeatures(ctx, region)
	if err != nil {
		return nil, err
	}
	var out []FeaturedProduct
	for _, p := range page.Products {
		c := FeaturedProduct{Product: a.flagProduct(p), Agreement: partner[p.RegionCode]}
		for _, f := range fs {
			if f.ProductID == p.ID {
				c.Feature = f
			}
		}
		out = append(out, c)
	}
	return out, nil
}
