package demo

import (
	"context"
	"fmt"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// K6: producers and products. Every producer and product here is
// synthetic: the kinds of goods are typical of each region (Blitar's
// wajik kletik, sambal pecel and belimbing; Bandung's Cibaduyut shoes and
// distro clothing), but the businesses, figures, numbers and prices are
// made up, and the certification numbers are invented in the checked
// formats (one deliberately malformed, one expired, to show the flags).

type demoProduct struct {
	name, nameEN, desc, descEN string
	category                   kolaborasi.ProductCategory
	min, max                   int64
	unit                       string
	certs                      []kolaborasi.Certification
	availability               kolaborasi.Availability
}

type demoProducer struct {
	producer kolaborasi.Producer
	// verified: the region's Dinas Koperasi & UMKM verified it.
	verified bool
	products []demoProduct
	// featuredIn lists regions whose showcase features its products.
	featuredIn []string
}

var demoProducers = []demoProducer{
	{producer: kolaborasi.Producer{RegionCode: Blitar, Kind: kolaborasi.ProducerUMKM, Name: "UMKM Wajik Kletik Sananwetan",
		About:   kolaborasi.Texts{ID: "Usaha rumahan penganan khas Blitar (contoh sintetis).", EN: "A home business making Blitar snacks (synthetic example)."},
		Capital: 150_000_000, Sales: 600_000_000,
		Contact: kolaborasi.ProducerContact{Phone: "0812-3000-0001", Email: "wajik@contoh.test", Marketplaces: []string{"https://shopee.co.id/contoh-wajik"}}},
		verified: true, featuredIn: []string{Bandung},
		products: []demoProduct{
			{name: "Wajik kletik", nameEN: "Wajik kletik (sticky-rice sweets)", desc: "Wajik ketan gula kelapa berbungkus kulit jagung, khas Blitar.",
				descEN: "Sticky rice and coconut sugar sweets wrapped in corn husk, typical of Blitar.", category: "food", min: 15000, max: 35000, unit: "pak 250 g",
				certs: []kolaborasi.Certification{{Kind: kolaborasi.CertPIRT, Number: "P-IRT No. 206357201000125", ValidUntil: "2029-06-30"},
					{Kind: kolaborasi.CertHalal, Number: "ID35720000000010125"}}},
			{name: "Sambal pecel Blitar", nameEN: "Blitar peanut pecel sauce", desc: "Bumbu pecel kacang tanah dengan daun jeruk, tahan tiga bulan.",
				descEN: "Peanut pecel sauce with lime leaves; keeps three months.", category: "food", min: 12000, max: 20000, unit: "pak 200 g",
				// An expired P-IRT: flagged on the page and in the API.
				certs: []kolaborasi.Certification{{Kind: kolaborasi.CertPIRT, Number: "206357201000226", ValidUntil: "2024-12-31"}}},
		}},
	{producer: kolaborasi.Producer{RegionCode: Blitar, Kind: kolaborasi.ProducerCooperative, Name: "Koperasi Produsen Belimbing Karangsari",
		About:    kolaborasi.Texts{ID: "Koperasi petani belimbing (contoh sintetis).", EN: "A cooperative of star-fruit growers (synthetic example)."},
		CoopType: "producer", Members: 48,
		Contact: kolaborasi.ProducerContact{Phone: "(0342) 800001"}},
		verified: true, featuredIn: []string{Bandung},
		products: []demoProduct{
			{name: "Sirup belimbing", nameEN: "Star-fruit syrup", desc: "Sirup buah belimbing dari kebun anggota koperasi.",
				descEN: "Syrup of star fruit from the members' orchards.", category: "beverage", min: 25000, max: 25000, unit: "botol 500 ml",
				certs: []kolaborasi.Certification{{Kind: kolaborasi.CertBPOM, Number: "BPOM RI MD 235713000001"}}},
			{name: "Belimbing segar", nameEN: "Fresh star fruit", desc: "Belimbing manis petik pagi, kiriman dalam kota dan luar kota.",
				descEN: "Sweet star fruit picked in the morning, shipped within and beyond the city.", category: "agriculture", min: 18000, max: 22000, unit: "kg",
				availability: kolaborasi.PreOrder},
		}},
	{producer: kolaborasi.Producer{RegionCode: Blitar, Kind: kolaborasi.ProducerCreative, Name: "Sanggar Kriya Kendang Jimbe",
		About:     kolaborasi.Texts{ID: "Perajin kendang jimbe dan suvenir kayu (contoh sintetis).", EN: "Djembe drum and wooden souvenir makers (synthetic example)."},
		Subsector: "craft",
		Contact:   kolaborasi.ProducerContact{Phone: "+62 813 3000 0002", Marketplaces: []string{"https://www.tokopedia.com/contoh-jimbe"}}},
		products: []demoProduct{
			{name: "Kendang jimbe ukir", nameEN: "Carved djembe drum", desc: "Kendang jimbe kayu mahoni dengan ukiran tangan.",
				descEN: "Hand-carved mahogany djembe drum.", category: "craft", min: 150000, max: 900000, unit: "buah",
				// A malformed halal number: flagged, not taken as valid.
				certs: []kolaborasi.Certification{{Kind: kolaborasi.CertSNI, Number: "SNI 7555:2010"}, {Kind: kolaborasi.CertHalal, Number: "HALAL-MUI-123"}}},
		}},
	{producer: kolaborasi.Producer{RegionCode: Bandung, Kind: kolaborasi.ProducerUMKM, Name: "UMKM Sepatu Kulit Cibaduyut",
		About:   kolaborasi.Texts{ID: "Bengkel sepatu kulit di sentra Cibaduyut (contoh sintetis).", EN: "A leather-shoe workshop in the Cibaduyut centre (synthetic example)."},
		Capital: 2_500_000_000,
		Contact: kolaborasi.ProducerContact{Phone: "0813-2000-0003"}},
		verified: true,
		products: []demoProduct{
			{name: "Sepatu kulit pria", nameEN: "Men's leather shoes", desc: "Sepatu pantofel kulit sapi jahitan tangan.",
				descEN: "Hand-stitched cowhide loafers.", category: "fashion", min: 350000, max: 650000, unit: "pasang"},
		}},
	{producer: kolaborasi.Producer{RegionCode: Bandung, Kind: kolaborasi.ProducerCreative, Name: "Distro Kaos Dago",
		Subsector: "fashion", Contact: kolaborasi.ProducerContact{Email: "distro@contoh.test"}},
		products: []demoProduct{
			{name: "Kaos sablon Bandung", nameEN: "Screen-printed Bandung T-shirt", desc: "Kaos katun bersablon desain lokal.",
				descEN: "Cotton T-shirt with local screen-printed designs.", category: "fashion", min: 95000, max: 150000, unit: "potong"},
		}},
	{producer: kolaborasi.Producer{RegionCode: Malang, Kind: kolaborasi.ProducerUMKM, Name: "UMKM Keripik Tempe Malang", Sales: 900_000_000},
		products: []demoProduct{
			{name: "Keripik tempe", nameEN: "Tempeh chips", desc: "Keripik tempe tipis renyah.", descEN: "Thin crisp tempeh chips.",
				category: "food", min: 10000, max: 18000, unit: "pak"},
		}},
	{producer: kolaborasi.Producer{RegionCode: Kediri, Kind: kolaborasi.ProducerCooperative, Name: "Koperasi Tenun Ikat Kediri", CoopType: "producer", Members: 25},
		products: []demoProduct{
			{name: "Kain tenun ikat", nameEN: "Ikat woven cloth", desc: "Kain tenun ikat ATBM motif lokal.", descEN: "Hand-loom ikat cloth with local motifs.",
				category: "batik-textile", min: 250000, max: 750000, unit: "lembar"},
		}},
}

// seedProducts adds the demo producers and products, has Blitar's Dinas
// Koperasi dan UM verify some, and features Blitar's products in Kota
// Bandung's showcase under the signed KSB (its scope includes UKM,
// ekonomi kreatif and koperasi).
func seedProducts(ctx context.Context, a *app.App, users map[string]*kolaborasi.User) error {
	verifier := map[string]*kolaborasi.User{Blitar: users["umkm@blitarkota.test"], Bandung: users["diskominfo@bandung.test"]}
	for _, d := range demoProducers {
		pr := d.producer
		pr.Synthetic = true
		if err := a.CreateProducer(ctx, &pr); err != nil {
			return fmt.Errorf("seed producer %s: %w", pr.Name, err)
		}
		if v := verifier[pr.RegionCode]; d.verified && v != nil {
			if _, err := a.VerifyProducer(kolaborasi.WithUser(ctx, v), pr.ID, pr.Version, kolaborasi.Verified); err != nil {
				return fmt.Errorf("verify producer %s: %w", pr.Name, err)
			}
		}
		for _, dp := range d.products {
			p := &kolaborasi.Product{ProducerID: pr.ID, Name: kolaborasi.Texts{ID: dp.name, EN: dp.nameEN},
				Description: kolaborasi.Texts{ID: dp.desc, EN: dp.descEN}, Category: dp.category, PriceMin: dp.min, PriceMax: dp.max,
				Unit: dp.unit, Certifications: dp.certs, Availability: dp.availability, Synthetic: true}
			if err := a.CreateProduct(ctx, p); err != nil {
				return fmt.Errorf("seed product %s: %w", dp.name, err)
			}
			for _, region := range d.featuredIn {
				if _, err := a.FeatureProduct(ctx, region, p.ID); err != nil {
					return fmt.Errorf("feature %s in %s: %w", dp.name, region, err)
				}
			}
		}
	}
	return nil
}
