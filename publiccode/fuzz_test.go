package publiccode

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse, Validate and Marshal never panic, and that a file which validates is written by
// Marshal in a form that parses back to an equal File. Seeds: testdata/fuzz/FuzzParse plus the valid test file.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("testdata/cli/valid.yml"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, res := Parse(data)
		if file == nil {
			if res.Valid() {
				t.Fatal("no File but no error")
			}
			return
		}
		_ = Validate(file)
		out, err := Marshal(file)
		if err != nil {
			if res.Valid() {
				t.Fatalf("valid file cannot be marshalled: %v", err)
			}
			return
		}
		if !res.Valid() {
			return
		}
		again, res2 := Parse(out)
		if again == nil {
			t.Fatalf("Marshal output of a valid file does not parse:\n%s\n%s", out, dump(res2))
		}
		if d := cmp.Diff(file, again); d != "" {
			t.Fatalf("round trip changed the File (-first +second):\n%s\n%s", d, out)
		}
	})
}
