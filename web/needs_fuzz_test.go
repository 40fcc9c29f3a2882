package web

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// FuzzSuggestionItem: any posted item value either parses into an item
// that prints back to the same value, or is refused; never a panic.
func FuzzSuggestionItem(f *testing.F) {
	for _, s := range []string{"32.73|4|35.72|1", "", "|||", "a|b|c|d", "35.72|-1|32.73|9223372036854775807", "x|1|y|2|z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		it, ok := parseSuggestionItem(v)
		if !ok {
			return
		}
		back := fmt.Sprintf("%s|%d|%s|%d", it.Giver, it.Solution, it.Receiver, it.Need)
		if again, ok := parseSuggestionItem(back); !ok || again != it {
			t.Fatalf("%q parsed to %+v, which prints as %q and parses to %+v, %v", v, it, back, again, ok)
		}
		if strings.Count(v, "|") != 3 {
			t.Fatalf("%q has %d separators but parsed", v, strings.Count(v, "|"))
		}
	})
}

// FuzzFormRupiah: an amount is 0 (empty), -1 (not a number) or the digits
// written, thousands separators and "Rp" left out.
func FuzzFormRupiah(f *testing.F) {
	for _, s := range []string{"", "250.000.000", "Rp 5.000", "1,5", "abc", "-3", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n := formRupiah(v)
		digits := strings.NewReplacer(".", "", ",", "", " ", "", "Rp", "").Replace(strings.TrimSpace(v))
		switch {
		case digits == "":
			if n != 0 {
				t.Fatalf("%q = %d, want 0", v, n)
			}
		case n == -1:
			if _, err := strconv.ParseInt(digits, 10, 64); err == nil && digits != "-1" {
				t.Fatalf("%q refused though %q is a number", v, digits)
			}
		default:
			if want, err := strconv.ParseInt(digits, 10, 64); err != nil || want != n {
				t.Fatalf("%q = %d, want %q", v, n, digits)
			}
		}
	})
}
