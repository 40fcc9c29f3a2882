package app_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func regionUser(id int64, region string, roles ...kolaborasi.Role) *kolaborasi.User {
	return &kolaborasi.User{ID: id, Name: fmt.Sprintf("user %d", id), RegionCode: region, Roles: roles, Status: kolaborasi.UserActive}
}

func newProducer(region string) *kolaborasi.Producer {
	return &kolaborasi.Producer{RegionCode: region, Kind: kolaborasi.ProducerUMKM, Name: "Kripik Sukun", Capital: 300_000_000,
		Contact: kolaborasi.ProducerContact{Phone: "0812 3456 7890"}}
}

func TestProductsAuthzAndCertificationFlags(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		editor := regionUser(9, "35.72", kolaborasi.RoleEditor)
		admin := regionUser(10, "35.72", kolaborasi.RoleRegionAdmin)
		coordinator := regionUser(11, "35.72", kolaborasi.RoleCoordinator)
		viewer := regionUser(12, "35.72", kolaborasi.RoleViewer)
		other := regionUser(13, "32.73", kolaborasi.RoleEditor, kolaborasi.RoleRegionAdmin)
		platform := &kolaborasi.User{ID: 14, Name: "Admin", Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}, Status: kolaborasi.UserActive}

		wantCode(t, a.CreateProducer(context.Background(), newProducer("35.72")), kolaborasi.EUNAUTHORIZED)
		for _, u := range []*kolaborasi.User{coordinator, viewer, other, platform} {
			wantCode(t, a.CreateProducer(as(u), newProducer("35.72")), kolaborasi.EFORBIDDEN)
		}
		pr := newProducer("35.72")
		pr.Synthetic = true // only the System actor marks data synthetic
		if err := a.CreateProducer(as(editor), pr); err != nil {
			t.Fatal(err)
		}
		if pr.Class != kolaborasi.UMKMMicro || pr.Verification != kolaborasi.Unverified || pr.Contact.Phone != "+6281234567890" || pr.Synthetic {
			t.Errorf("created producer = %+v", pr)
		}
		bad := newProducer("35.72")
		bad.Capital, bad.Contact.Phone = 0, "12"
		err := a.CreateProducer(as(editor), bad)
		wantCode(t, err, kolaborasi.EINVALID)
		if f := err.(*kolaborasi.Error).Fields; f["capital_idr"] == "" || f["phone"] == "" {
			t.Errorf("fields = %v", f)
		}

		// Verification: the region's editors, not its admin or others.
		for _, u := range []*kolaborasi.User{admin, coordinator, other} {
			_, err := a.VerifyProducer(as(u), pr.ID, pr.Version, kolaborasi.Verified)
			wantCode(t, err, kolaborasi.EFORBIDDEN)
		}
		v, err := a.VerifyProducer(as(editor), pr.ID, pr.Version, kolaborasi.Verified)
		if err != nil || v.Verification != kolaborasi.Verified || v.VerifiedByID != editor.ID || !v.VerifiedAt.Equal(testNow) {
			t.Fatalf("VerifyProducer = %+v, %v", v, err)
		}
		_, err = a.VerifyProducer(as(editor), pr.ID, pr.Version, kolaborasi.Verified) // stale version
		wantCode(t, err, kolaborasi.ECONFLICT)
		// An edit makes it unverified again; region and kind stay.
		v.Name = "Kripik Sukun Bu Sri"
		if err := a.UpdateProducer(as(admin), v); err != nil || v.Verification != kolaborasi.Unverified || v.VerifiedBy != "" {
			t.Fatalf("UpdateProducer = %v, %+v", err, v)
		}
		v.Kind = kolaborasi.ProducerCreative
		wantCode(t, a.UpdateProducer(as(admin), v), kolaborasi.EINVALID)

		p := &kolaborasi.Product{ProducerID: pr.ID, Name: kolaborasi.Texts{ID: "Kripik sukun"}, Category: "food", PriceMin: 15000, Unit: "pak",
			Certifications: []kolaborasi.Certification{
				{Kind: kolaborasi.CertPIRT, Number: "206357201012325", ValidUntil: "2030-01-01"},
				{Kind: kolaborasi.CertBPOM, Number: "MD 1234", ValidUntil: "2030-01-01"},
				{Kind: kolaborasi.CertHalal, Number: "ID35110000123450821", ValidUntil: "2025-01-01"},
			}}
		wantCode(t, a.CreateProduct(as(other), p), kolaborasi.EFORBIDDEN)
		if err := a.CreateProduct(as(editor), p); err != nil {
			t.Fatal(err)
		}
		got, err := a.Product(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		flags := []kolaborasi.CertFlag{}
		for _, c := range got.Certifications {
			flags = append(flags, c.Problem)
		}
		if !slices.Equal(flags, []kolaborasi.CertFlag{"", kolaborasi.CertMalformed, kolaborasi.CertExpired}) {
			t.Errorf("flags = %v", flags)
		}
		if got.RegionCode != "35.72" || got.ProducerKind != kolaborasi.ProducerUMKM || got.PriceMax != 15000 {
			t.Errorf("product = %+v", got)
		}
		// Flags are never stored: saving what was read keeps them computed.
		if err := a.UpdateProduct(as(editor), got); err != nil {
			t.Fatal(err)
		}
		stored, _ := db.Store().FindProduct(context.Background(), p.ID)
		for _, c := range stored.Certifications {
			if c.Problem != "" {
				t.Errorf("stored flag %q", c.Problem)
			}
		}
		// A product of another region's producer is refused.
		p2 := &kolaborasi.Product{ProducerID: pr.ID, Name: kolaborasi.Texts{ID: "x"}, Category: "food", Unit: "pak"}
		wantCode(t, a.CreateProduct(as(other), p2), kolaborasi.EFORBIDDEN)
		p2.ProducerID = 999999
		wantCode(t, a.CreateProduct(as(editor), p2), kolaborasi.EINVALID)

		trail, err := a.AuditTrail(as(admin), "35.72", 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"product.edit", "producer.verify"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit trail %v lacks %s", actions, want)
			}
		}
	})
}

// pngOf encodes a w×h image.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 100, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a valid PNG signature and IHDR chunk announcing a w×h image,
// followed by a tiny IDAT: a decompression bomb's header.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		b.Write(c)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestProductPhotos(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		editor := regionUser(9, "35.72", kolaborasi.RoleEditor)
		pr := newProducer("35.72")
		if err := a.CreateProducer(as(editor), pr); err != nil {
			t.Fatal(err)
		}
		p := &kolaborasi.Product{ProducerID: pr.ID, Name: kolaborasi.Texts{ID: "Kripik"}, Category: "food", Unit: "pak"}
		if err := a.CreateProduct(as(editor), p); err != nil {
			t.Fatal(err)
		}
		// A script named .jpg, an HTML page, a JPEG header on a script, a
		// truncated JPEG, a decompression bomb.
		var jb bytes.Buffer
		if err := jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 64, 64)), nil); err != nil {
			t.Fatal(err)
		}
		for name, data := range map[string][]byte{
			"script.jpg":    []byte("#!/bin/sh\nrm -rf /\n"),
			"page.jpg":      []byte("<html><script>alert(1)</script></html>"),
			"polyglot.jpg":  append([]byte("\xff\xd8\xff\xe0"), []byte("<script>alert(1)</script>")...),
			"truncated.jpg": jb.Bytes()[:jb.Len()/2],
			"bomb.png":      pngBomb(50000, 50000),
			"wide.png":      pngBomb(9000, 10),
			"empty":         nil,
		} {
			_, err := a.AddProductPhoto(as(editor), p.ID, data)
			wantCode(t, err, kolaborasi.EINVALID)
			if e := err.(*kolaborasi.Error); e.Fields["photo"] == "" {
				t.Errorf("%s: no field message: %v", name, e)
			} else if strings.HasSuffix(name, ".png") != strings.Contains(e.Message, "megapixels") {
				// Bombs are refused by their header's dimensions.
				t.Errorf("%s: %s", name, e.Message)
			}
		}
		_, err := a.AddProductPhoto(as(regionUser(13, "32.73", kolaborasi.RoleEditor)), p.ID, pngOf(t, 40, 30))
		wantCode(t, err, kolaborasi.EFORBIDDEN)

		got, err := a.AddProductPhoto(as(editor), p.ID, pngOf(t, 1200, 600))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Photos) != 1 || got.Photos[0].Width != 1200 || got.Version != 2 {
			t.Fatalf("photos = %+v", got.Photos)
		}
		for sha, wantW := range map[string]int{got.Photos[0].Small: 320, got.Photos[0].Large: 960} {
			f, err := a.File(context.Background(), sha)
			if err != nil || f.ContentType != "image/jpeg" {
				t.Fatalf("thumbnail %s: %v %v", sha, f, err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(f.Data))
			if err != nil || format != "jpeg" || cfg.Width != wantW || cfg.Height != wantW/2 {
				t.Errorf("thumbnail = %s %dx%d, %v; want %d wide", format, cfg.Width, cfg.Height, err, wantW)
			}
		}
		// A small photo is not enlarged.
		got, err = a.AddProductPhoto(as(editor), p.ID, pngOf(t, 100, 50))
		if err != nil || got.Photos[1].Small != got.Photos[1].Large {
			t.Errorf("small photo: %+v, %v", got.Photos, err)
		}
	})
}

func TestFeaturingFollowsTheAgreement(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		s := newSeeded(t, db)
		ctx := context.Background()
		bandungEditor := s.as(t, "diskominfo@bandung.test")
		blitarEditor := s.as(t, "umkm@blitarkota.test")

		sc, err := s.a.RegionShowcase(ctx, demo.Bandung, app.ProductQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Featured) != 4 || sc.Own.Total != 2 {
			t.Fatalf("Bandung showcase: %d featured, %d own", len(sc.Featured), sc.Own.Total)
		}
		for _, f := range sc.Featured {
			if f.Product.RegionCode != demo.Blitar || f.Agreement.ID != s.ksb.ID {
				t.Errorf("featured %+v", f)
			}
		}

		// A Blitar editor adds a product; Bandung's editor features it.
		blitarProducers, _ := s.a.Producers(ctx, demo.Blitar)
		p := &kolaborasi.Product{ProducerID: blitarProducers[0].ID, Name: kolaborasi.Texts{ID: "Kopi Blitar"}, Category: "beverage", Unit: "pak"}
		if err := s.a.CreateProduct(blitarEditor, p); err != nil {
			t.Fatal(err)
		}
		cands, err := s.a.FeatureCandidates(bandungEditor, demo.Bandung)
		if err != nil || !slices.ContainsFunc(cands, func(c app.FeaturedProduct) bool { return c.Product.ID == p.ID && c.Feature == nil }) {
			t.Fatalf("candidates = %v, %v", cands, err)
		}
		_, err = s.a.FeatureCandidates(blitarEditor, demo.Bandung)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		_, err = s.a.FeatureProduct(blitarEditor, demo.Bandung, p.ID)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		_, err = s.a.FeatureProduct(s.as(t, "kerjasama@bandung.test"), demo.Bandung, p.ID)
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		f, err := s.a.FeatureProduct(bandungEditor, demo.Bandung, p.ID)
		if err != nil || f.AgreementID != s.ksb.ID {
			t.Fatalf("FeatureProduct = %+v, %v", f, err)
		}
		// Its own product, or a product of a region without an agreement
		// (Kabupaten Malang only witnessed the KSB), cannot be featured.
		own, _ := s.a.SearchProducts(ctx, app.ProductQuery{Facets: map[string][]string{"region": {demo.Bandung}}})
		_, err = s.a.FeatureProduct(bandungEditor, demo.Bandung, own.Items[0].ID)
		wantCode(t, err, kolaborasi.EINVALID)
		malang, _ := s.a.SearchProducts(ctx, app.ProductQuery{Facets: map[string][]string{"region": {demo.Malang}}})
		_, err = s.a.FeatureProduct(bandungEditor, demo.Bandung, malang.Items[0].ID)
		wantCode(t, err, kolaborasi.EINVALID)
		// Blitar has featured nothing; it may feature Bandung's products.
		if sc, _ := s.a.RegionShowcase(ctx, demo.Blitar, app.ProductQuery{}); len(sc.Featured) != 0 || sc.Own.Total != 6 {
			t.Errorf("Blitar showcase: %d featured, %d own", len(sc.Featured), sc.Own.Total)
		}
		if _, err := s.a.FeatureProduct(blitarEditor, demo.Blitar, own.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		sc, _ = s.a.RegionShowcase(ctx, demo.Bandung, app.ProductQuery{})
		if len(sc.Featured) != 5 || sc.Featured[0].Product.ID != p.ID {
			t.Fatalf("after featuring: %d featured", len(sc.Featured))
		}
		if err := s.a.UnfeatureProduct(bandungEditor, demo.Bandung, p.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.a.UnfeatureProduct(bandungEditor, demo.Bandung, p.ID), kolaborasi.ENOTFOUND)

		// The agreement ends: featuring ends with it, when read.
		if err := s.a.MoveAgreement(s.as(t, "kerjasama@bandung.test"), s.ksb.ID, kolaborasi.StatusTerminated); err != nil {
			t.Fatal(err)
		}
		sc, _ = s.a.RegionShowcase(ctx, demo.Bandung, app.ProductQuery{})
		if len(sc.Featured) != 0 {
			t.Errorf("%d products featured after the agreement was terminated", len(sc.Featured))
		}
		_, err = s.a.FeatureProduct(bandungEditor, demo.Bandung, p.ID)
		wantCode(t, err, kolaborasi.EINVALID)
		if cands, err := s.a.FeatureCandidates(bandungEditor, demo.Bandung); err != nil || len(cands) != 0 {
			t.Errorf("candidates after termination = %d, %v", len(cands), err)
		}
	})
}

func TestScopeAllowsFeaturing(t *testing.T) {
	for scope, want := range map[string]bool{
		"Pengembangan Usaha Kecil dan Menengah": true,
		"Ekonomi Kreatif":                       true,
		"koperasi":                              true,
		"Pemberdayaan UMKM":                     true,
		"Smart City":                            false,
		"E-Government":                          false,
		"Perkoperasian":                         false, // not the word koperasi alone
		"Smesta":                                false,
	} {
		if got := app.ScopeAllowsFeaturing([]string{scope}); got != want {
			t.Errorf("ScopeAllowsFeaturing(%q) = %v", scope, got)
		}
	}
}

// productSummary is what an index search must share with the database
// search (as resultSummary for solutions).
func productSummary(q app.ProductQuery, r *app.ProductResults, err error) string {
	if err != nil {
		return "error " + kolaborasi.ErrorCode(err)
	}
	var got []int64
	for _, p := range r.Items {
		got = append(got, p.ID)
	}
	if q.Sort == kolaborasi.SortRelevance || q.Sort == "" && q.Q != "" {
		if r.Total > q.Size {
			got = nil
		}
		slices.Sort(got)
	}
	return fmt.Sprintf("total %d ids %v facets %v next %q", r.Total, got, r.Facets, r.Next)
}

// TestProductIndexPropertyAgainstSQL makes random product writes (new
// products, edits of names, categories and certifications, products of
// new producers) and after each asks the in-process index and the
// database the same queries: the answers must be equal.
func TestProductIndexPropertyAgainstSQL(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		steps := 40
		if testing.Short() {
			steps = 12
		}
		newApp(t, db)
		indexed := app.New(db.Store(), app.WithClock(func() time.Time { return testNow }))
		direct := app.New(db.Store(), app.WithoutCatalogIndex())
		sys := as(kolaborasi.System)
		r := rand.New(rand.NewPCG(6, 2026))
		regions := []string{"35.72", "32.73", "35.07"}
		words := []string{"kripik", "sambal", "batik", "kopi", "belimbing", "tenun", "sepatu", "kulit", "manis", "pedas"}
		cats := kolaborasi.ProductCategories
		var producers []*kolaborasi.Producer
		var products []*kolaborasi.Product
		text := func(n int) string {
			var ws []string
			for range n {
				ws = append(ws, words[r.IntN(len(words))])
			}
			return strings.Join(ws, " ")
		}
		certs := func() []kolaborasi.Certification {
			var out []kolaborasi.Certification
			if r.IntN(2) == 0 {
				out = append(out, kolaborasi.Certification{Kind: kolaborasi.CertPIRT, Number: "206357201012325"})
			}
			if r.IntN(3) == 0 {
				out = append(out, kolaborasi.Certification{Kind: kolaborasi.CertHalal, Number: "ID35110000123450821"})
			}
			if r.IntN(4) == 0 {
				out = append(out, kolaborasi.Certification{Kind: kolaborasi.CertBPOM, Number: "MD1"}) // malformed: no facet
			}
			return out
		}
		queries := []app.ProductQuery{
			{Size: 5}, {Size: 50},
			{Q: "kripik", Size: 50},
			{Q: "kopi OR batik", Size: 5, Sort: kolaborasi.SortNewest},
			{Q: "manis -pedas", Size: 50},
			{Q: `"sambal pedas"`, Size: 50},
			{Q: "makanan", Size: 50}, // the label of the food category
			{Q: "koperasi", Size: 50},
			{Facets: map[string][]string{"certification": {"halal", "bpom"}}, Size: 50},
			{Facets: map[string][]string{"province": {"35"}, "producer_kind": {"cooperative"}}, Size: 5},
			{Q: "belimbing", Facets: map[string][]string{"category": {"food", "beverage"}}, Size: 50},
			{Size: 5, After: "bzc"},
			{Facets: map[string][]string{"category": {"nope"}}},
		}
		// After a write through the other App (another server copy) a
		// search waits at most a few milliseconds for the index to catch
		// up, then answers from the snapshot before it and counts itself
		// late: on a busy machine (the race detector, CI) that happens. A
		// late answer may differ, and the index must then agree within a
		// second; any other difference fails at once.
		check := func(step int) {
			for _, q := range queries {
				deadline := time.Now().Add(time.Second)
				for {
					late := indexed.ProductIndexStats().Late
					ri, erri := indexed.SearchProducts(context.Background(), q)
					rd, errd := direct.SearchProducts(context.Background(), q)
					gi, gd := productSummary(q, ri, erri), productSummary(q, rd, errd)
					if gi == gd {
						break
					}
					if indexed.ProductIndexStats().Late == late || time.Now().After(deadline) {
						t.Fatalf("step %d, query %+v:\nindex %s\n  sql %s", step, q, gi, gd)
					}
					time.Sleep(time.Millisecond)
				}
			}
		}
		for step := range steps {
			switch k := r.IntN(10); {
			case len(producers) == 0 || k == 0:
				pr := &kolaborasi.Producer{RegionCode: regions[r.IntN(len(regions))], Kind: kolaborasi.ProducerKinds[r.IntN(3)],
					Name: "Produsen " + text(1), Capital: 100_000_000, Subsector: "craft", CoopType: "producer", Members: 20}
				if err := indexed.CreateProducer(sys, pr); err != nil {
					t.Fatal(err)
				}
				producers = append(producers, pr)
			case len(products) == 0 || k < 6:
				p := &kolaborasi.Product{ProducerID: producers[r.IntN(len(producers))].ID, Name: kolaborasi.Texts{ID: text(2)},
					Description: kolaborasi.Texts{ID: text(5), EN: "sweet chips"}, Category: cats[r.IntN(len(cats))], Unit: "pak",
					Certifications: certs()}
				// Alternate the writer: the index catches up either way.
				w := indexed
				if step%3 == 0 {
					w = direct
				}
				if err := w.CreateProduct(sys, p); err != nil {
					t.Fatal(err)
				}
				products = append(products, p)
			default:
				p := products[r.IntN(len(products))]
				p.Name.ID, p.Category, p.Certifications = text(2), cats[r.IntN(len(cats))], certs()
				if err := indexed.UpdateProduct(sys, p); err != nil {
					t.Fatal(err)
				}
			}
			check(step)
		}
	})
}

// Stored product terms made by another analysis are analysed again at
// start, like solutions'.
func TestProductTermsAreAnalysedAgain(t *testing.T) {
	regions.Engines(t, func(t *testing.T, db *store.DB) {
		a := newApp(t, db)
		editor := regionUser(9, "35.72", kolaborasi.RoleEditor)
		pr := newProducer("35.72")
		if err := a.CreateProducer(as(editor), pr); err != nil {
			t.Fatal(err)
		}
		p := &kolaborasi.Product{ProducerID: pr.ID, Name: kolaborasi.Texts{ID: "Kripik pisang"}, Category: "food", Unit: "pak"}
		if err := a.CreateProduct(as(editor), p); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		// Terms of an older analysis: nothing is found by its name.
		if _, err := db.Store().ReanalyseProducts(ctx, func(*kolaborasi.Product) string { return "lama" }); err != nil {
			t.Fatal(err)
		}
		if err := db.Store().SetMeta(ctx, "product_terms_version", "analyzer 0"); err != nil {
			t.Fatal(err)
		}
		direct := app.New(db.Store(), app.WithoutCatalogIndex())
		if res, _ := direct.SearchProducts(ctx, app.ProductQuery{Q: "pisang"}); res.Total != 0 {
			t.Fatalf("found %d with the old terms", res.Total)
		}
		if _, err := direct.LoadReferenceData(ctx); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"pisang", "makanan", "blitar"} {
			if res, err := direct.SearchProducts(ctx, app.ProductQuery{Q: q}); err != nil || res.Total != 1 {
				t.Errorf("search %q after re-analysis: %v, %v", q, res, err)
			}
		}
	})
}
