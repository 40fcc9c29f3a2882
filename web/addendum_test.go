package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/demo"
)

// TestDraftAddendumKeepsAgreementPublic: after POST /addenda, anonymous
// readers keep the signed version on the page, the API, its events and
// bundle, the list and the network map; ?versi=N / ?version=N reach each
// signed version; the draft stays with the parties until it is announced
// (a note) or offered.
func TestDraftAddendumKeepsAgreementPublic(t *testing.T) {
	ts := newTestServer(t)
	id := demoAgreementID(t, ts)
	sys := kolaborasi.WithUser(context.Background(), kolaborasi.System)
	us, err := ts.app.Users(sys, demo.Blitar)
	if err != nil {
		t.Fatal(err)
	}
	var coord *kolaborasi.User
	for _, u := range us {
		if u.Email == "kerjasama@blitarkota.test" {
			coord = u
		}
	}
	if coord == nil {
		t.Fatal("no Blitar coordinator in the demo")
	}
	token := tokenFor(t, ts, coord)
	content, err := json.Marshal(demo.KSB)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(content), demo.KSB.Title, "Adendum Smart City", 1)
	resp, out := ts.api(t, token, "POST", fmt.Sprintf("/api/v1/agreements/%d/addenda", id), body)
	if resp.StatusCode != 201 {
		t.Fatalf("addendum: %d %s", resp.StatusCode, out)
	}

	base := fmt.Sprintf("/api/v1/agreements/%d", id)
	page := fmt.Sprintf("/kerjasama/%d", id)
	check := func(note bool) {
		t.Helper()
		for _, tc := range []struct {
			path string
			want []string
		}{
			{page, []string{demo.KSB.Title, "semua tanda tangan sah"}},
			{page + "?versi=1", []string{demo.KSB.Title, "semua tanda tangan sah"}},
			{base, []string{`"version":1`, `"status":"ksb_signed"`}},
			{base + "?version=1", []string{`"version":1`}},
			{base + "/events", []string{`"to":"ksb_signed"`}},
			{base + "/bundle", []string{`"checkpoint"`, `"type":"signature"`}},
			{"/kerjasama", []string{demo.KSB.Title}},
			{"/api/v1/agreements", []string{demo.KSB.Title}},
			{"/api/v1/agreements/network", []string{fmt.Sprintf(`"agreement_id":%d`, id)}},
			{"/jaringan", []string{page}},
		} {
			resp, b := get(t, nil, ts.URL+tc.path)
			if resp.StatusCode != 200 {
				t.Errorf("anonymous %s: %d", tc.path, resp.StatusCode)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(b, w) {
					t.Errorf("anonymous %s lacks %q", tc.path, w)
				}
			}
			if strings.Contains(b, "Adendum Smart City") {
				t.Errorf("anonymous %s shows the draft", tc.path)
			}
			if tc.path == page && strings.Contains(b, "sedang menyiapkan adendum (versi 2)") != note {
				t.Errorf("%s: addendum note shown = %v, want %v", tc.path, !note, note)
			}
		}
		for _, p := range []string{page + "?versi=2", base + "?version=2"} {
			if resp, _ := get(t, nil, ts.URL+p); resp.StatusCode != 404 {
				t.Errorf("anonymous %s: %d, want 404", p, resp.StatusCode)
			}
		}
	}
	check(false)
	// The parties see the draft.
	resp, out = ts.api(t, token, "GET", base, "")
	if resp.StatusCode != 200 || !strings.Contains(out, `"version":2`) || !strings.Contains(out, "Adendum Smart City") {
		t.Errorf("a party's view: %d %s", resp.StatusCode, out)
	}
	// Announcing it with the next save shows the note, not the draft.
	etag := resp.Header.Get("ETag")
	r, out := apiDo(t, ts, token, "PUT", base+"?announce=true", "application/json", []byte(body), "If-Match", etag)
	if r.StatusCode != 200 || !strings.Contains(out, `"announced":true`) {
		t.Fatalf("announce: %d %s", r.StatusCode, out)
	}
	check(true)
	if _, b := get(t, nil, ts.URL+base); !strings.Contains(b, `"addendum_in_preparation":2`) {
		t.Errorf("the API does not say an addendum is in preparation: %s", b)
	}
	if r, _ := apiDo(t, ts, token, "PUT", base+"?announce=maybe", "application/json", []byte(body), "If-Match", r.Header.Get("ETag")); r.StatusCode != 400 {
		t.Errorf("announce=maybe: %d", r.StatusCode)
	}
}
