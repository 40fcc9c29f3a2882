package publiccode

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// reference is the verdict of publiccode-parser-go (offline) recorded in testdata/real/SOURCES.md.
type reference struct{ errors, warnings int }

func readReferences(t *testing.T) map[string]reference {
	t.Helper()
	fh, err := os.Open("testdata/real/SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	refs := map[string]reference{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "|")
		if len(cols) < 11 || !strings.HasSuffix(strings.TrimSpace(cols[2]), ".yml") {
			continue
		}
		ew := strings.Split(cols[len(cols)-2], "/")
		e, err1 := strconv.Atoi(strings.TrimSpace(ew[0]))
		w, err2 := strconv.Atoi(strings.TrimSpace(ew[1]))
		if err1 != nil || err2 != nil {
			t.Fatalf("bad verdict in SOURCES.md row %q", sc.Text())
		}
		refs[strings.TrimSpace(cols[2])] = reference{e, w}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return refs
}

// differences lists every file where this package's accept/reject verdict differs from the reference, with
// the clause of the standard that decides it and the message code that carries our verdict.
var differences = map[string]struct{ clause, code string }{
	"Azienda-USL-di-Bologna__babel.yml": {
		`schema.it.rst, Key "countryExtensionVersion": "Presence: mandatory" (the file has an Italian section without it)`, CodeMissingKey},
	"provinciadicremona__AVCP-Xml.yml": {
		`schema.it.rst, Key "countryExtensionVersion": "Presence: mandatory" (the file has an Italian section without it)`, CodeMissingKey},
	"seedoo__seedoo-core.yml": {
		`schema.it.rst, Key "countryExtensionVersion": "Presence: mandatory" (the file has an Italian section without it)`, CodeMissingKey},
	"Comune-Milano__Whistleblowing.yml": {
		`CHANGELOG.rst v0.4.0: "Make releaseDate key an optional key" - the file declares 0.3, where releaseDate is mandatory, and has none`, CodeMissingKey},
}

func realFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/real/*.yml")
	if err != nil || len(files) != 46 {
		t.Fatalf("want the 46 real files, got %d (%v)", len(files), err)
	}
	return files
}

func TestRealCorpusVerdicts(t *testing.T) {
	refs := readReferences(t)
	if len(refs) != 46 {
		t.Fatalf("SOURCES.md lists %d verdicts, want 46", len(refs))
	}
	var oursErr, refErr int
	for _, fn := range realFiles(t) {
		name := filepath.Base(fn)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(fn)
			if err != nil {
				t.Fatal(err)
			}
			f, res := Parse(data)
			if f == nil {
				t.Fatalf("real file did not parse: %v", res.Messages)
			}
			ref, ok := refs[name]
			if !ok {
				t.Fatalf("no reference verdict for %s", name)
			}
			nErr := len(res.Errors())
			oursErr += nErr
			refErr += ref.errors
			diff, explained := differences[name]
			agree := (nErr == 0) == (ref.errors == 0)
			switch {
			case agree && explained:
				t.Errorf("verdict now agrees with the reference; remove the stale differences entry")
			case !agree && !explained:
				t.Errorf("accepted=%v but reference accepted=%v and no clause explains it; messages:\n%s",
					nErr == 0, ref.errors == 0, dump(res))
			case !agree:
				found := false
				for _, m := range res.Errors() {
					found = found || m.Code == diff.code
				}
				if nErr > 0 && !found {
					t.Errorf("difference explained by %q but no %s error was reported", diff.clause, diff.code)
				}
				t.Logf("differs from reference (ours %d errors, reference %d): %s", nErr, ref.errors, diff.clause)
			}
			for _, m := range res.Messages {
				if m.Line == 0 {
					t.Errorf("message without position: %+v", m)
				}
			}
		})
	}
	// Counts are a sanity check only: both validators must find errors of the same order of magnitude.
	if oursErr == 0 || oursErr > 3*refErr || refErr > 3*oursErr {
		t.Errorf("total errors: ours %d, reference %d", oursErr, refErr)
	}
}

func dump(r Result) string {
	var b strings.Builder
	_ = WriteText(&b, "file", r)
	return b.String()
}

func TestRealCorpusRoundTrip(t *testing.T) {
	for _, fn := range realFiles(t) {
		t.Run(filepath.Base(fn), func(t *testing.T) {
			data, err := os.ReadFile(fn)
			if err != nil {
				t.Fatal(err)
			}
			assertRoundTrip(t, data)
		})
	}
}

// assertRoundTrip checks Parse -> Marshal -> Parse gives an equal File and the same verdict.
func assertRoundTrip(t *testing.T, data []byte) {
	t.Helper()
	f, res := Parse(data)
	if f == nil {
		t.Fatalf("did not parse: %s", dump(res))
	}
	out, err := Marshal(f)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	f2, res2 := Parse(out)
	if f2 == nil {
		t.Fatalf("Marshal output does not parse: %s\n%s", dump(res2), out)
	}
	if d := cmp.Diff(f, f2); d != "" {
		t.Errorf("File changed by Parse/Marshal/Parse (-first +second):\n%s", d)
	}
	if res.Valid() != res2.Valid() {
		t.Errorf("verdict changed: %v then %v\n%s", res.Valid(), res2.Valid(), dump(res2))
	}
	out2, err := Marshal(f2)
	if err != nil || string(out2) != string(out) {
		t.Errorf("Marshal is not stable (err %v)", err)
	}
}
