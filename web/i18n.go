package web

import (
	"embed"
	"fmt"
	"net/http"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages the UI speaks; the first is the default.
var languages = []string{"id", "en"}

//go:embed locales/*.toml
var localeFS embed.FS

// langCookie remembers the language a visitor chose.
const langCookie = "lang"

// catalog is the message catalog of every language.
type catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	sentences  *sentenceCatalog
}

func newCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.Indonesian)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{bundle: b, localizers: map[string]*i18n.Localizer{}}
	for _, lang := range languages {
		if _, err := b.LoadMessageFileFS(localeFS, "locales/"+lang+".toml"); err != nil {
			return nil, fmt.Errorf("load message catalog %s: %w", lang, err)
		}
		c.localizers[lang] = i18n.NewLocalizer(b, lang)
	}
	sentences, err := newSentenceCatalog()
	if err != nil {
		return nil, err
	}
	c.sentences = sentences
	return c, nil
}

// translator localises messages into one language.
type translator struct {
	lang      string
	loc       *i18n.Localizer
	sentences *sentenceCatalog
}

// T returns the message id in the translator's language. Data, if given, is
// a map of template values or pairs of key and value. A missing message shows
// its ID, which the catalog test catches before it ships.
func (tr translator) T(id string, data ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	switch {
	case len(data) == 1:
		cfg.TemplateData = data[0]
	case len(data) > 1:
		m := map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			m[fmt.Sprint(data[i])] = data[i+1]
		}
		cfg.TemplateData = m
		if n, ok := m["Count"]; ok {
			cfg.PluralCount = n
		}
	}
	s, err := tr.loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// The catalogs write one form per message: English "1 needs
		// met" has no "one" form, so a count of 1 uses the only one.
		cfg.PluralCount = nil
		s, err = tr.loc.Localize(cfg)
	}
	if err != nil {
		return id
	}
	return s
}

// language picks the UI language of a request: the visitor's cookie, then
// Indonesian. Accept-Language is deliberately not used: the product speaks
// Indonesian unless asked otherwise.
func (c *catalog) translator(r *http.Request) translator {
	lang := languages[0]
	if ck, err := r.Cookie(langCookie); err == nil {
		for _, l := range languages {
			if strings.EqualFold(ck.Value, l) {
				lang = l
			}
		}
	}
	return translator{lang: lang, loc: c.localizers[lang], sentences: c.sentences}
}
