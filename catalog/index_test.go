package catalog

import (
	"fmt"
	"slices"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

func term(text string, prefix bool) kolaborasi.TextTerm {
	return kolaborasi.TextTerm{Text: text, Prefix: prefix}
}

func q(clauses ...kolaborasi.TextClause) *kolaborasi.TextQuery {
	return &kolaborasi.TextQuery{Clauses: clauses}
}

func TestIndex(t *testing.T) {
	x := New()
	// 130 documents cross two bitset words; every tenth is retired.
	var docs []Doc
	for i := range 130 {
		terms := "kota layanan"
		if i%2 == 0 {
			terms = "bank sampah kota"
		}
		docs = append(docs, Doc{ID: int64(i + 1), CreatedAt: int64(i), Retired: i%10 == 9, Terms: terms,
			Facets: map[string][]string{kolaborasi.FacetKind: {[]string{"software", "programme"}[i%2]}}})
	}
	x.Apply(docs, 5)
	if x.Seq() != 5 || x.Len() != 130 {
		t.Fatalf("seq %d len %d", x.Seq(), x.Len())
	}
	phrase := kolaborasi.TextClause{Alternatives: [][]kolaborasi.TextTerm{{term("bank", false), term("sam", true)}}}
	res, ok := x.Search(kolaborasi.SolutionFilter{Text: q(phrase), Sort: kolaborasi.SortNewest, Limit: 3})
	if !ok || res.Total != 65 || !slices.Equal(res.IDs, []int64{129, 127, 125}) {
		t.Fatalf("phrase with prefix: %+v", res)
	}
	wrongOrder := kolaborasi.TextClause{Alternatives: [][]kolaborasi.TextTerm{{term("sampah", false), term("bank", false)}}}
	if res, _ := x.Search(kolaborasi.SolutionFilter{Text: q(wrongOrder)}); res.Total != 0 {
		t.Errorf("phrase in the wrong order matched %d", res.Total)
	}
	// Retired documents (ID 10, 20, ...) are left out unless asked for.
	kota := kolaborasi.TextClause{Alternatives: [][]kolaborasi.TextTerm{{term("kota", false)}}}
	if res, _ := x.Search(kolaborasi.SolutionFilter{Text: q(kota)}); res.Total != 117 {
		t.Errorf("live kota = %d, want 117", res.Total)
	}
	res, _ = x.Search(kolaborasi.SolutionFilter{Text: q(kota), IncludeRetired: true, Sort: kolaborasi.SortNewest, Limit: 2, Offset: 128})
	if res.Total != 130 || !slices.Equal(res.IDs, []int64{2, 1}) {
		t.Errorf("last page: %+v", res)
	}
	// Negation and facets.
	notBank := kolaborasi.TextClause{Negated: true, Alternatives: [][]kolaborasi.TextTerm{{term("bank", false)}}}
	res, _ = x.Search(kolaborasi.SolutionFilter{Text: q(kota, notBank), IncludeRetired: true})
	if res.Total != 65 || fmt.Sprint(res.Facets[kolaborasi.FacetKind]) != "[{programme 65}]" {
		t.Errorf("kota -bank: %+v", res)
	}
	if _, ok := x.Search(kolaborasi.SolutionFilter{Text: q(notBank)}); ok {
		t.Error("a query with only a negated clause ran")
	}
	// Replacing a document marks the old ordinal dead.
	x.Apply([]Doc{{ID: 2, CreatedAt: 1000, Terms: "kapal", Facets: map[string][]string{kolaborasi.FacetKind: {"service"}}}}, 6)
	res, _ = x.Search(kolaborasi.SolutionFilter{Text: q(kolaborasi.TextClause{Alternatives: [][]kolaborasi.TextTerm{{term("kap", true)}}}), Sort: kolaborasi.SortRelevance})
	if res.Total != 1 || res.IDs[0] != 2 || x.Len() != 130 || x.Dead() == 0 {
		t.Errorf("after replace: %+v len %d", res, x.Len())
	}
	if res, _ := x.Search(kolaborasi.SolutionFilter{Sort: kolaborasi.SortNewest, Limit: 1}); res.IDs[0] != 2 || res.Total != 117 {
		t.Errorf("newest after replace: %+v", res)
	}
}
