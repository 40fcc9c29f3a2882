package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// productFixtures builds, for the authorisation matrix, the requests of
// the K6 routes: producers and products of the target region, and for
// featuring, a product of the region's partner under the demo KSB (Kota
// Blitar and Kota Bandung, the own and the other region of the matrix).
func productFixtures(t *testing.T, a *app.App, fresh func() string) map[string]func(*actor, string) request {
	newProducer := func(region string) *kolaborasi.Producer {
		p := &kolaborasi.Producer{RegionCode: region, Kind: kolaborasi.ProducerCreative, Name: "Sanggar " + fresh(), Subsector: "craft"}
		if err := a.CreateProducer(system, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newProduct := func(region string) *kolaborasi.Product {
		p := &kolaborasi.Product{ProducerID: newProducer(region).ID, Name: kolaborasi.Texts{ID: "Produk " + fresh()}, Category: "craft", Unit: "buah"}
		if err := a.CreateProduct(system, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	partner := func(region string) string {
		if region == ownRegion {
			return otherRegion
		}
		return ownRegion
	}
	featured := func(region string) int64 {
		p := newProduct(partner(region))
		if _, err := a.FeatureProduct(system, region, p.ID); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	productJSON := func(producer int64) string {
		return fmt.Sprintf(`{"producer_id":%d,"name":{"id":"Produk %s"},"category":"food","unit":"pak","price_min_idr":10000,`+
			`"certifications":[{"kind":"pirt","number":"206357201012325","valid_until":"2030-01-01"}],"version":1}`, producer, fresh())
	}
	return map[string]func(*actor, string) request{
		"GET /kelola/{code}/produk":        func(*actor, string) request { return request{} },
		"GET /kelola/{code}/produk/baru":   func(*actor, string) request { return request{} },
		"GET /kelola/{code}/produsen/baru": func(*actor, string) request { return request{} },
		"GET /produsen/{id}/ubah": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/produsen/%d/ubah", newProducer(region).ID)}
		},
		"POST /produsen/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/produsen/%d", newProducer(region).ID),
				form: url.Values{"kind": {"creative"}, "name": {"Sanggar " + fresh()}, "subsector": {"music"}, "version": {"1"}}}
		},
		"GET /produk/{id}/ubah": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/produk/%d/ubah", newProduct(region).ID)}
		},
		"POST /produk/{id}": func(_ *actor, region string) request {
			p := newProduct(region)
			return request{path: fmt.Sprintf("/produk/%d", p.ID), form: url.Values{"producer_id": {fmt.Sprint(p.ProducerID)},
				"name_id": {"Produk " + fresh()}, "category": {"craft"}, "unit": {"buah"}, "version": {"1"},
				"cert_kind": {"sni"}, "cert_number": {"SNI 7555:2010"}, "cert_valid_until": {""}}}
		},
		"POST /kelola/{code}/produsen": func(*actor, string) request {
			return request{form: url.Values{"kind": {"cooperative"}, "name": {"Koperasi " + fresh()}, "cooperative_type": {"producer"}, "members": {"20"}}}
		},
		"POST /produsen/{id}/verifikasi": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/produsen/%d/verifikasi", newProducer(region).ID), form: url.Values{"state": {"verified"}, "version": {"1"}}}
		},
		"POST /kelola/{code}/produk": func(_ *actor, region string) request {
			return request{multipart: true, file: "photo", form: url.Values{"producer_id": {fmt.Sprint(newProducer(region).ID)},
				"name_id": {"Produk " + fresh()}, "category": {"food"}, "unit": {"pak"}, "price_min_idr": {"15.000"}}}
		},
		"POST /produk/{id}/foto": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/produk/%d/foto", newProduct(region).ID), multipart: true, file: "photo"}
		},
		"POST /kelola/{code}/etalase/{product}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kelola/%s/etalase/%d", region, newProduct(partner(region)).ID)}
		},
		"POST /kelola/{code}/etalase/{product}/hapus": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kelola/%s/etalase/%d/hapus", region, featured(region))}
		},
		"POST /api/v1/producers": func(_ *actor, region string) request {
			return request{json: `{"region_code":"` + region + `","kind":"umkm","name":"UMKM ` + fresh() + `","capital_idr":50000000,"contact":{"phone":"0812 3456 7890"}}`}
		},
		"PUT /api/v1/producers/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/producers/%d", newProducer(region).ID),
				json: `{"region_code":"` + region + `","kind":"creative","name":"Sanggar ` + fresh() + `","subsector":"music","version":1}`}
		},
		"POST /api/v1/producers/{id}/verification": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/producers/%d/verification", newProducer(region).ID), json: `{"state":"verified","version":1}`}
		},
		"POST /api/v1/products": func(_ *actor, region string) request {
			return request{json: productJSON(newProducer(region).ID)}
		},
		"PUT /api/v1/products/{id}": func(_ *actor, region string) request {
			p := newProduct(region)
			return request{path: fmt.Sprintf("/api/v1/products/%d", p.ID), json: productJSON(p.ProducerID)}
		},
		"POST /api/v1/products/{id}/photos": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/products/%d/photos", newProduct(region).ID), raw: pngBytes(t), rawType: "image/png"}
		},
		"PUT /api/v1/regions/{code}/showcase/featured/{product}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/regions/%s/showcase/featured/%d", region, newProduct(partner(region)).ID)}
		},
		"DELETE /api/v1/regions/{code}/showcase/featured/{product}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/regions/%s/showcase/featured/%d", region, featured(region))}
		},
	}
}
