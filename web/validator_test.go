package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestPublicCodeValidatorPage(t *testing.T) {
	ts := newTestServer(t)
	resp, body := ts.post(t, "", "/publiccode", url.Values{"yaml": {string(validPublicCode(t))}})
	if resp.StatusCode != 200 || !strings.Contains(body, "Berkas valid") {
		t.Errorf("valid file: %d", resp.StatusCode)
	}
	invalid, err := os.ReadFile("../publiccode/testdata/cli/invalid.yml")
	if err != nil {
		t.Fatal(err)
	}
	resp, body = ts.post(t, "", "/publiccode", url.Values{"yaml": {string(invalid)}})
	if resp.StatusCode != 422 || !strings.Contains(body, "Berkas tidak valid") || !strings.Contains(body, `id="L17" class="flagged"`) ||
		!strings.Contains(body, "legal.license") {
		t.Errorf("invalid file: %d, the licence message is not at line 17", resp.StatusCode)
	}
	// Binary data is reported, not echoed.
	resp, body = ts.post(t, "", "/publiccode", url.Values{"yaml": {"\x00\x01\x02binary"}})
	if resp.StatusCode != 422 || strings.Contains(body, "binary</code>") {
		t.Errorf("binary: %d", resp.StatusCode)
	}
	// More than the body limit is refused with the form and the limit.
	resp, body = ts.post(t, "", "/publiccode", url.Values{"yaml": {strings.Repeat("a: b\n", 400_000)}})
	if resp.StatusCode != 413 || !strings.Contains(body, "KiB yang diterima server") || !strings.Contains(body, `name="yaml"`) {
		t.Errorf("2 MB: %d", resp.StatusCode)
	}
	resp, _ = ts.post(t, "", "/publiccode", url.Values{"yaml": {"  "}})
	if resp.StatusCode != 400 {
		t.Errorf("empty: %d", resp.StatusCode)
	}
}

func TestPublicCodeValidatorAPI(t *testing.T) {
	ts := newTestServer(t)
	post := func(ct string, body []byte) (*http.Response, string) {
		resp, err := http.Post(ts.URL+"/api/v1/publiccode/validate", ct, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp, b.String()
	}
	resp, body := post("application/yaml", validPublicCode(t))
	report := decode[struct {
		Data struct {
			Valid    bool
			Messages []struct{ Line int }
		}
	}](t, body)
	if resp.StatusCode != 200 || !report.Data.Valid {
		t.Errorf("valid: %d %s", resp.StatusCode, body)
	}
	invalid, _ := os.ReadFile("../publiccode/testdata/cli/invalid.yml")
	_, body = post("application/yaml", invalid)
	report = decode[struct {
		Data struct {
			Valid    bool
			Messages []struct{ Line int }
		}
	}](t, body)
	if report.Data.Valid || len(report.Data.Messages) == 0 || report.Data.Messages[0].Line == 0 {
		t.Errorf("invalid: %s", body)
	}
	// A file over the size limit is refused with its real size, although the server reads only part of it.
	resp, body = post("application/yaml", bytes.Repeat([]byte("# padding\n"), 300_000))
	if resp.StatusCode != 200 || !strings.Contains(body, "the file is 3000000 bytes") {
		t.Errorf("3 MB: %d %s", resp.StatusCode, body)
	}
	if resp, _ := post("application/json", invalid); resp.StatusCode != 400 {
		t.Errorf("wrong content type: %d", resp.StatusCode)
	}
}
