package search

import (
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// IndexTerms analyses bilingual texts for a full-text index: each
// Indonesian text with the Indonesian analysis and each English one with
// the English, the terms of all texts joined with spaces. This is the
// terms column both storage engines and the in-process index search.
func IndexTerms(texts []kolaborasi.Texts) string {
	var a Analyzer
	var terms []string
	for _, t := range texts {
		terms = append(terms, a.Terms(t.ID, LangIndonesian)...)
		terms = append(terms, a.Terms(t.EN, LangEnglish)...)
	}
	return strings.Join(terms, " ")
}
