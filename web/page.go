package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Jakarta for DateTime on hosts without a zone database

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// pageBase is what the layout needs; every page struct embeds it.
type pageBase struct {
	tr      translator
	Lang    string
	Path    string
	Section string
	Version string
	// User is the signed-in user, nil for a visitor.
	User *kolaborasi.User
	// CSRF is the session's form token, put into every form.
	CSRF  string
	Flash string
	// Alert is why a post was refused before its handler could show its
	// form (a body over the limit): the form shown again says it on top.
	Alert string
	// AlertErrors are the field messages of Alert, shown beside their
	// fields (AlertErrors.For).
	AlertErrors fieldErrors
	// assets are the URLs of the embedded assets by name (asset).
	assets map[string]string
}

func (s *Server) base(r *http.Request, section string) pageBase {
	tr := s.cat.translator(r)
	p := pageBase{tr: tr, Lang: tr.lang, Path: r.URL.RequestURI(), Section: section, Version: s.version,
		User: kolaborasi.UserFrom(r.Context()), assets: s.assetURLs}
	if sess := sessionFrom(r.Context()); sess != nil {
		p.CSRF = sess.CSRFToken
	}
	if err, ok := r.Context().Value(alertKey{}).(error); ok {
		p.Alert, p.AlertErrors = tr.explain(err)
	}
	if c, err := r.Cookie(flashCookie); err == nil && strings.HasPrefix(c.Value, "flash.") {
		p.Flash = c.Value
	}
	return p
}

// flashCookie carries the catalog key of a one-time message across a
// redirect (POST-redirect-GET). The page that shows it deletes it
// (consumeFlash), so it appears once.
const flashCookie = "flash"

// redirectFlash redirects after a successful form post, with a message for
// the next page.
func redirectFlash(w http.ResponseWriter, r *http.Request, to, flash string) error {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: flash, Path: "/", MaxAge: 60, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure(r)})
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// Manages reports whether the signed-in user may manage the region's
// profile, OPDs and users (to show the link; app decides on use).
func (p pageBase) Manages(region string) bool {
	return app.Allowed(p.User, app.ActUserManage, region)
}

// LangAttr marks text shown in another language than the page's (data that
// has no translation, such as an imported English description on an
// Indonesian page) with its own lang attribute, for screen readers and
// translation tools.
func (p pageBase) LangAttr(t kolaborasi.Texts) template.HTMLAttr {
	return p.langAttr(t.LangOf(p.Lang))
}

// foreignLang is the language of text in lang for its lang attribute: ""
// when it is the page's (LangAttr in templ pages).
func (p pageBase) foreignLang(lang string) string {
	if lang == p.Lang {
		return ""
	}
	return lang
}

// Current marks the navigation link of the page's section as the current
// page (one method call where the layout compared the section for each
// link).
func (p pageBase) Current(section string) template.HTMLAttr {
	if p.Section != section {
		return ""
	}
	return ` aria-current="page"`
}

// Indonesian marks text that is always Indonesian, such as an agreement's
// legal wording, when the page is in another language.
func (p pageBase) Indonesian() template.HTMLAttr { return p.langAttr("id") }

func (p pageBase) langAttr(lang string) template.HTMLAttr {
	if l := p.foreignLang(lang); l != "" {
		return template.HTMLAttr(` lang="` + l + `"`)
	}
	return ""
}

// Person names who made a change: the platform's own work
// (kolaborasi.System, recorded under the name "system") in the page's
// language, anyone else by the name recorded.
func (p pageBase) Person(id int64, name string) string {
	if id == kolaborasi.System.ID && name == kolaborasi.System.Name {
		return p.T("audit.system")
	}
	return name
}

// asset is the cache-busting URL of an embedded asset.
func (p pageBase) asset(name string) (string, error) { return assetURL(p.assets, name) }

// layoutBase is what the layout shows of a page's data.
func (p pageBase) layoutBase() pageBase { return p }

// Said shows a sentence the application recorded (an audit summary) in the
// page's language; one without a translation is shown as recorded.
func (p pageBase) Said(s string) string {
	if t := p.tr.Sentence(s); t != "" {
		return t
	}
	return s
}

// T localises a message; see translator.T.
func (p pageBase) T(id string, data ...any) string { return p.tr.T(id, data...) }

func (p pageBase) printer() *message.Printer {
	if p.Lang == "en" {
		return message.NewPrinter(language.English)
	}
	return message.NewPrinter(language.Indonesian)
}

// wib is Western Indonesia Time (Asia/Jakarta, UTC+7 without daylight
// saving), the time the platform's readers live in; the zone database is
// embedded (time/tzdata) so that a server without one still finds it.
var wib = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Jakarta"); err == nil {
		return loc
	}
	return time.FixedZone("WIB", 7*60*60)
}()

// DateTime writes a moment in Western Indonesia Time with its date in
// words: "1 Desember 2026 22.04 WIB" (Indonesian separates hours and minutes
// with a full stop), "1 December 2026 22:04 WIB". Machine-readable times
// (<time datetime>, the API) stay in UTC.
func (p pageBase) DateTime(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	t = t.In(wib)
	sep := ":"
	if p.Lang == "id" {
		sep = "."
	}
	return fmt.Sprintf("%s %02d%s%02d WIB", p.Date(t), t.Hour(), sep, t.Minute())
}

// Names joins names as running text of the page's language ("Kota
// Bandung dan Kota Blitar", "A, B, dan C"; "A, B and C").
func (p pageBase) Names(names []string) string { return kolaborasi.JoinNames(p.Lang, names) }

// Num formats a whole number with the language's digit grouping
// (161.204 in Indonesian, 161,204 in English).
func (p pageBase) Num(v int64) string { return p.printer().Sprintf("%d", v) }

// IDR writes a whole amount of rupiah in the page's number format, with
// the symbol both languages use: "Rp1.200.000.000" on Indonesian pages,
// "Rp1,200,000,000" on English ones. Every amount of money on a page goes
// through it (the evidence figures in words through ClaimValue).
func (p pageBase) IDR(v int64) string { return "Rp" + p.Num(v) }

// Dec formats a decimal number with up to two fraction digits.
func (p pageBase) Dec(v float64) string { return p.printer().Sprintf("%.2f", v) }

// Date writes a date in words of the page's language ("8 Maret 2017",
// "8 March 2017"), as text in either language writes dates. It takes a time
// or a civil date "YYYY-MM-DD"; other strings come back unchanged.
func (p pageBase) Date(v any) string {
	var t time.Time
	switch d := v.(type) {
	case time.Time:
		t = d
	case string:
		var err error
		if t, err = time.Parse(time.DateOnly, d); err != nil {
			return d
		}
	default:
		return ""
	}
	if t.IsZero() {
		return ""
	}
	return strconv.Itoa(t.Day()) + " " + p.T("date.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}

// Period writes an indicator or ranking period in words of the page's
// language: a year stays "2025", a quarter "2025-Q4" reads "Triwulan IV
// 2025" or "Q4 2025", a month "2025-03" "Maret 2025" or "March 2025".
// Links and form values keep the period's code.
func (p pageBase) Period(code string) string {
	year, rest, ok := strings.Cut(code, "-")
	if !ok || len(year) != 4 {
		return code
	}
	if q, isQuarter := strings.CutPrefix(rest, "Q"); isQuarter {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 || n > 4 {
			return code
		}
		return p.T("period.quarter", "N", n, "Roman", [...]string{"I", "II", "III", "IV"}[n-1], "Year", year)
	}
	m, err := strconv.Atoi(rest)
	if err != nil || m < 1 || m > 12 || len(rest) != 2 {
		return code
	}
	return p.T("date.month."+strconv.Itoa(m)) + " " + year
}

// consumeFlash deletes the flash cookie when the request carried one: the
// page being rendered shows the message, and no later page shows it again.
func consumeFlash(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(flashCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
}
