package web

import (
	"embed"
	"fmt"
	"net/http"
	"strings"
	"sync"

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
	// plain keeps, per language, the messages asked for without data as
	// localised the first time (translator.T).
	plain map[string]*sync.Map
}

func newCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.Indonesian)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{bundle: b, localizers: map[string]*i18n.Localizer{}, plain: map[string]*sync.Map{}}
	for _, lang := range languages {
		c.plain[lang] = new(sync.Map)
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
	// plain, when set, keeps the language's messages without data (id →
	// text) once localised.
	plain *sync.Map
}

// T returns the message id in the translator's language. Data, if given, is
// a map of template values or pairs of key and value. A missing message shows
// its ID, which the catalog test catches before it ships.
//
// A message without data is localised once per language and then taken
// from tr.plain: the catalogs do not change while the server runs, so the
// same ID always gives the same text, and a page asks for dozens of labels
// (K8: the localizer was a sixth of the solution page's rendering).
func (tr translator) T(id string, data ...any) string {
	if len(data) == 0 && tr.plain != nil {
		if s, ok := tr.plain.Load(id); ok {
			return s.(string)
		}
	}
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
	if len(data) == 0 && tr.plain != nil {
		tr.plain.Store(id, s)
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
	return translator{lang: lang, loc: c.localizers[lang], sentences: c.sentences, plain: c.plain[lang]}
}
