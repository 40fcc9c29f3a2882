package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// htmlEscape writes what html/template writes for a string in HTML text,
// a quoted attribute and RCDATA, for every message of both catalogs and
// strings with every byte it escapes, NUL, "+" and invalid UTF-8.
func TestHTMLEscapeAsTemplates(t *testing.T) {
	inputs := []string{"", "plain", `<a href="x">&'+"</a>`, "nul\x00byte", "bad \xff\xfe utf-8", "emoji 🙂 + é", "&amp;"}
	for _, lang := range languages {
		for _, v := range catalogKeys(t, lang) {
			inputs = append(inputs, v)
		}
	}
	for _, tc := range []struct{ name, src, before, after string }{
		{"text", `<p>{{.}}</p>`, "<p>", "</p>"},
		{"attribute", `<a title="{{.}}">x</a>`, `<a title="`, `">x</a>`},
		{"rcdata", `<title>{{.}}</title>`, "<title>", "</title>"},
	} {
		tmpl := template.Must(template.New(tc.name).Parse(tc.src))
		for _, in := range inputs {
			var b bytes.Buffer
			if err := tmpl.Execute(&b, in); err != nil {
				t.Fatal(err)
			}
			if want := tc.before + htmlEscape(in) + tc.after; b.String() != want {
				t.Errorf("%s %q: html/template %q, htmlEscape %q", tc.name, in, b.String(), want)
			}
		}
	}
}

// Every page can be made in every language with its labels resolved (none
// falls back to looking them up on each request), and the solution page's
// labels become text: neither a T call nor an escaped constant is left of
// a label without data.
func TestEveryPageLocalized(t *testing.T) {
	s := &Server{}
	var err error
	if s.cat, err = newCatalog(); err != nil {
		t.Fatal(err)
	}
	if err := s.loadAssets(); err != nil {
		t.Fatal(err)
	}
	if err := s.parseTemplates(); err != nil {
		t.Fatal(err)
	}
	for page := range s.pages {
		for _, lang := range languages {
			tr := translator{lang: lang, loc: s.cat.localizers[lang], sentences: s.cat.sentences, plain: s.cat.plain[lang]}
			lt := s.localized.page(page, tr)
			if lt == nil {
				t.Errorf("%s in %s: not localized", page, lang)
				continue
			}
			if page != "solution" {
				continue
			}
			content := lt.Lookup("content").Tree.Root.String()
			for _, gone := range []string{`.T "solution.evidence"`, `"` + tr.T("solution.evidence") + `"`} {
				if strings.Contains(content, gone) {
					t.Errorf("%s in %s: %s is left", page, lang, gone)
				}
			}
			if !strings.Contains(content, "<h2>"+htmlEscape(tr.T("solution.evidence"))+"</h2>") {
				t.Errorf("%s in %s: the label is not text:\n%.2000s", page, lang, content)
			}
		}
	}
}
