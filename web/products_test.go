package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
)

// section returns the part of a page from the element with the id to the
// end of its section.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no section %q on the page", id)
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// productID finds a demo product by its Indonesian name.
func productID(t *testing.T, ts *testServer, name string) int64 {
	t.Helper()
	res, err := ts.app.SearchProducts(t.Context(), app.ProductQuery{Q: `"` + name + `"`})
	if err != nil || res.Total == 0 {
		t.Fatalf("no product %q: %v", name, err)
	}
	for _, p := range res.Items {
		if p.Name.ID == name {
			return p.ID
		}
	}
	t.Fatalf("no product named %q", name)
	return 0
}

func TestShowcasePages(t *testing.T) {
	ts := newTestServer(t)
	_, home := get(t, nil, ts.URL+"/")
	if !strings.Contains(home, `href="/etalase"`) {
		t.Error("the header does not link the national showcase")
	}
	_, region := get(t, nil, ts.URL+"/wilayah/35.72")
	if !strings.Contains(region, `href="/wilayah/35.72/etalase"`) {
		t.Error("the region page does not link its showcase")
	}

	resp, body := get(t, nil, ts.URL+"/etalase")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Wajik kletik") || !strings.Contains(body, "Kain tenun ikat") ||
		!strings.Contains(body, "Sertifikasi") {
		t.Fatalf("national showcase: status %d", resp.StatusCode)
	}
	// Indonesian search behaviour: the stemmer and the category label.
	_, body = get(t, nil, ts.URL+"/etalase?q=sepatunya")
	if !strings.Contains(body, "Sepatu kulit pria") || strings.Contains(body, "Wajik kletik") {
		t.Error("search for sepatunya")
	}
	_, body = get(t, nil, ts.URL+"/etalase?q=minuman")
	if !strings.Contains(body, "Sirup belimbing") || strings.Contains(body, "Kaos sablon") {
		t.Error("search for the beverage category's label")
	}
	// The halal facet counts well-formed numbers only.
	_, body = get(t, nil, ts.URL+"/etalase?sertifikasi=halal")
	if !strings.Contains(body, "Wajik kletik") || strings.Contains(body, "Kendang jimbe ukir") {
		t.Error("halal facet")
	}
	_, body = get(t, nil, ts.URL+"/etalase?provinsi=32&pelaku=creative")
	if !strings.Contains(body, "Kaos sablon Bandung") || strings.Contains(body, "Sepatu kulit pria") || !strings.Contains(body, "1 produk ditemukan") {
		t.Error("province and producer kind facets")
	}

	// Bandung's showcase: its own products, and apart Blitar's featured
	// under the KSB.
	resp, body = get(t, nil, ts.URL+"/wilayah/32.73/etalase")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Bandung showcase: %d", resp.StatusCode)
	}
	partners := section(t, body, "mitra")
	own := body[:strings.Index(body, `id="mitra"`)]
	for _, name := range []string{"Wajik kletik", "Sambal pecel Blitar", "Sirup belimbing", "Belimbing segar"} {
		if !strings.Contains(partners, name) || strings.Contains(own, name) {
			t.Errorf("%s is not in the partner section only", name)
		}
	}
	if !strings.Contains(own, "Sepatu kulit pria") || strings.Contains(partners, "Sepatu kulit pria") || strings.Contains(partners, "Kendang jimbe") {
		t.Error("Bandung's own products")
	}
	if !strings.Contains(partners, "Kesepakatan Bersama") && !strings.Contains(partners, "/kerjasama/") {
		t.Error("featured products do not name their agreement")
	}

	// Product pages flag certifications: expired, malformed.
	_, body = get(t, nil, fmt.Sprintf("%s/produk/%d", ts.URL, productID(t, ts, "Sambal pecel Blitar")))
	if !strings.Contains(body, "masa berlaku habis") {
		t.Error("the expired P-IRT is not flagged")
	}
	_, body = get(t, nil, fmt.Sprintf("%s/produk/%d", ts.URL, productID(t, ts, "Kendang jimbe ukir")))
	if !strings.Contains(body, "nomor tidak sesuai format") || !strings.Contains(body, "bentuk nomor dan tanggal sesuai") {
		t.Error("the malformed halal number is not flagged, or the SNI not passed")
	}
	m := regexp.MustCompile(`href="/produsen/([0-9]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the product page does not link its producer")
	}
	_, body = get(t, nil, ts.URL+"/produsen/"+m[1])
	if !strings.Contains(body, "Sanggar Kriya Kendang Jimbe") || !strings.Contains(body, "https://wa.me/6281330000002") || !strings.Contains(body, "Kriya") {
		t.Error("producer page")
	}
	for _, bad := range []string{"/produk/999999", "/produk/abc", "/produsen/0", "/wilayah/99.99/etalase"} {
		if resp, _ := get(t, nil, ts.URL+bad); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", bad, resp.StatusCode)
		}
	}
}

func TestProductPagesInOneLanguage(t *testing.T) {
	ts := newTestServer(t)
	pid := productID(t, ts, "Kendang jimbe ukir")
	p, _ := ts.app.Product(t.Context(), pid)
	for _, lang := range []string{"id", "en"} {
		c := ts.client(t)
		c.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lang", Value: lang}})
		csrf := signInAs(t, ts, c, "umkm@blitarkota.test")
		pages := []string{"/etalase", "/etalase?q=kripik+-tempe", "/wilayah/32.73/etalase", "/wilayah/35.72/etalase",
			fmt.Sprintf("/produk/%d", pid), fmt.Sprintf("/produsen/%d", p.ProducerID), "/kelola/35.72/produk", "/produk/999999", "/ruang-kerja",
			"/kelola/35.72/produk/baru", "/kelola/35.72/produsen/baru", fmt.Sprintf("/produk/%d/ubah", pid), fmt.Sprintf("/produsen/%d/ubah", p.ProducerID)}
		for _, path := range pages {
			resp, body := get(t, c, ts.URL+path)
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: not marked lang=%s (status %d)", lang, path, lang, resp.StatusCode)
			}
			for _, s := range foreignSentences(body, lang) {
				t.Errorf("%s %s: sentence in the other language: %q", lang, path, s)
			}
		}
		// A refused form shows its messages in the page's language.
		resp, body := postForm(t, c, ts.URL+"/kelola/35.72/produsen", url.Values{"csrf": {csrf}, "kind": {"umkm"}, "name": {"x"},
			"phone": {"12"}, "capital_idr": {"60000000000"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: invalid producer: status %d", lang, resp.StatusCode)
		}
		for _, s := range foreignSentences(body, lang) {
			t.Errorf("%s refused producer form: sentence in the other language: %q", lang, s)
		}
		want := map[string]string{"id": "bukan nomor telepon Indonesia", "en": "not an Indonesian phone number"}[lang]
		if !strings.Contains(body, want) {
			t.Errorf("%s: the phone's message %q is not beside the field", lang, want)
		}
	}
}

// photoPNG is a small real photo-like PNG.
func photoPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 3), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postMultipart posts a form with a file field from a signed-in client.
func postMultipart(t *testing.T, c *http.Client, u string, form url.Values, field, filename string, data []byte) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, filename)
	fw.Write(data)
	mw.Close()
	r, err := http.NewRequest("POST", u, &b)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return send(t, c, r)
}

// A Blitar editor adds a product with a photo through the form; Bandung's
// editor features it under the KSB, and it shows in Bandung's showcase
// until the KSB ends.
func TestBlitarProductFeaturedInBandung(t *testing.T) {
	ts := newTestServer(t)
	blitar := ts.client(t)
	csrf := signInAs(t, ts, blitar, "umkm@blitarkota.test")
	_, ws := get(t, blitar, ts.URL+"/ruang-kerja")
	if !strings.Contains(ws, `href="/kelola/35.72/produk/baru"`) {
		t.Error("the workspace does not offer adding products")
	}
	producers, _ := ts.app.Producers(t.Context(), demo.Blitar)
	form := url.Values{"csrf": {csrf}, "producer_id": {fmt.Sprint(producers[0].ID)}, "name_id": {"Kopi Lereng Kelud"},
		"description_id": {"Kopi robusta sangrai dari petani sekitar Blitar."}, "category": {"beverage"}, "price_min_idr": {"45.000"},
		"price_max_idr": {"60.000"}, "unit": {"pak 250 g"}, "availability": {"available"},
		"cert_kind": {"pirt", "halal"}, "cert_number": {"206357201000327", "12"}, "cert_valid_until": {"2030-01-01", ""}}
	resp, _ := postMultipart(t, blitar, ts.URL+"/kelola/35.72/produk", form, "photo", "kopi.png", photoPNG(t, 800, 600))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/produk/") {
		t.Fatalf("add product: status %d, location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	productURL := resp.Header.Get("Location")
	_, body := get(t, blitar, ts.URL+productURL)
	if !strings.Contains(body, "Kopi Lereng Kelud") || !strings.Contains(body, `src="/berkas/`) || !strings.Contains(body, "nomor tidak sesuai format") {
		t.Error("product page lacks the name, the photo or the flag of the malformed halal number")
	}
	thumb := regexp.MustCompile(`src="(/berkas/[0-9a-f]{64})"`).FindStringSubmatch(body)
	if r, img := get(t, nil, ts.URL+thumb[1]); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(img, "\xff\xd8") {
		t.Errorf("thumbnail: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	// A script renamed .jpg is refused with the reason beside the field.
	resp, body = postMultipart(t, blitar, ts.URL+productURL+"/foto", url.Values{"csrf": {csrf}}, "photo", "foto.jpg", []byte("<?php system($_GET['c']); ?>"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "bukan foto JPEG, PNG, atau WebP") {
		t.Errorf("script as a photo: status %d", resp.StatusCode)
	}

	// Bandung's editor features it.
	bandung := ts.client(t)
	bcsrf := signInAs(t, ts, bandung, "diskominfo@bandung.test")
	id := strings.TrimPrefix(productURL, "/produk/")
	_, manage := get(t, bandung, ts.URL+"/kelola/32.73/produk")
	if !strings.Contains(section(t, manage, "tampilkan"), "Kopi Lereng Kelud") {
		t.Fatal("the product is not offered to Bandung's editor")
	}
	_, before := get(t, nil, ts.URL+"/wilayah/32.73/etalase")
	if strings.Contains(before, "Kopi Lereng Kelud") {
		t.Fatal("shown before it was featured")
	}
	resp, _ = postForm(t, bandung, ts.URL+"/kelola/32.73/etalase/"+id, url.Values{"csrf": {bcsrf}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("feature: status %d", resp.StatusCode)
	}
	_, after := get(t, nil, ts.URL+"/wilayah/32.73/etalase")
	if !strings.Contains(section(t, after, "mitra"), "Kopi Lereng Kelud") {
		t.Error("the featured product is not in Bandung's partner section")
	}
	// Blitar's editor may not feature in Bandung's showcase.
	resp, _ = postForm(t, blitar, ts.URL+"/kelola/32.73/etalase/"+id, url.Values{"csrf": {csrf}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Blitar featuring for Bandung: status %d", resp.StatusCode)
	}

	// The KSB is terminated: the featured products leave the page.
	ags, _ := ts.app.Agreements(t.Context(), kolaborasi.AgreementFilter{Region: demo.Bandung})
	coord := makeUser(t, ts.app, "kerjasama2@bandung.test", demo.Bandung, kolaborasi.RoleCoordinator)
	if err := ts.app.MoveAgreement(as(coord), ags[0].ID, kolaborasi.StatusTerminated); err != nil {
		t.Fatal(err)
	}
	_, ended := get(t, nil, ts.URL+"/wilayah/32.73/etalase")
	if strings.Contains(section(t, ended, "mitra"), "Kopi Lereng Kelud") || strings.Contains(ended, "Wajik kletik") {
		t.Error("featured products still show after the agreement ended")
	}
}

func TestProductAPI(t *testing.T) {
	ts := newTestServer(t)
	editor := makeUser(t, ts.app, "api-editor@k6.test", demo.Blitar, kolaborasi.RoleEditor)
	token, _, err := ts.app.CreateAPIToken(as(editor), "k6", []string{"read", "write"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, ct string, body []byte) (*http.Response, string) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		r, _ := http.NewRequest(method, ts.URL+path, rd)
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		r.Header.Set("Authorization", "Bearer "+token)
		return send(t, nil, r)
	}
	resp, body := call("GET", "/api/v1/products?q=ketan&certification=halal,pirt", "", nil)
	list := decode[struct {
		Data  []kolaborasi.Product
		Total int
	}](t, body)
	if resp.StatusCode != 200 || list.Total != 1 || list.Data[0].Name.ID != "Wajik kletik" {
		t.Fatalf("search: %d %s", resp.StatusCode, body)
	}
	_, body = call("GET", fmt.Sprintf("/api/v1/products/%d", productID(t, ts, "Sambal pecel Blitar")), "", nil)
	if !strings.Contains(body, `"flag":"expired"`) {
		t.Errorf("the API does not flag the expired certification: %s", body)
	}
	resp, body = call("GET", "/api/v1/products?category=nope", "", nil)
	if resp.StatusCode != 400 {
		t.Errorf("bad facet value: %d %s", resp.StatusCode, body)
	}

	resp, body = call("POST", "/api/v1/producers", "application/json",
		[]byte(`{"region_code":"35.72","kind":"umkm","name":"UMKM Uji","annual_sales_idr":3000000000,"contact":{"phone":"+62 812-1111-2222"}}`))
	pr := decode[struct{ Data map[string]any }](t, body).Data
	if resp.StatusCode != 201 || pr["umkm_class"] != "small" || pr["whatsapp"] != "https://wa.me/6281211112222" {
		t.Fatalf("create producer: %d %s", resp.StatusCode, body)
	}
	resp, body = call("POST", "/api/v1/products", "application/json",
		[]byte(fmt.Sprintf(`{"producer_id":%v,"name":{"id":"Kripik uji"},"category":"food","unit":"pak","certifications":[{"kind":"bpom","number":"MD 1"}]}`, pr["id"])))
	if resp.StatusCode != 201 || !strings.Contains(body, `"flag":"malformed"`) {
		t.Fatalf("create product: %d %s", resp.StatusCode, body)
	}
	pid := decode[struct{ Data kolaborasi.Product }](t, body).Data.ID
	resp, body = call("POST", fmt.Sprintf("/api/v1/products/%d/photos", pid), "image/jpeg", []byte("#!/bin/sh\necho owned\n"))
	pb := decode[problem](t, body)
	if resp.StatusCode != 400 || len(pb.Errors) == 0 || pb.Errors[0].Field != "photo" {
		t.Errorf("script as a photo: %d %s", resp.StatusCode, body)
	}
	resp, body = call("POST", fmt.Sprintf("/api/v1/products/%d/photos", pid), "image/png", photoPNG(t, 400, 300))
	if resp.StatusCode != 201 || !strings.Contains(body, `"width":400`) {
		t.Errorf("photo: %d %s", resp.StatusCode, body)
	}

	resp, body = call("GET", "/api/v1/regions/32.73/showcase", "", nil)
	sc := decode[struct {
		Featured []struct {
			Product     kolaborasi.Product
			AgreementID int64 `json:"agreement_id"`
		}
		Products struct{ Total int }
	}](t, body)
	if resp.StatusCode != 200 || len(sc.Featured) != 4 || sc.Products.Total != 2 {
		t.Errorf("Bandung showcase: %d %s", resp.StatusCode, body)
	}
	// Blitar's editor features a Bandung product in Blitar's showcase.
	bandungProduct := productID(t, ts, "Sepatu kulit pria")
	resp, body = call("PUT", fmt.Sprintf("/api/v1/regions/35.72/showcase/featured/%d", bandungProduct), "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `"agreement_id"`) {
		t.Errorf("feature: %d %s", resp.StatusCode, body)
	}
	resp, _ = call("PUT", fmt.Sprintf("/api/v1/regions/35.72/showcase/featured/%d", productID(t, ts, "Keripik tempe")), "", nil)
	if resp.StatusCode != 400 {
		t.Errorf("featuring without an agreement: %d", resp.StatusCode)
	}
	resp, _ = call("DELETE", fmt.Sprintf("/api/v1/regions/35.72/showcase/featured/%d", bandungProduct), "", nil)
	if resp.StatusCode != 204 {
		t.Errorf("unfeature: %d", resp.StatusCode)
	}
}

// An editor changes a product on its form: the form is filled with the
// stored values, a refused entry comes back with what was entered, a
// stale version conflicts, and the photos stay.
func TestProductEditForm(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	csrf := signInAs(t, ts, c, "umkm@blitarkota.test")
	pid := productID(t, ts, "Wajik kletik")
	if _, err := ts.app.AddProductPhoto(as(makeUser(t, ts.app, "photo-editor@k6.test", demo.Blitar, kolaborasi.RoleEditor)), pid, photoPNG(t, 300, 200)); err != nil {
		t.Fatal(err)
	}
	p, _ := ts.app.Product(t.Context(), pid)
	editURL := fmt.Sprintf("%s/produk/%d/ubah", ts.URL, pid)
	_, body := get(t, c, editURL)
	if !strings.Contains(body, `value="Wajik kletik"`) || !strings.Contains(body, `value="206357201000125"`) && !strings.Contains(body, `value="P-IRT No. 206357201000125"`) {
		t.Fatal("the edit form is not filled with the product")
	}
	form := url.Values{"csrf": {csrf}, "version": {fmt.Sprint(p.Version)}, "producer_id": {fmt.Sprint(p.ProducerID)},
		"name_id": {"Wajik kletik gula aren"}, "category": {"food"}, "unit": {""}, "price_min_idr": {"15000"}}
	resp, body := postForm(t, c, fmt.Sprintf("%s/produk/%d", ts.URL, pid), form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="Wajik kletik gula aren"`) || !strings.Contains(body, "wajib diisi") {
		t.Fatalf("invalid edit: status %d", resp.StatusCode)
	}
	form.Set("unit", "pak")
	if resp, _ = postForm(t, c, fmt.Sprintf("%s/produk/%d", ts.URL, pid), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: status %d", resp.StatusCode)
	}
	got, _ := ts.app.Product(t.Context(), pid)
	if got.Name.ID != "Wajik kletik gula aren" || len(got.Photos) != 1 || got.Version != p.Version+1 || len(got.Certifications) != 0 {
		t.Errorf("after the edit: %+v", got)
	}
	if resp, body = postForm(t, c, fmt.Sprintf("%s/produk/%d", ts.URL, pid), form); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "diubah orang lain") {
		t.Errorf("stale edit: status %d", resp.StatusCode)
	}
}
