package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
)

// post sends a form with the session cookie (if any) and returns status and
// body.
func (ts *testServer) post(t *testing.T, session, path string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	r, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	if session != "" {
		r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: session})
	}
	resp, err := noRedirectClient(ts).Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (ts *testServer) getAs(t *testing.T, session, path string) (*http.Response, string) {
	t.Helper()
	r, _ := http.NewRequest("GET", ts.URL+path, nil)
	if session != "" {
		r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: session})
	}
	resp, err := noRedirectClient(ts).Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func noRedirectClient(ts *testServer) *http.Client {
	c := *ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func (ts *testServer) loginAs(t *testing.T, email string) string {
	t.Helper()
	resp, _ := ts.post(t, "", "/masuk", url.Values{"email": {email}, "password": {matrixPass}})
	for _, c := range resp.Cookies() {
		if c.Name == "kolaborasi_session" && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("login of %s: status %d, no session", email, resp.StatusCode)
	return ""
}

func TestSessions(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, true)
		admin := makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)

		// Session fixation: a cookie planted before sign-in is replaced by
		// a new session ID, and the planted value is worthless.
		planted := "attacker-chosen-value"
		resp, _ := ts.post(t, planted, "/masuk", url.Values{"email": {admin.Email}, "password": {matrixPass}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "kolaborasi_session" {
				session = c
			}
		}
		if session == nil || session.Value == planted || len(session.Value) < 40 || !session.HttpOnly || !session.Secure ||
			session.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v", session)
		}
		if resp, _ := ts.getAs(t, planted, "/akun"); resp.StatusCode != 401 {
			t.Errorf("planted cookie: /akun %d", resp.StatusCode)
		}
		if resp, body := ts.getAs(t, session.Value, "/akun"); resp.StatusCode != 200 || !strings.Contains(body, admin.Email) {
			t.Fatalf("/akun: %d", resp.StatusCode)
		}
		// A second sign-in from the same browser ends the first session.
		resp, _ = ts.post(t, session.Value, "/masuk", url.Values{"email": {admin.Email}, "password": {matrixPass},
			"csrf": {csrfOf(t, ts, session.Value)}})
		second := ""
		for _, c := range resp.Cookies() {
			if c.Name == "kolaborasi_session" {
				second = c.Value
			}
		}
		if second == "" || second == session.Value {
			t.Error("second sign-in reused the session ID")
		}
		if resp, _ := ts.getAs(t, session.Value, "/akun"); resp.StatusCode != 401 {
			t.Errorf("first session still works after signing in again with it: %d", resp.StatusCode)
		}
		resp, _ = ts.getAs(t, second, "/")
		if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("no HSTS over TLS: %v", resp.Header)
		}

		// Idle expiry: an hour without requests ends the session.
		third := ts.loginAs(t, admin.Email)
		ts.advance(59 * time.Minute)
		if resp, _ := ts.getAs(t, third, "/akun"); resp.StatusCode != 200 {
			t.Fatalf("after 59 idle minutes: %d", resp.StatusCode)
		}
		ts.advance(61 * time.Minute)
		if resp, _ := ts.getAs(t, third, "/akun"); resp.StatusCode != 401 {
			t.Errorf("after 61 idle minutes: %d", resp.StatusCode)
		}
		// Absolute expiry: active for 12 hours, then it ends anyway.
		fourth := ts.loginAs(t, admin.Email)
		for range 12 {
			ts.advance(59 * time.Minute)
			ts.getAs(t, fourth, "/akun")
		}
		ts.advance(59 * time.Minute)
		if resp, _ := ts.getAs(t, fourth, "/akun"); resp.StatusCode != 401 {
			t.Errorf("after 12 active hours: %d", resp.StatusCode)
		}

		// Logout ends the session.
		fifth := ts.loginAs(t, admin.Email)
		csrf := csrfOf(t, ts, fifth)
		if resp, _ := ts.post(t, fifth, "/keluar", url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout: %d", resp.StatusCode)
		}
		if resp, _ := ts.getAs(t, fifth, "/akun"); resp.StatusCode != 401 {
			t.Errorf("after logout: %d", resp.StatusCode)
		}
	})
}

func TestCSRF(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)
		session := ts.loginAs(t, "admin@blitar.test")
		csrf := csrfOf(t, ts, session)
		form := func(token string) url.Values {
			return url.Values{"head_title": {"Wali Kota Blitar (CSRF)"}, "csrf": {token}}
		}
		for name, tc := range map[string]struct {
			form   url.Values
			header []string
		}{
			"missing token":      {form: form("")},
			"wrong token":        {form: form("x" + csrf)},
			"cross-site request": {form: form(csrf), header: []string{"Sec-Fetch-Site", "cross-site"}},
			"foreign origin":     {form: form(csrf), header: []string{"Origin", "https://evil.example"}},
		} {
			resp, body := ts.post(t, session, "/kelola/35.72/profil", tc.form, tc.header...)
			if resp.StatusCode != 403 || !strings.Contains(body, "Tidak diizinkan") {
				t.Errorf("%s: status %d", name, resp.StatusCode)
			}
		}
		r, _ := ts.app.Region(context.Background(), "35.72")
		if strings.Contains(r.Profile.HeadTitle, "CSRF") {
			t.Fatal("a refused request changed the profile")
		}
		if resp, _ := ts.post(t, session, "/kelola/35.72/profil", form(csrf), "Sec-Fetch-Site", "same-origin"); resp.StatusCode != 303 {
			t.Fatalf("valid request: %d", resp.StatusCode)
		}
		if r, _ := ts.app.Region(context.Background(), "35.72"); r.Profile.HeadTitle != "Wali Kota Blitar (CSRF)" {
			t.Errorf("profile = %+v", r.Profile)
		}
	})
}

func TestLoginLockoutAndSameAnswer(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		makeUser(t, ts.app, "walikota@blitar.test", ownRegion, kolaborasi.RoleSignatory)
		_, unknown := ts.post(t, "", "/masuk", url.Values{"email": {"nobody@blitar.test"}, "password": {matrixPass}})
		_, wrong := ts.post(t, "", "/masuk", url.Values{"email": {"walikota@blitar.test"}, "password": {"wrong password!"}})
		msg := "Surel atau kata sandi salah."
		if !strings.Contains(unknown, msg) || !strings.Contains(wrong, msg) {
			t.Fatal("unknown address and wrong password do not get the same message")
		}
		for range 4 {
			resp, _ := ts.post(t, "", "/masuk", url.Values{"email": {"WALIKOTA@blitar.test"}, "password": {"wrong password!"}})
			if resp.StatusCode != 401 {
				t.Fatalf("failure: %d", resp.StatusCode)
			}
		}
		// Five failures lock the account, even against the right password.
		resp, body := ts.post(t, "", "/masuk", url.Values{"email": {"walikota@blitar.test"}, "password": {matrixPass}})
		if resp.StatusCode != 429 || !strings.Contains(body, "15 menit") {
			t.Fatalf("locked account: %d", resp.StatusCode)
		}
		ts.advance(16 * time.Minute)
		ts.loginAs(t, "walikota@blitar.test")

		// Per address: 20 failures over several accounts lock the address.
		for i := range 20 {
			ts.post(t, "", "/masuk", url.Values{"email": {"spray" + string(rune('a'+i)) + "@blitar.test"}, "password": {"x"}})
		}
		resp, _ = ts.post(t, "", "/masuk", url.Values{"email": {"walikota@blitar.test"}, "password": {matrixPass}})
		if resp.StatusCode != 429 {
			t.Errorf("locked address: %d", resp.StatusCode)
		}
	})
}

func (ts *testServer) api(t *testing.T, token, method, path, body string) (*http.Response, string) {
	t.Helper()
	r, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := ts.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestAPITokens(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		admin := makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)
		as := kolaborasi.WithUser(context.Background(), admin)
		read, _, err := ts.app.CreateAPIToken(as, "baca", []string{"read"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		write, writeTok, err := ts.app.CreateAPIToken(as, "tulis", []string{"write"}, 48*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		profile := `{"head_title":"Wali Kota Blitar","website":"https://blitarkota.go.id"}`
		if resp, body := ts.api(t, read, "GET", "/api/v1/me", ""); resp.StatusCode != 200 || !strings.Contains(body, admin.Email) {
			t.Errorf("me with read token: %d %s", resp.StatusCode, body)
		}
		if resp, body := ts.api(t, read, "PUT", "/api/v1/regions/35.72/profile", profile); resp.StatusCode != 403 || !strings.Contains(body, "write scope") {
			t.Errorf("write with read token: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, read, "GET", "/api/v1/regions/35.72/audit", ""); resp.StatusCode != 200 {
			t.Errorf("audit with read token: %d", resp.StatusCode)
		}
		if resp, body := ts.api(t, write, "PUT", "/api/v1/regions/35.72/profile", profile); resp.StatusCode != 200 {
			t.Errorf("write with write token: %d %s", resp.StatusCode, body)
		}
		// Strict JSON.
		if resp, _ := ts.api(t, write, "PUT", "/api/v1/regions/35.72/profile", `{"head_title":"x","extra":1}`); resp.StatusCode != 400 {
			t.Errorf("unknown field: %d", resp.StatusCode)
		}
		// Expiry: the read token expires after a day, the write token lives on.
		ts.advance(25 * time.Hour)
		if resp, body := ts.api(t, read, "GET", "/api/v1/me", ""); resp.StatusCode != 401 || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("expired token: %d %s", resp.StatusCode, body)
		}
		if resp, _ := ts.api(t, write, "GET", "/api/v1/me", ""); resp.StatusCode != 200 {
			t.Errorf("live token: %d", resp.StatusCode)
		}
		if err := ts.app.RevokeAPIToken(as, writeTok.ID); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{write, "kol_forged", "not-a-token", ""} {
			if resp, _ := ts.api(t, tok, "GET", "/api/v1/me", ""); resp.StatusCode != 401 {
				t.Errorf("token %q: %d", tok, resp.StatusCode)
			}
		}
		// Bearer tokens work only on the API.
		r, _ := http.NewRequest("GET", ts.URL+"/akun", nil)
		r.Header.Set("Authorization", "Bearer "+read)
		resp, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("bearer on a page: %d", resp.StatusCode)
		}
		// A token cannot make tokens.
		u, err := ts.app.AuthenticateAPIToken(context.Background(), read)
		if err == nil {
			_, _, err = ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), u), "x", []string{"read"}, time.Hour)
		}
		if err == nil {
			t.Error("an API token made another token")
		}
	})
}

func TestInvitationAndResetLinks(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)
		session := ts.loginAs(t, "admin@blitar.test")
		csrf := csrfOf(t, ts, session)
		resp, body := ts.post(t, session, "/kelola/35.72/pengguna", url.Values{"csrf": {csrf}, "email": {"Kominfo@Blitar.test"},
			"name": {"Operator Kominfo"}, "roles": {"editor"}})
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("invite: %d", resp.StatusCode)
		}
		i := strings.Index(body, "/tautan/")
		if i < 0 {
			t.Fatal("no link shown")
		}
		link := body[i : i+strings.IndexByte(body[i:], '<')]
		if resp, page := ts.getAs(t, "", link); resp.StatusCode != 200 || !strings.Contains(page, "kominfo@blitar.test") {
			t.Fatalf("link page: %d", resp.StatusCode)
		}
		// A short password is refused and the link stays usable.
		if resp, _ := ts.post(t, "", link, url.Values{"password": {"short"}, "confirm": {"short"}}); resp.StatusCode != 400 {
			t.Errorf("short password: %d", resp.StatusCode)
		}
		if resp, _ := ts.post(t, "", link, url.Values{"password": {matrixPass}, "confirm": {matrixPass}}); resp.StatusCode != 303 {
			t.Fatalf("set password: %d", resp.StatusCode)
		}
		if resp, body := ts.post(t, "", link, url.Values{"password": {"another password!"}, "confirm": {"another password!"}}); resp.StatusCode != 409 ||
			!strings.Contains(body, "sudah dipakai") {
			t.Errorf("second use: %d", resp.StatusCode)
		}
		ts.loginAs(t, "kominfo@blitar.test")

		// An invitation expires after 7 days.
		_, token, err := ts.app.InviteUser(system, app.UserInput{Email: "late@blitar.test", Name: "Late", Region: ownRegion,
			Roles: []kolaborasi.Role{kolaborasi.RoleViewer}, Status: kolaborasi.UserActive})
		if err != nil {
			t.Fatal(err)
		}
		ts.advance(7*24*time.Hour + time.Minute)
		session = ts.loginAs(t, "admin@blitar.test")
		if resp, body := ts.getAs(t, "", "/tautan/"+token); resp.StatusCode != 400 || !strings.Contains(body, "kedaluwarsa") {
			t.Errorf("expired link: %d", resp.StatusCode)
		}
		if resp, _ := ts.getAs(t, "", "/tautan/made-up"); resp.StatusCode != 404 {
			t.Errorf("unknown link: %d", resp.StatusCode)
		}

		// A reset link replaces the password and ends the user's sessions.
		victim := ts.loginAs(t, "kominfo@blitar.test")
		users, _ := ts.app.Users(kolaborasi.WithUser(context.Background(), &kolaborasi.User{ID: 1, RegionCode: ownRegion,
			Roles: []kolaborasi.Role{kolaborasi.RoleRegionAdmin}, Status: kolaborasi.UserActive}), ownRegion)
		var id, secret string
		for _, u := range users {
			if u.Email == "kominfo@blitar.test" {
				id = strconv.FormatInt(u.ID, 10)
				if secret, _, err = ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), u), "x", []string{"read"}, time.Hour); err != nil {
					t.Fatal(err)
				}
			}
		}
		resp, body = ts.post(t, session, "/kelola/35.72/pengguna/"+id+"/reset", url.Values{"csrf": {csrfOf(t, ts, session)}})
		i = strings.Index(body, "/tautan/")
		if resp.StatusCode != 200 || i < 0 {
			t.Fatalf("reset: %d", resp.StatusCode)
		}
		reset := body[i : i+strings.IndexByte(body[i:], '<')]
		if resp, _ := ts.post(t, "", reset, url.Values{"password": {"a brand new password"}, "confirm": {"a brand new password"}}); resp.StatusCode != 303 {
			t.Fatalf("redeem reset: %d", resp.StatusCode)
		}
		if resp, _ := ts.getAs(t, victim, "/akun"); resp.StatusCode != 401 {
			t.Errorf("session survived a reset: %d", resp.StatusCode)
		}
		if resp, _ := ts.api(t, secret, "GET", "/api/v1/me", ""); resp.StatusCode != 401 {
			t.Errorf("API token survived a reset: %d", resp.StatusCode)
		}
		if resp, _ := ts.post(t, "", "/masuk", url.Values{"email": {"kominfo@blitar.test"}, "password": {matrixPass}}); resp.StatusCode != 401 {
			t.Errorf("old password still works: %d", resp.StatusCode)
		}
	})
}

func TestAuditTrailAndCSV(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)
	makeUser(t, ts.app, "admin2@bandung.test", otherRegion, kolaborasi.RoleRegionAdmin)
	session := ts.loginAs(t, "admin@blitar.test")
	ts.post(t, session, "/kelola/35.72/opd", url.Values{"csrf": {csrfOf(t, ts, session)}, "name": {"=HYPERLINK(\"http://evil\")"}, "kind": {"dinas"}})
	resp, body := ts.getAs(t, session, "/kelola/35.72/audit")
	if resp.StatusCode != 200 || !strings.Contains(body, "region.opd.manage") {
		t.Fatalf("audit page: %d", resp.StatusCode)
	}
	resp, body = ts.getAs(t, session, "/kelola/35.72/audit.csv")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("csv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || rows[0][0] != "id" {
		t.Fatalf("csv rows = %v", rows)
	}
	found := false
	for _, row := range rows[1:] {
		if row[4] != "35.72" {
			t.Errorf("another region's row in Blitar's export: %v", row)
		}
		if strings.Contains(row[7], "HYPERLINK") {
			found = true
			if strings.HasPrefix(row[7], "=") {
				t.Errorf("formula not defused: %q", row[7])
			}
		}
	}
	if !found {
		t.Error("the OPD creation is not in the export")
	}
	other := ts.loginAs(t, "admin2@bandung.test")
	if resp, _ := ts.getAs(t, other, "/kelola/35.72/audit.csv"); resp.StatusCode != 403 {
		t.Errorf("Bandung's admin reading Blitar's trail: %d", resp.StatusCode)
	}
}

// TestSignInLimitsHoldUnderConcurrency floods /masuk with 400 concurrent
// sign-ins, first with wrong passwords for one account, then for 400
// unknown addresses, and counts the passwords the server actually checked:
// at most 5 for the account and 20 for the network address in a window.
func TestSignInLimitsHoldUnderConcurrency(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		makeUser(t, ts.app, "walikota@blitar.test", ownRegion, kolaborasi.RoleSignatory)
		flood := func(email func(i int) string) (checked int64) {
			t.Helper()
			before := ts.app.PasswordHashStats().Total
			const n = 400
			var wg sync.WaitGroup
			start := make(chan struct{})
			statuses := make([]int, n)
			retry := make([]string, n)
			for i := range n {
				wg.Go(func() {
					<-start
					r, _ := http.NewRequest("POST", ts.URL+"/masuk", strings.NewReader(url.Values{"email": {email(i)}, "password": {"wrong password!"}}.Encode()))
					r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					resp, err := ts.Client().Do(r)
					if err != nil {
						t.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					statuses[i], retry[i] = resp.StatusCode, resp.Header.Get("Retry-After")
				})
			}
			close(start)
			wg.Wait()
			for i, st := range statuses {
				switch {
				case st == 429 && retry[i] == "":
					t.Errorf("attempt %d: 429 without Retry-After", i)
				case st != 401 && st != 429:
					t.Errorf("attempt %d: status %d", i, st)
				}
			}
			return ts.app.PasswordHashStats().Total - before
		}
		if checked := flood(func(int) string { return "walikota@blitar.test" }); checked < 1 || checked > 5 {
			t.Errorf("400 concurrent sign-ins for one account checked %d passwords, want 1 to 5", checked)
		} else {
			t.Logf("one account: %d passwords checked", checked)
		}
		ts.advance(16 * time.Minute)
		if checked := flood(func(i int) string { return fmt.Sprintf("nobody%d@blitar.test", i) }); checked < 1 || checked > 20 {
			t.Errorf("400 concurrent sign-ins from one address checked %d passwords, want 1 to 20", checked)
		} else {
			t.Logf("one address: %d passwords checked", checked)
		}
		// The limits end with their window.
		ts.advance(16 * time.Minute)
		ts.loginAs(t, "walikota@blitar.test")
	})
}

// TestPasswordChangeRevokesTokensOnPage: the account page says a password
// change revokes the API tokens, lists each token's last use, and after the
// change shows the token revoked, which the API then refuses.
func TestPasswordChangeRevokesTokensOnPage(t *testing.T) {
	demoTemplate.Engines(t, func(t *testing.T, db *store.DB) {
		ts := newTestServerOn(t, db, false)
		u := makeUser(t, ts.app, "kominfo@blitar.test", ownRegion, kolaborasi.RoleEditor)
		secret, _, err := ts.app.CreateAPIToken(kolaborasi.WithUser(context.Background(), u), "laporan", []string{"read"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		session := ts.loginAs(t, u.Email)
		_, page := ts.getAs(t, session, "/akun")
		if !strings.Contains(page, "mencabut semua token API Anda") || strings.Contains(page, "dicabut</span>") {
			t.Errorf("account page before any use does not say a password change revokes tokens, or shows one revoked:\n%s", page)
		}
		if resp, _ := ts.api(t, secret, "GET", "/api/v1/me", ""); resp.StatusCode != 200 {
			t.Fatalf("token: %d", resp.StatusCode)
		}
		now := ts.app.Now().In(time.FixedZone("WIB", 7*60*60))
		months := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
		used := fmt.Sprintf("%d %s %d %s WIB", now.Day(), months[now.Month()-1], now.Year(), now.Format("15.04"))
		if _, page := ts.getAs(t, session, "/akun"); !strings.Contains(page, "<td>"+used+"</td>") {
			t.Errorf("account page does not show the token's last use %s", used)
		}
		resp, _ := ts.post(t, session, "/akun/sandi", url.Values{"csrf": {csrfOf(t, ts, session)}, "current": {matrixPass},
			"new": {"a new long password"}, "confirm": {"a new long password"}})
		if resp.StatusCode != 303 {
			t.Fatalf("change password: %d", resp.StatusCode)
		}
		var fresh string
		for _, c := range resp.Cookies() {
			if c.Name == "kolaborasi_session" {
				fresh = c.Value
			}
		}
		if resp, _ := ts.api(t, secret, "GET", "/api/v1/me", ""); resp.StatusCode != 401 {
			t.Errorf("token after a password change: %d", resp.StatusCode)
		}
		if _, page := ts.getAs(t, fresh, "/akun"); !strings.Contains(page, "dicabut</span>") {
			t.Errorf("account page does not show the token revoked after the password change")
		}
	})
}
