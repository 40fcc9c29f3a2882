package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
)

// apiPrefix is the server URL of web/openapi.json.
const apiPrefix = "/api/v1"

var (
	openAPIOnce   sync.Once
	openAPIRouter routers.Router
	openAPIErr    error
)

// openAPI loads web/openapi.json with kin-openapi (which reads OpenAPI 3.1
// and validates schemas as JSON Schema 2020-12) and returns a router over
// its operations.
func openAPI(t testing.TB) routers.Router {
	t.Helper()
	openAPIOnce.Do(func() {
		b, err := os.ReadFile("openapi.json")
		if err != nil {
			openAPIErr = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(b)
		if err != nil {
			openAPIErr = fmt.Errorf("load openapi.json: %w", err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			openAPIErr = fmt.Errorf("openapi.json is not a valid document: %w", err)
			return
		}
		// A publiccode.yml body is a file: the document gives its schema
		// as a string, so it is checked as the text it is rather than
		// decoded into a YAML value.
		for _, ct := range []string{"application/yaml", "application/x-yaml"} {
			openapi3filter.RegisterBodyDecoder(ct, rawText)
		}
		// Requests are routed on their path below apiPrefix.
		doc.Servers = nil
		openAPIRouter, openAPIErr = legacy.NewRouter(doc)
	})
	if openAPIErr != nil {
		t.Fatal(openAPIErr)
	}
	return openAPIRouter
}

func rawText(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	b, err := io.ReadAll(body)
	return string(b), err
}

// validatingAPI wraps h (a web.Server) so that every /api/v1 exchange is
// checked against web/openapi.json: the operation must exist, a request the
// document calls invalid must not succeed, and the response (status code,
// content type and body) must be one the document describes. Every mismatch
// fails t. Every test server over web.New goes through it, so each API test,
// present and future, also tests the document.
func validatingAPI(t testing.TB, h http.Handler) http.Handler {
	router := openAPI(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, apiPrefix+"/") {
			h.ServeHTTP(w, r)
			return
		}
		reqBody, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("%s %s: reading the request: %v", r.Method, r.URL, err)
		}
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)

		resp := rec.Result()
		body := rec.Body.Bytes()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(body)

		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		if err := checkAPIExchange(router, r, resp.StatusCode, resp.Header, body); err != nil {
			t.Errorf("%s %s answered %d, which openapi.json does not describe: %v\n%.600s", r.Method, r.URL, resp.StatusCode, err, body)
		}
	})
}

// checkAPIExchange validates one API request and the response the server
// gave to it against the document.
func checkAPIExchange(router routers.Router, r *http.Request, status int, header http.Header, body []byte) error {
	ctx := context.Background()
	routed := r.Clone(ctx)
	routed.URL.Path = strings.TrimPrefix(r.URL.Path, apiPrefix)
	routed.URL.RawPath = ""
	route, params, err := router.FindRoute(routed)
	if err == nil && path.Clean(r.URL.Path) != r.URL.Path {
		err = errors.New("the path has an empty, \".\" or \"..\" segment")
	}
	if err != nil {
		// No such operation: the server must say so with a problem
		// document, never redirect or answer anything else.
		if (status == http.StatusNotFound || status == http.StatusMethodNotAllowed) &&
			strings.HasPrefix(header.Get("Content-Type"), "application/problem+json") {
			return nil
		}
		return fmt.Errorf("no operation matches (%v) and the answer is not a problem+json 404/405", err)
	}
	if header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return err
		}
		if body, err = io.ReadAll(zr); err != nil {
			return err
		}
		header = header.Clone()
		header.Del("Content-Encoding")
	}
	// kin-openapi lets redirects and 304 through unchecked: they too must
	// be documented.
	if status >= 300 && status < 400 && route.Operation.Responses.Status(status) == nil {
		return errors.New("the status is not documented")
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    routed,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
			AuthenticationFunc:    credentialsPresent,
		},
	}
	if reqErr := openapi3filter.ValidateRequest(ctx, in); reqErr != nil && status < 400 {
		return fmt.Errorf("the request is invalid by the document but succeeded: %w", reqErr)
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                in.Options,
	})
}

// credentialsPresent checks the document's security schemes: a request to
// an operation that requires a bearer token or a session must carry one.
func credentialsPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearer":
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return errors.New("no bearer token")
		}
	case "session":
		if c, err := r.Cookie(in.SecurityScheme.Name); err != nil || c.Value == "" {
			return errors.New("no session cookie")
		}
	default:
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	return nil
}

// errorsOf is a testing.TB that records Errorf calls instead of failing.
type errorsOf struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (e *errorsOf) Errorf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

// The validating middleware fails a test on an answer the document does not
// describe: a body that breaks its schema, an undocumented status, a wrong
// content type, a redirect of an API path. A real answer passes.
func TestOpenAPIValidatorCatchesWrongAnswers(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []struct {
		name, path, contentType string
		status                  int
		body                    string
	}{
		{"wrong body", "/api/v1/solutions/1", "application/json", 200, `{"data":{"id":"one","kind":"bike"}}`},
		{"unknown field", "/api/v1/solutions/1", "application/json", 200, `{"data":{"id":1,"colour":"red"}}`},
		{"null list", "/api/v1/regions", "application/json", 200, `{"data":null,"links":{"self":"/api/v1/regions"}}`},
		{"undocumented status", "/api/v1/regions", "application/problem+json", 418, `{"type":"about:blank","title":"teapot","status":418}`},
		{"wrong content type", "/api/v1/regions", "text/html; charset=utf-8", 200, `<p>regions</p>`},
		{"redirect", "/api/v1/solutions/", "", 307, ``},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &errorsOf{TB: t}
			wrong := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if c.contentType != "" {
					w.Header().Set("Content-Type", c.contentType)
				}
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			})
			srv := httptest.NewServer(validatingAPI(rec, wrong))
			defer srv.Close()
			get(t, ts.client(t), srv.URL+c.path)
			if len(rec.errs) == 0 {
				t.Errorf("GET %s answering %d %s passed the validator", c.path, c.status, c.body)
			}
		})
	}
	rec := &errorsOf{TB: t}
	srv := httptest.NewServer(validatingAPI(rec, ts.web))
	defer srv.Close()
	for _, p := range []string{"/api/v1/solutions/1", "/api/v1/regions?q=blitar", "/api/v1/solutions/999999"} {
		get(t, nil, srv.URL+p)
	}
	if len(rec.errs) > 0 {
		t.Errorf("real answers failed the validator: %s", rec.errs)
	}
}

// rawList decodes the JSON object at path in body and returns its raw value.
func rawField(t *testing.T, body string, path ...string) string {
	t.Helper()
	var v json.RawMessage = []byte(body)
	for _, p := range path {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			t.Fatalf("%s in %.300s: %v", p, body, err)
		}
		v = m[p]
	}
	return string(v)
}

// Empty lists are [] in the API, never null.
func TestAPIEmptyListsAreArrays(t *testing.T) {
	ts := newTestServer(t)
	for _, p := range []string{"/api/v1/regions?q=zzzz", "/api/v1/solutions?q=zzzzqqq", "/api/v1/agreements?region=11.01"} {
		if _, body := get(t, nil, ts.URL+p); rawField(t, body, "data") != "[]" {
			t.Errorf("GET %s: data is %s, want []", p, rawField(t, body, "data"))
		}
	}
	ctx := context.Background()
	coord := makeUser(t, ts.app, "coordinator@blitar.test", ownRegion, kolaborasi.RoleCoordinator)
	draft, err := ts.app.CreateAgreement(kolaborasi.WithUser(ctx, coord), demo.KSB)
	if err != nil {
		t.Fatal(err)
	}
	_, body := ts.api(t, tokenFor(t, ts, coord), "GET", "/api/v1/agreements/"+strconv.FormatInt(draft.ID, 10), "")
	for _, f := range []string{"attachments", "signatures"} {
		if got := rawField(t, body, "data", f); got != "[]" {
			t.Errorf("a new draft's %s = %s, want []", f, got)
		}
	}
}

// Every operation answers malformed requests and bad tokens only in ways
// the document describes (the validating middleware checks each answer),
// and an API path with an empty segment is a problem+json 404, not a
// redirect.
func TestAPIAnswersToMalformedRequests(t *testing.T) {
	ts := newTestServer(t)
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[^}]+\}`)
	for p, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			for _, value := range []string{"x", "0", "99999999999999999999"} {
				path := apiPrefix + param.ReplaceAllString(p, value)
				for _, query := range []string{"", "?zzz=1", "?page[size]=x&page[after]=%25"} {
					ts.api(t, "", strings.ToUpper(method), path+query, "")
				}
				ts.api(t, "not-a-token", strings.ToUpper(method), path, "")
			}
		}
	}
	for _, p := range []string{"/api/v1/solutions/", "/api/v1//solutions", "/api/v1/agreements/1/", "/api/v1/./regions", "/api/v1/x/../regions"} {
		resp, body := get(t, ts.client(t), ts.URL+p)
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("GET %s = %d %s %q, want a problem+json 404", p, resp.StatusCode, resp.Header.Get("Location"), body)
		}
	}
}
