package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi"
)

func catalogKeys(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := localeFS.ReadFile("locales/" + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]any{}
	if err := toml.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s.toml: %v", lang, err)
	}
	m := map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			m[k] = v
		case map[string]any: // plural forms: the "other" form stands for the message
			m[k], _ = v["other"].(string)
		default:
			t.Fatalf("%s.toml: %s is a %T", lang, k, v)
		}
	}
	return m
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Both languages have the same messages, and every message a template or
// handler asks for exists.
func TestCatalogsAreComplete(t *testing.T) {
	id, en := catalogKeys(t, "id"), catalogKeys(t, "en")
	if diff := cmp.Diff(sortedKeys(id), sortedKeys(en)); diff != "" {
		t.Errorf("id and en catalogs differ (-id +en):\n%s", diff)
	}
	for k, v := range id {
		if v == "" || en[k] == "" {
			t.Errorf("%s is empty in a catalog", k)
		}
	}
	// Literal keys in templates: .T "key", $.T "key".
	literal := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	templates, _ := fs.Glob(templateFS, "templates/*.html")
	var used []string
	for _, p := range templates {
		b, _ := templateFS.ReadFile(p)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			used = append(used, m[1])
		}
	}
	// In templ components every key-shaped string literal that does not
	// name an asset is a message key: p.T("key") and the labels passed to
	// components such as navLink.
	keyShaped := regexp.MustCompile(`"([a-z_]+(?:\.[a-z0-9_]+)+)"`)
	components, _ := filepath.Glob("*.templ")
	for _, f := range components {
		b, _ := os.ReadFile(f)
		for _, m := range keyShaped.FindAllStringSubmatch(string(b), -1) {
			if _, err := fs.Stat(assetFS, "assets/"+m[1]); err != nil {
				used = append(used, m[1])
			}
		}
	}
	// Flash messages named in handlers.
	goFiles, _ := filepath.Glob("*.go")
	flash := regexp.MustCompile(`"(flash\.[a-z_]+)"`)
	for _, f := range goFiles {
		b, _ := os.ReadFile(f)
		for _, m := range flash.FindAllStringSubmatch(string(b), -1) {
			used = append(used, m[1])
		}
	}
	// Keys built from values.
	used = prefixed(used, "type.", []kolaborasi.RegionType{kolaborasi.Province, kolaborasi.Regency, kolaborasi.City})
	used = prefixed(used, "opd.kind.", kolaborasi.OPDKinds)
	used = prefixed(used, "kind.", kolaborasi.SolutionKinds)
	used = prefixed(used, "dimension.", kolaborasi.Dimensions)
	used = prefixed(used, "sector.", kolaborasi.Sectors)
	used = prefixed(used, "maturity.", kolaborasi.Maturities)
	used = prefixed(used, "reuse.", kolaborasi.ReuseTerms)
	used = prefixed(used, "facet.", kolaborasi.FacetNames)
	used = prefixed(used, "agreement.type.", kolaborasi.AgreementTypes)
	used = prefixed(used, "agreement.status.", kolaborasi.AgreementStatuses)
	used = prefixed(used, "agreement.kind.", kolaborasi.AttachmentKinds)
	used = prefixed(used, "agreement.term.", kolaborasi.ExchangeTerms)
	used = prefixed(used, "agreement.", []string{"role.signatory", "role.witness", "stage.ksb", "stage.pks", "form_new", "form_edit",
		"form_addendum", "deadline.report", "deadline.end", "source.apbd", "source.other"})
	used = prefixed(used, "keys.status.", []kolaborasi.KeyStatus{kolaborasi.KeyPending, kolaborasi.KeyActive, kolaborasi.KeyRejected, kolaborasi.KeyRevoked})
	used = prefixed(used, "log.type.", []string{"key_registered", "key_revoked", "signature", "status_change"})
	used = prefixed(used, "role.", kolaborasi.RegionRoles)
	used = prefixed(used, "role.", kolaborasi.PlatformRoles)
	used = prefixed(used, "status.", []kolaborasi.UserStatus{kolaborasi.UserActive, kolaborasi.UserDisabled})
	used = prefixed(used, "validator.", []string{"error", "warning"})
	used = prefixed(used, "date.month.", []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"})
	for _, links := range workspaceLinks {
		for _, l := range links {
			used = append(used, l.Key, l.Key+"_help")
		}
	}
	for code := range statusOf {
		used = append(used, "error."+code, "error.detail."+code)
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in use; the scan is broken", len(used))
	}
	for _, k := range used {
		if _, ok := id[k]; !ok {
			t.Errorf("message %q is used but not in the catalogs", k)
		}
	}
}

// prefixed appends the message keys prefix+value for every value.
func prefixed[T ~string](keys []string, prefix string, values []T) []string {
	for _, v := range values {
		keys = append(keys, prefix+string(v))
	}
	return keys
}

// Every message shown with a count renders with one and with many in both
// languages: English needs a "one" form beside "other", and a message that
// lacks the form the count asks for would show its raw key.
func TestCountedMessagesHaveTheirPluralForms(t *testing.T) {
	b, err := localeFS.ReadFile("locales/en.toml")
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]any{}
	if err := toml.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	counted := map[string]bool{}
	for k, v := range raw {
		if s, ok := v.(string); ok && strings.Contains(s, "{{.Count}}") {
			counted[k] = true
		}
		if m, ok := v.(map[string]any); ok {
			counted[k] = true
			if m["one"] == nil || m["other"] == nil {
				t.Errorf("en.toml %s: plural message needs both one and other", k)
			}
		}
	}
	// Keys templates and handlers pass a Count to.
	withCount := regexp.MustCompile(`"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"[^"{}]*?"Count"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	var texts []string
	for _, p := range files {
		b, _ := templateFS.ReadFile(p)
		texts = append(texts, string(b))
	}
	goFiles, _ := filepath.Glob("*.go")
	components, _ := filepath.Glob("*.templ")
	for _, f := range append(goFiles, components...) {
		if !strings.HasSuffix(f, "_test.go") {
			b, _ := os.ReadFile(f)
			texts = append(texts, string(b))
		}
	}
	for _, text := range texts {
		for _, m := range withCount.FindAllStringSubmatch(text, -1) {
			counted[m[1]] = true
		}
	}
	for _, k := range []string{"partners.pairs", "partners.cycles"} { // headings named in ui_needs.go
		counted[k] = true
	}
	if len(counted) < 20 {
		t.Fatalf("found only %d counted messages; the scan is broken", len(counted))
	}
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		tr := translator{lang: lang, loc: c.localizers[lang], sentences: c.sentences}
		for k := range counted {
			if s, ok := raw[k].(string); ok && lang == "en" && strings.Contains(s, "{{.Count}}") {
				t.Errorf("en.toml %s shows a count but has no one/other forms", k)
			}
			for _, n := range []int{0, 1, 2, 21} {
				if got := tr.T(k, "Count", n, "N", n); got == k {
					t.Errorf("%s: %s with Count %d shows its raw key", lang, k, n)
				}
			}
		}
	}
	en := translator{lang: "en", loc: c.localizers["en"], sentences: c.sentences}
	for k, want := range map[string]string{
		"adoption.used_by":       "Used by 1 region",
		"region.count_solutions": "solution",
		"savings.coverage":       "from 1 of 1 adoption with figures",
	} {
		if got := en.T(k, "Count", 1, "N", 1); got != want {
			t.Errorf("en %s with Count 1 = %q, want %q", k, got, want)
		}
	}
}

// A message asked for without data is localised once and then taken from
// the language's memo: every message of both catalogs reads the same from
// the memo as from the localizer, on the first call and on later ones, and
// the memo keeps them per language.
func TestPlainMessagesMemoised(t *testing.T) {
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range languages {
		direct := translator{lang: lang, loc: c.localizers[lang], sentences: c.sentences}
		memo := translator{lang: lang, loc: c.localizers[lang], sentences: c.sentences, plain: c.plain[lang]}
		keys := catalogKeys(t, lang)
		for round := range 2 {
			for k := range keys {
				if got, want := memo.T(k), direct.T(k); got != want {
					t.Errorf("%s %s (round %d): memo %q, localizer %q", lang, k, round, got, want)
				}
			}
		}
		n := 0
		c.plain[lang].Range(func(k, v any) bool { n++; return true })
		if n != len(keys) {
			t.Errorf("%s: the memo keeps %d messages, the catalog has %d", lang, n, len(keys))
		}
		// An unknown ID shows itself and is not kept.
		if got := memo.T("no.such.message"); got != "no.such.message" {
			t.Errorf("%s: unknown id gives %q", lang, got)
		}
		if _, ok := c.plain[lang].Load("no.such.message"); ok {
			t.Errorf("%s: the memo keeps an unknown id", lang)
		}
	}
	id, en := c.plain["id"], c.plain["en"]
	if a, _ := id.Load("nav.catalog"); a == nil {
		t.Fatal("nav.catalog not memoised")
	} else if b, _ := en.Load("nav.catalog"); a == b {
		t.Errorf("nav.catalog reads %q in both languages", a)
	}
}
