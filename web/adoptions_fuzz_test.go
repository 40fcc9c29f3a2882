package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

// FuzzMoneyField feeds the budget fields of the adoption forms: an amount
// either parses to the whole number its digits (after the thousands
// separators people type) say, with the source as typed, or is refused as
// invalid; both empty is unknown, never zero.
func FuzzMoneyField(f *testing.F) {
	for _, seed := range [][2]string{{"", ""}, {"75000000", "RKA 2027"}, {"75.000.000", ""}, {"1,5", "x"}, {"-3", "APBD"},
		{"99999999999999999999", "s"}, {" 12 000 ", " sumber "}, {"Rp10", "APBD"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, amount, source string) {
		form := url.Values{"budget_planned": {amount}, "budget_planned_source": {source}}
		r, err := http.NewRequest("POST", "/adopsi", strings.NewReader(form.Encode()))
		if err != nil {
			t.Skip()
		}
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		m, err := moneyField(r, "budget_planned")
		// What the form parser read back (it drops invalid UTF-8 and such).
		amount, source = r.PostFormValue("budget_planned"), r.PostFormValue("budget_planned_source")
		switch {
		case strings.TrimSpace(amount) == "" && strings.TrimSpace(source) == "":
			if m != nil || err != nil {
				t.Fatalf("empty fields: %+v, %v", m, err)
			}
		case err != nil:
			if kolaborasi.ErrorCode(err) != kolaborasi.EINVALID || m != nil {
				t.Fatalf("refusal: %+v, %v", m, err)
			}
		default:
			digits := strings.NewReplacer(".", "", ",", "", " ", "").Replace(strings.TrimSpace(amount))
			if want, perr := strconv.ParseInt(digits, 10, 64); perr != nil || m == nil || m.IDR != want || m.Source != strings.TrimSpace(source) {
				t.Fatalf("%q %q gave %+v", amount, source, m)
			}
		}
	})
}
