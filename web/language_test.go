package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/demo"
)

// Function words that mark a sentence as English or as Indonesian. Content
// words are useless here (both languages borrow them: "smart city", "data",
// "e-government"); function words are not borrowed.
var (
	englishWords = wordSet("the is are was were be been must should not this that these with from your you has have does " +
		"cannot can't doesn't isn't which what when where there their it its of to for and or by an at least choose " +
		"already invalid missing required please sign signed try again only may exist exists than")
	indonesianWords = wordSet("yang dan di ke dari untuk dengan tidak ini itu adalah atau pada oleh dalam akan sudah belum " +
		"harus dapat bisa ada tanpa kami anda sebagai juga para serta agar bagi sebuah satu")
	wordRE      = regexp.MustCompile(`[\p{L}']+`)
	skipBlockRE = regexp.MustCompile(`(?is)<(script|style|svg|pre|code|textarea)\b.*?</(script|style|svg|pre|code|textarea)>`)
	tagRE       = regexp.MustCompile(`(?s)<[^>]*>`)
	sentenceRE  = regexp.MustCompile(`[^.!?:;\n]+`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// langOpenRE finds the opening tags of elements that declare their own
// language (data entered in another language, such as an imported English
// description), so that their text is not counted against the page.
var langOpenRE = regexp.MustCompile(`(?is)<([a-z][a-z0-9]*)\b[^>]*\slang="([a-z-]+)"[^>]*>`)

// dropOtherLanguage removes the elements whose lang differs from lang, up to
// their matching closing tag.
func dropOtherLanguage(body, lang string) string {
	for {
		var cut []int
		for _, m := range langOpenRE.FindAllStringSubmatchIndex(body, -1) {
			if body[m[4]:m[5]] != lang && m[0] > 0 && !strings.HasPrefix(body[m[0]:], "<html") {
				cut = m
				break
			}
		}
		if cut == nil {
			return body
		}
		tag := strings.ToLower(body[cut[2]:cut[3]])
		openRE := regexp.MustCompile(`(?i)<` + tag + `\b|</` + tag + `\s*>`)
		depth, end := 0, len(body)
		for _, m := range openRE.FindAllStringIndex(body[cut[0]:], -1) {
			if strings.HasPrefix(body[cut[0]+m[0]:], "</") {
				depth--
			} else {
				depth++
			}
			if depth == 0 {
				end = cut[0] + m[1]
				break
			}
		}
		body = body[:cut[0]] + " " + body[end:]
	}
}

// foreignSentences returns the sentences of an HTML page's visible text that
// read as the language other than lang ("id" or "en"): at least two function
// words of the other language and none of lang's own.
func foreignSentences(page, lang string) []string {
	body := page
	if i := strings.Index(body, "<body"); i >= 0 {
		body = body[i:]
	}
	body = skipBlockRE.ReplaceAllString(body, " ")
	body = dropOtherLanguage(body, lang)
	// Text in attributes users read (placeholders, titles, alt, aria-label).
	var texts []string
	for _, m := range regexp.MustCompile(`\s(?:placeholder|title|alt|aria-label)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		texts = append(texts, m[1])
	}
	texts = append(texts, tagRE.ReplaceAllString(body, "\n"))
	own, other := indonesianWords, englishWords
	if lang == "en" {
		own, other = englishWords, indonesianWords
	}
	var found []string
	for _, text := range texts {
		for _, s := range sentenceRE.FindAllString(html.UnescapeString(text), -1) {
			words := wordRE.FindAllString(strings.ToLower(s), -1)
			nOwn, nOther := 0, 0
			for _, w := range words {
				if own[w] {
					nOwn++
				}
				if other[w] {
					nOther++
				}
			}
			if nOther >= 2 && nOwn == 0 {
				found = append(found, strings.TrimSpace(s))
			}
		}
	}
	return found
}

func TestForeignSentenceDetector(t *testing.T) {
	for _, tc := range []struct {
		page, lang string
		want       int
	}{
		{`<body><p>Pilih paling sedikit satu dimensi kota cerdas.</p></body>`, "id", 0},
		{`<body><p>dimensions: choose at least one smart-city dimension</p></body>`, "id", 1},
		{`<body><p>Solution 9999 does not exist.</p></body>`, "id", 1},
		{`<body><p lang="en">This description is in English and that is fine.</p></body>`, "id", 0},
		{`<body><dd lang="id"><p>Ini adalah tujuan.</p><p>Ini juga untuk kota.</p></dd><p>This is the page and it is English.</p></body>`, "en", 0},
		{`<body><div lang="en"><div>This is nested in the English part.</div></div><p>This is not fine for the page.</p></body>`, "id", 1},
		{`<body><input placeholder="Search for the solution"></body>`, "id", 1},
		{`<body><p>Solusi ini tidak ada.</p></body>`, "en", 1},
		{`<body><p>Choose at least one smart-city dimension.</p></body>`, "en", 0},
		{`<body><script>var the = "is not";</script><p>Beranda</p></body>`, "id", 0},
	} {
		if got := foreignSentences(tc.page, tc.lang); len(got) != tc.want {
			t.Errorf("%q in %s: found %q, want %d sentences", tc.page, tc.lang, got, tc.want)
		}
	}
}

// TestOneLanguagePerPage reads the main pages and their error states in each
// language, anonymous and signed in, and fails on any sentence in the other
// language.
func TestOneLanguagePerPage(t *testing.T) {
	ts := newTestServer(t)
	type visit struct {
		method, path string
		form         url.Values
	}
	public := []visit{
		{"GET", "/", nil}, {"GET", "/wilayah", nil}, {"GET", "/wilayah/35.72", nil}, {"GET", "/wilayah/32.73", nil},
		{"GET", "/wilayah/99.99", nil}, {"GET", "/wilayah/35-72", nil}, {"GET", "/katalog", nil},
		{"GET", "/katalog?q=pengaduan", nil}, {"GET", "/katalog?q=%22", nil}, {"GET", "/katalog?q=yang+dan", nil}, {"GET", "/solusi/1", nil},
		{"GET", "/solusi/9999", nil}, {"GET", "/solusi/abc", nil}, {"GET", "/kerjasama", nil},
		{"GET", "/kerjasama/1", nil}, {"GET", "/kerjasama/9999", nil}, {"GET", "/jaringan", nil}, {"GET", "/log", nil},
		{"GET", "/publiccode", nil}, {"GET", "/masuk", nil}, {"GET", "/tidak-ada", nil},
		{"POST", "/masuk", url.Values{"email": {"nobody@example.test"}, "password": {"wrong"}}},
		{"POST", "/publiccode", url.Values{"yaml": {"publiccodeYmlVersion: \"0.4\"\nname: x\n"}}},
		{"GET", "/kelola/35.72", nil},
		{"GET", "/indikator", nil}, {"GET", "/indikator/bps.pertumbuhan-ekonomi", nil}, {"GET", "/indikator/aduan.waktu-penyelesaian", nil},
		{"GET", "/indikator/tidak-ada", nil},

		{"GET", "/adopsi/1", nil}, {"GET", "/adopsi/5", nil}, {"GET", "/adopsi/9999", nil}, {"GET", "/penghematan", nil},
		{"GET", "/penghematan?provinsi=35", nil}, {"GET", "/solusi/3", nil},

		{"GET", "/wilayah/35.72/kebutuhan", nil}, {"GET", "/kebutuhan/1", nil}, {"GET", "/kebutuhan/6", nil}, {"GET", "/kebutuhan/9999", nil},
		{"GET", "/wilayah/35.72/mitra", nil}, {"GET", "/wilayah/51.71/mitra", nil}, {"GET", "/wilayah/11.01/mitra", nil},
		{"GET", "/mitra", nil},
	}
	editor := []visit{
		{"GET", "/akun", nil}, {"GET", "/ruang-kerja", nil}, {"GET", "/kelola/35.72/solusi/baru", nil}, {"GET", "/kelola/32.73/solusi/baru", nil},
		{"POST", "/kelola/35.72/solusi", url.Values{"kind": {"software"}}},
		{"GET", "/kelola/35.72/kerjasama/baru", nil},
		{"POST", "/kelola/35.72/kerjasama", url.Values{"title": {"x"}}},
		{"POST", "/kelola/35.72/kerjasama", url.Values{"title": {"x"}, "p0_region": {"Kota Blitar"}, "p1_region": {"Blitar"},
			"p2_region": {"Atlantis"}, "x0_giver": {"0"}, "x0_solution": {"Tidak Ada"}}},
		{"POST", "/kelola/35.72/kerjasama", url.Values{"refresh": {"1"}, "p0_region": {"Kota Blitar"}, "p1_region": {"Kota Bandung"}}},
		{"POST", "/kelola/35.72/solusi", url.Values{"long_id": {strings.Repeat("a", 2<<20)}}},
		{"POST", "/kelola/35.72/impor", url.Values{"yaml": {" "}}},
		{"GET", "/kelola/35.72/indikator/impor", nil}, {"POST", "/kelola/35.72/indikator/impor", url.Values{"file": {"x"}}},

		{"GET", "/adopsi/baru?solusi=2", nil}, {"POST", "/adopsi?solusi=2", url.Values{"budget_planned": {"12x"}}},
		{"POST", "/adopsi/1/tahap", url.Values{"to": {"interest"}}},

		{"POST", "/wilayah/35.72/kebutuhan", url.Values{"title": {"Aplikasi"}, "text": {" "}, "budget_min": {"9"}, "budget_max": {"1"}}},
		{"GET", "/kebutuhan/1/ubah", nil},
	}
	for _, lang := range []string{"id", "en"} {
		for _, who := range []string{"", "kerjasama@blitarkota.test", "umkm@blitarkota.test", "admin@blitarkota.test"} {
			c := ts.client(t)
			c.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: "lang", Value: lang}})
			visits := public
			csrf := ""
			if who != "" {
				csrf = signInAs(t, ts, c, who)
				visits = append(append([]visit{}, public...), editor...)
			}
			for _, v := range visits {
				name := fmt.Sprintf("%s/%s/%s %s", lang, who, v.method, v.path)
				var resp *http.Response
				var body string
				if v.method == "GET" {
					resp, body = get(t, c, ts.URL+v.path)
				} else {
					form := url.Values{}
					for k, vs := range v.form {
						form[k] = vs
					}
					form.Set("csrf", csrf)
					resp, body = postForm(t, c, ts.URL+v.path, form)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					continue
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s: page is not marked lang=%s", name, lang)
				}
				for _, s := range foreignSentences(body, lang) {
					t.Errorf("%s (status %d): sentence in the other language: %q", name, resp.StatusCode, s)
				}
			}
		}
	}
	_ = demo.Password
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// signInAs signs c in as a demo account and returns the session's CSRF token.
func signInAs(t *testing.T, ts *testServer, c *http.Client, email string) string {
	t.Helper()
	resp, _ := postForm(t, c, ts.URL+"/masuk", url.Values{"email": {email}, "password": {demo.Password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d", email, resp.StatusCode)
	}
	for _, ck := range c.Jar.Cookies(mustURL(t, ts.URL)) {
		if ck.Name == "kolaborasi_session" {
			return csrfOf(t, ts, ck.Value)
		}
	}
	t.Fatalf("sign in %s: no session cookie", email)
	return ""
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	r, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, c, r)
}
