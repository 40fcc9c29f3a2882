package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/web"
)

const (
	ownRegion   = "35.72"
	otherRegion = "32.73"
	matrixPass  = "matrix-password-123"
)

// actor is one kind of caller in the authorisation matrix.
type actor struct {
	name     string
	role     kolaborasi.Role // "" for anonymous
	user     *kolaborasi.User
	session  string
	apiToken string
}

func (a *actor) signedIn() bool { return a.user != nil }

var system = kolaborasi.WithUser(context.Background(), kolaborasi.System)

// makeUser creates an account through the invitation flow and returns it
// with its password set.
func makeUser(t *testing.T, a *app.App, email, region string, roles ...kolaborasi.Role) *kolaborasi.User {
	t.Helper()
	u, token, err := a.InviteUser(system, app.UserInput{Email: email, Name: email, Region: region, Roles: roles, Status: kolaborasi.UserActive})
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	if _, err := a.RedeemLink(context.Background(), token, matrixPass); err != nil {
		t.Fatal(err)
	}
	return u
}

// login signs in over HTTP and returns the session token from the cookie.
func login(t *testing.T, ts *testServer, email, password string) (string, *http.Response) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(ts.URL+"/masuk", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "kolaborasi_session" && ck.Value != "" {
			return ck.Value, resp
		}
	}
	return "", resp
}

func csrfOf(t *testing.T, ts *testServer, session string) string {
	t.Helper()
	_, s, err := ts.app.Authenticate(context.Background(), session)
	if err != nil {
		t.Fatalf("session: %v", err)
	}
	return s.CSRFToken
}

// request is what a fixture builds for one attempt.
type request struct {
	method, path string
	form         url.Values
	json         string
	yaml         string
	multipart    bool
	file         string // the multipart file field; "logo" when empty
	fileBody     []byte // the multipart file's bytes; a PNG when empty
	raw          []byte // a raw body of type rawType
	rawType      string
	header       []string
}

func validPublicCode(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../publiccode/testdata/cli/valid.yml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (ts *testServer) do(t *testing.T, a *actor, req request) *http.Response {
	t.Helper()
	var body io.Reader
	contentType := ""
	isAPI := strings.HasPrefix(req.path, "/api/")
	if !isAPI && a.session != "" && req.method != "GET" {
		if req.form == nil {
			req.form = url.Values{}
		}
		req.form.Set("csrf", csrfOf(t, ts, a.session))
	}
	switch {
	case req.multipart:
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, vs := range req.form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		field := req.file
		if field == "" {
			field = "logo"
		}
		fw, _ := mw.CreateFormFile(field, "image.png")
		if req.fileBody != nil {
			fw.Write(req.fileBody)
		} else {
			fw.Write(pngBytes(t))
		}
		mw.Close()
		body, contentType = &b, mw.FormDataContentType()
	case req.raw != nil:
		body, contentType = bytes.NewReader(req.raw), req.rawType
	case req.json != "":
		body, contentType = strings.NewReader(req.json), "application/json"
	case req.yaml != "":
		body, contentType = strings.NewReader(req.yaml), "application/yaml"
	case req.form != nil:
		body, contentType = strings.NewReader(req.form.Encode()), "application/x-www-form-urlencoded"
	}
	r, err := http.NewRequest(req.method, ts.URL+req.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(req.header); i += 2 {
		r.Header.Set(req.header[i], req.header[i+1])
	}
	if isAPI && a.apiToken != "" {
		r.Header.Set("Authorization", "Bearer "+a.apiToken)
	} else if !isAPI && a.session != "" {
		r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: a.session})
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// expectation states, independently of app's policy table, who may use a
// route with the policy on the own region (own) or another region.
func expectation(policy string, a *actor, own bool) (bool, bool) {
	switch policy {
	case "public":
		return true, true
	case "signed-in", string(app.ActOwnAccount):
		return a.signedIn(), true
	case string(app.ActRegionProfileUpdate), string(app.ActOPDManage), string(app.ActUserManage), string(app.ActAuditRead):
		return a.role == kolaborasi.RoleAdmin || a.role == kolaborasi.RoleRegionAdmin && own, true
	case string(app.ActAuditReadAll):
		return a.role == kolaborasi.RoleAdmin, true
	case string(app.ActAgreementDraft), string(app.ActAgreementMove), string(app.ActAgreementDeadlines):
		// Coordinators (Bagian Kerja Sama) of a party region draft, move
		// and watch agreements; nobody else, platform admins included.
		return a.role == kolaborasi.RoleCoordinator && own, true
	case string(app.ActAgreementSign), string(app.ActSigningKeyRequest):
		// Only a region's signatories hold keys and sign for it.
		return a.role == kolaborasi.RoleSignatory && own, true
	case string(app.ActSigningKeyDecide):
		// The region admin decides the region's keys; platform admins too,
		// as the four-eyes rule needs them where a region has one admin.
		return a.role == kolaborasi.RoleAdmin || a.role == kolaborasi.RoleRegionAdmin && own, true
	case string(app.ActAdoptionRequest), string(app.ActAdoptionManage):
		// The adopting region's editors and coordinators.
		return (a.role == kolaborasi.RoleEditor || a.role == kolaborasi.RoleCoordinator) && own, true
	case string(app.ActAdoptionDecide):
		// The source region's editors and its admin decide requests.
		return (a.role == kolaborasi.RoleEditor || a.role == kolaborasi.RoleRegionAdmin) && own, true
	case string(app.ActAdoptionFromAgreement):
		return a.role == kolaborasi.RoleCoordinator && own, true
	case string(app.ActSolutionPublish):
		// The region's editors and its admin publish; platform admins do not act
		// for regions.
		return (a.role == kolaborasi.RoleEditor || a.role == kolaborasi.RoleRegionAdmin) && own, true
	case string(app.ActIndicatorManage):
		// Indicator definitions are platform-wide: platform admins only.
		return a.role == kolaborasi.RoleAdmin, true
	case string(app.ActObservationImport):
		// A region's editors and admin import its observations; platform
		// admins any region's.
		return a.role == kolaborasi.RoleAdmin || (a.role == kolaborasi.RoleEditor || a.role == kolaborasi.RoleRegionAdmin) && own, true
	case string(app.ActRankingManage):
		// Composite indices are national: platform admins and national
		// observers define them.
		return a.role == kolaborasi.RoleAdmin || a.role == kolaborasi.RoleObserver, true

	case string(app.ActProductEdit), string(app.ActProductFeature):
		// K6: the region's editors and its admin keep its producers and
		// products and pick the partner products it features.
		return (a.role == kolaborasi.RoleEditor || a.role == kolaborasi.RoleRegionAdmin) && own, true
	case string(app.ActProducerVerify):
		// Verification for the Dinas Koperasi & UMKM: the region's editors.
		return a.role == kolaborasi.RoleEditor && own, true

	case string(app.ActNeedManage):
		// The region's editors and coordinators declare its needs.
		return (a.role == kolaborasi.RoleEditor || a.role == kolaborasi.RoleCoordinator) && own, true
	}
	return false, false
}

func TestAuthorisationMatrix(t *testing.T) {
	ts := newTestServer(t)
	a := ts.app
	actors := []*actor{{name: "anonymous"}}
	for _, r := range append(append([]kolaborasi.Role{}, kolaborasi.RegionRoles...), kolaborasi.PlatformRoles...) {
		region := ownRegion
		if r == kolaborasi.RoleAdmin || r == kolaborasi.RoleObserver {
			region = ""
		}
		u := makeUser(t, a, string(r)+"@matrix.test", region, r)
		session, _ := login(t, ts, u.Email, matrixPass)
		if session == "" {
			t.Fatalf("login of %s failed", u.Email)
		}
		token, _, err := a.CreateAPIToken(kolaborasi.WithUser(context.Background(), u), "matrix", []string{"read", "write"}, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		actors = append(actors, &actor{name: string(r), role: r, user: u, session: session, apiToken: token})
	}

	n := 0
	fresh := func() string { n++; return fmt.Sprintf("m%d", n) }
	newOPD := func(region string) int64 {
		o := &kolaborasi.OPD{RegionCode: region, Name: "OPD " + fresh(), Kind: kolaborasi.OPDDinas}
		if err := a.CreateOPD(system, o); err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	newUser := func(region string) int64 {
		u, _, err := a.InviteUser(system, app.UserInput{Email: fresh() + "@target.test", Name: "Target", Region: region,
			Roles: []kolaborasi.Role{kolaborasi.RoleViewer}, Status: kolaborasi.UserActive})
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	loginTarget := makeUser(t, a, "login-target@matrix.test", ownRegion, kolaborasi.RoleViewer)
	newSolution := func(region string) *kolaborasi.Solution {
		sol := &kolaborasi.Solution{Kind: kolaborasi.KindSoftware, Licence: "MIT", RegionCode: region, Name: kolaborasi.Texts{ID: "Solusi " + fresh()},
			Short: kolaborasi.Texts{ID: "Ringkasan"}, Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance},
			Sectors: []kolaborasi.Sector{"e-government"}, Maturity: kolaborasi.MaturityLive, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseOpenLicence}}
		if err := a.CreateSolution(system, sol); err != nil {
			t.Fatal(err)
		}
		return sol
	}
	solutionForm := url.Values{"kind": {"programme"}, "name_id": {"Program"}, "short_id": {"Ringkasan"}, "dimensions": {"economy"},
		"sectors": {"umkm"}, "maturity": {"live"}, "reuse": {"hibah"}}

	// Fixtures build a request that would succeed for an allowed caller.
	fixtures := map[string]func(ac *actor, region string) request{
		"POST /bahasa": func(*actor, string) request { return request{form: url.Values{"lang": {"en"}, "next": {"/"}}} },
		"POST /publiccode": func(*actor, string) request {
			return request{form: url.Values{"yaml": {string(validPublicCode(t))}}}
		},
		"POST /api/v1/publiccode/validate": func(*actor, string) request {
			return request{yaml: string(validPublicCode(t))}
		},
		"POST /masuk": func(*actor, string) request {
			return request{form: url.Values{"email": {loginTarget.Email}, "password": {matrixPass}}}
		},
		"POST /keluar": func(*actor, string) request { return request{} },
		"GET /akun":    func(*actor, string) request { return request{} },
		"POST /akun/sandi": func(*actor, string) request {
			return request{form: url.Values{"current": {matrixPass}, "new": {matrixPass}, "confirm": {matrixPass}}}
		},
		"POST /akun/token": func(*actor, string) request {
			return request{form: url.Values{"name": {"t"}, "scopes": {"read"}, "days": {"30"}}}
		},
		"POST /akun/token/{id}/cabut": func(ac *actor, _ string) request {
			owner := ac.user
			if owner == nil {
				owner = loginTarget
			}
			_, tok, err := a.CreateAPIToken(kolaborasi.WithUser(context.Background(), owner), fresh(), []string{"read"}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			return request{path: fmt.Sprintf("/akun/token/%d/cabut", tok.ID)}
		},
		"POST /tautan/{token}": func(*actor, string) request {
			_, token, err := a.InviteUser(system, app.UserInput{Email: fresh() + "@link.test", Name: "L", Region: ownRegion,
				Roles: []kolaborasi.Role{kolaborasi.RoleViewer}, Status: kolaborasi.UserActive})
			if err != nil {
				t.Fatal(err)
			}
			return request{path: "/tautan/" + token, form: url.Values{"password": {matrixPass}, "confirm": {matrixPass}}}
		},
		"GET /kelola/{code}":           func(*actor, string) request { return request{} },
		"GET /kelola/{code}/audit":     func(*actor, string) request { return request{} },
		"GET /kelola/{code}/audit.csv": func(*actor, string) request { return request{} },
		"GET /audit":                   func(*actor, string) request { return request{} },
		"GET /audit.csv":               func(*actor, string) request { return request{} },
		"POST /kelola/{code}/profil": func(*actor, string) request {
			return request{form: url.Values{"head_title": {"Wali Kota " + fresh()}, "website": {"https://example.go.id"}}}
		},
		"POST /kelola/{code}/logo": func(*actor, string) request { return request{multipart: true, form: url.Values{}} },
		"POST /kelola/{code}/opd": func(*actor, string) request {
			return request{form: url.Values{"name": {"Dinas " + fresh()}, "kind": {"dinas"}}}
		},
		"POST /kelola/{code}/opd/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kelola/%s/opd/%d", region, newOPD(region)), form: url.Values{"name": {"Badan " + fresh()}, "kind": {"badan"}}}
		},
		"POST /kelola/{code}/opd/{id}/hapus": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kelola/%s/opd/%d/hapus", region, newOPD(region))}
		},
		"POST /kelola/{code}/pengguna": func(*actor, string) request {
			return request{form: url.Values{"email": {fresh() + "@invite.test"}, "name": {"Baru"}, "roles": {"viewer"}}}
		},
		"POST /kelola/{code}/pengguna/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kelola/%s/pengguna/%d", region, newUser(region)),
				form: url.Values{"name": {"Target"}, "roles": {"editor"}, "status": {"active"}}}
		},
		"POST /kelola/{code}/pengguna/{id}/reset": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/kelola/%s/pengguna/%d/reset", region, newUser(region))}
		},
		"GET /api/v1/me":           func(*actor, string) request { return request{} },
		"GET /ruang-kerja":         func(*actor, string) request { return request{} },
		"GET /api/v1/me/workspace": func(*actor, string) request { return request{} },
		"PUT /api/v1/regions/{code}/profile": func(*actor, string) request {
			return request{json: `{"head_title":"Wali Kota ` + fresh() + `","website":"https://example.go.id"}`}
		},
		"POST /api/v1/regions/{code}/opds": func(*actor, string) request {
			return request{json: `{"name":"Dinas ` + fresh() + `","kind":"dinas"}`}
		},
		"PATCH /api/v1/regions/{code}/opds/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/regions/%s/opds/%d", region, newOPD(region)), json: `{"name":"Badan ` + fresh() + `","kind":"badan"}`}
		},
		"DELETE /api/v1/regions/{code}/opds/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/regions/%s/opds/%d", region, newOPD(region))}
		},
		"GET /api/v1/regions/{code}/audit": func(*actor, string) request { return request{} },

		"GET /kelola/{code}/solusi/baru": func(*actor, string) request { return request{} },
		"POST /kelola/{code}/solusi": func(*actor, string) request {
			f := url.Values{}
			for k, v := range solutionForm {
				f[k] = v
			}
			f.Set("name_id", "Program "+fresh())
			return request{form: f}
		},
		"GET /solusi/{id}/ubah": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/solusi/%d/ubah", newSolution(region).ID)}
		},
		"POST /solusi/{id}": func(_ *actor, region string) request {
			sol := newSolution(region)
			f := url.Values{"version": {"1"}}
			for k, v := range solutionForm {
				f[k] = v
			}
			return request{path: fmt.Sprintf("/solusi/%d", sol.ID), form: f}
		},
		"POST /solusi/{id}/pensiun": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/solusi/%d/pensiun", newSolution(region).ID), form: url.Values{"version": {"1"}}}
		},
		"POST /solusi/{id}/gambar": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/solusi/%d/gambar", newSolution(region).ID), multipart: true, file: "image", form: url.Values{"role": {"screenshot"}}}
		},
		"GET /kelola/{code}/impor": func(*actor, string) request { return request{} },
		"POST /kelola/{code}/impor": func(*actor, string) request {
			return request{form: url.Values{"yaml": {string(validPublicCode(t))}}}
		},
		"POST /api/v1/solutions": func(_ *actor, region string) request {
			return request{json: `{"kind":"programme","region_code":"` + region + `","name":{"id":"Program ` + fresh() + `"},"short":{"id":"Ringkasan"},` +
				`"dimensions":["economy"],"sectors":["umkm"],"maturity":"live","reuse":["hibah"]}`}
		},
		"POST /api/v1/solutions/import": func(_ *actor, region string) request {
			return request{path: "/api/v1/solutions/import?region=" + region, yaml: string(validPublicCode(t))}
		},
		"PATCH /api/v1/solutions/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/solutions/%d", newSolution(region).ID), json: `{"version":1,"maturity":"pilot"}`}
		},
		"DELETE /api/v1/solutions/{id}": func(_ *actor, region string) request {
			return request{path: fmt.Sprintf("/api/v1/solutions/%d", newSolution(region).ID), header: []string{"If-Match", `"1"`}}
		},
	}

	k4 := newAgreementFixtures(t, ts, fresh)
	for k, f := range k4.fixtures() {
		fixtures[k] = f
	}
	for k, f := range indicatorFixtures(t, a, fresh) {
		fixtures[k] = f
	}
	for k, f := range rankingFixtures(t, a, fresh) {
		fixtures[k] = f
	}
	for k, f := range newAdoptionFixtures(k4).fixtures() {
		fixtures[k] = f
	}

	maps.Copy(fixtures, productFixtures(t, a, fresh))

	for k, f := range needFixtures(t, ts, fresh) {
		fixtures[k] = f
	}

	lastAudit := func() int64 {
		es, err := a.AuditTrail(system, "", 0)
		if err != nil || len(es) == 0 {
			t.Fatalf("audit: %v", err)
		}
		return es[0].ID
	}

	checked := 0
	for _, rt := range web.Routes() {
		key := rt.Method + " " + rt.Pattern
		if rt.Policy == "" {
			if rt.Method != "GET" {
				t.Errorf("%s changes data but states no policy", key)
			}
			continue
		}
		fixture, ok := fixtures[key]
		if !ok {
			t.Errorf("%s has policy %q but no fixture in this test", key, rt.Policy)
			continue
		}
		targets := []string{ownRegion}
		// Routes that act on one region's data: by its code, or by the ID
		// of something the region owns (the fixture makes it there).
		if strings.Contains(rt.Pattern, "{code}") || strings.Contains(rt.Pattern, "/solusi/{id}") || strings.Contains(rt.Pattern, "/solutions/{id}") ||
			strings.Contains(rt.Pattern, "/kerjasama/{id}") || strings.Contains(rt.Pattern, "/agreements/{id}") || strings.Contains(rt.Pattern, "/signing-keys/{id}") ||
			rt.Pattern == "/api/v1/solutions" || rt.Pattern == "/api/v1/solutions/import" || rt.Pattern == "/api/v1/observations/import" ||
			strings.Contains(rt.Pattern, "/adopsi/{id}") || strings.Contains(rt.Pattern, "/adoptions/{id}") || rt.Pattern == "/api/v1/adoptions" ||
			strings.Contains(rt.Pattern, "/produk") || strings.Contains(rt.Pattern, "/produsen") || strings.Contains(rt.Pattern, "/products") || strings.Contains(rt.Pattern, "/producers") ||
			strings.Contains(rt.Pattern, "/kebutuhan/{id}") || strings.Contains(rt.Pattern, "/needs/{id}") {
			targets = append(targets, otherRegion)
		}
		for _, ac := range actors {
			for _, region := range targets {
				want, known := expectation(rt.Policy, ac, region == ownRegion)
				if !known {
					t.Fatalf("%s: policy %q has no expectation in this test", key, rt.Policy)
				}
				req := fixture(ac, region)
				req.method = rt.Method
				if req.path == "" {
					req.path = strings.ReplaceAll(rt.Pattern, "{code}", region)
				}
				before := lastAudit()
				resp := ts.do(t, ac, req)
				checked++
				denied := resp.StatusCode == 401 || resp.StatusCode == 403
				switch {
				case want && (denied || resp.StatusCode >= 400):
					t.Errorf("%s as %s on %s: status %d, want success", key, ac.name, region, resp.StatusCode)
				case !want && !denied:
					t.Errorf("%s as %s on %s: status %d, want 401/403 (wrongful success)", key, ac.name, region, resp.StatusCode)
				case !want && lastAudit() != before:
					t.Errorf("%s as %s on %s: refused, but something was recorded as changed", key, ac.name, region)
				case !want && ac.user == nil && resp.StatusCode != 401:
					t.Errorf("%s anonymous: status %d, want 401", key, resp.StatusCode)
				}
				// Sign the actor in again where the route ended or rotated
				// its session.
				if want && ac.user != nil && (key == "POST /keluar" || key == "POST /akun/sandi" || key == "POST /masuk") {
					if ac.session, _ = login(t, ts, ac.user.Email, matrixPass); ac.session == "" {
						t.Fatalf("re-login of %s failed", ac.name)
					}
				}
				// A password change revokes the actor's API tokens.
				if want && ac.user != nil && key == "POST /akun/sandi" {
					var err error
					if ac.apiToken, _, err = a.CreateAPIToken(kolaborasi.WithUser(context.Background(), ac.user), "matrix", []string{"read", "write"}, 24*time.Hour); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	t.Logf("%d combinations of route, role and region checked", checked)
	if checked < 300 {
		t.Errorf("only %d combinations checked", checked)
	}
}
