package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/web"
)

const privateNoStore = "private, no-store"

// routePath fills a route pattern's wildcards with values that exist.
func routePath(pattern string, ids map[string]string) string {
	p := pattern
	if strings.Contains(p, "/solusi/") || strings.Contains(p, "/solutions/") {
		p = strings.ReplaceAll(p, "{id}", ids["solution"])
	}
	p = strings.ReplaceAll(p, "{id}", ids["agreement"])
	for k, v := range map[string]string{"{code}": ownRegion, "{kind}": "ksb", "{index}": "0", "{name...}": "app.css",
		"{file}": "provinsi.geojson", "{token}": ids["token"], "{sha}": ids["sha"], "{decision}": "approve", "{$}": ""} {
		p = strings.ReplaceAll(p, k, v)
	}
	return p
}

// Every route's Cache-Control follows its policy in the route table, asked
// anonymously and signed in: everything that depends on who asks is
// "private, no-store" (draft agreements and their attachments, /akun,
// /api/v1/me, audit pages and CSV, errors); only answers that are the same
// for everyone are public.
func TestCachePolicyOfEveryRoute(t *testing.T) {
	ts := newTestServer(t)
	a := ts.app
	u := makeUser(t, a, "everything@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin, kolaborasi.RoleCoordinator, kolaborasi.RoleEditor)
	session, _ := login(t, ts, u.Email, matrixPass)
	ctx := kolaborasi.WithUser(context.Background(), u)

	draft, err := a.CreateAgreement(ctx, kolaborasi.AgreementContent{Type: kolaborasi.KSDDSukarela, Title: "Kerja sama draf",
		Scope: []string{"Smart City"}, Parties: []kolaborasi.AgreementParty{{Region: ownRegion}, {Region: thirdParty}},
		SignDate: "2026-03-08", BudgetedInAPBD: true})
	if err != nil {
		t.Fatal(err)
	}
	att, err := a.AddAttachment(ctx, draft.ID, kolaborasi.AttachKAK, "kak.pdf", []byte(minimalPDF))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.UploadRegionLogo(system, ownRegion, pngBytes(t)); err != nil {
		t.Fatal(err)
	}
	region, err := a.Region(context.Background(), ownRegion)
	if err != nil {
		t.Fatal(err)
	}
	sols, err := a.SearchSolutions(context.Background(), searchAll())
	if err != nil || len(sols.Items) == 0 {
		t.Fatalf("solutions: %v", err)
	}
	_, token, err := a.InviteUser(system, app.UserInput{Email: "invited@blitar.test", Name: "Invited", Region: ownRegion,
		Roles: []kolaborasi.Role{kolaborasi.RoleViewer}, Status: kolaborasi.UserActive})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{"agreement": fmt.Sprint(draft.ID), "solution": fmt.Sprint(sols.Items[0].Solution.ID), "token": token}
	query := map[string]string{"/api/v1/log/consistency": "?from=1&to=2", "/api/v1/log/entries": "?start=0&end=1"}

	type answer struct {
		status int
		cache  string
	}
	ask := func(method, path, session string) answer {
		r, err := http.NewRequest(method, ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if session != "" {
			r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: session})
		}
		resp, err := noRedirectClient(ts).Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return answer{resp.StatusCode, resp.Header.Get("Cache-Control")}
	}

	checked := 0
	for _, rt := range web.Routes() {
		path := routePath(rt.Pattern, ids) + query[rt.Pattern]
		switch rt.Cache {
		case "private":
			// Whatever the status, signed in or not, nobody keeps it.
			for _, who := range []string{"", session} {
				if got := ask(rt.Method, path, who); got.cache != privateNoStore {
					t.Errorf("%s %s (signed in: %v): %d Cache-Control %q, want %q", rt.Method, path, who != "", got.status, got.cache, privateNoStore)
				}
			}
		case "public":
			anon, signed := ask(rt.Method, path, ""), ask(rt.Method, path, session)
			if anon.status != 200 || !strings.HasPrefix(anon.cache, "public") || anon != signed {
				t.Errorf("%s %s: anonymous %+v, signed in %+v; want 200 public for both", rt.Method, path, anon, signed)
			}
		case "per-answer":
			// /berkas: a public image is public and immutable; a draft's
			// attachment is private to its parties and hidden from others.
			for _, tc := range []struct {
				sha, who string
				want     answer
			}{
				{region.Profile.LogoSHA256, "", answer{200, "public, max-age=31536000, immutable"}},
				{region.Profile.LogoSHA256, session, answer{200, "public, max-age=31536000, immutable"}},
				{att.SHA256, session, answer{200, privateNoStore}},
				{att.SHA256, "", answer{404, privateNoStore}},
			} {
				p := routePath(rt.Pattern, map[string]string{"sha": tc.sha})
				if got := ask(rt.Method, p, tc.who); got != tc.want {
					t.Errorf("%s %s (signed in: %v): %+v, want %+v", rt.Method, p, tc.who != "", got, tc.want)
				}
			}
		default:
			t.Errorf("%s %s: unknown cache policy %q", rt.Method, rt.Pattern, rt.Cache)
		}
		checked++
	}
	// The answers that prompted this test, signed in, are real pages.
	for _, p := range []string{"/akun", "/api/v1/me", "/kelola/35.72/audit", "/kelola/35.72/audit.csv", "/kerjasama/" + ids["agreement"],
		"/api/v1/agreements/" + ids["agreement"]} {
		if got := ask("GET", p, session); got != (answer{200, privateNoStore}) {
			t.Errorf("GET %s signed in: %+v", p, got)
		}
	}
	t.Logf("checked %d routes", checked)
}

// Anonymous unsafe requests to every route that is not public answer 401
// before anything else: before the body is read or validated (an empty or
// broken body would otherwise answer 400 or 413).
func TestAnonymousWritesAnswer401First(t *testing.T) {
	ts := newTestServer(t)
	ids := map[string]string{"agreement": "1", "solution": "1", "token": "x", "sha": strings.Repeat("0", 64)}
	n := 0
	for _, rt := range web.Routes() {
		if rt.Method == "GET" || rt.Policy == "public" {
			continue
		}
		for _, body := range []string{"{}", "not json", ""} {
			r, _ := http.NewRequest(rt.Method, ts.URL+routePath(rt.Pattern, ids), strings.NewReader(body))
			if rt.API {
				r.Header.Set("Content-Type", "application/json")
			} else {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := ts.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			var p problem
			if rt.API {
				json.NewDecoder(resp.Body).Decode(&p)
			}
			resp.Body.Close()
			if resp.StatusCode != 401 || resp.Header.Get("Cache-Control") != privateNoStore || rt.API && p.Code != "unauthorized" {
				t.Errorf("anonymous %s %s with %q: %d %q (code %q), want 401", rt.Method, rt.Pattern, body, resp.StatusCode,
					resp.Header.Get("Cache-Control"), p.Code)
			}
		}
		n++
	}
	if n < 40 {
		t.Errorf("only %d unsafe routes checked", n)
	}
}
