package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/publiccode"
)

const td = "../../publiccode/testdata/"

func TestRunPublicCode(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings expected on stdout
		stderrPart string
	}{
		{"valid", []string{"validate", td + "cli/valid.yml"}, 0, []string{"valid.yml: sah (0 peringatan)"}, ""},
		{"warnings only are valid", []string{"validate", "--lang", "en", td + "cli/warnings.yml"}, 0,
			[]string{"warnings.yml:10:5: warning: description.en.genericName is deprecated", "warnings.yml: valid (2 warnings)"}, ""},
		{"invalid", []string{"validate", "--lang", "en", td + "cli/invalid.yml"}, 1,
			[]string{"invalid.yml:7:5: error: categories[0]: \"smart-city\" is not in the standard's list of categories", "invalid (5 errors, 0 warnings)"}, ""},
		{"indonesian by default", []string{"validate", td + "cli/invalid.yml"}, 1,
			[]string{"invalid.yml:7:5: galat: categories[0]: \"smart-city\" tidak ada dalam daftar kategori standar", "tidak sah (5 galat"}, ""},
		{"one bad file makes exit 1", []string{"validate", td + "cli/valid.yml", td + "cli/invalid.yml"}, 1, []string{"valid.yml: sah"}, ""},
		{"missing file", []string{"validate", td + "cli/nope.yml"}, 1, []string{"nope.yml: galat: berkas tidak dapat dibaca"}, ""},
		{"no files", []string{"validate"}, 2, nil, "no FILE given"},
		{"bad lang", []string{"validate", "--lang", "fr", td + "cli/valid.yml"}, 2, nil, "--lang must be id or en"},
		{"bad flag", []string{"validate", "--nope", td + "cli/valid.yml"}, 2, nil, "flag provided but not defined"},
		{"no subcommand", nil, 2, nil, "usage: kolaborasi publiccode validate"},
		{"unknown subcommand", []string{"check"}, 2, nil, "unknown subcommand \"check\""},
		{"help", []string{"validate", "--help"}, 0, []string{"usage: kolaborasi publiccode validate", "-json", "-lang"}, ""},
		{"top help", []string{"--help"}, 0, []string{"usage:"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := runPublicCode(tt.args, &out, &errb); code != tt.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out.String(), errb.String())
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			if !strings.Contains(errb.String(), tt.stderrPart) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderrPart, errb.String())
			}
		})
	}
}

// TestRunPublicCodeOversized checks that a file over the limit is refused with its real size, although only
// the first MaxSize+1 bytes are read.
func TestRunPublicCodeOversized(t *testing.T) {
	fn := t.TempDir() + "/big.yml"
	if err := os.WriteFile(fn, bytes.Repeat([]byte("# padding\n"), 500_000), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := runPublicCode([]string{"validate", "--lang", "en", fn}, &out, &errb); code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "the file is 5000000 bytes") {
		t.Errorf("stdout lacks the real size:\n%s", out.String())
	}
}

func TestRunPublicCodeJSON(t *testing.T) {
	var out, errb bytes.Buffer
	code := runPublicCode([]string{"validate", "--json", td + "cli/valid.yml", td + "cli/invalid.yml"}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d; stderr %s", code, errb.String())
	}
	var reports []publiccode.Report
	if err := json.Unmarshal(out.Bytes(), &reports); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if len(reports) != 2 || !reports[0].Valid || reports[1].Valid || reports[1].Errors != 5 {
		t.Fatalf("reports = %+v", reports)
	}
	m := reports[1].Messages[0]
	if m.Code != publiccode.CodeInvalidValue || m.Path != "categories[0]" || m.Line != 7 || m.TextID == "" {
		t.Errorf("first message = %+v", m)
	}
}
