package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"text/template/parse"

	"github.com/a-h/templ"

	"github.com/kolaborasi/kolaborasi/app"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Config configures a Server.
type Config struct {
	Logger  *slog.Logger
	Version string
	// DBPools are reported by MetricsHandler, by name.
	DBPools map[string]*sql.DB
	// BaseURL is the public address users open (https://kolaborasi.example).
	// Every absolute link (invitation and reset links, the QR code of
	// agreement documents, the addresses shown for the command-line tools)
	// is made from it, never from the request's Host header; an https base
	// URL makes cookies Secure and sends HSTS. Empty means DefaultBaseURL.
	BaseURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (see forwarded).
	TrustedProxies []netip.Prefix
	// PageWorkers is how many page requests compute at once; the others
	// wait in the order they came (see pageGate). 0 or less: no limit.
	PageWorkers int
}

// Server serves Kolaborasi over HTTP.
type Server struct {
	app     *app.App
	log     *slog.Logger
	version string
	cat     *catalog
	pages   map[string]*template.Template
	assets  map[string]asset
	// assetURLs are the assets' cache-busting URLs by name, which pages
	// link (pageBase.asset, the templates' asset).
	assetURLs map[string]string
	metrics   *metrics
	handler   http.Handler
	routes    []route
	baseURL   string
	trusted   []netip.Prefix

	// localized are the pages with their labels resolved per language
	// (web/labels.go), made on first use.
	localized *localizedPages
}

type asset struct {
	body []byte
	hash string
	ct   string
}

// New builds a Server. Templates and catalogs are parsed here, so a broken
// template fails start-up rather than a request.
func New(a *app.App, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{app: a, log: cfg.Logger, version: cfg.Version, trusted: cfg.TrustedProxies}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	var err error
	if s.baseURL, err = ParseBaseURL(cfg.BaseURL); err != nil {
		return nil, err
	}
	if s.cat, err = newCatalog(); err != nil {
		return nil, err
	}
	if err := s.loadAssets(); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(cfg.DBPools)
	s.metrics.watchPasswordHashes(a)
	s.routes = s.routeTable()
	gate := newPageGate(cfg.PageWorkers, pageGateHold)
	s.metrics.watchPageGate(gate)
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		if gatedRoute(rt) {
			rt.h = gate.wrap(rt.h)
		}
		mux.Handle(rt.method+" "+rt.pattern, s.adapt(rt))
	}
	notFound := s.adapt(route{pattern: "/", h: s.handleNotFound})
	mux.Handle("/", notFound)
	// An API path with an empty, "." or ".." segment names nothing: it is
	// a problem 404 where the mux would answer a redirect.
	root := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") && path.Clean(r.URL.Path) != r.URL.Path {
			notFound.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	guarded, err := s.crossOrigin(s.authenticate(root))
	if err != nil {
		return nil, err
	}
	s.handler = s.recoverer(s.requestID(s.forwarded(s.securityHeaders(guarded))))
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// MetricsHandler serves the Prometheus metrics (requests and latency by
// route, database pools, the Go runtime). It is not on the public mux:
// serve it on a separate, private listener.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }

func (s *Server) loadAssets() error {
	s.assets, s.assetURLs = map[string]asset{}, map[string]string{}
	return fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".woff2": "font/woff2", ".png": "image/png"}[path.Ext(p)]
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		name := p[len("assets/"):]
		s.assets[name] = asset{body: b, hash: hex.EncodeToString(sum[:6]), ct: ct}
		s.assetURLs[name] = "/assets/" + name + "?v=" + s.assets[name].hash
		return nil
	})
}

// assetURL returns the cache-busting URL of an embedded asset.
func assetURL(urls map[string]string, name string) (string, error) {
	u, ok := urls[name]
	if !ok {
		return "", fmt.Errorf("no asset %q", name)
	}
	return u, nil
}

func (s *Server) parseTemplates() error {
	funcs := template.FuncMap{"asset": func(name string) (string, error) { return assetURL(s.assetURLs, name) },
		"markdown": markdownHTML, "fieldErrors": fieldErrorsHTML}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	s.localized = &localizedPages{trees: map[string][]*parse.Tree{}, funcs: funcs}
	for _, p := range pages {
		name := path.Base(p)
		if name == "partials.html" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/partials.html", p)
		if err != nil {
			return fmt.Errorf("parse template %s: %w", name, err)
		}
		s.pages[name[:len(name)-len(".html")]] = t
		s.localized.keep(name[:len(name)-len(".html")], t)
	}
	return nil
}

// renderFragment writes one named template of a page (no layout), for
// scripts that refresh part of a page.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Cookie")
	_, err := w.Write(buf.Bytes())
	return err
}

// render writes a page. It renders into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	page, ok := data.(interface{ layoutBase() pageBase })
	if !ok {
		return fmt.Errorf("render %s: its data %T has no pageBase", name, data)
	}
	p := page.layoutBase()
	if s.localized != nil && p.tr.loc != nil {
		if lt := s.localized.page(name, p.tr); lt != nil {
			t = lt
		}
	}
	title, content := listBuffers.Get().(*bytes.Buffer), listBuffers.Get().(*bytes.Buffer)
	defer putListBuffer(title)
	defer putListBuffer(content)
	if err := t.ExecuteTemplate(title, "title", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if err := t.ExecuteTemplate(content, "content", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return s.writePage(w, r, status, p, title.String(), rawHTML(content.Bytes()))
}

// writePage writes a page: content, and its title (HTML), in the layout.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, p pageBase, title string, content templ.Component) error {
	buf := listBuffers.Get().(*bytes.Buffer)
	defer putListBuffer(buf)
	if err := layout(p, title, content).Render(r.Context(), buf); err != nil {
		return fmt.Errorf("render %s: %w", r.URL.Path, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	consumeFlash(w, r)
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// rawHTML is HTML already rendered (and escaped) by html/template.
type rawHTML []byte

func (h rawHTML) Render(_ context.Context, w io.Writer) error {
	_, err := w.Write(h)
	return err
}
