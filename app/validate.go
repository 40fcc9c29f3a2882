package app

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

func validWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 300
}

// diffSummary describes what changed, given triples of field, old and new
// values: `email: "a" → "b"`. Unchanged fields are left out.
func diffSummary(triples ...string) string {
	var parts []string
	for i := 0; i+2 < len(triples); i += 3 {
		if triples[i+1] != triples[i+2] {
			parts = append(parts, fmt.Sprintf("%s: %q → %q", triples[i], triples[i+1], triples[i+2]))
		}
	}
	if len(parts) == 0 {
		return "no change"
	}
	return strings.Join(parts, "; ")
}
