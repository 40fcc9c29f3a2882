package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestHTTPChecker(t *testing.T) {
	var pngBytes bytes.Buffer
	png.Encode(&pngBytes, image.NewGray(image.Rect(0, 0, 2, 2)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			http.NotFound(w, r)
		case "/logo.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngBytes.Bytes())
		case "/logo.svg":
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Write([]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"))
		default:
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<p>ok</p>"))
		}
	}))
	defer srv.Close()
	c := newHTTPChecker()
	ctx := context.Background()
	for _, tc := range []struct {
		path  string
		image bool
		ok    bool
	}{
		{"/", false, true}, {"/gone", false, false}, {"/logo.png", true, true}, {"/logo.svg", true, true}, {"/page", true, false},
	} {
		err := c.CheckURL(ctx, srv.URL+tc.path, tc.image)
		if (err == nil) != tc.ok {
			t.Errorf("%s (image %v): %v", tc.path, tc.image, err)
		}
	}

	// Through the command: a file whose addresses answer stays quiet, one
	// whose addresses are gone gets warnings but stays valid.
	valid, err := os.ReadFile("../../publiccode/testdata/cli/valid.yml")
	if err != nil {
		t.Fatal(err)
	}
	hosts := regexp.MustCompile(`https://[a-z.-]+`)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yml")
	os.WriteFile(good, hosts.ReplaceAll(valid, []byte(srv.URL)), 0o644)
	bad := filepath.Join(dir, "bad.yml")
	os.WriteFile(bad, hosts.ReplaceAll(valid, []byte(srv.URL+"/gone")), 0o644)
	var out, errb bytes.Buffer
	if code := runPublicCode([]string{"validate", "--check-urls", "--lang", "en", good}, &out, &errb); code != 0 || strings.Contains(out.String(), ": warning:") {
		t.Errorf("reachable file: exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := runPublicCode([]string{"validate", "--check-urls", "--lang", "en", bad}, &out, &errb); code != 0 || !strings.Contains(out.String(), ": warning:") {
		t.Errorf("unreachable file: exit %d, want 0 with warnings\n%s", code, out.String())
	}
	out.Reset()
	// Without the flag, nothing is fetched.
	if code := runPublicCode([]string{"validate", "--lang", "en", bad}, &out, &errb); code != 0 || strings.Contains(out.String(), ": warning:") {
		t.Errorf("offline: exit %d\n%s", code, out.String())
	}
}
