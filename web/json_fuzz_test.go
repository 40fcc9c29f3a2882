package web

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// decodedTypes are the request bodies the API decodes with decodeJSON, by
// the name their handlers declare them with (TestDecodedTypesAreFuzzed
// keeps the list whole).
var decodedTypes = map[string]func() any{
	"app.AdoptionRequest":         func() any { return new(app.AdoptionRequest) },
	"adoptionDecision":            func() any { return new(adoptionDecision) },
	"adoptionMove":                func() any { return new(adoptionMove) },
	"adoptionDetailsInput":        func() any { return new(adoptionDetailsInput) },
	"kolaborasi.AgreementContent": func() any { return new(kolaborasi.AgreementContent) },
	"statusInput":                 func() any { return new(statusInput) },
	"signatureInput":              func() any { return new(signatureInput) },
	"keyInput":                    func() any { return new(keyInput) },
	"keyDecision":                 func() any { return new(keyDecision) },
	"kolaborasi.Indicator":        func() any { return new(kolaborasi.Indicator) },
	"profileRequest":              func() any { return new(profileRequest) },
	"opdRequest":                  func() any { return new(opdRequest) },
	"needRequest":                 func() any { return new(needRequest) },
	"draftRequest":                func() any { return new(draftRequest) },
	"producerInput":               func() any { return new(producerInput) },
	"verificationInput":           func() any { return new(verificationInput) },
	"productInput":                func() any { return new(productInput) },
	"solutionInput":               func() any { return new(solutionInput) },
	"kolaborasi.CompositeIndex":   func() any { return new(kolaborasi.CompositeIndex) },
}

// FuzzDecodeJSON sends any body and content type to the API's JSON
// decoder, into every request type the handlers decode: it either decodes
// or gives an invalid-request error, which the API answers with a 400
// problem+json document; never a panic, never a 500. The body is cut at
// the server's default limit, as the server cuts it. The committed corpus holds
// hostile shapes: deep nesting, huge numbers, invalid UTF-8, a BOM,
// duplicate keys, trailing values.
func FuzzDecodeJSON(f *testing.F) {
	f.Add("application/json", []byte(`{"region_code":"35.72","solution_id":1}`))
	s := &Server{log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		names := make([]string, 0, len(decodedTypes))
		for name := range decodedTypes {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			v := decodedTypes[name]()
			w := httptest.NewRecorder()
			r := httptest.NewRequest("POST", "/api/v1/x", nil)
			r.Header.Set("Content-Type", contentType)
			r.Body = http.MaxBytesReader(w, io.NopCloser(bytes.NewReader(body)), defaultBodyLimit)
			err := decodeJSON(r, v)
			if err == nil {
				if _, err := json.Marshal(v); err != nil {
					t.Fatalf("%s: decoded %q into a value that does not encode: %v", name, body, err)
				}
				continue
			}
			if code := kolaborasi.ErrorCode(err); code != kolaborasi.EINVALID {
				t.Fatalf("%s: %q gives %s: %v", name, body, code, err)
			}
			s.writeProblem(w, r, err)
			var p Problem
			if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != "application/problem+json" ||
				json.Unmarshal(w.Body.Bytes(), &p) != nil || p.Status != http.StatusBadRequest || p.Detail == "" {
				t.Fatalf("%s: %q answered %d %s %s", name, body, w.Code, w.Header().Get("Content-Type"), w.Body)
			}
		}
	})
}

// TestDecodedTypesAreFuzzed finds every decodeJSON(r, &v) in the package
// and checks that v's declared type is one FuzzDecodeJSON decodes into.
func TestDecodedTypesAreFuzzed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			// The types of the function's var declarations, by name.
			declared := map[string]string{}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if spec, ok := n.(*ast.ValueSpec); ok && spec.Type != nil {
					for _, id := range spec.Names {
						declared[id.Name] = types.ExprString(spec.Type)
					}
				}
				return true
			})
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 2 {
					return true
				}
				if f, ok := call.Fun.(*ast.Ident); !ok || f.Name != "decodeJSON" {
					return true
				}
				seen++
				typ := "?"
				if u, ok := call.Args[1].(*ast.UnaryExpr); ok {
					if id, ok := u.X.(*ast.Ident); ok && declared[id.Name] != "" {
						typ = declared[id.Name]
					}
				}
				if decodedTypes[typ] == nil {
					t.Errorf("%s: decodeJSON into %s, which FuzzDecodeJSON does not decode", fset.Position(call.Pos()), typ)
				}
				return true
			})
		}
	}
	if seen < len(decodedTypes) {
		t.Errorf("found %d calls of decodeJSON, fewer than the %d types fuzzed", seen, len(decodedTypes))
	}
}
