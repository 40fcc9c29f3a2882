package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// sessionCookie holds the session token of a signed-in browser.
const sessionCookie = "kolaborasi_session"

// Route policies besides app actions: anyone may use the route, or any
// signed-in user.
const (
	policyPublic   = "public"
	policySignedIn = "signed-in"
)

type sessionKey struct{}

func sessionFrom(ctx context.Context) *kolaborasi.Session {
	s, _ := ctx.Value(sessionKey{}).(*kolaborasi.Session)
	return s
}

// authenticate puts the acting user into the request context: from a bearer
// token on API paths, or from the session cookie. A bad bearer token is an
// error; an ended session just leaves the visitor anonymous.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			var err error
			var u *kolaborasi.User
			if !strings.EqualFold(scheme, "Bearer") || !isAPIPath(r.URL.Path) {
				err = kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Use Authorization: Bearer with a personal API token, on /api/v1 only.")
			} else {
				u, err = s.app.AuthenticateAPIToken(ctx, strings.TrimSpace(token))
			}
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kolaborasi"`)
				s.writeProblem(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(kolaborasi.WithUser(ctx, u)))
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, sess, err := s.app.Authenticate(ctx, c.Value)
			switch kolaborasi.ErrorCode(err) {
			case "":
				r = r.WithContext(kolaborasi.WithUser(context.WithValue(ctx, sessionKey{}, sess), u))
			case kolaborasi.EUNAUTHORIZED:
				clearSessionCookie(w, r)
			default:
				s.logError(r, err)
				w.Header().Set("Cache-Control", privateNoStore)
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
		}
		// An anonymous request goes on as it came: no copy of it.
		next.ServeHTTP(w, r)
	})
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: secure(r),
		SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

// checkCSRF requires, on every unsafe request made with a session cookie,
// the session's CSRF token in the form field "csrf" or the X-CSRF-Token
// header. http.CrossOriginProtection in front of it refuses cross-origin
// browser requests outright; this second check also covers browsers that
// send neither Sec-Fetch-Site nor Origin.
func checkCSRF(r *http.Request) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
		return nil
	}
	sess := sessionFrom(r.Context())
	if sess == nil {
		return nil
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) != 1 {
		return kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "The form has expired or did not come from this site; reload the page and try again.")
	}
	return nil
}

// crossOrigin wraps h in http.CrossOriginProtection, answering refused
// requests like any other forbidden request.
func (s *Server) crossOrigin(h http.Handler) (http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	// Behind a proxy that rewrites Host, the public origin is still ours.
	if err := cop.AddTrustedOrigin(s.baseURL); err != nil {
		return nil, err
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "Cross-site requests are not accepted.")
		if isAPIPath(r.URL.Path) {
			s.writeProblem(w, r, err)
		} else {
			s.writeErrorPage(w, r, err)
		}
	}))
	return cop.Handler(h), nil
}
