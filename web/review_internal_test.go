package web

import (
	"fmt"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

func TestPeriodInWords(t *testing.T) {
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	page := func(lang string) pageBase {
		return pageBase{tr: translator{lang: lang, loc: c.localizers[lang], sentences: c.sentences}, Lang: lang}
	}
	for _, tc := range []struct{ lang, code, want string }{
		{"id", "2025-Q4", "Triwulan IV 2025"},
		{"en", "2025-Q4", "Q4 2025"},
		{"id", "2024-Q1", "Triwulan I 2024"},
		{"id", "2024-03", "Maret 2024"},
		{"en", "2024-03", "March 2024"},
		{"id", "2025", "2025"},
		{"id", "2025-Q5", "2025-Q5"},
		{"en", "nonsense", "nonsense"},
	} {
		if got := page(tc.lang).Period(tc.code); got != tc.want {
			t.Errorf("%s Period(%q) = %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
}

// Equal values share a place in the indicator's ranked table, as in the
// rankings: 1, 2, 2, 4.
func TestClassifyTiesShareRank(t *testing.T) {
	vals := []mapValue{{Code: "a", Value: 9}, {Code: "b", Value: 5}, {Code: "c", Value: 5}, {Code: "d", Value: 1}}
	classify(vals, kolaborasi.HigherIsBetter)
	var ranks []int
	for _, v := range vals {
		ranks = append(ranks, v.Rank)
	}
	if want := []int{1, 2, 2, 4}; fmt.Sprint(ranks) != fmt.Sprint(want) {
		t.Errorf("ranks %v, want %v", ranks, want)
	}
}
