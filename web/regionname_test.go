package web_test

import (
	"net/url"
	"strings"
	"testing"
)

// The agreement list's region filter takes a name as well as a code,
// suggests names as one types, offers the regions a partial name fits,
// and says so when a name fits none.
func TestAgreementListRegionByName(t *testing.T) {
	ts := newTestServer(t)
	list := func(region string) string {
		_, body := get(t, nil, ts.URL+"/kerjasama?wilayah="+url.QueryEscape(region))
		return body
	}
	title := "Kerja Sama Pengembangan Smart City"
	for _, in := range []string{"35.72", "Kota Blitar", "  kota   BANDUNG "} {
		if body := list(in); !strings.Contains(body, title) {
			t.Errorf("%q does not find the demo agreement", in)
		}
	}
	if body := list("kota blitar"); !strings.Contains(body, `name="wilayah" value="Kota Blitar"`) {
		t.Error("the field does not show the region's name")
	}
	if body := list("Kota Malang"); strings.Contains(body, title) {
		t.Error("a region without agreements lists the demo agreement")
	}
	body := list("Blitar")
	if strings.Contains(body, title) || !strings.Contains(body, "cocok dengan beberapa wilayah") ||
		!strings.Contains(body, `<a href="/kerjasama?wilayah=35.05">Kabupaten Blitar</a>`) || !strings.Contains(body, `<a href="/kerjasama?wilayah=35.72">Kota Blitar</a>`) {
		t.Errorf("an ambiguous name offers no choice:\n%s", body)
	}
	if body := list("Atlantis"); !strings.Contains(body, "Tidak ada wilayah bernama “Atlantis”") {
		t.Error("an unknown name is not reported")
	}
	if body := list(""); !strings.Contains(body, `<datalist id="region-names">`) || !strings.Contains(body, `<option value="Kota Blitar">`) {
		t.Error("no suggestions for the region field")
	}
}
