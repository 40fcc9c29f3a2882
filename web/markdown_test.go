package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

// An imported publiccode.yml description is shown as Markdown: emphasis,
// lists and links render, and raw HTML, script, javascript: links, event
// handlers and outside images are neutralised.
func TestImportedDescriptionRendersSafeMarkdown(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@bandung.test2", otherRegion, kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@bandung.test2")
	csrf := csrfOf(t, ts, session)
	md := "      Lapor Blitar **menerima pengaduan** warga dan *meneruskannya* ke dinas.\n\n" +
		"      - jalan rusak\n      - sampah\n\n" +
		"      Lihat [panduan](https://lapor.example.go.id/panduan) dan [klik](javascript:alert(1)).\n\n" +
		"      <script>alert('xss')</script>\n\n" +
		"      <a href=\"https://evil.example\" onclick=\"alert(2)\">html</a> <img src=\"https://evil.example/x.png\" onerror=\"alert(3)\">\n\n" +
		"      ![pelacak](https://tracker.example/pixel.png)\n"
	yml := strings.Replace(string(validPublicCode(t)), "    longDescription: |\n", "    longDescription: |\n"+md+"\n", 1)
	resp, body := ts.post(t, session, "/kelola/32.73/impor", url.Values{"csrf": {csrf}, "yaml": {yml}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Berkas diimpor") {
		t.Fatalf("import: %d %.400s", resp.StatusCode, body)
	}
	res, err := ts.app.SearchSolutions(t.Context(), searchAll())
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, it := range res.Items {
		if it.Solution.Name.Get("id") == "Lapor Blitar" {
			id = it.Solution.ID
		}
	}
	if id == 0 {
		t.Fatal("the imported solution is not in the catalogue")
	}
	_, page := get(t, nil, fmt.Sprintf("%s/solusi/%d", ts.URL, id))
	start := strings.Index(page, `<div class="prose"`)
	if start < 0 {
		t.Fatal("no description on the solution page")
	}
	prose := page[start : start+strings.Index(page[start:], "</div>")]
	for _, want := range []string{"<strong>menerima pengaduan</strong>", "<em>meneruskannya</em>", "<li>jalan rusak</li>",
		`<a href="https://lapor.example.go.id/panduan" rel="nofollow noreferrer">panduan</a>`} {
		if !strings.Contains(prose, want) {
			t.Errorf("description lacks %s:\n%s", want, prose)
		}
	}
	for _, bad := range []string{"**", "<script", "javascript:", "onclick", "onerror", "<img", "evil.example", "tracker.example"} {
		if strings.Contains(prose, bad) {
			t.Errorf("description keeps %q:\n%s", bad, prose)
		}
	}
}
