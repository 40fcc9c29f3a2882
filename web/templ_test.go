package web

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTemplGeneratedIsCurrent regenerates the templ components
// (go tool templ generate, the version go.mod pins) from the .templ files
// and compares the result with the committed *_templ.go: a .templ change
// without `go tool templ generate` fails here.
func TestTemplGeneratedIsCurrent(t *testing.T) {
	sources, err := filepath.Glob("*.templ")
	if err != nil || len(sources) == 0 {
		t.Fatalf("no .templ files (%v)", err)
	}
	tmp := t.TempDir()
	if err := os.Mkdir(filepath.Join(tmp, "web"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, src := range sources {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, "web", src), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// -path names the files web/<name>.templ in their errors, as when
	// generated from the repository's root.
	cmd := exec.Command("go", "tool", "templ", "generate", "-path", tmp)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go tool templ generate: %v\n%s", err, out)
	}
	for _, src := range sources {
		gen := strings.TrimSuffix(src, ".templ") + "_templ.go"
		want, err := os.ReadFile(filepath.Join(tmp, "web", gen))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(gen)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is not what go tool templ generate makes of %s (%v): run it and commit the result", gen, src, err)
		}
	}
	generated, _ := filepath.Glob("*_templ.go")
	if len(generated) != len(sources) {
		t.Errorf("%d generated files for %d .templ files: delete the ones without a source", len(generated), len(sources))
	}
}
