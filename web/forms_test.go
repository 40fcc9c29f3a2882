package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
)

// upload posts a multipart form with one file field and returns status
// and body.
func (ts *testServer) upload(t *testing.T, session, path string, fields map[string]string, fileField string, file []byte) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(fileField, "upload.bin")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	r, _ := http.NewRequest("POST", ts.URL+path, &b)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: session})
	resp, err := noRedirectClient(ts).Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// fieldError returns the message shown beside a field (the first
// field-error after the field's name), or "".
func fieldError(body, name string) string {
	i := strings.Index(body, `name="`+name+`"`)
	if i < 0 {
		return ""
	}
	m := regexp.MustCompile(`^[^<]*(?:<[^>]*>[^<]*){0,3}?<span class="field-error">([^<]*)</span>`).FindStringSubmatch(body[i:])
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// A description too long for the catalog comes back beside its field with
// the limit and the rest of the input; a post over the body limit is
// answered 413 with the form and a sentence naming the limit, never
// "the form has expired"; the form caps its long texts with maxlength.
func TestOversizedPosts(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@oversize.test", ownRegion, kolaborasi.RoleEditor)
	session := ts.loginAs(t, "editor@oversize.test")
	csrf := csrfOf(t, ts, session)
	_, page := ts.getAs(t, session, "/kelola/35.72/solusi/baru")
	if !strings.Contains(page, `name="long_id" rows="6" maxlength="20000"`) {
		t.Error("the long description has no maxlength")
	}
	form := url.Values{"csrf": {csrf}, "kind": {"programme"}, "name_id": {"Layanan Panjang"}, "short_id": {"Ringkas."},
		"dimensions": {"economy"}, "sectors": {"umkm"}, "maturity": {"pilot"}, "reuse": {"hibah"},
		"long_id": {strings.Repeat("a", 300<<10)}}
	resp, body := ts.post(t, session, "/kelola/35.72/solusi", form)
	if resp.StatusCode != 400 || !strings.Contains(body, `value="Layanan Panjang"`) {
		t.Fatalf("300 KiB description: %d", resp.StatusCode)
	}
	if got := fieldError(body, "long_id"); got != "paling panjang 20000 karakter" {
		t.Errorf("beside the description: %q", got)
	}

	form.Set("long_id", strings.Repeat("a", 5<<20))
	resp, body = ts.post(t, session, "/kelola/35.72/solusi", form)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("5 MiB description: %d", resp.StatusCode)
	}
	for _, want := range []string{"lebih besar dari 1 MiB yang diterima server", `name="name_id"`, `action="/kelola/35.72/solusi"`} {
		if !strings.Contains(body, want) {
			t.Errorf("5 MiB answer lacks %q", want)
		}
	}
	if strings.Contains(body, "kedaluwarsa") || strings.Contains(body, "expired") {
		t.Error("an oversized post is called an expired form")
	}
	// The API answers the same with a problem document.
	resp, body = apiDo(t, ts, tokenFor(t, ts, makeUser(t, ts.app, "api@oversize.test", ownRegion, kolaborasi.RoleEditor)), "POST",
		"/api/v1/solutions", "application/json", bytes.Repeat([]byte(" "), 2<<20))
	if resp.StatusCode != 413 || !strings.Contains(body, `"code":"too_large"`) {
		t.Errorf("oversized API post: %d %s", resp.StatusCode, body)
	}
}

// Refused uploads and imports return to their form with the reason beside
// the field.
func TestRefusedUploadsReturnToTheForm(t *testing.T) {
	ts := newTestServer(t)
	makeUser(t, ts.app, "editor@refused.test", ownRegion, kolaborasi.RoleEditor)
	makeUser(t, ts.app, "admin@refused.test", ownRegion, kolaborasi.RoleRegionAdmin)
	makeUser(t, ts.app, "coord@refused.test", ownRegion, kolaborasi.RoleCoordinator)
	editor := ts.loginAs(t, "editor@refused.test")
	sols, err := ts.app.SearchSolutions(context.Background(), app.SolutionQuery{Facets: map[string][]string{"region": {ownRegion}}})
	if err != nil || len(sols.Items) == 0 {
		t.Fatalf("no Blitar solution: %v", err)
	}
	sol := sols.Items[0].Solution
	path := "/solusi/" + strconv.FormatInt(sol.ID, 10)

	resp, body := ts.upload(t, editor, path+"/gambar", map[string]string{"csrf": csrfOf(t, ts, editor), "role": "screenshot"}, "image", []byte("not an image"))
	if resp.StatusCode != 400 || !strings.Contains(body, `name="name_id"`) || fieldError(body, "image") != "Berkas ini bukan gambar PNG atau JPEG." {
		t.Errorf("refused image: %d, beside the field %q", resp.StatusCode, fieldError(body, "image"))
	}
	resp, body = ts.upload(t, editor, path+"/gambar", map[string]string{"csrf": csrfOf(t, ts, editor), "role": "screenshot"}, "image", bytes.Repeat([]byte{0}, 2<<20))
	if resp.StatusCode != 413 || !strings.Contains(body, `name="name_id"`) || !strings.Contains(body, "576 KiB") {
		t.Errorf("oversized image: %d", resp.StatusCode)
	}

	admin := ts.loginAs(t, "admin@refused.test")
	resp, body = ts.upload(t, admin, "/kelola/35.72/logo", map[string]string{"csrf": csrfOf(t, ts, admin)}, "logo", []byte("GIF89a"))
	if resp.StatusCode != 400 || !strings.Contains(body, `action="/kelola/35.72/logo"`) || fieldError(body, "logo") != "Berkas ini bukan gambar PNG atau JPEG." {
		t.Errorf("refused logo: %d, beside the field %q", resp.StatusCode, fieldError(body, "logo"))
	}

	resp, body = ts.post(t, editor, "/kelola/35.72/impor", url.Values{"csrf": {csrfOf(t, ts, editor)}, "yaml": {"  "}})
	if resp.StatusCode != 400 || !strings.Contains(body, `action="/kelola/35.72/impor"`) || fieldError(body, "yaml") != "kosong" {
		t.Errorf("empty import: %d, beside the field %q", resp.StatusCode, fieldError(body, "yaml"))
	}

	coord := ts.loginAs(t, "coord@refused.test")
	resp, _ = ts.post(t, coord, "/kelola/35.72/kerjasama", withCSRF(t, ts, coord, draftForm("Lampiran ditolak")))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 {
		t.Fatalf("draft: %d", resp.StatusCode)
	}
	resp, body = ts.upload(t, coord, loc+"/lampiran", map[string]string{"csrf": csrfOf(t, ts, coord), "kind": "kak"}, "file", []byte("not a pdf"))
	if resp.StatusCode != 400 || !strings.Contains(body, "Lampiran ditolak") || fieldError(body, "file") == "" {
		t.Errorf("refused attachment: %d, beside the field %q", resp.StatusCode, fieldError(body, "file"))
	}
}

// The drafting form names regions and solutions by name: parties chosen
// by name (codes too), ambiguous or unknown names refused beside their
// field with the input kept, the parties listed by name in the exchange
// and financing rows after a refresh, and a row added without a script.
func TestDraftingByName(t *testing.T) {
	ts := newTestServer(t)
	coordUser := makeUser(t, ts.app, "coord@byname.test", ownRegion, kolaborasi.RoleCoordinator)
	coord := ts.loginAs(t, "coord@byname.test")
	bandung, err := ts.app.PartySolutions(context.Background(), []string{demo.Bandung})
	if err != nil || len(bandung) == 0 {
		t.Fatalf("no Bandung solution: %v", err)
	}
	sol := bandung[0]

	form := func() url.Values {
		f := draftForm("Adopsi dengan nama")
		f.Set("p0_region", "Kota Blitar")
		f.Set("p2_region", "kota bandung")
		f.Set("w0_region", "35.07")
		f.Set("x0_solution", sol.Name.ID)
		f.Set("x0_programme", "")
		return withCSRF(t, ts, coord, f)
	}

	// A refresh shows the parties by name in the selects, saves nothing.
	f := form()
	f.Set("refresh", "1")
	resp, body := ts.post(t, coord, "/kelola/35.72/kerjasama", f)
	if resp.StatusCode != 200 || !strings.Contains(body, `<option value="1" selected>Kota Bandung</option>`) ||
		!strings.Contains(body, `<option value="0">Kota Blitar</option>`) || !strings.Contains(body, `name="x0_receivers" value="0" checked> Kota Blitar`) {
		t.Errorf("refresh: %d", resp.StatusCode)
	}
	if strings.Contains(body, "<option value=\"\">–</option><option value=\"0\">1</option>") {
		t.Error("the selects still offer party numbers")
	}
	// Adding an exchange row without a script: one filled, two blank.
	f = form()
	f.Set("add", "exchanges")
	_, body = ts.post(t, coord, "/kelola/35.72/kerjasama", f)
	if !strings.Contains(body, `name="x2_giver"`) || strings.Contains(body, `name="x3_giver"`) {
		t.Error("adding an exchange row does not give exactly one more blank row")
	}

	// Ambiguous and unknown names are refused beside their field.
	f = form()
	f.Set("p2_region", "Blitar")
	f.Set("w0_region", "Atlantis")
	resp, body = ts.post(t, coord, "/kelola/35.72/kerjasama", f)
	if resp.StatusCode != 400 || !strings.Contains(body, `name="p1_region" value="Blitar"`) || !strings.Contains(body, `value="Adopsi dengan nama"`) {
		t.Fatalf("ambiguous name: %d", resp.StatusCode)
	}
	if got := fieldError(body, "p1_number"); !strings.Contains(got, "cocok dengan lebih dari satu wilayah") || !strings.Contains(got, "Kabupaten Blitar (35.05)") {
		t.Errorf("beside the ambiguous party: %q", got)
	}
	if got := fieldError(body, "w0_office"); !strings.Contains(got, `Tidak ada wilayah bernama "Atlantis"`) {
		t.Errorf("beside the unknown witness: %q", got)
	}

	// Names resolve to codes and the solution to its number.
	resp, _ = ts.post(t, coord, "/kelola/35.72/kerjasama", form())
	m := agreementPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != 303 || m == nil {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	ag, err := ts.app.Agreement(as(coordUser), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := ag.Content
	if len(c.Parties) != 2 || c.Parties[0].Region != demo.Blitar || c.Parties[1].Region != demo.Bandung || c.Witnesses[0].Region != "35.07" ||
		len(c.Exchanges) != 1 || c.Exchanges[0].SolutionID != sol.ID || c.Exchanges[0].Giver != 1 {
		t.Errorf("saved content: %+v", c)
	}
	// The edit form shows the names again.
	_, body = ts.getAs(t, coord, fmt.Sprintf("/kerjasama/%d/ubah", id))
	for _, want := range []string{`name="p1_region" value="Kota Bandung"`, `name="x0_solution" value="` + html.EscapeString(sol.Name.ID) + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	// A refresh keeps the version the form was opened on: a change made
	// meanwhile still stops the save.
	opened := regexp.MustCompile(`name="etag" value="([^"]+)"`).FindStringSubmatch(body)
	if opened == nil {
		t.Fatal("the edit form has no etag")
	}
	changed := c
	changed.Title = "Diubah orang lain"
	if err := ts.app.UpdateAgreement(as(coordUser), id, ag.Version, ag.UpdatedAt, changed); err != nil {
		t.Fatal(err)
	}
	f = form()
	f.Set("etag", html.UnescapeString(opened[1]))
	f.Set("refresh", "1")
	path := fmt.Sprintf("/kerjasama/%d", id)
	if _, body := ts.post(t, coord, path, f); !strings.Contains(body, `name="etag" value="`+opened[1]+`"`) {
		t.Error("a refresh moved the form to the current version")
	}
	f.Del("refresh")
	if resp, body := ts.post(t, coord, path, f); resp.StatusCode != 409 || strings.Contains(body, `name="etag" value="`+opened[1]+`"`) {
		t.Errorf("save after a change made meanwhile: %d", resp.StatusCode)
	}
}
