package web

import (
	"net/http"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// pageBase is what the layout needs; every page struct embeds it.
type pageBase struct {
	tr      translator
	Lang    string
	Path    string
	Section string
	Version string
}

func (s *Server) base(r *http.Request, section string) pageBase {
	tr := s.cat.translator(r)
	return pageBase{tr: tr, Lang: tr.lang, Path: r.URL.RequestURI(), Section: section, Version: s.version}
}

// T localises a message; see translator.T.
func (p pageBase) T(id string, data ...any) string { return p.tr.T(id, data...) }

func (p pageBase) printer() *message.Printer {
	if p.Lang == "en" {
		return message.NewPrinter(language.English)
	}
	return message.NewPrinter(language.Indonesian)
}

// Num formats a whole number with the language's digit grouping
// (161.204 in Indonesian, 161,204 in English).
func (p pageBase) Num(v int64) string { return p.printer().Sprintf("%d", v) }

// Dec formats a decimal number with up to two fraction digits.
func (p pageBase) Dec(v float64) string { return p.printer().Sprintf("%.2f", v) }
