package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/obsfile"
)

// FuzzUploadedFile sends any content type and body to the observation
// import's reading of an upload (a multipart form's "file" part, or the
// body itself): it gives a CSV or XLSX reader or an invalid-request or
// too-large error, never a panic, and its temporary files are removed.
func FuzzUploadedFile(f *testing.F) {
	f.Add("multipart/form-data; boundary=X", []byte("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"+
		"Content-Type: text/csv\r\n\r\nregion_code,indicator_code,period,value\r\n--X--\r\n"))
	f.Add("multipart/form-data; boundary=X", []byte("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nPK\x03\x04\r\n--X--\r\n"))
	f.Add("text/csv; charset=utf-8", []byte("region_code;value\n"))
	f.Add("multipart/form-data", []byte("--\r\n"))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/api/v1/observations/import", nil)
		r.Header.Set("Content-Type", contentType)
		r.Body = http.MaxBytesReader(w, io.NopCloser(bytes.NewReader(body)), 64<<10)
		rd, format, done, err := uploadedFile(w, r)
		defer done()
		if err != nil {
			if code := kolaborasi.ErrorCode(err); code != kolaborasi.EINVALID && code != kolaborasi.ETOOLARGE {
				t.Fatalf("%q %q gives %s: %v", contentType, body, code, err)
			}
			return
		}
		if format != obsfile.CSV && format != obsfile.XLSX {
			t.Fatalf("%q %q gives format %q", contentType, body, format)
		}
		io.Copy(io.Discard, rd)
	})
}

// FuzzMarkdown renders any Markdown description: the HTML holds only the
// elements and attributes the policy allows, and links only to http, https,
// mailto or relative addresses.
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{"# Judul\n\n*miring* **tebal** ~~coret~~ `kode`", "[x](javascript:alert(1))", "<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>", "[a](https://example.org \"t\")", "1. satu\n2. dua", "> kutipan\n\n---", "www.example.org"} {
		f.Add(s)
	}
	allowed := map[string]bool{"p": true, "br": true, "hr": true, "em": true, "strong": true, "del": true, "code": true, "pre": true,
		"blockquote": true, "ul": true, "ol": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "a": true}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(markdownHTML(src))
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if !allowed[tok.Data] {
				t.Fatalf("%q renders element <%s>: %s", src, tok.Data, out)
			}
			for _, a := range tok.Attr {
				switch {
				case tok.Data == "ol" && a.Key == "start", tok.Data == "a" && a.Key == "rel":
				case tok.Data == "a" && a.Key == "href":
					u, err := url.Parse(a.Val)
					if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
						t.Fatalf("%q renders a link to %q: %s", src, a.Val, out)
					}
				default:
					t.Fatalf("%q renders attribute %s on <%s>: %s", src, a.Key, tok.Data, out)
				}
			}
		}
	})
}
