package web

import (
	"io/fs"
	"os"
	"path/filepath"
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
	for _, typ := range []kolaborasi.RegionType{kolaborasi.Province, kolaborasi.Regency, kolaborasi.City} {
		used = append(used, "type."+string(typ))
	}
	for _, k := range kolaborasi.OPDKinds {
		used = append(used, "opd.kind."+string(k))
	}
	for _, k := range kolaborasi.SolutionKinds {
		used = append(used, "kind."+string(k))
	}
	for _, d := range kolaborasi.Dimensions {
		used = append(used, "dimension."+string(d))
	}
	for _, x := range kolaborasi.Sectors {
		used = append(used, "sector."+string(x))
	}
	for _, m := range kolaborasi.Maturities {
		used = append(used, "maturity."+string(m))
	}
	for _, r := range kolaborasi.ReuseTerms {
		used = append(used, "reuse."+string(r))
	}
	for _, f := range kolaborasi.FacetNames {
		used = append(used, "facet."+f)
	}
	for _, typ := range kolaborasi.AgreementTypes {
		used = append(used, "agreement.type."+string(typ))
	}
	for _, st := range kolaborasi.AgreementStatuses {
		used = append(used, "agreement.status."+string(st))
	}
	for _, k := range kolaborasi.AttachmentKinds {
		used = append(used, "agreement.kind."+string(k))
	}
	for _, term := range kolaborasi.ExchangeTerms {
		used = append(used, "agreement.term."+term)
	}
	for _, k := range []string{"role.signatory", "role.witness", "stage.ksb", "stage.pks", "form_new", "form_edit", "form_addendum",
		"deadline.report", "deadline.end", "source.apbd", "source.other"} {
		used = append(used, "agreement."+k)
	}
	for _, st := range []kolaborasi.KeyStatus{kolaborasi.KeyPending, kolaborasi.KeyActive, kolaborasi.KeyRejected, kolaborasi.KeyRevoked} {
		used = append(used, "keys.status."+string(st))
	}
	for _, typ := range []string{"key_registered", "key_revoked", "signature", "status_change"} {
		used = append(used, "log.type."+typ)
	}
	for _, r := range append(append([]kolaborasi.Role{}, kolaborasi.RegionRoles...), kolaborasi.PlatformRoles...) {
		used = append(used, "role."+string(r))
	}
	for _, st := range []kolaborasi.UserStatus{kolaborasi.UserActive, kolaborasi.UserDisabled} {
		used = append(used, "status."+string(st))
	}
	for _, sev := range []string{"error", "warning"} {
		used = append(used, "validator."+sev)
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
