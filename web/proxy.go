package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// DefaultBaseURL is the public address assumed when none is configured.
const DefaultBaseURL = "http://localhost:8080"

// ParseBaseURL checks a public base URL (http or https, a host, no path
// beyond "/", no query) and returns it without a trailing slash.
func ParseBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q is not an http(s) address like https://kolaborasi.example (no path, no query)", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// ParseTrustedProxies reads a comma-separated list of CIDRs or single
// addresses, e.g. "10.0.0.0/8, 192.0.2.7".
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is neither a CIDR (10.0.0.0/8) nor an address", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// trusts reports whether a is the address of a trusted proxy.
func (s *Server) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientKey struct{}

// clientInfo is what the server believes about the caller: its address, and
// whether its cookies must be Secure and HSTS be sent.
type clientInfo struct {
	addr   string
	secure bool
}

// forwarded resolves the real client of a request. The peer's X-Forwarded-For
// and X-Forwarded-Proto are believed only when the peer is a trusted proxy;
// walking X-Forwarded-For from the right, every trusted hop passes the
// question on to the address before it, and the first untrusted address is
// the client. Anything else a caller sends in those headers is ignored.
func (s *Server) forwarded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// An https base URL makes every answer secure; otherwise a request
		// over TLS, to us or (as a trusted proxy says) to the proxy.
		info := clientInfo{addr: r.RemoteAddr, secure: strings.HasPrefix(s.baseURL, "https://") || r.TLS != nil}
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err == nil {
			info.addr = host
		}
		peer, err := netip.ParseAddr(host)
		if err == nil && s.trusts(peer) {
			var hops []string
			for _, h := range r.Header.Values("X-Forwarded-For") {
				hops = append(hops, strings.Split(h, ",")...)
			}
			cur := peer
			for i := len(hops) - 1; i >= 0 && s.trusts(cur); i-- {
				a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
				if err != nil {
					break
				}
				cur = a
			}
			info.addr = cur.Unmap().String()
			if proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ","); strings.EqualFold(strings.TrimSpace(proto), "https") {
				info.secure = true
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, info)))
	})
}

func clientFrom(r *http.Request) clientInfo {
	if c, ok := r.Context().Value(clientKey{}).(clientInfo); ok {
		return c
	}
	return clientInfo{addr: r.RemoteAddr, secure: r.TLS != nil}
}

// clientAddr is the caller's IP address (behind trusted proxies, the real
// client's), for sign-in limits and logs.
func clientAddr(r *http.Request) string { return clientFrom(r).addr }

// secure reports whether cookies get the Secure flag and HSTS is sent.
func secure(r *http.Request) bool { return clientFrom(r).secure }

// absURL is the public, absolute URL of a path on this site. It comes from
// the configured base URL only, never from the request's Host header.
func (s *Server) absURL(path string) string { return s.baseURL + path }
