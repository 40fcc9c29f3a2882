package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportAndGen(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "k.db")
	good := "../../publiccode/testdata/real/AgID__wai-portal.yml"
	bad := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(bad, []byte("publiccodeYmlVersion: \"0.4\"\nname: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "import", "--region", "32.73", "--db", db, good)
	if code != 0 || !strings.Contains(out, "1 files: 1 created, 0 updated, 0 rejected") {
		t.Fatalf("import good: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "import", "--region", "32.73", "--db", db, "--lang", "en", good, bad, filepath.Join(dir, "missing.yml"))
	if code != 1 || !strings.Contains(out, "3 files: 0 created, 1 updated, 2 rejected") ||
		!strings.Contains(errOut, "bad.yml:") || !strings.Contains(errOut, "missing.yml: cannot read") {
		t.Fatalf("import mixed: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "import", "--db", db, good); code != 2 || !strings.Contains(errOut, "--region") {
		t.Errorf("import without region: %d %q", code, errOut)
	}
	code, out, errOut = runCmd(t, "gen", "--solutions", "300", "--seed", "7", "--db", db)
	if code != 0 || !strings.Contains(out, "Added 300 synthetic solutions (seed 7) over 514 kabupaten/kota") || !strings.Contains(out, "100%") {
		t.Fatalf("gen: %d %q %q", code, out, errOut)
	}
	if code, _, _ := runCmd(t, "gen", "--db", db); code != 2 {
		t.Errorf("gen without --solutions: exit %d", code)
	}
}
