package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/web"
)

// A server without the log's key file renders every page and serves the
// log, and answers a use case that would append to the log with a
// conflict saying why.
func TestServerWithoutLogKeyServesReadsAndRefusesAppends(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	us, err := ts.app.Users(kolaborasi.WithUser(ctx, kolaborasi.System), demo.Blitar)
	if err != nil {
		t.Fatal(err)
	}
	var coord *kolaborasi.User
	for _, u := range us {
		if u.Email == "kerjasama@blitarkota.test" {
			coord = u
		}
	}
	draft, err := ts.app.CreateAgreement(kolaborasi.WithUser(ctx, coord), demo.KSB)
	if err != nil {
		t.Fatal(err)
	}
	token := tokenFor(t, ts, coord)

	h, err := web.New(app.New(ts.db.Store()), web.Config{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(validatingAPI(t, h))
	defer srv.Close()
	for _, path := range []string{"/kerjasama/" + strconv.FormatInt(demoAgreementID(t, ts), 10), "/api/v1/log/checkpoint", "/api/v1/log/key", "/jaringan"} {
		if resp, _ := get(t, nil, srv.URL+path); resp.StatusCode != 200 {
			t.Errorf("GET %s = %d without the log key", path, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/agreements/"+strconv.FormatInt(draft.ID, 10)+"/status", strings.NewReader(`{"to":"offered"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var p problem
	json.Unmarshal(body, &p)
	if resp.StatusCode != http.StatusConflict || p.Code != kolaborasi.ECONFLICT || !strings.Contains(p.Detail, "signing key") {
		t.Errorf("status move without the log key: %d %s", resp.StatusCode, body)
	}
	if ag, err := ts.app.Agreement(kolaborasi.WithUser(ctx, coord), draft.ID, 0); err != nil || ag.Status != kolaborasi.StatusDraft {
		t.Errorf("after the refused move: %+v, %v", ag, err)
	}
}
