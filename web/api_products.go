package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// K6 API: producers, products, product search and showcases.

// producerOut is a producer as the API shows it, with its WhatsApp link.
type producerOut struct {
	*kolaborasi.Producer
	WhatsApp string `json:"whatsapp,omitempty"`
}

func outProducer(p *kolaborasi.Producer) producerOut {
	return producerOut{Producer: p, WhatsApp: p.WhatsApp()}
}

// producerInput is the editable part of a producer.
type producerInput struct {
	RegionCode string                     `json:"region_code"`
	Kind       kolaborasi.ProducerKind    `json:"kind"`
	Name       string                     `json:"name"`
	About      kolaborasi.Texts           `json:"about"`
	Capital    int64                      `json:"capital_idr"`
	Sales      int64                      `json:"annual_sales_idr"`
	Subsector  string                     `json:"subsector"`
	CoopType   string                     `json:"cooperative_type"`
	Members    int                        `json:"members"`
	Contact    kolaborasi.ProducerContact `json:"contact"`
	Version    int                        `json:"version"`
}

func (in producerInput) producer() *kolaborasi.Producer {
	return &kolaborasi.Producer{RegionCode: in.RegionCode, Kind: in.Kind, Name: in.Name, About: in.About, Capital: in.Capital,
		Sales: in.Sales, Subsector: in.Subsector, CoopType: in.CoopType, Members: in.Members, Contact: in.Contact, Version: in.Version}
}

// productInput is the editable part of a product.
type productInput struct {
	ProducerID     int64                      `json:"producer_id"`
	Name           kolaborasi.Texts           `json:"name"`
	Description    kolaborasi.Texts           `json:"description"`
	Category       kolaborasi.ProductCategory `json:"category"`
	PriceMin       int64                      `json:"price_min_idr"`
	PriceMax       int64                      `json:"price_max_idr"`
	Unit           string                     `json:"unit"`
	Certifications []kolaborasi.Certification `json:"certifications"`
	Photos         []kolaborasi.ProductPhoto  `json:"photos"`
	Availability   kolaborasi.Availability    `json:"availability"`
	Version        int                        `json:"version"`
}

func (in productInput) product() *kolaborasi.Product {
	return &kolaborasi.Product{ProducerID: in.ProducerID, Name: in.Name, Description: in.Description, Category: in.Category,
		PriceMin: in.PriceMin, PriceMax: in.PriceMax, Unit: in.Unit, Certifications: in.Certifications, Photos: in.Photos,
		Availability: in.Availability, Version: in.Version}
}

// productPathID reads the ID of a producer or product (what) from the path.
func productPathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		if what == "producer" {
			return 0, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is no producer %q.", r.PathValue(name))
		}
		return 0, kolaborasi.Errorf(kolaborasi.ENOTFOUND, "There is no product %q.", r.PathValue(name))
	}
	return id, nil
}

func (s *Server) producerFromPath(r *http.Request) (*kolaborasi.Producer, error) {
	id, err := productPathID(r, "id", "producer")
	if err != nil {
		return nil, err
	}
	return s.app.Producer(r.Context(), id)
}

func (s *Server) productFromPath(r *http.Request) (*kolaborasi.Product, error) {
	id, err := productPathID(r, "id", "product")
	if err != nil {
		return nil, err
	}
	return s.app.Product(r.Context(), id)
}

func (s *Server) apiProducerList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "region"); err != nil {
		return err
	}
	ps, err := s.app.Producers(r.Context(), q.Get("region"))
	if err != nil {
		return err
	}
	out := make([]producerOut, len(ps))
	for i, p := range ps {
		out[i] = outProducer(p)
	}
	return writeList(w, r, out)
}

func (s *Server) apiProducerCreate(w http.ResponseWriter, r *http.Request) error {
	var in producerInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := in.producer()
	if err := s.app.CreateProducer(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/producers/"+strconv.FormatInt(p.ID, 10))
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: outProducer(p)})
}

func (s *Server) apiProducerShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	p, err := s.producerFromPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusOK, itemResponse{Data: outProducer(p)})
}

// apiProducerUpdate replaces a producer's editable fields; "version" is
// the version read.
func (s *Server) apiProducerUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.producerFromPath(r)
	if err != nil {
		return err
	}
	var in producerInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := in.producer()
	p.ID = old.ID
	if err := s.app.UpdateProducer(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusOK, itemResponse{Data: outProducer(p)})
}

type verificationInput struct {
	State   kolaborasi.Verification `json:"state"`
	Version int                     `json:"version"`
}

func (s *Server) apiProducerVerify(w http.ResponseWriter, r *http.Request) error {
	id, err := productPathID(r, "id", "producer")
	if err != nil {
		return err
	}
	var in verificationInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.app.VerifyProducer(r.Context(), id, in.Version, in.State)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusOK, itemResponse{Data: outProducer(p)})
}

// apiProductParams are the parameters of GET /api/v1/products besides the
// facet names.
var apiProductParams = []string{"q", "sort", "lang", "page[size]", "page[after]"}

type productList struct {
	Data   []*kolaborasi.Product              `json:"data"`
	Total  int                                `json:"total"`
	Facets map[string][]kolaborasi.FacetCount `json:"facets"`
	Links  links                              `json:"links"`
}

// productQuery reads a product search from the API's query parameters.
func productQuery(r *http.Request, extra ...string) (app.ProductQuery, error) {
	q := r.URL.Query()
	if err := checkQuery(q, append(append(apiProductParams, extra...), kolaborasi.ProductFacetNames...)...); err != nil {
		return app.ProductQuery{}, err
	}
	size := 0
	if v := q.Get("page[size]"); v != "" {
		var err error
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > app.MaxPageSize {
			return app.ProductQuery{}, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "page[size] must be a whole number from 1 to 100.",
				Fields: map[string]string{"page[size]": "must be between 1 and 100"}}
		}
	}
	pq := app.ProductQuery{Q: q.Get("q"), Lang: q.Get("lang"), Sort: kolaborasi.SolutionSort(q.Get("sort")), Size: size,
		After: q.Get("page[after]"), Facets: map[string][]string{}}
	for _, f := range kolaborasi.ProductFacetNames {
		for _, v := range q[f] {
			for _, part := range strings.Split(v, ",") {
				if part = strings.TrimSpace(part); part != "" {
					pq.Facets[f] = append(pq.Facets[f], part)
				}
			}
		}
	}
	return pq, nil
}

func (s *Server) productListOf(r *http.Request, res *app.ProductResults) productList {
	out := productList{Data: res.Items, Total: res.Total, Facets: res.Facets, Links: links{Self: r.URL.RequestURI()}}
	if out.Data == nil {
		out.Data = []*kolaborasi.Product{}
	}
	if out.Facets == nil {
		out.Facets = map[string][]kolaborasi.FacetCount{}
	}
	if res.Next != "" {
		out.Links.Next = nextPageURL(r.URL.Path, r.URL.Query(), "page[after]", res.Next)
	}
	return out
}

func (s *Server) apiProductList(w http.ResponseWriter, r *http.Request) error {
	pq, err := productQuery(r)
	if err != nil {
		return err
	}
	res, err := s.app.SearchProducts(r.Context(), pq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.productListOf(r, res))
}

func (s *Server) apiProductCreate(w http.ResponseWriter, r *http.Request) error {
	var in productInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := in.product()
	if err := s.app.CreateProduct(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/products/"+strconv.FormatInt(p.ID, 10))
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: p})
}

func (s *Server) apiProductShow(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	p, err := s.productFromPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusOK, itemResponse{Data: p})
}

func (s *Server) apiProductUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.productFromPath(r)
	if err != nil {
		return err
	}
	var in productInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p := in.product()
	p.ID = old.ID
	if err := s.app.UpdateProduct(r.Context(), p); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusOK, itemResponse{Data: p})
}

// apiProductPhoto adds a photo sent as the raw body (image/jpeg, image/png
// or image/webp; the type is checked from the bytes, not this header).
func (s *Server) apiProductPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := productPathID(r, "id", "product")
	if err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, app.MaxPhotoBytes+1))
	if err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read.")
	}
	p, err := s.app.AddProductPhoto(r.Context(), id, data)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(p.Version))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: p})
}

// showcaseOut is a region's showcase in the API.
type showcaseOut struct {
	Region    string               `json:"region_code"`
	Producers []producerOut        `json:"producers"`
	Products  productList          `json:"products"`
	Featured  []featuredProductOut `json:"featured"`
}

type featuredProductOut struct {
	Product     *kolaborasi.Product `json:"product"`
	AgreementID int64               `json:"agreement_id"`
	Agreement   string              `json:"agreement_title"`
	FeaturedBy  string              `json:"featured_by"`
	FeaturedAt  string              `json:"featured_at"`
}

func (s *Server) apiShowcase(w http.ResponseWriter, r *http.Request) error {
	pq, err := productQuery(r)
	if err != nil {
		return err
	}
	sc, err := s.app.RegionShowcase(r.Context(), r.PathValue("code"), pq)
	if err != nil {
		return err
	}
	out := showcaseOut{Region: sc.Region.Code, Producers: []producerOut{}, Products: s.productListOf(r, sc.Own), Featured: []featuredProductOut{}}
	for _, p := range sc.Producers {
		out.Producers = append(out.Producers, outProducer(p))
	}
	for _, f := range sc.Featured {
		out.Featured = append(out.Featured, featuredProductOut{Product: f.Product, AgreementID: f.Agreement.ID,
			Agreement: f.Agreement.Content.Title, FeaturedBy: f.Feature.ByName, FeaturedAt: f.Feature.At.UTC().Format("2006-01-02T15:04:05Z")})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiFeature(w http.ResponseWriter, r *http.Request) error {
	id, err := productPathID(r, "product", "product")
	if err != nil {
		return err
	}
	f, err := s.app.FeatureProduct(r.Context(), r.PathValue("code"), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: f})
}

func (s *Server) apiUnfeature(w http.ResponseWriter, r *http.Request) error {
	id, err := productPathID(r, "product", "product")
	if err != nil {
		return err
	}
	if err := s.app.UnfeatureProduct(r.Context(), r.PathValue("code"), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
