package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

// FuzzCompositeIndexForm feeds the composite-index form: whatever is typed,
// a component is kept for each row with an indicator or a weight, its
// weight is the number typed (a decimal comma allowed) or NaN (which the
// validation refuses), the minimum coverage is read in percent, and a
// list of regions splits into codes without separators or spaces.
func FuzzCompositeIndexForm(f *testing.F) {
	for _, s := range [][5]string{
		{"bps.kemiskinan", "2", "50", "list", "35.72, 32.73\n35.79"},
		{"", "", "", "kota", ""},
		{"spbe.indeks", "0,5", "12,5", "province", ""},
		{"x", "1e400", "abc", "list", ";;,, \t"},
		{"", "-3", "-1", "all", "35.72"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, indicator, weight, coverage, set, list string) {
		form := url.Values{"indicator": {indicator, ""}, "weight": {weight}, "min_coverage": {coverage}, "region_set": {set}, "region_list": {list},
			"province": {"35"}}
		r, err := http.NewRequest("POST", "/peringkat", strings.NewReader(form.Encode()))
		if err != nil {
			t.Skip()
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := r.ParseForm(); err != nil {
			t.Skip()
		}
		ci := formCompositeIndex(r, "slug")
		indicator, weight = r.PostForm["indicator"][0], r.PostForm.Get("weight")
		typed := strings.TrimSpace(indicator) != "" || strings.TrimSpace(weight) != ""
		if len(ci.Components) != map[bool]int{true: 1, false: 0}[typed] {
			t.Fatalf("%q %q gave %d components", indicator, weight, len(ci.Components))
		}
		if typed {
			c := ci.Components[0]
			want, perr := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(weight), ",", "."), 64)
			if c.Indicator != strings.TrimSpace(indicator) || perr == nil && c.Weight != want && !(math.IsNaN(want) && math.IsNaN(c.Weight)) ||
				perr != nil && !math.IsNaN(c.Weight) {
				t.Fatalf("%q %q gave %+v", indicator, weight, c)
			}
		}
		if cov, perr := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.PostForm.Get("min_coverage")), ",", "."), 64); perr == nil && ci.MinCoverage != cov/100 {
			t.Fatalf("coverage %q gave %v", coverage, ci.MinCoverage)
		}
		switch strings.TrimSpace(r.PostForm.Get("region_set")) {
		case "province":
			if ci.RegionSet != kolaborasi.RegionSetProvincePrefix+"35" {
				t.Fatalf("province set %q", ci.RegionSet)
			}
		case kolaborasi.RegionSetList:
			for _, code := range ci.RegionList {
				if code == "" || strings.ContainsAny(code, ",; \t\r\n") {
					t.Fatalf("list %q gave code %q", list, code)
				}
			}
		default:
			if ci.RegionList != nil {
				t.Fatalf("set %q kept a list", set)
			}
		}
	})
}
