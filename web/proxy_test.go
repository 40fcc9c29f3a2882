package web_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/document"
	"github.com/kolaborasi/kolaborasi/web"
)

// dialFrom returns an HTTP client whose connections come from the loopback
// address ip (127.0.0.0/8 is all loopback on Linux), so a test can play
// several clients; nil TLS config means plain HTTP.
func dialFrom(t *testing.T, ip string, tlsConfig *tls.Config) *http.Client {
	t.Helper()
	if ln, err := net.Listen("tcp", ip+":0"); err != nil {
		t.Skipf("this system has no loopback address %s: %v", ip, err)
	} else {
		ln.Close()
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{
		Transport:     &http.Transport{DialContext: d.DialContext, TLSClientConfig: tlsConfig},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// call sends a request with an optional session cookie and headers (name,
// value pairs; "Host" sets the Host header) and returns the answer and body.
func call(t *testing.T, c *http.Client, method, u, session string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			r.Host = header[i+1]
		} else {
			r.Header.Add(header[i], header[i+1])
		}
	}
	if session != "" {
		r.AddCookie(&http.Cookie{Name: "kolaborasi_session", Value: session})
	}
	return send(t, c, r)
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "kolaborasi_session" && c.Value != "" {
			return c
		}
	}
	return nil
}

// Behind a TLS-terminating reverse proxy (httputil.ReverseProxy in an
// httptest TLS server, passing the client's Host on like nginx's
// "proxy_set_header Host $host") in front of the plain app server: cookies
// are Secure and HSTS is sent because the base URL is https; every absolute
// link comes from the base URL whatever Host says; and the sign-in limits
// count the real client, not the proxy and not what the client claims in
// X-Forwarded-For.
func TestBehindTLSTerminatingProxy(t *testing.T) {
	proxy := httptest.NewUnstartedServer(nil)
	base := "https://" + proxy.Listener.Addr().String()
	var logs web.LogBuffer
	ts := newTestServerWith(t, demoSQLite(t), false, web.Config{BaseURL: base, Logger: logs.Logger(),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	target, _ := url.Parse(ts.URL)
	proxy.Config.Handler = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host
		r.SetXForwarded()
	}}
	proxy.StartTLS()
	defer proxy.Close()
	tlsConfig := proxy.Client().Transport.(*http.Transport).TLSClientConfig
	alice, bob := dialFrom(t, "127.0.0.2", tlsConfig), dialFrom(t, "127.0.0.3", tlsConfig)
	const evil = "evil.example"

	admin := makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)
	resp, _ := call(t, alice, "POST", proxy.URL+"/masuk", "", url.Values{"email": {admin.Email}, "password": {matrixPass}}, "Host", evil)
	session := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly {
		t.Fatalf("sign-in through the proxy: %d, cookie %+v", resp.StatusCode, session)
	}
	if resp, _ := call(t, alice, "GET", proxy.URL+"/", session.Value, nil); !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind the proxy: %v", resp.Header)
	}

	// Absolute links: the invitation link, the command lines shown on the
	// log page and the agreement's QR code come from the base URL only.
	resp, body := call(t, alice, "POST", proxy.URL+"/kelola/35.72/pengguna", session.Value, url.Values{"csrf": {csrfOf(t, ts, session.Value)},
		"email": {"kominfo@blitar.test"}, "name": {"Kominfo"}, "roles": {"viewer"}}, "Host", evil)
	if resp.StatusCode != 200 || !strings.Contains(body, base+"/tautan/") || strings.Contains(body, evil) {
		t.Errorf("invitation link through the proxy (status %d) is not under %s or names the Host", resp.StatusCode, base)
	}
	if _, body := call(t, alice, "GET", proxy.URL+"/log", "", nil, "Host", evil); !strings.Contains(body, "--url "+base) || strings.Contains(body, evil) {
		t.Error("the log page's command line does not use the base URL")
	}
	id := demoAgreementID(t, ts)
	resp, pdf := call(t, alice, "GET", proxy.URL+fmt.Sprintf("/api/v1/agreements/%d/documents/ksb", id), "", nil, "Host", evil)
	want, err := ts.app.AgreementDocument(context.Background(), id, 0, document.KindKSB, base)
	if err != nil {
		t.Fatal(err)
	}
	fromHost, err := ts.app.AgreementDocument(context.Background(), id, 0, document.KindKSB, "https://"+evil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !bytes.Equal([]byte(pdf), want) || bytes.Equal(want, fromHost) {
		t.Errorf("the KSB's QR code is not made from the base URL (status %d)", resp.StatusCode)
	}

	// Sign-in limits: Alice fails 20 times, claiming a new address in
	// X-Forwarded-For each time; the proxy appends her real one, which is
	// what counts. Her address is then locked; Bob's, behind the same proxy,
	// is not.
	for i := range 20 {
		call(t, alice, "POST", proxy.URL+"/masuk", "", url.Values{"email": {fmt.Sprintf("spray%d@blitar.test", i)}, "password": {"wrong password"}},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1), "X-Request-ID", fmt.Sprintf("spray-%d", i))
	}
	if resp, _ := call(t, alice, "POST", proxy.URL+"/masuk", "", url.Values{"email": {admin.Email}, "password": {matrixPass}},
		"X-Forwarded-For", "198.51.100.1"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("Alice's address after 20 failures: %d, want 429", resp.StatusCode)
	}
	if resp, _ := call(t, bob, "POST", proxy.URL+"/masuk", "", url.Values{"email": {admin.Email}, "password": {matrixPass}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("Bob, behind the same proxy, cannot sign in: %d", resp.StatusCode)
	}
	if n := len(logs.Lines("request_id=spray-", "remote=127.0.0.2")); n != 20 {
		t.Errorf("%d of 20 sign-ins logged with Alice's real address", n)
	}
	if spoofed := logs.Lines("remote=203.0.113."); len(spoofed) != 0 {
		t.Errorf("a claimed address was believed: %q", spoofed)
	}
}

// A peer that is not a trusted proxy cannot choose its address, its scheme
// or the site's links with X-Forwarded-For, X-Forwarded-Proto and Host.
// Through a chain of trusted proxies, the rightmost untrusted address of
// X-Forwarded-For is the client.
func TestForwardedHeadersFromUntrustedPeersAreIgnored(t *testing.T) {
	var logs web.LogBuffer
	ts := newTestServerWith(t, demoSQLite(t), false, web.Config{Logger: logs.Logger(),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}})
	direct := dialFrom(t, "127.0.0.2", nil) // not a trusted proxy
	u := ts.URL
	admin := makeUser(t, ts.app, "admin@blitar.test", ownRegion, kolaborasi.RoleRegionAdmin)

	spoof := []string{"X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https", "Host", "evil.example"}
	resp, _ := call(t, direct, "POST", u+"/masuk", "", url.Values{"email": {admin.Email}, "password": {matrixPass}}, spoof...)
	session := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || session == nil || session.Secure {
		t.Fatalf("sign-in with a spoofed X-Forwarded-Proto: %d, cookie %+v", resp.StatusCode, session)
	}
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent because an untrusted peer said https")
	}
	_, body := call(t, direct, "POST", u+"/kelola/35.72/pengguna", session.Value, url.Values{"csrf": {csrfOf(t, ts, session.Value)},
		"email": {"kominfo@blitar.test"}, "name": {"Kominfo"}, "roles": {"viewer"}}, spoof...)
	if !strings.Contains(body, ts.URL+"/tautan/") || strings.Contains(body, "evil.example") {
		t.Error("the invitation link follows the Host header")
	}

	// Rotating X-Forwarded-For does not escape the per-address limit.
	for i := range 20 {
		call(t, direct, "POST", u+"/masuk", "", url.Values{"email": {fmt.Sprintf("spray%d@blitar.test", i)}, "password": {"wrong password"}},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
	}
	if resp, _ := call(t, direct, "POST", u+"/masuk", "", url.Values{"email": {admin.Email}, "password": {matrixPass}},
		"X-Forwarded-For", "198.51.100.7"); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after 20 failures with rotating X-Forwarded-For: %d, want 429", resp.StatusCode)
	}

	// Which address is the client, as the access log shows it.
	trusted := dialFrom(t, "127.0.0.1", nil)
	for i, tc := range []struct {
		from string
		xff  []string
		want string
	}{
		{"127.0.0.2", []string{"203.0.113.9"}, "127.0.0.2"},
		{"127.0.0.1", nil, "127.0.0.1"},
		{"127.0.0.1", []string{"203.0.113.9"}, "203.0.113.9"},
		{"127.0.0.1", []string{"198.51.100.1, 203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"127.0.0.1", []string{"198.51.100.1, 203.0.113.9", "10.1.2.3"}, "203.0.113.9"},
		{"127.0.0.1", []string{"10.9.9.9, 10.1.2.3"}, "10.9.9.9"},
		{"127.0.0.1", []string{"not-an-address, 10.1.2.3"}, "10.1.2.3"},
		{"127.0.0.1", []string{"::ffff:203.0.113.10"}, "203.0.113.10"},
	} {
		id := fmt.Sprintf("hop-%d", i)
		header := []string{"X-Request-ID", id}
		for _, x := range tc.xff {
			header = append(header, "X-Forwarded-For", x)
		}
		c := direct
		if tc.from == "127.0.0.1" {
			c = trusted
		}
		call(t, c, "GET", u+"/healthz", "", nil, header...)
		if lines := logs.Lines("request_id="+id+" ", "remote="+tc.want+"\n"); len(lines) != 1 {
			t.Errorf("X-Forwarded-For %q from %s: the client is not %s: %q", tc.xff, tc.from, tc.want, logs.Lines("request_id="+id+" "))
		}
	}
}
