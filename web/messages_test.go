package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// userMessages extracts, from the Go source of the packages whose errors
// reach users, every sentence written for a user: the format of
// kolaborasi.Errorf, the Message of a kolaborasi.Error literal and every
// value put into its Fields. Parts computed at run time become %s.
func userMessages(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range []string{"..", "../app", "../store", "../obsfile", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			add := func(e ast.Expr) {
				// A format of values alone ("%s") passes on a sentence
				// made elsewhere; it is not a sentence of its own.
				if s, ok := formatOf(e); ok && strings.ContainsFunc(verbRE.ReplaceAllString(s, ""), unicode.IsLetter) {
					found[s] = fset.Position(e.Pos()).String()
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if isSel(n.Fun, "kolaborasi", "Errorf") || isSel(n.Fun, "", "Errorf") && filepath.Base(dir) == ".." {
						if len(n.Args) >= 2 {
							add(n.Args[1])
						}
					}
					// The observation file reader's problems: row.problem(column,
					// format, ...) and its number errors.
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "problem" && len(n.Args) >= 2 {
						add(n.Args[1])
					}
					if isSel(n.Fun, "fmt", "Errorf") && filepath.Base(dir) == "obsfile" && len(n.Args) >= 1 {
						add(n.Args[0])
					}
					// Helpers that build errors (errInvalid and the like)
					// take the sentence and the field messages as arguments.
					if id, ok := n.Fun.(*ast.Ident); ok && (strings.HasPrefix(id.Name, "err") || strings.HasPrefix(id.Name, "bad")) {
						for _, a := range n.Args {
							if m, ok := a.(*ast.CompositeLit); ok {
								for _, el := range m.Elts {
									if kv, ok := el.(*ast.KeyValueExpr); ok {
										add(kv.Value)
									}
								}
							} else if f, ok := formatOf(a); ok && strings.Contains(f, " ") {
								// A sentence, not a field name.
								add(a)
							}
						}
					}
				case *ast.FuncLit:
					// A change's closure returns the entity and the audit
					// trail's summary, which the audit pages show.
					if !isAuditClosure(n.Type) {
						return true
					}
					ast.Inspect(n.Body, func(m ast.Node) bool {
						if _, ok := m.(*ast.FuncLit); ok {
							return false
						}
						if ret, ok := m.(*ast.ReturnStmt); ok && len(ret.Results) == 3 {
							add(ret.Results[1])
						}
						return true
					})
				case *ast.CompositeLit:
					if isSel(n.Type, "obsfile", "Problem") || isSel(n.Type, "", "Problem") && filepath.Base(dir) == "obsfile" {
						for _, el := range n.Elts {
							if kv, ok := el.(*ast.KeyValueExpr); ok {
								if key, _ := kv.Key.(*ast.Ident); key != nil && key.Name == "Message" {
									add(kv.Value)
								}
							}
						}
					}
					if isSel(n.Type, "kolaborasi", "Error") || isSel(n.Type, "", "Error") && dir == ".." {
						for _, el := range n.Elts {
							kv, ok := el.(*ast.KeyValueExpr)
							if !ok {
								continue
							}
							switch key, _ := kv.Key.(*ast.Ident); {
							case key == nil:
							case key.Name == "Message":
								add(kv.Value)
							case key.Name == "Fields":
								if m, ok := kv.Value.(*ast.CompositeLit); ok {
									for _, el := range m.Elts {
										if kv, ok := el.(*ast.KeyValueExpr); ok {
											add(kv.Value)
										}
									}
								}
							}
						}
					}
				case *ast.AssignStmt:
					// fields["x"] = "...", e.Fields[k] = ...
					for i, lhs := range n.Lhs {
						ix, ok := lhs.(*ast.IndexExpr)
						if !ok || i >= len(n.Rhs) {
							continue
						}
						name := ""
						switch x := ix.X.(type) {
						case *ast.Ident:
							name = x.Name
						case *ast.SelectorExpr:
							name = x.Sel.Name
						}
						if strings.EqualFold(name, "fields") || name == "f" {
							add(n.Rhs[i])
						}
					}
				}
				return true
			})
		}
	}
	return found
}

// isAuditClosure reports whether a function type is func(...) (string,
// string, error), the shape of App.change's closures.
func isAuditClosure(ft *ast.FuncType) bool {
	if ft.Results == nil || len(ft.Results.List) != 3 {
		return false
	}
	want := []string{"string", "string", "error"}
	for i, f := range ft.Results.List {
		if id, ok := f.Type.(*ast.Ident); !ok || id.Name != want[i] || len(f.Names) > 1 {
			return false
		}
	}
	return true
}

func isSel(e ast.Expr, pkg, name string) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == pkg && e.Sel.Name == name
	case *ast.Ident:
		return pkg == "" && e.Name == name
	}
	return false
}

// formatOf turns an expression into the format it produces: a literal, a
// fmt.Sprintf format, or a concatenation with %s for computed parts.
func formatOf(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.CallExpr:
		if isSel(e.Fun, "fmt", "Sprintf") && len(e.Args) > 0 {
			return formatOf(e.Args[0])
		}
		return "%s", true
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, _ := formatOf(e.X)
			b, _ := formatOf(e.Y)
			return a + b, true
		}
	case *ast.ParenExpr:
		return formatOf(e.X)
	}
	return "%s", true
}

// TestEverySentenceHasItsTranslation fails when the code writes a sentence
// for users that locales/messages.toml cannot show in Indonesian, or when the
// catalog keeps a sentence the code no longer writes.
func TestEverySentenceHasItsTranslation(t *testing.T) {
	c, err := newSentenceCatalog()
	if err != nil {
		t.Fatal(err)
	}
	used := map[*sentence]bool{}
	found := userMessages(t)
	if len(found) < 100 {
		t.Fatalf("found only %d sentences in the code; the extractor is broken", len(found))
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, format := range keys {
		var entry *sentence
		for _, s := range c.sentences {
			if s.EN == format {
				entry = s
			}
		}
		if entry == nil {
			t.Errorf("%s: no Indonesian text for %q in locales/messages.toml", found[format], format)
			continue
		}
		used[entry] = true
		// A sample with values filled in comes back in Indonesian through
		// the same entry.
		sample := verbRE.ReplaceAllStringFunc(format, func(v string) string {
			switch {
			case v == "%%":
				return "%"
			case strings.HasSuffix(v, "d"):
				return "42"
			case strings.HasSuffix(v, "q"):
				return `"x-1"`
			}
			return "nilai"
		})
		got, ok := c.translate(sample, func(v string) string { return v })
		if !ok || got == "" {
			t.Errorf("%q (sample %q) does not translate", format, sample)
		}
	}
	for _, s := range c.sentences {
		if !used[s] && !s.Part {
			t.Errorf("locales/messages.toml keeps %q, which the code no longer writes", s.EN)
		}
	}
}

func TestSentenceTranslation(t *testing.T) {
	c, err := newCatalog()
	if err != nil {
		t.Fatal(err)
	}
	id := translator{lang: "id", loc: c.localizers["id"], sentences: c.sentences}
	en := translator{lang: "en", loc: c.localizers["en"], sentences: c.sentences}
	for _, tc := range []struct{ in, want string }{
		{"choose at least one smart-city dimension", "pilih paling sedikit satu dimensi kota cerdas"},
		{"Solution 9999 was changed by someone else since version 3; reload it and make your change again.",
			"Solusi 9999 telah diubah orang lain sejak versi 3; muat ulang lalu ulangi perubahan Anda."},
		{"Your account may not do this for region 35.72.", "Akun Anda tidak berwenang melakukan ini untuk wilayah 35.72."},
		{"changed own password; sessions ended; API tokens revoked: 2", "mengubah kata sandi sendiri; sesi diakhiri; token API dicabut: 2"},
		{"must be at most 20000 characters", "paling panjang 20000 karakter"},
		// Adoption stages inside audit summaries are named, not coded.
		{"moved the adoption from interest to study_visit", "memindahkan tahap adopsi dari Berminat ke Kunjungan studi"},
		{"The adoption has ended (stopped).", "Adopsi sudah selesai (Dihentikan)."},
		{"a sentence nobody translated", ""},
	} {
		if got := id.Sentence(tc.in); got != tc.want {
			t.Errorf("id %q = %q, want %q", tc.in, got, tc.want)
		}
		if got := en.Sentence(tc.in); got != tc.in {
			t.Errorf("en %q = %q", tc.in, got)
		}
	}
	if got := id.FieldLabel("exchanges[0].receivers"); got != "Pertukaran 1 › Penerima" {
		t.Errorf("label = %q", got)
	}
	if got := en.FieldLabel("dimensions"); got != "Smart-city dimensions" {
		t.Errorf("label = %q", got)
	}
}
