package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// defaultBodyLimit caps request bodies of routes that set no limit.
const defaultBodyLimit = 1 << 20

// handlerFunc is the shape of every handler: it returns an error, which the
// adapter turns into a problem document or an error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one row of the route table.
type route struct {
	method  string
	pattern string
	h       handlerFunc
	// api routes answer errors with problem+json, others with a page.
	api bool
	// bodyLimit overrides defaultBodyLimit.
	bodyLimit int64
	// form, on a page route that posts a form, is the GET handler of that
	// form (under the same path values): a post over the body limit shows
	// it again with the reason.
	form handlerFunc
	// policy names who may use a route that changes data or shows
	// non-public data: an app.Action, policyPublic or policySignedIn. The
	// authorisation matrix test requires it on every such route; the
	// decision itself is made in app.
	policy string
}

// statusWriter records what a handler wrote, for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// adapt turns a route into an http.Handler with body limit, error
// rendering, one access-log line and metrics labelled by route pattern.
func (s *Server) adapt(rt route) http.Handler {
	label := rt.pattern
	if rt.method != "" {
		label = rt.method + " " + rt.pattern
	}
	limit := rt.bodyLimit
	if limit == 0 {
		limit = defaultBodyLimit
	}
	api := rt.api
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		orig := r.Body
		var body *watchedBody
		if r.Body != nil {
			body = &watchedBody{ReadCloser: http.MaxBytesReader(sw, r.Body, limit)}
			r.Body = body
		}
		err := checkCSRF(r)
		if err == nil {
			err = rt.h(sw, r)
		}
		if err != nil && body != nil && body.exceeded && sw.status == 0 {
			// Whatever the CSRF check or the handler made of a cut body
			// (a handler may also answer it itself), it was too large.
			err = errTooLarge(limit)
			drain(orig)
			if rt.form != nil && !api && !isAPIPath(r.URL.Path) {
				err = s.showFormAgain(sw, r, rt.form, err)
			}
		}
		if err != nil {
			if sw.status != 0 {
				// Headers are gone; all that is left is to log.
				s.logError(r, err)
			} else if api || isAPIPath(r.URL.Path) {
				s.writeProblem(sw, r, err)
			} else {
				s.writeErrorPage(sw, r, err)
			}
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(label, r.Method, sw.status, d)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "route", label, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000, "request_id", kolaborasi.RequestIDFrom(r.Context()),
			"remote", r.RemoteAddr)
	})
}

func isAPIPath(p string) bool { return len(p) >= 8 && p[:8] == "/api/v1/" }

// requestID gives every request an ID: the caller's X-Request-ID when it is
// short and plain, a random one otherwise.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !plainID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(kolaborasi.WithRequestID(r.Context(), id)))
	})
}

func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// contentSecurityPolicy allows only this origin's own scripts, styles and
// images: no inline script, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 and a log line instead of a dropped
// connection.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "panic", fmt.Sprint(p), "path", r.URL.Path, "request_id", kolaborasi.RequestIDFrom(r.Context()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// itoa is strconv.Itoa, for labels.
func itoa(n int) string { return strconv.Itoa(n) }
