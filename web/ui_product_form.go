package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// The forms to add and change producers and products (K6). A refused entry
// shows the form again with what was entered and the reasons beside the
// fields.

type producerFormPage struct {
	pageBase
	Region     *kolaborasi.Region
	P          *kolaborasi.Producer
	IsNew      bool
	Kinds      []kolaborasi.ProducerKind
	Subsectors []string
	CoopTypes  []string
	Message    string
	Errors     fieldErrors
}

// Action is where the form posts.
func (p producerFormPage) Action() string {
	if p.IsNew {
		return "/kelola/" + p.Region.Code + "/produsen"
	}
	return "/produsen/" + strconv.FormatInt(p.P.ID, 10)
}

// Marketplaces is the producer's marketplace links, one a line.
func (p producerFormPage) Marketplaces() string { return strings.Join(p.P.Contact.Marketplaces, "\n") }

// Figure shows a rupiah figure in a form field ("" for none).
func (p producerFormPage) Figure(v int64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func (s *Server) producerForm(w http.ResponseWriter, r *http.Request, pr *kolaborasi.Producer, isNew bool, err error) error {
	code := kolaborasi.ErrorCode(err)
	if err != nil && code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
		return err
	}
	region, rerr := s.app.Region(r.Context(), pr.RegionCode)
	if rerr != nil {
		return rerr
	}
	p := producerFormPage{pageBase: s.base(r, "kelola"), Region: region, P: pr, IsNew: isNew, Kinds: kolaborasi.ProducerKinds,
		Subsectors: kolaborasi.CreativeSubsectors, CoopTypes: kolaborasi.CooperativeTypes}
	status := http.StatusOK
	if err != nil {
		p.Message, p.Errors = p.tr.explain(err)
		status = map[string]int{kolaborasi.EINVALID: http.StatusBadRequest, kolaborasi.ECONFLICT: http.StatusConflict}[code]
	}
	return s.render(w, r, status, "producer_form", p)
}

// formProducer reads the producer form into p.
func formProducer(r *http.Request, p *kolaborasi.Producer) {
	p.Kind, p.Name = kolaborasi.ProducerKind(r.PostFormValue("kind")), r.PostFormValue("name")
	p.About = kolaborasi.Texts{ID: r.PostFormValue("about_id"), EN: r.PostFormValue("about_en")}
	p.Capital, p.Sales = optionalInt(r, "capital_idr"), optionalInt(r, "annual_sales_idr")
	p.Subsector, p.CoopType, p.Members = r.PostFormValue("subsector"), r.PostFormValue("cooperative_type"), int(optionalInt(r, "members"))
	p.Contact = kolaborasi.ProducerContact{Phone: r.PostFormValue("phone"), Email: r.PostFormValue("email"),
		Marketplaces: strings.Fields(r.PostFormValue("marketplaces"))}
	p.Version, _ = strconv.Atoi(r.PostFormValue("version"))
}

func (s *Server) uiProducerNew(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActProductEdit, code); err != nil {
		return err
	}
	return s.producerForm(w, r, &kolaborasi.Producer{RegionCode: code, Kind: kolaborasi.ProducerUMKM}, true, nil)
}

func (s *Server) uiProducerCreate(w http.ResponseWriter, r *http.Request) error {
	p := &kolaborasi.Producer{RegionCode: r.PathValue("code")}
	formProducer(r, p)
	if err := s.app.CreateProducer(r.Context(), p); err != nil {
		return s.producerForm(w, r, p, true, err)
	}
	return redirectFlash(w, r, "/produsen/"+strconv.FormatInt(p.ID, 10), "flash.producer_saved")
}

func (s *Server) uiProducerEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.producerFromPath(r)
	if err != nil {
		return err
	}
	if err := s.app.Check(r.Context(), app.ActProductEdit, p.RegionCode); err != nil {
		return err
	}
	return s.producerForm(w, r, p, false, nil)
}

func (s *Server) uiProducerUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.producerFromPath(r)
	if err != nil {
		return err
	}
	p := &kolaborasi.Producer{ID: old.ID, RegionCode: old.RegionCode}
	formProducer(r, p)
	if err := s.app.UpdateProducer(r.Context(), p); err != nil {
		return s.producerForm(w, r, p, false, err)
	}
	return redirectFlash(w, r, "/produsen/"+strconv.FormatInt(p.ID, 10), "flash.producer_saved")
}

type productFormPage struct {
	pageBase
	Region     *kolaborasi.Region
	P          *kolaborasi.Product
	IsNew      bool
	Producers  []*kolaborasi.Producer
	Categories []kolaborasi.ProductCategory
	CertKinds  []kolaborasi.CertKind
	Avail      []kolaborasi.Availability
	// CertRows are the certifications entered and two empty rows.
	CertRows []kolaborasi.Certification
	Message  string
	Errors   fieldErrors
}

// Action is where the form posts.
func (p productFormPage) Action() string {
	if p.IsNew {
		return "/kelola/" + p.Region.Code + "/produk"
	}
	return "/produk/" + strconv.FormatInt(p.P.ID, 10)
}

// Price shows a price in a form field ("" for none).
func (p productFormPage) Price(v int64) string {
	if v == 0 {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

func (s *Server) productForm(w http.ResponseWriter, r *http.Request, region string, pr *kolaborasi.Product, isNew bool, err error) error {
	code := kolaborasi.ErrorCode(err)
	if err != nil && code != kolaborasi.EINVALID && code != kolaborasi.ECONFLICT {
		return err
	}
	reg, rerr := s.app.Region(r.Context(), region)
	if rerr != nil {
		return rerr
	}
	producers, rerr := s.app.Producers(r.Context(), region)
	if rerr != nil {
		return rerr
	}
	p := productFormPage{pageBase: s.base(r, "kelola"), Region: reg, P: pr, IsNew: isNew, Producers: producers,
		Categories: kolaborasi.ProductCategories, CertKinds: kolaborasi.CertKinds, Avail: kolaborasi.Availabilities,
		CertRows: append(append([]kolaborasi.Certification{}, pr.Certifications...), kolaborasi.Certification{}, kolaborasi.Certification{})}
	status := http.StatusOK
	if err != nil {
		p.Message, p.Errors = p.tr.explain(err)
		status = map[string]int{kolaborasi.EINVALID: http.StatusBadRequest, kolaborasi.ECONFLICT: http.StatusConflict}[code]
	}
	return s.render(w, r, status, "product_form", p)
}

// formProduct reads the product form into p (its photos stay).
func formProduct(r *http.Request, p *kolaborasi.Product) {
	p.ProducerID, _ = strconv.ParseInt(r.PostFormValue("producer_id"), 10, 64)
	p.Name = kolaborasi.Texts{ID: r.PostFormValue("name_id"), EN: r.PostFormValue("name_en")}
	p.Description = kolaborasi.Texts{ID: r.PostFormValue("description_id"), EN: r.PostFormValue("description_en")}
	p.Category = kolaborasi.ProductCategory(r.PostFormValue("category"))
	p.PriceMin, p.PriceMax = optionalInt(r, "price_min_idr"), optionalInt(r, "price_max_idr")
	p.Unit, p.Availability = r.PostFormValue("unit"), kolaborasi.Availability(r.PostFormValue("availability"))
	p.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	p.Certifications = nil
	kinds, numbers, dates := r.PostForm["cert_kind"], r.PostForm["cert_number"], r.PostForm["cert_valid_until"]
	for i := range kinds {
		if i < len(numbers) && strings.TrimSpace(numbers[i]) != "" {
			c := kolaborasi.Certification{Kind: kolaborasi.CertKind(kinds[i]), Number: numbers[i]}
			if i < len(dates) {
				c.ValidUntil = strings.TrimSpace(dates[i])
			}
			p.Certifications = append(p.Certifications, c)
		}
	}
}

func (s *Server) uiProductNew(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	if err := s.app.Check(r.Context(), app.ActProductEdit, code); err != nil {
		return err
	}
	return s.productForm(w, r, code, &kolaborasi.Product{Availability: kolaborasi.Available}, true, nil)
}

// uiProductCreate adds a product of one of the region's producers (the app
// refuses a producer of another region) with an optional first photo.
func (s *Server) uiProductCreate(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	p := &kolaborasi.Product{}
	if err := r.ParseMultipartForm(1 << 20); err != nil && err != http.ErrNotMultipart {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	formProduct(r, p)
	photo, err := photoUpload(r)
	if err != nil {
		return s.productForm(w, r, code, p, true, err)
	}
	if err := s.app.CreateProduct(r.Context(), p); err != nil {
		return s.productForm(w, r, code, p, true, err)
	}
	if photo != nil {
		if _, err := s.app.AddProductPhoto(r.Context(), p.ID, photo); err != nil {
			// The product is saved: its edit form says why the photo was not.
			return s.productForm(w, r, code, p, false, err)
		}
	}
	return redirectFlash(w, r, "/produk/"+strconv.FormatInt(p.ID, 10), "flash.product_saved")
}

func (s *Server) uiProductEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.productFromPath(r)
	if err != nil {
		return err
	}
	if err := s.app.Check(r.Context(), app.ActProductEdit, p.RegionCode); err != nil {
		return err
	}
	return s.productForm(w, r, p.RegionCode, p, false, nil)
}

func (s *Server) uiProductUpdate(w http.ResponseWriter, r *http.Request) error {
	old, err := s.productFromPath(r)
	if err != nil {
		return err
	}
	p := &kolaborasi.Product{ID: old.ID, Photos: old.Photos}
	formProduct(r, p)
	if err := s.app.UpdateProduct(r.Context(), p); err != nil {
		return s.productForm(w, r, old.RegionCode, p, false, err)
	}
	return redirectFlash(w, r, "/produk/"+strconv.FormatInt(p.ID, 10), "flash.product_saved")
}
