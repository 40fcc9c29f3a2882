package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"syscall"
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
	// cache says what browsers and shared caches may keep of the answers;
	// a test checks every route's Cache-Control against it.
	cache cachePolicy
}

// cachePolicy says what browsers and shared caches may keep of a route's
// answers.
type cachePolicy int

const (
	// cachePrivate, the default: the answer may depend on who asks, so
	// nobody stores it. The adapter sends "private, no-store" whatever the
	// handler set.
	cachePrivate cachePolicy = iota
	// cachePublic: the same answer for everyone, never depending on the
	// caller. The handler may say how long it keeps ("public, max-age=…");
	// without that it is "public, no-cache".
	cachePublic
	// cachePerAnswer: the handler decides per answer, through app: a file
	// anyone may read is public, anything else private ("private, no-store"
	// until the handler says otherwise).
	cachePerAnswer
)

// privateNoStore is the Cache-Control of every answer that depends on who
// asks, errors included.
const privateNoStore = "private, no-store"

func (c cachePolicy) String() string {
	return [...]string{"private", "public", "per-answer"}[c]
}

func (c cachePolicy) header() string {
	if c == cachePublic {
		return "public, no-cache"
	}
	return privateNoStore
}

// statusWriter records what a handler wrote, for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	// cache, when set, is the Cache-Control sent whatever the handler set.
	cache string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		if w.cache != "" {
			w.Header().Set("Cache-Control", w.cache)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
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
	rm := s.metrics.forRoute(label, rt.method)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("Cache-Control", rt.cache.header())
		if rt.cache == cachePrivate {
			sw.cache = privateNoStore
		}
		orig := r.Body
		var body *watchedBody
		if r.Body != nil {
			body = &watchedBody{ReadCloser: http.MaxBytesReader(sw, r.Body, limit)}
			r.Body = body
		}
		err := requireSignIn(r, rt.policy)
		if err == nil {
			err = checkCSRF(r)
		}
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
			if clientGone(r, err) {
				// Nobody is left to read an answer.
				s.logError(r, err)
				if sw.status == 0 {
					sw.status = statusClientClosed
				}
			} else if sw.status != 0 {
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
		rm.observe(r.Method, sw.status, d)
		// Checked first: the line's values would be boxed (allocated)
		// for every request even when the level drops it.
		if s.log.Enabled(r.Context(), slog.LevelInfo) {
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "route", label, "status", sw.status,
				"bytes", sw.bytes, "duration_ms", float64(d.Microseconds())/1000, "request_id", kolaborasi.RequestIDFrom(r.Context()),
				"remote", clientAddr(r))
		}
	})
}

// statusClientClosed is what logs and metrics record for a request whose
// client went away before an answer was written (nginx's 499).
const statusClientClosed = 499

// requireSignIn refuses an anonymous unsafe request to a route that is not
// public before anything else: before its body is read or validated, so
// an anonymous caller learns nothing but "sign in".
func requireSignIn(r *http.Request, policy string) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if policy == policyPublic || kolaborasi.UserFrom(r.Context()) != nil {
		return nil
	}
	return kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Sign in to do this.")
}

// clientGone reports whether err means the client went away (closed the
// connection, cancelled the request): not an internal error.
func clientGone(r *http.Request, err error) bool {
	return r.Context().Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, http.ErrAbortHandler) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed)
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

// securityHeaderValues are the security headers of every answer, in
// canonical form, each value a slice of its own made once: they are put
// into the header map as they are rather than allocated per request by
// Header.Set. Header.Set and Header.Del replace a slice without touching
// it, and Header.Add appends to a full slice, which copies it; nothing
// here writes into a header's slice in place.
var securityHeaderValues = [...]struct {
	name  string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
}

// hstsValue is the Strict-Transport-Security of secure answers.
var hstsValue = []string{"max-age=63072000; includeSubDomains"}

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, sh := range securityHeaderValues {
			h[sh.name] = sh.value[:1:1]
		}
		if secure(r) {
			h["Strict-Transport-Security"] = hstsValue[:1:1]
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 and an error log line with the stack
// instead of a dropped connection. http.ErrAbortHandler (a handler giving up
// on a client that went away) is logged at info and passed on to net/http,
// which closes the connection quietly.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			// The request ID middleware runs inside this one; its ID is
			// already on the answer.
			id := w.Header().Get("X-Request-ID")
			if p == http.ErrAbortHandler {
				s.log.Info("client went away", "method", r.Method, "path", r.URL.Path, "request_id", id)
				panic(p)
			}
			s.log.Error("panic", "panic", fmt.Sprint(p), "method", r.Method, "path", r.URL.Path, "request_id", id,
				"stack", string(debug.Stack()))
			if sw.status == 0 {
				w.Header().Set("Cache-Control", privateNoStore)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// itoa is strconv.Itoa, for labels.
func itoa(n int) string { return strconv.Itoa(n) }
