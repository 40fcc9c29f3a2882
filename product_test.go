package kolaborasi

import (
	"strings"
	"testing"
)

func TestUMKMClassOf(t *testing.T) {
	const miliar = 1_000_000_000
	for _, c := range []struct {
		capital, sales int64
		want           UMKMClass
		ok             bool
	}{
		{0, 0, "", false},
		{1 * miliar, 0, UMKMMicro, true},
		{1*miliar + 1, 0, UMKMSmall, true},
		{5 * miliar, 0, UMKMSmall, true},
		{5*miliar + 1, 0, UMKMMedium, true},
		{10 * miliar, 0, UMKMMedium, true},
		{10*miliar + 1, 0, "", false},
		{0, 2 * miliar, UMKMMicro, true},
		{0, 2*miliar + 1, UMKMSmall, true},
		{0, 15 * miliar, UMKMSmall, true},
		{0, 15*miliar + 1, UMKMMedium, true},
		{0, 50 * miliar, UMKMMedium, true},
		{0, 50*miliar + 1, "", false},
		// The larger class of the two figures.
		{500_000_000, 20 * miliar, UMKMMedium, true},
		{6 * miliar, 1 * miliar, UMKMMedium, true},
	} {
		got, ok := UMKMClassOf(c.capital, c.sales)
		if got != c.want || ok != c.ok {
			t.Errorf("UMKMClassOf(%d, %d) = %q, %v; want %q, %v", c.capital, c.sales, got, ok, c.want, c.ok)
		}
	}
}

func TestNormalisePhone(t *testing.T) {
	for in, want := range map[string]string{
		"0812-3456-7890":    "+6281234567890",
		"+62 812 3456 7890": "+6281234567890",
		"62812345678":       "+62812345678",
		"(0342) 801234":     "+62342801234",
		"0812":              "",
		"+1 202 555 0100":   "",
		"00812345678":       "",
		"0812345678901234":  "",
		"0812abc45678":      "",
		"812345678":         "",
	} {
		got, ok := NormalisePhone(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalisePhone(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if l := WhatsAppLink("+6281234567890"); l != "https://wa.me/6281234567890" {
		t.Errorf("WhatsAppLink = %q", l)
	}
	if l := WhatsAppLink("+62342801234"); l != "" {
		t.Errorf("WhatsAppLink of a landline = %q, want none", l)
	}
}

func TestParseCertNumber(t *testing.T) {
	for _, c := range []struct {
		kind CertKind
		in   string
		want string
	}{
		{CertPIRT, "P-IRT No. 2063572010123-2", ""}, // 14 digits
		{CertPIRT, "P-IRT No. 206357201012325", "206357201012325"},
		{CertPIRT, "2063 5720 1012 325", "206357201012325"},
		{CertPIRT, "20635720101232A", ""},
		{CertBPOM, "BPOM RI MD 224513001234", "MD224513001234"},
		{CertBPOM, "ml123456789012", "ML123456789012"},
		{CertBPOM, "MD 12345678901", ""},
		{CertBPOM, "TR123456789012", ""},
		{CertHalal, "ID35110000123450821", "ID35110000123450821"},
		{CertHalal, "07100012340319", "07100012340319"},
		{CertHalal, "ID3511000012345082", ""},
		{CertHalal, "HALAL", ""},
		{CertSNI, "SNI 3140.3:2010", "SNI 3140.3:2010"},
		{CertSNI, "SNI 01-3553-2006", ""}, // no year after a colon
		{CertSNI, "SNI 01-3553:2006", "SNI 01-3553:2006"},
		{CertSNI, "SNI 3140..3:2010", ""},
		{CertSNI, "SNI :2010", ""},
		{CertSNI, "SNI 3140.3:10", ""},
		{"other", "123", ""},
	} {
		got, ok := ParseCertNumber(c.kind, c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("ParseCertNumber(%s, %q) = %q, %v; want %q", c.kind, c.in, got, ok, c.want)
		}
	}
}

func TestCertificationFlag(t *testing.T) {
	good := Certification{Kind: CertPIRT, Number: "206357201012325", ValidUntil: "2027-01-01"}
	if f := good.Flag("2026-12-01"); f != "" {
		t.Errorf("valid certification flagged %q", f)
	}
	if f := good.Flag("2027-01-02"); f != CertExpired {
		t.Errorf("expired certification flagged %q", f)
	}
	bad := Certification{Kind: CertBPOM, Number: "MD123", ValidUntil: "2020-01-01"}
	if f := bad.Flag("2026-12-01"); f != CertMalformed {
		t.Errorf("malformed and expired certification flagged %q, want malformed", f)
	}
	p := &Product{Name: Texts{ID: "Sambal pecel"}, Category: "food", Unit: "pak", PriceMin: 15000,
		RegionCode: "35.72", ProducerKind: ProducerUMKM,
		Certifications: []Certification{good, bad, {Kind: CertHalal, Number: "ID35110000123450821"}}}
	if bad := p.Check(); len(bad) > 0 {
		t.Fatalf("Check = %v", bad)
	}
	if p.PriceMax != 15000 || p.Availability != Available {
		t.Errorf("defaults: %+v", p)
	}
	f := p.FacetValues()
	if strings.Join(f[FacetCertification], ",") != "pirt,halal" || f[FacetProvince][0] != "35" {
		t.Errorf("facets = %v", f)
	}
}

func TestProducerCheck(t *testing.T) {
	p := &Producer{RegionCode: "35.72", Kind: ProducerUMKM, Name: " Kripik ", Capital: 300_000_000,
		Contact: ProducerContact{Phone: "0812 3456 7890", Email: "a@b.id", Marketplaces: []string{"https://shopee.co.id/x"}}}
	if bad := p.Check(); len(bad) > 0 {
		t.Fatalf("Check = %v", bad)
	}
	if p.Class != UMKMMicro || p.Contact.Phone != "+6281234567890" || p.Name != "Kripik" || p.Verification != Unverified {
		t.Errorf("derived: %+v", p)
	}
	if p.WhatsApp() != "https://wa.me/6281234567890" {
		t.Errorf("WhatsApp = %q", p.WhatsApp())
	}
	for _, c := range []struct {
		p     Producer
		field string
	}{
		{Producer{RegionCode: "35.72", Kind: ProducerUMKM, Name: "x"}, "capital_idr"},
		{Producer{RegionCode: "35.72", Kind: ProducerUMKM, Name: "x", Sales: 60_000_000_000}, "capital_idr"},
		{Producer{RegionCode: "35.72", Kind: ProducerCreative, Name: "x", Subsector: "poetry"}, "subsector"},
		{Producer{RegionCode: "35.72", Kind: ProducerCooperative, Name: "x", CoopType: "producer", Members: 3}, "members"},
		{Producer{RegionCode: "35.72", Kind: "firm", Name: "x"}, "kind"},
		{Producer{RegionCode: "35.72", Kind: ProducerCreative, Subsector: "craft"}, "name"},
		{Producer{RegionCode: "35.72", Kind: ProducerCreative, Name: "x", Subsector: "craft", Contact: ProducerContact{Phone: "12345"}}, "phone"},
		{Producer{RegionCode: "35.72", Kind: ProducerCreative, Name: "x", Subsector: "craft", Contact: ProducerContact{Email: "nope"}}, "email"},
		{Producer{RegionCode: "35.72", Kind: ProducerCreative, Name: "x", Subsector: "craft", Contact: ProducerContact{Marketplaces: []string{"javascript:alert(1)"}}}, "marketplaces"},
	} {
		if bad := c.p.Check(); bad[c.field] == "" {
			t.Errorf("%+v: no message for %s (got %v)", c.p, c.field, bad)
		}
	}
}

// FuzzParseCertNumber checks that the parser never panics, that what it
// accepts is canonical (parsing it again gives it back) and that accepted
// numbers contain no characters outside the formats.
func FuzzParseCertNumber(f *testing.F) {
	for _, s := range []string{"P-IRT No. 206357201012325", "BPOM RI MD 224513001234", "ID35110000123450821",
		"SNI 3140.3:2010", "SNI 01-3553:2006", "", "SNI", "MD", "ID"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range CertKinds {
			c, ok := ParseCertNumber(k, s)
			if !ok {
				if c != "" {
					t.Fatalf("%s %q: refused but returned %q", k, s, c)
				}
				continue
			}
			again, ok2 := ParseCertNumber(k, c)
			if !ok2 || again != c {
				t.Fatalf("%s %q → %q → %q, %v: not canonical", k, s, c, again, ok2)
			}
			for _, r := range c {
				if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || strings.ContainsRune(" .-:", r)) {
					t.Fatalf("%s %q → %q holds %q", k, s, c, r)
				}
			}
		}
	})
}
