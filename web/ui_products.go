package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// K6 pages: the national showcase, a region's showcase, product and
// producer pages, and the region's page to manage its producers, products
// and featured partner products.

// uiProductFacetParams maps each product facet to its page parameter.
var uiProductFacetParams = map[string]string{
	kolaborasi.FacetCategory:      "kategori",
	kolaborasi.FacetProvince:      "provinsi",
	kolaborasi.FacetRegion:        "wilayah",
	kolaborasi.FacetCertification: "sertifikasi",
	kolaborasi.FacetProducerKind:  "pelaku",
}

// productCard is a product as a list shows it.
type productCard struct {
	// B is the page's base, for the card template's texts.
	B      pageBase
	P      *kolaborasi.Product
	Region string
	// Agreement and Partner are set for a featured partner product.
	Agreement *kolaborasi.Agreement
}

type showcasePage struct {
	pageBase
	// Region is nil on the national showcase.
	Region    *kolaborasi.Region
	Producers []*kolaborasi.Producer
	Query     string
	Facets    []facetGroup
	Products  []productCard
	Featured  []productCard
	Total     int
	Next      string
	Selected  bool
	NoWords   bool
	CanEdit   bool
}

// showcaseQuery reads the search of a showcase page.
func showcaseQuery(r *http.Request, lang string) (app.ProductQuery, bool) {
	q := r.URL.Query()
	pq := app.ProductQuery{Q: q.Get("q"), Lang: lang, Sort: kolaborasi.SolutionSort(q.Get("urut")), After: q.Get("setelah"),
		Facets: map[string][]string{}}
	selected := false
	for facet, param := range uiProductFacetParams {
		if vs := q[param]; len(vs) > 0 {
			pq.Facets[facet], selected = vs, true
		}
	}
	return pq, selected
}

// fillResults puts a search's results and facets on the page.
func (s *Server) fillResults(r *http.Request, p *showcasePage, res *app.ProductResults, names map[string]string) {
	q := r.URL.Query()
	p.Total, p.NoWords = res.Total, res.NoWords
	for _, it := range res.Items {
		p.Products = append(p.Products, productCard{B: p.pageBase, P: it, Region: names[it.RegionCode]})
	}
	for _, facet := range kolaborasi.ProductFacetNames {
		g := facetGroup{Name: facet, Param: uiProductFacetParams[facet]}
		if p.Region != nil && (facet == kolaborasi.FacetRegion || facet == kolaborasi.FacetProvince) {
			continue
		}
		selected := map[string]bool{}
		for _, v := range q[g.Param] {
			selected[v] = true
		}
		for _, fc := range res.Facets[facet] {
			label := p.T(productLabelKey(facet, fc.Value))
			if facet == kolaborasi.FacetRegion || facet == kolaborasi.FacetProvince {
				label = s.facetLabel(p.pageBase, facet, fc.Value, names)
			}
			g.Values = append(g.Values, facetValue{Value: fc.Value, Label: label, Count: fc.Count, Selected: selected[fc.Value]})
		}
		if len(g.Values) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	if res.Next != "" {
		p.Next = nextPageURL(r.URL.Path, q, "setelah", res.Next)
	}
}

// productLabelKey is the catalog key of a product facet value's label.
func productLabelKey(facet, value string) string {
	switch facet {
	case kolaborasi.FacetCategory:
		return "product.category." + value
	case kolaborasi.FacetCertification:
		return "cert.kind." + value
	case kolaborasi.FacetProducerKind:
		return "producer.kind." + value
	}
	return value
}

func (s *Server) uiShowcaseNational(w http.ResponseWriter, r *http.Request) error {
	p := showcasePage{pageBase: s.base(r, "etalase"), Query: r.URL.Query().Get("q")}
	pq, selected := showcaseQuery(r, p.Lang)
	p.Selected = selected
	res, err := s.app.SearchProducts(r.Context(), pq)
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(r.Context())
	if err != nil {
		return err
	}
	s.fillResults(r, &p, res, names)
	return s.render(w, r, http.StatusOK, "showcase", p)
}

func (s *Server) uiRegionShowcase(w http.ResponseWriter, r *http.Request) error {
	p := showcasePage{pageBase: s.base(r, "wilayah"), Query: r.URL.Query().Get("q")}
	pq, selected := showcaseQuery(r, p.Lang)
	p.Selected = selected
	sc, err := s.app.RegionShowcase(r.Context(), r.PathValue("code"), pq)
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(r.Context())
	if err != nil {
		return err
	}
	p.Region, p.Producers = sc.Region, sc.Producers
	p.CanEdit = app.Allowed(p.User, app.ActProductEdit, sc.Region.Code)
	s.fillResults(r, &p, sc.Own, names)
	for _, f := range sc.Featured {
		p.Featured = append(p.Featured, productCard{B: p.pageBase, P: f.Product, Region: names[f.Product.RegionCode], Agreement: f.Agreement})
	}
	return s.render(w, r, http.StatusOK, "showcase", p)
}

type productPage struct {
	pageBase
	P        *kolaborasi.Product
	Producer *kolaborasi.Producer
	Region   string
	CanEdit  bool
}

func (s *Server) uiProduct(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.productFromPath(r)
	if err != nil {
		return err
	}
	producer, err := s.app.Producer(r.Context(), pr.ProducerID)
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(r.Context())
	if err != nil {
		return err
	}
	p := productPage{pageBase: s.base(r, "etalase"), P: pr, Producer: producer, Region: names[pr.RegionCode]}
	p.CanEdit = app.Allowed(p.User, app.ActProductEdit, pr.RegionCode)
	return s.render(w, r, http.StatusOK, "product", p)
}

type producerPage struct {
	pageBase
	P         *kolaborasi.Producer
	Region    string
	Products  []*kolaborasi.Product
	CanVerify bool
	CanEdit   bool
}

func (s *Server) uiProducer(w http.ResponseWriter, r *http.Request) error {
	pr, err := s.producerFromPath(r)
	if err != nil {
		return err
	}
	names, err := s.app.RegionNames(r.Context())
	if err != nil {
		return err
	}
	p := producerPage{pageBase: s.base(r, "etalase"), P: pr, Region: names[pr.RegionCode]}
	p.CanVerify = app.Allowed(p.User, app.ActProducerVerify, pr.RegionCode)
	p.CanEdit = app.Allowed(p.User, app.ActProductEdit, pr.RegionCode)
	sc, err := s.app.RegionShowcase(r.Context(), pr.RegionCode, app.ProductQuery{Size: app.MaxPageSize})
	if err != nil {
		return err
	}
	for _, it := range sc.Own.Items {
		if it.ProducerID == pr.ID {
			p.Products = append(p.Products, it)
		}
	}
	return s.render(w, r, http.StatusOK, "producer", p)
}

type productsManagePage struct {
	pageBase
	Region     *kolaborasi.Region
	Producers  []*kolaborasi.Producer
	Products   []*kolaborasi.Product
	Candidates []productCard
	Featured   map[int64]bool
	CanVerify  bool
	CanFeature bool
}

func (s *Server) uiProductsManage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	if err := s.app.Check(ctx, app.ActProductEdit, code); err != nil {
		return err
	}
	sc, err := s.app.RegionShowcase(ctx, code, app.ProductQuery{Size: app.MaxPageSize})
	if err != nil {
		return err
	}
	p := productsManagePage{pageBase: s.base(r, "kelola"), Region: sc.Region, Producers: sc.Producers, Products: sc.Own.Items,
		Featured: map[int64]bool{}}
	p.CanVerify = app.Allowed(p.User, app.ActProducerVerify, code)
	p.CanFeature = app.Allowed(p.User, app.ActProductFeature, code)
	if p.CanFeature {
		cands, err := s.app.FeatureCandidates(ctx, code)
		if err != nil {
			return err
		}
		names, err := s.app.RegionNames(ctx)
		if err != nil {
			return err
		}
		for _, c := range cands {
			p.Candidates = append(p.Candidates, productCard{B: p.pageBase, P: c.Product, Region: names[c.Product.RegionCode], Agreement: c.Agreement})
			p.Featured[c.Product.ID] = c.Feature != nil
		}
	}
	return s.render(w, r, http.StatusOK, "products_manage", p)
}

func productsManageURL(code string) string { return "/kelola/" + code + "/produk" }

// formInt reads a whole number field; "" is 0, and dots or spaces
// grouping thousands ("1.500.000") are allowed.
func formInt(r *http.Request, name string) int64 {
	v := strings.NewReplacer(".", "", " ", "", ",", "").Replace(r.PostFormValue(name))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func optionalInt(r *http.Request, name string) int64 {
	if strings.TrimSpace(r.PostFormValue(name)) == "" {
		return 0
	}
	return formInt(r, name)
}

func (s *Server) uiProducerVerify(w http.ResponseWriter, r *http.Request) error {
	id, err := productPathID(r, "id", "producer")
	if err != nil {
		return err
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	p, err := s.app.VerifyProducer(r.Context(), id, v, kolaborasi.Verification(r.PostFormValue("state")))
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/produsen/"+strconv.FormatInt(p.ID, 10), "flash.producer_verified")
}

// photoUpload reads the optional photo of a form; nil when none was chosen.
func photoUpload(r *http.Request) ([]byte, error) {
	f, h, err := r.FormFile("photo")
	if err != nil || h.Size == 0 {
		return nil, nil
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, app.MaxPhotoBytes+1))
	if err != nil {
		return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read.")
	}
	return data, nil
}

// uiProductPhoto adds a photo from the product page; a refused one shows
// the page again with the reason beside the field.
func (s *Server) uiProductPhoto(w http.ResponseWriter, r *http.Request) error {
	p, err := s.productFromPath(r)
	if err != nil {
		return err
	}
	data, err := photoUpload(r)
	if err == nil && data == nil {
		err = &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Choose a photo.", Fields: map[string]string{"photo": "Choose a photo."}}
	}
	if err == nil {
		_, err = s.app.AddProductPhoto(r.Context(), p.ID, data)
	}
	if err != nil {
		return s.refuse(w, r, s.uiProduct, "photo", err)
	}
	return redirectFlash(w, r, "/produk/"+strconv.FormatInt(p.ID, 10), "flash.photo_saved")
}

func (s *Server) uiFeature(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	id, err := productPathID(r, "product", "product")
	if err != nil {
		return err
	}
	if _, err := s.app.FeatureProduct(r.Context(), code, id); err != nil {
		return s.refuse(w, r, s.uiProductsManage, "product_id", err)
	}
	return redirectFlash(w, r, "/wilayah/"+code+"/etalase", "flash.product_featured")
}

func (s *Server) uiUnfeature(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	id, err := productPathID(r, "product", "product")
	if err != nil {
		return err
	}
	if err := s.app.UnfeatureProduct(r.Context(), code, id); err != nil {
		return s.refuse(w, r, s.uiProductsManage, "product_id", err)
	}
	return redirectFlash(w, r, productsManageURL(code), "flash.product_unfeatured")
}

// MembersText is the cooperative's member count in the page's number format.
func (p producerPage) MembersText() string { return p.Num(int64(p.P.Members)) }
