package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// testProducts covers producers, products, their search and features (K6).
func testProducts(t *testing.T, s kolaborasi.Store) {
	ctx := context.Background()
	u, _ := agreementFixture(t, s)
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

	pr := &kolaborasi.Producer{RegionCode: "35.72", Kind: kolaborasi.ProducerUMKM, Name: "Kripik Sukun Bu Sri",
		Capital: 200_000_000, Class: kolaborasi.UMKMMicro, Verification: kolaborasi.Unverified,
		Contact: kolaborasi.ProducerContact{Phone: "+6281234567890"}, UpdatedAt: at}
	if err := s.CreateProducer(ctx, pr); err != nil {
		t.Fatal(err)
	}
	coop := &kolaborasi.Producer{RegionCode: "35.72", Kind: kolaborasi.ProducerCooperative, Name: "Koperasi Penataran",
		CoopType: "producer", Members: 40, Verification: kolaborasi.Unverified, UpdatedAt: at}
	bdg := &kolaborasi.Producer{RegionCode: "32.73", Kind: kolaborasi.ProducerCreative, Name: "Kriya Bandung",
		Subsector: "craft", Verification: kolaborasi.Unverified, UpdatedAt: at}
	for _, p := range []*kolaborasi.Producer{coop, bdg} {
		if err := s.CreateProducer(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.FindProducer(ctx, pr.ID)
	if err != nil || got.Name != pr.Name || got.Version != 1 || !got.CreatedAt.Equal(at) || got.Contact.Phone != "+6281234567890" || got.Class != kolaborasi.UMKMMicro {
		t.Fatalf("FindProducer = %+v, %v", got, err)
	}
	_, err = s.FindProducer(ctx, pr.ID+100)
	wantCode(t, err, kolaborasi.ENOTFOUND)

	got.Verification, got.VerifiedBy, got.VerifiedAt = kolaborasi.Verified, "Dinkop", at
	if err := s.UpdateProducer(ctx, got); err != nil || got.Version != 2 {
		t.Fatalf("UpdateProducer: %v (version %d)", err, got.Version)
	}
	pr.Name = "stale"
	wantCode(t, s.UpdateProducer(ctx, pr), kolaborasi.ECONFLICT)
	if pr.Version != 1 {
		t.Errorf("version after a conflict = %d, want 1", pr.Version)
	}
	list, err := s.FindProducers(ctx, "35.72")
	if err != nil || len(list) != 2 || list[1].Name != "Kripik Sukun Bu Sri" || list[1].Verification != kolaborasi.Verified || list[0].ID != coop.ID {
		t.Fatalf("FindProducers = %v, %v", list, err)
	}

	seq0, err := s.ProductSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(pr *kolaborasi.Producer, name string, cat kolaborasi.ProductCategory, terms string, day int, certs ...kolaborasi.Certification) *kolaborasi.Product {
		p := &kolaborasi.Product{ProducerID: pr.ID, RegionCode: pr.RegionCode, ProducerKind: pr.Kind, Name: kolaborasi.Texts{ID: name},
			Category: cat, PriceMin: 10000, PriceMax: 25000, Unit: "pak", Availability: kolaborasi.Available,
			Certifications: certs, Terms: terms, UpdatedAt: at.AddDate(0, 0, day)}
		if err := s.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pirt := kolaborasi.Certification{Kind: kolaborasi.CertPIRT, Number: "206357201012325", ValidUntil: "2029-01-01"}
	badHalal := kolaborasi.Certification{Kind: kolaborasi.CertHalal, Number: "HALAL-123"}
	kripik := mk(pr, "Kripik sukun", "food", "kripik sukun blitar", 0, pirt, badHalal)
	kopi := mk(coop, "Kopi Penataran", "beverage", "kopi penataran blitar", 1)
	batik := mk(bdg, "Tas anyaman", "craft", "tas anyam bandung", 2)

	p, err := s.FindProduct(ctx, kripik.ID)
	if err != nil || p.Name.ID != "Kripik sukun" || p.Version != 1 || len(p.Certifications) != 2 || p.Terms != "kripik sukun blitar" {
		t.Fatalf("FindProduct = %+v, %v", p, err)
	}
	_, err = s.FindProduct(ctx, batik.ID+100)
	wantCode(t, err, kolaborasi.ENOTFOUND)

	all, err := s.SearchProducts(ctx, kolaborasi.ProductFilter{})
	if err != nil || all.Total != 3 || all.Products[0].ID != batik.ID {
		t.Fatalf("SearchProducts() = %+v, %v", all, err)
	}
	// The malformed halal number is not counted under halal.
	if fc := all.Facets[kolaborasi.FacetCertification]; len(fc) != 1 || fc[0] != (kolaborasi.FacetCount{Value: "pirt", Count: 1}) {
		t.Errorf("certification facet = %v", fc)
	}
	if fc := all.Facets[kolaborasi.FacetProvince]; len(fc) != 2 || fc[0] != (kolaborasi.FacetCount{Value: "35", Count: 2}) {
		t.Errorf("province facet = %v", fc)
	}
	text := func(w string) *kolaborasi.TextQuery {
		return &kolaborasi.TextQuery{Clauses: []kolaborasi.TextClause{{Alternatives: [][]kolaborasi.TextTerm{{{Text: w}}}}}}
	}
	res, err := s.SearchProducts(ctx, kolaborasi.ProductFilter{Text: text("blitar"), Sort: kolaborasi.SortRelevance,
		Facets: map[string][]string{kolaborasi.FacetProducerKind: {"cooperative"}}})
	if err != nil || res.Total != 1 || res.Products[0].ID != kopi.ID {
		t.Fatalf("search blitar+cooperative = %+v, %v", res, err)
	}
	res, err = s.SearchProducts(ctx, kolaborasi.ProductFilter{Facets: map[string][]string{kolaborasi.FacetRegion: {"35.72"}}, Limit: 1, Offset: 1, NoFacets: true})
	if err != nil || res.Total != 2 || len(res.Products) != 1 || res.Products[0].ID != kripik.ID || len(res.Facets) != 0 {
		t.Fatalf("paged region search = %+v, %v", res, err)
	}

	// Updates move the change counter and the facets; a stale version conflicts.
	kopi.Category = "food"
	kopi.Terms = "kopi bubuk penataran blitar"
	if err := s.UpdateProduct(ctx, kopi); err != nil || kopi.Version != 2 {
		t.Fatalf("UpdateProduct: %v", err)
	}
	stale := *kopi
	stale.Version = 1
	wantCode(t, s.UpdateProduct(ctx, &stale), kolaborasi.ECONFLICT)
	res, err = s.SearchProducts(ctx, kolaborasi.ProductFilter{Text: text("bubuk"), Facets: map[string][]string{kolaborasi.FacetCategory: {"food"}}})
	if err != nil || res.Total != 1 || res.Products[0].ID != kopi.ID {
		t.Fatalf("search after update = %+v, %v", res, err)
	}
	seq1, err := s.ProductSeq(ctx)
	if err != nil || seq1 != seq0+4 {
		t.Fatalf("ProductSeq = %d, want %d", seq1, seq0+4)
	}
	var changed []int64
	err = s.EachProductChangedAfter(ctx, seq0+2, func(p *kolaborasi.Product, seq int64) error {
		if seq <= seq0+2 {
			t.Errorf("product %d at seq %d", p.ID, seq)
		}
		changed = append(changed, p.ID)
		return nil
	})
	want := []int64{kopi.ID, batik.ID}
	slices.Sort(changed) // read in change order
	slices.Sort(want)
	if err != nil || !slices.Equal(changed, want) {
		t.Fatalf("EachProductChangedAfter = %v, %v", changed, err)
	}
	byID, err := s.FindProductsByID(ctx, []int64{batik.ID, 999999, kripik.ID})
	if err != nil || len(byID) != 2 || byID[0].ID != batik.ID || byID[1].ID != kripik.ID {
		t.Fatalf("FindProductsByID = %v, %v", byID, err)
	}
	// More IDs than one statement may bind (SQLite: 32,766): read in parts.
	long := append(make([]int64, 0, 40002), kripik.ID)
	for i := range 40000 {
		long = append(long, int64(1_000_000+i))
	}
	long = append(long, batik.ID)
	if byID, err = s.FindProductsByID(ctx, long); err != nil || len(byID) != 2 || byID[0].ID != kripik.ID || byID[1].ID != batik.ID {
		t.Fatalf("FindProductsByID of 40,002 IDs = %v, %v", byID, err)
	}

	// Re-analysis rewrites the terms (and so the full-text index) of every
	// product and raises the change counter.
	n, err := s.ReanalyseProducts(ctx, func(p *kolaborasi.Product) string { return p.Terms + " ulang" })
	if err != nil || n != 3 {
		t.Fatalf("ReanalyseProducts = %d, %v", n, err)
	}
	res, err = s.SearchProducts(ctx, kolaborasi.ProductFilter{Text: text("ulang"), NoFacets: true})
	if err != nil || res.Total != 3 {
		t.Fatalf("search after re-analysis = %+v, %v", res, err)
	}
	if seq2, _ := s.ProductSeq(ctx); seq2 != seq1+1 {
		t.Errorf("ProductSeq after re-analysis = %d, want %d", seq2, seq1+1)
	}
	if p, _ := s.FindProduct(ctx, kopi.ID); p.Version != kopi.Version {
		t.Errorf("re-analysis changed the version: %d", p.Version)
	}

	// Features.
	ag := &kolaborasi.Agreement{Version: 1, Status: kolaborasi.StatusDraft, CreatedBy: u.ID, CreatedAt: at, UpdatedAt: at,
		Content: kolaborasi.AgreementContent{Title: "KSB", Parties: []kolaborasi.AgreementParty{{Region: "35.72"}, {Region: "32.73"}}}}
	if err := s.CreateAgreement(ctx, ag); err != nil {
		t.Fatal(err)
	}
	for i, id := range []int64{kripik.ID, kopi.ID} {
		if err := s.PutFeature(ctx, &kolaborasi.Feature{RegionCode: "32.73", ProductID: id, AgreementID: ag.ID, ByID: u.ID, ByName: "Diskominfo", At: at.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	// Featuring again replaces.
	if err := s.PutFeature(ctx, &kolaborasi.Feature{RegionCode: "32.73", ProductID: kripik.ID, AgreementID: ag.ID, ByName: "again", At: at.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	fs, err := s.FindFeatures(ctx, "32.73")
	if err != nil || len(fs) != 2 || fs[0].ProductID != kripik.ID || fs[0].ByName != "again" || !fs[0].At.Equal(at.Add(2*time.Hour)) || fs[1].AgreementID != ag.ID {
		t.Fatalf("FindFeatures = %+v, %v", fs, err)
	}
	if err := s.DeleteFeature(ctx, "32.73", kripik.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteFeature(ctx, "32.73", kripik.ID), kolaborasi.ENOTFOUND)
	if fs, _ := s.FindFeatures(ctx, "35.72"); len(fs) != 0 {
		t.Errorf("features of Blitar = %v", fs)
	}
}
