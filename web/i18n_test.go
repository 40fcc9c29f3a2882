package web

import (
	"io/fs"
	"regexp"
	"sort"
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
	m := map[string]string{}
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.toml: %v", lang, err)
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
	// Keys built from values.
	for _, typ := range []kolaborasi.RegionType{kolaborasi.Province, kolaborasi.Regency, kolaborasi.City} {
		used = append(used, "type."+string(typ))
	}
	for _, k := range kolaborasi.OPDKinds {
		used = append(used, "opd.kind."+string(k))
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
