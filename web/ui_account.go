package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

type loginPage struct {
	pageBase
	Email string
	Error string
	Next  string
}

func (s *Server) uiLoginForm(w http.ResponseWriter, r *http.Request) error {
	p := loginPage{pageBase: s.base(r, "masuk"), Next: localPath(r.URL.Query().Get("next")), Email: r.URL.Query().Get("email")}
	return s.render(w, r, http.StatusOK, "login", p)
}

func (s *Server) uiLogin(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read.")
	}
	email, password := r.PostForm.Get("email"), r.PostForm.Get("password")
	_, token, err := s.app.Login(r.Context(), email, password, clientAddr(r))
	switch kolaborasi.ErrorCode(err) {
	case "":
	case kolaborasi.EUNAUTHORIZED, kolaborasi.ETOOMANY:
		p := loginPage{pageBase: s.base(r, "masuk"), Email: email, Next: localPath(r.PostForm.Get("next")), Error: "login.failed"}
		status := http.StatusUnauthorized
		if errors.Is(err, app.ErrPasswordsBusy) {
			p.Error, status = "login.busy", http.StatusTooManyRequests
		} else if kolaborasi.ErrorCode(err) == kolaborasi.ETOOMANY {
			p.Error, status = "login.locked", http.StatusTooManyRequests
		}
		setRetryAfter(w, err)
		return s.render(w, r, status, "login", p)
	default:
		return err
	}
	// A new session ID at every sign-in: an old cookie (fixation) is
	// replaced, and its session was never the one created here.
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.app.Logout(r.Context(), c.Value)
	}
	setSessionCookie(w, r, token)
	return redirectFlash(w, r, localPath(r.PostForm.Get("next")), "flash.signed_in")
}

func (s *Server) uiLogout(w http.ResponseWriter, r *http.Request) error {
	if kolaborasi.UserFrom(r.Context()) == nil {
		return kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "You are not signed in.")
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.app.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	clearSessionCookie(w, r)
	return redirectFlash(w, r, "/", "flash.signed_out")
}

type accountPage struct {
	pageBase
	Tokens []*kolaborasi.APIToken
	// NewToken is shown once, right after it is made.
	NewToken string
	Region   *kolaborasi.Region
}

func (s *Server) accountPage(r *http.Request) (accountPage, error) {
	p := accountPage{pageBase: s.base(r, "akun")}
	if p.User == nil {
		return p, kolaborasi.Errorf(kolaborasi.EUNAUTHORIZED, "Sign in to see your account.")
	}
	var err error
	if p.Tokens, err = s.app.APITokens(r.Context()); err != nil {
		return p, err
	}
	if p.User.RegionCode != "" {
		if p.Region, err = s.app.Region(r.Context(), p.User.RegionCode); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (s *Server) uiAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account", p)
}

func (s *Server) uiChangePassword(w http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("new") != r.PostFormValue("confirm") {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The new password and its confirmation differ.",
			Fields: map[string]string{"confirm": "must repeat the new password"}}
	}
	token, err := s.app.ChangePassword(r.Context(), r.PostFormValue("current"), r.PostFormValue("new"))
	if err != nil {
		return err
	}
	setSessionCookie(w, r, token)
	return redirectFlash(w, r, "/akun", "flash.password_changed")
}

func (s *Server) uiCreateToken(w http.ResponseWriter, r *http.Request) error {
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil {
		days = 0
	}
	r.ParseForm()
	secret, _, err := s.app.CreateAPIToken(r.Context(), r.PostForm.Get("name"), r.PostForm["scopes"], time.Duration(days)*24*time.Hour)
	if err != nil {
		return err
	}
	p, err := s.accountPage(r)
	if err != nil {
		return err
	}
	p.NewToken = secret
	return s.render(w, r, http.StatusOK, "account", p)
}

func (s *Server) uiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such token.")
	}
	if err := s.app.RevokeAPIToken(r.Context(), id); err != nil {
		return err
	}
	return redirectFlash(w, r, "/akun", "flash.token_revoked")
}

type linkPage struct {
	pageBase
	Token string
	Link  *kolaborasi.Link
	Owner *kolaborasi.User
}

func (s *Server) uiLinkForm(w http.ResponseWriter, r *http.Request) error {
	l, u, err := s.app.LinkUser(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, http.StatusOK, "link", linkPage{pageBase: s.base(r, ""), Token: r.PathValue("token"), Link: l, Owner: u})
}

func (s *Server) uiRedeemLink(w http.ResponseWriter, r *http.Request) error {
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The password and its confirmation differ.",
			Fields: map[string]string{"confirm": "must repeat the password"}}
	}
	u, err := s.app.RedeemLink(r.Context(), r.PathValue("token"), r.PostFormValue("password"))
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/masuk?email="+url.QueryEscape(u.Email), "flash.password_set")
}
