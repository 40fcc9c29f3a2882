package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

// englishClient is a visitor who chose English.
func englishClient(t *testing.T, ts *testServer) *http.Client {
	t.Helper()
	c := ts.client(t)
	c.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lang", Value: "en"}})
	return c
}

// A solution page links its publiccode.yml only when the export succeeds,
// and a refused export names the field by its label.
func TestPublicCodeLinkOnlyWhenExportable(t *testing.T) {
	ts := newTestServer(t)
	anon := ts.client(t)
	hayu := demoSolution(t, ts, "Hayu") // software without a code repository
	_, page := get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	link := fmt.Sprintf("/solusi/%d/publiccode.yml", hayu.ID)
	if strings.Contains(page, link) {
		t.Error("the solution page links a publiccode.yml that cannot be exported")
	}
	resp, body := get(t, anon, ts.URL+link)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("export of a solution without code repository: %d", resp.StatusCode)
	}
	wantIn(t, "the refused export", body, "<strong>Repositori kode</strong>: publiccode.yml memerlukan alamat repositori kode.")
	// Once the code repository is known the link appears and the file downloads.
	hayu.Links.Code = "https://github.com/kolaborasi/hayu"
	if err := ts.app.UpdateSolution(kolaborasi.WithUser(context.Background(), kolaborasi.System), hayu); err != nil {
		t.Fatal(err)
	}
	_, page = get(t, anon, fmt.Sprintf("%s/solusi/%d", ts.URL, hayu.ID))
	wantIn(t, "the exportable solution's page", page, link)
	resp, body = get(t, anon, ts.URL+link)
	if resp.StatusCode != 200 || !strings.Contains(body, `url: "https://github.com/kolaborasi/hayu"`) {
		t.Fatalf("export: %d\n%s", resp.StatusCode, body)
	}
}
