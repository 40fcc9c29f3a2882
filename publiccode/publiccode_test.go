package publiccode

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readValid(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/cli/valid.yml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// codes returns "severity code path" for each message, for compact comparisons.
func codes(r Result) []string {
	var out []string
	for _, m := range r.Messages {
		out = append(out, string(m.Severity)+" "+m.Code+" "+m.Path)
	}
	return out
}

func TestValidFileHasNoMessages(t *testing.T) {
	f, res := Parse(readValid(t))
	if len(res.Messages) != 0 {
		t.Fatalf("want no messages, got:\n%s", dump(res))
	}
	if f.Name != "Lapor Blitar" || f.Organisation.URI != "urn:kolaborasi:region:35.72" || *f.Localisation.LocalisationReady != true {
		t.Errorf("fields not decoded: %+v", f)
	}
	if got := f.Description["id"].Features; len(got) != 2 || got[1] != "Pelacakan status oleh warga" {
		t.Errorf("features = %q", got)
	}
	assertRoundTrip(t, readValid(t))
}

func TestStandardExamples(t *testing.T) {
	// The standard's examples declare version "0", the latest 0.x: they must be valid as published, and
	// "0" is not reported as outdated.
	for _, name := range []string{"publiccode.yml", "publiccode.minimal.yml"} {
		b, err := os.ReadFile("testdata/standard/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`publiccodeYmlVersion: "0"`+"\n")) {
			t.Fatalf("%s no longer declares version \"0\"", name)
		}
		_, res := Parse(b)
		if !res.Valid() {
			t.Errorf("%s: want valid, got:\n%s", name, dump(res))
		}
		for _, m := range res.Messages {
			if m.Code == CodeOutdatedVersion || m.Code == CodeUnsupportedVersion {
				t.Errorf("%s: version \"0\" reported: %s", name, m.Text)
			}
		}
		assertRoundTrip(t, b)
	}
}

// TestRules changes one thing in the valid file and expects exactly the listed messages.
func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"missing name", "name: Lapor Blitar\n", "", []string{"error missing-key name"}},
		{"unsupported version", `"0.7"`, `"2.4.0"`, []string{"error unsupported-version publiccodeYmlVersion"}},
		{"old version", `"0.7"`, `"0.5"`, []string{"warning outdated-version publiccodeYmlVersion", "warning key-too-new supports"}},
		{"unquoted version", `publiccodeYmlVersion: "0.7"`, `publiccodeYmlVersion: 0.7`, []string{"warning unquoted-number publiccodeYmlVersion"}},
		{"0.2 needs releaseDate and genericName", `"0.7"`, `"0.2"`, []string{"warning outdated-version publiccodeYmlVersion",
			"warning value-too-new categories[1]", "warning key-too-new supports", "warning key-too-new organisation",
			"error missing-key description"}},
		{"releaseDate format", `"2026-03-01"`, `"01/03/2026"`, []string{"error invalid-date releaseDate"}},
		{"empty releaseDate", `releaseDate: "2026-03-01"`, `releaseDate: ""`, []string{"error empty releaseDate"}},
		{"version 0 is the latest", `publiccodeYmlVersion: "0.7"`, `publiccodeYmlVersion: "0"`, nil},
		{"logo as URL", "logo: img/logo.svg", "logo: https://git.example.go.id/kota-blitar/lapor/raw/main/logo.png", nil},
		{"video", "      - img/screen-1.png\n", "      - img/screen-1.png\n    videos:\n      - https://www.youtube.com/watch?v=x\n", nil},
		{"video not a URL", "      - img/screen-1.png\n", "      - img/screen-1.png\n    videos:\n      - notaurl\n", []string{"error invalid-url description.id.videos[0]"}},
		{"empty video", "      - img/screen-1.png\n", "      - img/screen-1.png\n    videos:\n      - \"\"\n", []string{"error empty description.id.videos[0]"}},
		{"bad category", "- whistleblowing", "- smart-city", []string{"error invalid-value categories[1]"}},
		{"bad scope", "- society", "- smart-city", []string{"error invalid-value intendedAudience.scope[1]"}},
		{"bad status", "developmentStatus: stable", "developmentStatus: production", []string{"error invalid-value developmentStatus"}},
		{"deprecated standalone", "softwareType: standalone/web", "softwareType: standalone", []string{"warning deprecated-value softwareType"}},
		{"bad software type", "softwareType: standalone/web", "softwareType: webapp", []string{"error invalid-value softwareType"}},
		{"bad maintenance type", "type: internal", "type: commercial", []string{"error invalid-value maintenance.type"}},
		{"contract needs contractors", "type: internal", "type: contract", []string{"error missing-key maintenance.contractors"}},
		{"community needs contacts", "  type: internal\n  contacts:\n    - name: Siti Rahayu\n      email: siti.rahayu@example.go.id\n      phone: \"+62 342 000000\"\n      affiliation: Dinas Kominfo Kota Blitar\n",
			"  type: community\n", []string{"error missing-key maintenance.contacts"}},
		{"contractors only with contract", "  type: internal\n", "  type: internal\n  contractors:\n    - name: PT Contoh\n      until: \"2027-01-01\"\n",
			[]string{"error not-allowed maintenance.contractors"}},
		{"bad email", "siti.rahayu@example.go.id", "siti at example", []string{"error invalid-email maintenance.contacts[0].email"}},
		{"phone as number", `phone: "+62 342 000000"`, `phone: 62342000000`, []string{"error wrong-type maintenance.contacts[0].phone"}},
		{"licence", "EUPL-1.2 OR AGPL-3.0-or-later", "GPL-3.0", []string{"warning deprecated-license legal.license"}},
		{"bad licence", "EUPL-1.2 OR AGPL-3.0-or-later", "EUPL-1.2 OR Apache", []string{"error invalid-license legal.license"}},
		{"language key", "  id:\n    localisedName", "  xx-!!:\n    localisedName", []string{"error invalid-language description.xx-!!"}},
		{"available language", "    - en\ndependsOn", "    - english language\ndependsOn", []string{"error invalid-language localisation.availableLanguages[1]"}},
		{"underscore language", "    - en\ndependsOn", "    - zh_CN\ndependsOn", []string{"error invalid-language localisation.availableLanguages[1]"}},
		{"short description too long", "Citizen complaint service for city governments.", strings.Repeat("a", 151), []string{"error too-long description.en.shortDescription"}},
		{"long description too short", "layanan publik\n      lainnya, meneruskannya ke dinas yang berwenang, dan memberi tahu warga setiap kali status berubah.\n", "layanan.\n", []string{"error too-short description.id.longDescription"}},
		{"genericName deprecated and long", "    localisedName: Lapor Blitar\n", "    genericName: " + strings.Repeat("g", 36) + "\n",
			[]string{"error too-long description.id.genericName", "warning deprecated-key description.id.genericName"}},
		{"http url", `landingURL: "https://lapor.example.go.id"`, `landingURL: "lapor.example.go.id"`, []string{"error invalid-url landingURL"}},
		{"ssh repository", `url: "https://git.example.go.id/kota-blitar/lapor.git"`, `url: "ssh://git.example.go.id/lapor.git"`, []string{"warning non-http-url url"}},
		{"logo format", "logo: img/logo.svg", "logo: img/logo.gif", []string{"error invalid-path logo"}},
		{"logo outside repository", "logo: img/logo.svg", "logo: ../logo.svg", []string{"error invalid-path logo"}},
		{"screenshot format", "img/screen-1.png", "img/screen-1.bmp", []string{"error invalid-path description.id.screenshots[0]"}},
		{"country", "    - ID\n", "    - XX\n", []string{"error invalid-country intendedAudience.countries[0]"}},
		{"lowercase country", "    - ID\n", "    - id\n", []string{"warning lowercase-country intendedAudience.countries[0]"}},
		{"unknown alias", "alias:gdpr", "alias:nope", []string{"error unknown-alias supports[0].id"}},
		{"organisation uri", `"urn:kolaborasi:region:35.72"`, `"not a uri"`, []string{"error invalid-uri organisation.uri"}},
		{"region uri", `"urn:kolaborasi:region:35.72"`, `"urn:kolaborasi:region:3572"`, []string{"error invalid-uri organisation.uri"}},
		{"wrong type bool", "localisationReady: true", "localisationReady: \"yes\"", []string{"error wrong-type localisation.localisationReady"}},
		{"wrong type list", "usedBy:\n  - Pemerintah Kota Blitar\n", "usedBy:\n  key: value\n", []string{"error wrong-type usedBy"}},
		{"unknown key", "roadmap:", "creationDate: \"2020-01-01\"\nroadmap:", []string{"warning unknown-key creationDate"}},
		{"case typo", "landingURL:", "landingUrl:", []string{"warning unknown-key landingUrl"}},
		{"renamed key", "roadmap:", "tags: [a]\nroadmap:", []string{"warning renamed-key tags"}},
		{"dependency without name", "    - name: PostgreSQL\n", "    - versionMax: \"16\"\n", []string{"error missing-key dependsOn.open[0].name"}},
		{"italian section", "dependsOn:", "it:\n  countryExtensionVersion: \"0.2\"\n  conforme:\n    gdpr: true\n  riuso:\n    codiceIPA: c_h501\n  spid: true\ndependsOn:",
			[]string{"warning deprecated-key it", "warning lowercase-country it", "warning deprecated-key it.conforme", "warning deprecated-key it.riuso.codiceIPA", "warning renamed-key it.spid"}},
		{"italian version", "dependsOn:", "IT:\n  countryExtensionVersion: \"3\"\ndependsOn:",
			[]string{"warning deprecated-key IT", "error invalid-value IT.countryExtensionVersion"}},
		{"other country section", "dependsOn:", "DE:\n  foo: bar\ndependsOn:", []string{"warning unknown-country-section DE"}},
		{"inputTypes", "roadmap:", "inputTypes: [text/plain, nonsense]\nroadmap:", []string{"warning deprecated-key inputTypes", "error invalid-media-type inputTypes[1]"}},
		{"duplicate key", "roadmap:", "name: Again\nroadmap:", []string{"error duplicate-key "}},
	}
	base := string(readValid(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("test bug: %q not in base file", tt.old)
			}
			src := strings.Replace(base, tt.old, tt.new, 1)
			_, res := Parse([]byte(src))
			got := codes(res)
			sortStrings(got)
			want := append([]string(nil), tt.want...)
			sortStrings(want)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("messages (-want +got):\n%s\n%s", d, dump(res))
			}
			for _, m := range res.Messages {
				if m.Text == "" || m.TextID == "" || m.Text == m.TextID {
					t.Errorf("message lacks an English or Indonesian sentence: %+v", m)
				}
				if strings.Contains(m.Text+m.TextID, "%!") {
					t.Errorf("bad format in message: %+v", m)
				}
			}
		})
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestMissingKeyLines checks that a missing key is reported at its parent mapping's line: the top mapping's
// first line for a top-level key, the parent key's line for a nested one.
func TestMissingKeyLines(t *testing.T) {
	base := string(readValid(t))
	for _, tt := range []struct {
		old, new, path string
		line           int
	}{
		{"name: Lapor Blitar\n", "", "name", 2},
		{"  license: EUPL-1.2 OR AGPL-3.0-or-later\n", "", "legal.license", strings.Count(base[:strings.Index(base, "legal:")], "\n") + 1},
	} {
		_, res := Parse([]byte(strings.Replace(base, tt.old, tt.new, 1)))
		found := false
		for _, m := range res.Errors() {
			if m.Code == CodeMissingKey && m.Path == tt.path {
				found = true
				if m.Line != tt.line {
					t.Errorf("%s missing: line %d, want %d", tt.path, m.Line, tt.line)
				}
			}
		}
		if !found {
			t.Errorf("%s: no missing-key message: %v", tt.path, codes(res))
		}
	}
}

// TestOversizedRealSize checks that a file read in part is refused with its whole size.
func TestOversizedRealSize(t *testing.T) {
	const size = 3<<20 + 5
	data, got, err := ReadLimited(io.MultiReader(strings.NewReader("name: x\n"), bytes.NewReader(make([]byte, size-8))))
	if err != nil || got != size || len(data) != MaxSize+1 {
		t.Fatalf("ReadLimited = %d bytes, size %d, %v", len(data), got, err)
	}
	fn := t.TempDir() + "/big.yml"
	if err := os.WriteFile(fn, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(fn)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if _, got, err = ReadLimited(fh); err != nil || got != size {
		t.Fatalf("ReadLimited(file) size %d, %v", got, err)
	}
	res := Oversized(got)
	if m := res.Messages[0]; m.Code != CodeTooLarge || !strings.Contains(m.Text, "3145733 bytes") || !strings.Contains(m.TextID, "3145733 bita") {
		t.Errorf("message = %+v", m)
	}
}

func TestMessagePositions(t *testing.T) {
	src := strings.Replace(string(readValid(t)), "- whistleblowing", "- smart-city", 1)
	_, res := Parse([]byte(src))
	if len(res.Messages) != 1 {
		t.Fatalf("got %v", codes(res))
	}
	m := res.Messages[0]
	if m.Line != 14 || m.Column != 5 || m.Path != "categories[1]" {
		t.Errorf("position = %d:%d %s, want 14:5 categories[1]", m.Line, m.Column, m.Path)
	}
}

func TestRobustness(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		code      string
		line, col int
	}{
		{"too large", bytes.Repeat([]byte("a"), MaxSize+1), CodeTooLarge, 0, 0},
		{"invalid utf-8", []byte("name: ok\nurl: \xff\xfe\n"), CodeInvalidUTF8, 2, 6},
		{"binary", []byte("name: a\x00b\n"), CodeInvalidUTF8, 1, 8},
		{"malformed", []byte("name: a\nurl: [b\nx: y\n"), CodeSyntax, 0, 0},
		{"bad indentation", []byte("name: a\n  url: b\n url: c\n"), CodeSyntax, 0, 0},
		{"list at top", []byte("- a\n- b\n"), CodeNotMapping, 0, 0},
		{"scalar at top", []byte("hello"), CodeNotMapping, 0, 0},
		{"empty", []byte(""), CodeNotMapping, 1, 1},
		{"comment only", []byte("# nothing\n"), CodeNotMapping, 1, 1},
		{"two documents", []byte("name: a\n---\nname: b\n"), CodeSyntax, 0, 0},
		{"unknown alias", []byte("name: *x\n"), CodeSyntax, 0, 0},
		{"alias bomb", aliasBomb(), CodeAliasLimit, 0, 0},
		{"deep nesting", []byte(strings.Repeat("[", 2000) + strings.Repeat("]", 2000)), CodeDepthLimit, 1, MaxDepth + 1},
		{"compact nesting", []byte(strings.Repeat("- ", 50_000) + "x\n"), CodeDepthLimit, 1, 2*MaxDepth + 1},
		{"nesting after a sequence at key indentation", []byte("a:\n" + strings.Repeat("- ", MaxDepth-1) + "x\n"), CodeDepthLimit, 2, 2*MaxDepth - 1},
		{"deep block nesting", deepBlock(100), CodeDepthLimit, 0, 0},
		{"too many keys", []byte(strings.Repeat("k: v\n", MaxKeys+1)), CodeTooLarge, 1, 1},
		{"too many values", []byte("usedBy:\n" + strings.Repeat("- a\n", MaxNodes)), CodeTooLarge, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, res := Parse(tt.data)
			if res.Valid() {
				t.Fatal("want invalid")
			}
			if f != nil && tt.code != CodeNotMapping {
				t.Errorf("want no File, got %+v", f)
			}
			m := res.Messages[0]
			if m.Code != tt.code {
				t.Errorf("code = %s, want %s (%s)", m.Code, tt.code, m.Text)
			}
			if tt.line != 0 && (m.Line != tt.line || m.Column != tt.col) {
				t.Errorf("position = %d:%d, want %d:%d", m.Line, m.Column, tt.line, tt.col)
			}
			if tt.code == CodeSyntax && m.Line == 0 && tt.name != "two documents" {
				t.Errorf("syntax error without line: %+v", m)
			}
		})
	}
}

func aliasBomb() []byte {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return []byte(b.String())
}

func itoa(i int) string { return string(rune('0' + i)) }

func deepBlock(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat("  ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat("  ", n) + "v: 1\n")
	return []byte(b.String())
}

// TestWrongTypesEverywhere gives every key of the standard a value of the wrong type: messages, no panic.
func TestWrongTypesEverywhere(t *testing.T) {
	keys := []string{"publiccodeYmlVersion", "name", "applicationSuite", "url", "landingURL", "isBasedOn", "softwareVersion",
		"releaseDate", "logo", "monochromeLogo", "inputTypes", "outputTypes", "platforms", "categories", "usedBy", "fundedBy",
		"roadmap", "developmentStatus", "softwareType", "supports", "organisation", "intendedAudience", "description", "legal",
		"maintenance", "localisation", "dependsOn", "IT"}
	for _, val := range []string{"{a: b}", "[[1]]", "true", "null", "[{x: 1}]", "3"} {
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(k + ": " + val + "\n")
		}
		b.WriteString("description2:\n  en: 7\n")
		_, res := Parse([]byte(b.String()))
		if res.Valid() {
			t.Errorf("value %s: want invalid", val)
		}
	}
	nested := "description: {en: [1]}\nlegal: {license: [a]}\nmaintenance: {type: internal, contacts: [1, {name: [x]}]}\n" +
		"localisation: {localisationReady: [x], availableLanguages: {a: b}}\ndependsOn: {open: [{name: {x: 1}, optional: x}]}\n" +
		"IT: {conforme: {gdpr: x}, piattaforme: [1], riuso: {codiceIPA: [1]}}\n"
	_, res := Parse([]byte(nested))
	if len(res.Errors()) < 8 {
		t.Errorf("want many wrong-type errors, got:\n%s", dump(res))
	}
}

func TestValidateBuiltFile(t *testing.T) {
	f, _ := Parse(readValid(t))
	f.Legal.License = ""
	f.Categories = append(f.Categories, "nope")
	res := Validate(f)
	got := codes(res)
	sortStrings(got)
	want := []string{"error invalid-value categories[2]", "error missing-key legal.license"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if res := Validate(nil); res.Valid() {
		t.Error("Validate(nil) must be invalid")
	}
}

func TestMarshalLayout(t *testing.T) {
	src := "publiccodeYmlVersion: '0.2'\nname: \"yes\"\nit:\n  countryExtensionVersion: '0.2'\nzzz: {b: [1, 2.5, true, ~]}\n" +
		"url: https://example.org/x.git\nplatforms: web\n"
	f, _ := Parse([]byte(src))
	out, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := "publiccodeYmlVersion: \"0.2\"\nname: \"yes\"\nurl: \"https://example.org/x.git\"\nplatforms:\n  - web\n" +
		"IT:\n  countryExtensionVersion: \"0.2\"\nzzz:\n  b:\n    - 1\n    - 2.5\n    - true\n    - null\n"
	if d := cmp.Diff(want, string(out)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	assertRoundTrip(t, []byte(src))
	if _, err := Marshal(nil); err == nil {
		t.Error("Marshal(nil) must fail")
	}
}

func TestMarshalStrings(t *testing.T) {
	for _, s := range []string{"plain", "", "true", "0.10", "2026-01-01", "a: b", "# x", "- x", "multi\nline\n", "multi\nline",
		"trailing\n\n", " lead\nx", "tab\there", "quote \" and \\", "ünïcödé ✓", "\u2028", "ctrl\x01", "x ", "@at", "*star", "null"} {
		f := &File{Name: s, Extra: []Field{{Key: s + "k", Value: Value{Kind: KindString, Text: s}}}}
		out, err := Marshal(f)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		g, res := Parse(out)
		if g == nil {
			t.Fatalf("%q: output does not parse:\n%s\n%s", s, out, dump(res))
		}
		if g.Name != s || len(g.Extra) != 1 || g.Extra[0].Value.Text != s || g.Extra[0].Key != s+"k" {
			t.Errorf("%q came back as %q / %+v\n%s", s, g.Name, g.Extra, out)
		}
	}
}

func TestLicenseExpressions(t *testing.T) {
	tests := []struct {
		expr       string
		errs, deps int
	}{
		{"MIT", 0, 0},
		{"mit", 0, 0},
		{"EUPL-1.2 OR AGPL-3.0-or-later", 0, 0},
		{"(MIT OR Apache-2.0) AND BSD-3-Clause", 0, 0},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0", 0, 0},
		{"Apache-1.0+", 0, 0},
		{"LicenseRef-Comune-Proprietary", 0, 0},
		{"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", 0, 0},
		{"GPL-3.0", 0, 1},
		{"", 1, 0},
		{"MIT OR", 1, 0},
		{"(MIT", 1, 0},
		{"MIT)", 1, 0},
		{"MIT and Apache-2.0", 1, 0},
		{"Apache 2.0", 2, 0},
		{"MIT WITH NotAnException", 1, 0},
		{"MIT WITH", 1, 0},
		{"Foo-1.0", 1, 0},
		{"AND MIT", 1, 0},
		{"MIT/X11", 1, 0},
	}
	for _, tt := range tests {
		var errs, deps int
		for _, p := range CheckLicense(tt.expr) {
			if p.Deprecated {
				deps++
			} else {
				errs++
			}
			if p.EN == "" || p.ID == "" {
				t.Errorf("%q: problem without sentences", tt.expr)
			}
		}
		if errs != tt.errs || deps != tt.deps {
			t.Errorf("CheckLicense(%q): %d errors, %d deprecations; want %d, %d", tt.expr, errs, deps, tt.errs, tt.deps)
		}
	}
}

func TestRegionURI(t *testing.T) {
	tests := []struct {
		code, uri string
	}{
		{"35.72", "urn:kolaborasi:region:35.72"},
		{"32.73", "urn:kolaborasi:region:32.73"},
		{"35", "urn:kolaborasi:region:35"},
		{"3572", ""}, {"35.7", ""}, {"35.72.1", ""}, {"ab.cd", ""}, {"", ""}, {"35,72", ""},
	}
	for _, tt := range tests {
		if got := RegionURI(tt.code); got != tt.uri {
			t.Errorf("RegionURI(%q) = %q, want %q", tt.code, got, tt.uri)
		}
		if tt.uri == "" {
			continue
		}
		code, ok := ParseRegionURI(tt.uri)
		if !ok || code != tt.code {
			t.Errorf("ParseRegionURI(%q) = %q, %v", tt.uri, code, ok)
		}
	}
	for _, bad := range []string{"urn:kolaborasi:region:", "urn:kolaborasi:region:3572", "https://example.org/35.72", "urn:other:region:35.72"} {
		if _, ok := ParseRegionURI(bad); ok {
			t.Errorf("ParseRegionURI(%q) accepted", bad)
		}
	}
	if code, ok := ParseRegionURI("URN:Kolaborasi:Region:35.72"); !ok || code != "35.72" {
		t.Errorf("case-insensitive prefix not accepted: %q %v", code, ok)
	}
	// A region URI is a valid organisation.uri.
	f, _ := Parse(readValid(t))
	f.Organisation.URI = RegionURI("32.73")
	if res := Validate(f); !res.Valid() {
		t.Errorf("region URI rejected: %s", dump(res))
	}
}

func TestWriteText(t *testing.T) {
	src := strings.Replace(string(readValid(t)), "- whistleblowing", "- smart-city", 1)
	src = strings.Replace(src, "landingURL:", "landingUrl:", 1)
	_, res := Parse([]byte(src))
	var b strings.Builder
	if err := WriteText(&b, "publiccode.yml", res); err != nil {
		t.Fatal(err)
	}
	want := "publiccode.yml:5:1: warning: landingUrl is not a key of the standard (keys are case-sensitive: did you mean landingURL?); it is kept but not checked\n" +
		"publiccode.yml:14:5: error: categories[1]: \"smart-city\" is not in the standard's list of categories\n"
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	b.Reset()
	if err := WriteTextLang(&b, "p.yml", res, "id"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "p.yml:14:5: galat: categories[1]: \"smart-city\" tidak ada dalam daftar kategori standar") {
		t.Errorf("Indonesian output:\n%s", b.String())
	}
}

func TestWriteJSON(t *testing.T) {
	_, res := Parse([]byte("name: x\n"))
	var b bytes.Buffer
	if err := WriteJSON(&b, []Report{NewReport("a.yml", res)}); err != nil {
		t.Fatal(err)
	}
	var got []Report
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Valid || got[0].Errors != len(res.Errors()) || got[0].Messages[0].Code == "" {
		t.Errorf("JSON report = %+v", got)
	}
	if !strings.Contains(b.String(), `"message_id"`) {
		t.Errorf("JSON lacks Indonesian sentences:\n%s", b.String())
	}
}

// fakeChecker stands in for the network at the URLChecker boundary.
type fakeChecker struct {
	down map[string]bool
	seen []string
}

func (c *fakeChecker) CheckURL(_ context.Context, u string, image bool) error {
	c.seen = append(c.seen, u)
	if c.down[u] {
		return errors.New("404 Not Found")
	}
	return nil
}

func TestURLChecker(t *testing.T) {
	c := &fakeChecker{down: map[string]bool{"https://lapor.example.go.id": true}}
	_, res := ParseContext(context.Background(), readValid(t), Options{URLChecker: c})
	if !res.Valid() {
		t.Fatalf("network failures must not make the file invalid:\n%s", dump(res))
	}
	if got := codes(res); len(got) != 1 || got[0] != "warning unreachable landingURL" {
		t.Errorf("messages = %v", got)
	}
	if len(c.seen) != 3 { // url, landingURL, roadmap; the logo and screenshot are relative paths
		t.Errorf("checked %v", c.seen)
	}
	// Off by default: Parse never calls a checker, so nothing to observe but the absence of warnings.
	if _, res := Parse(readValid(t)); len(res.Messages) != 0 {
		t.Errorf("Parse made network-style messages: %v", codes(res))
	}
}

func TestLists(t *testing.T) {
	if c := Categories(); len(c) < 100 || c[0] != "accounting" {
		t.Errorf("categories = %d, first %q", len(c), c[0])
	}
	if s := Scopes(); len(s) != 24 {
		t.Errorf("scopes = %d", len(s))
	}
	if len(aliases) != 9 || aliases["gdpr"] != "https://eur-lex.europa.eu/eli/reg/2016/679/oj" {
		t.Errorf("aliases = %v", aliases)
	}
	if len(spdxLicenses) < 600 || len(spdxExceptions) < 50 {
		t.Errorf("SPDX lists too small: %d, %d", len(spdxLicenses), len(spdxExceptions))
	}
	if v := SupportedVersions(); len(v) != 15 || v[0] != "0" {
		t.Errorf("versions = %v", v)
	}
}
