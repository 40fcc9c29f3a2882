package publiccode

import (
	"fmt"
	"strings"
)

// LicenseProblem is one problem found in an SPDX licence expression.
type LicenseProblem struct {
	Deprecated bool   // only a deprecated identifier: a warning, not an error
	EN, ID     string // English and Indonesian sentences
}

// CheckLicense parses an SPDX licence expression (SPDX spec annex D: AND, OR, WITH, parentheses, "+",
// LicenseRef- and DocumentRef-) and checks every identifier against the embedded SPDX lists.
// It returns nil for a valid expression with current identifiers.
func CheckLicense(expr string) []LicenseProblem {
	p := &spdxParser{toks: spdxTokens(expr)}
	if len(p.toks) == 0 {
		return []LicenseProblem{{EN: "the licence expression is empty", ID: "ekspresi lisensi kosong"}}
	}
	p.or()
	if p.err == nil && p.i < len(p.toks) {
		p.fail("unexpected %q after a complete expression", "%q tidak diharapkan setelah ekspresi yang lengkap", p.toks[p.i])
	}
	if p.err != nil {
		return append([]LicenseProblem{*p.err}, p.probs...)
	}
	return p.probs
}

func spdxTokens(s string) []string {
	var toks []string
	cur := strings.Builder{}
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '(' || r == ')':
			flush()
			toks = append(toks, string(r))
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

type spdxParser struct {
	toks  []string
	i     int
	err   *LicenseProblem
	probs []LicenseProblem
}

func (p *spdxParser) fail(en, id string, args ...any) {
	if p.err == nil {
		p.err = &LicenseProblem{EN: fmt.Sprintf(en, args...), ID: fmt.Sprintf(id, args...)}
	}
}

func (p *spdxParser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

func (p *spdxParser) or() {
	p.and()
	for p.err == nil && p.peek() == "OR" {
		p.i++
		p.and()
	}
}

func (p *spdxParser) and() {
	p.with()
	for p.err == nil && p.peek() == "AND" {
		p.i++
		p.with()
	}
}

func (p *spdxParser) with() {
	p.simple()
	if p.err == nil && p.peek() == "WITH" {
		p.i++
		t := p.peek()
		if t == "" || t == "(" || t == ")" || isOperator(t) {
			p.fail("WITH must be followed by a licence exception identifier", "WITH harus diikuti pengenal pengecualian lisensi")
			return
		}
		p.i++
		if _, ok := spdxExceptions[strings.ToLower(t)]; !ok && !strings.HasPrefix(t, "AdditionRef-") {
			p.probs = append(p.probs, LicenseProblem{
				EN: fmt.Sprintf("%q is not an SPDX licence exception identifier", t),
				ID: fmt.Sprintf("%q bukan pengenal pengecualian lisensi SPDX", t)})
		}
	}
}

func isOperator(t string) bool { return t == "AND" || t == "OR" || t == "WITH" }

func (p *spdxParser) simple() {
	t := p.peek()
	switch {
	case t == "":
		p.fail("the licence expression ends where a licence identifier is expected", "ekspresi lisensi berakhir padahal pengenal lisensi diharapkan")
		return
	case t == "(":
		p.i++
		p.or()
		if p.err != nil {
			return
		}
		if p.peek() != ")" {
			p.fail("a parenthesis is not closed", "tanda kurung tidak ditutup")
			return
		}
		p.i++
		return
	case t == ")" || isOperator(t):
		p.fail("%q appears where a licence identifier is expected", "%q muncul di tempat pengenal lisensi diharapkan", t)
		return
	}
	p.i++
	id := strings.TrimSuffix(t, "+")
	if !validIDString(id) {
		p.fail("%q is not a licence identifier (letters, digits, \".\" and \"-\" only)", "%q bukan pengenal lisensi (hanya huruf, angka, \".\" dan \"-\")", t)
		return
	}
	if low := strings.ToLower(id); low == "and" || low == "or" || low == "with" {
		p.fail("the operator %q must be written in capitals (%s)", "operator %q harus ditulis dengan huruf kapital (%s)", id, strings.ToUpper(id))
		return
	}
	if strings.HasPrefix(id, "LicenseRef-") || strings.HasPrefix(id, "DocumentRef-") {
		return
	}
	low := strings.ToLower(id)
	if _, ok := spdxLicenses[low]; ok {
		return
	}
	if canon, ok := spdxDeprecated[low]; ok {
		p.probs = append(p.probs, LicenseProblem{Deprecated: true,
			EN: fmt.Sprintf("%q is a deprecated SPDX identifier; use its current form (for example -only or -or-later)", canon),
			ID: fmt.Sprintf("%q adalah pengenal SPDX usang; gunakan bentuk terkininya (misalnya -only atau -or-later)", canon)})
		return
	}
	p.probs = append(p.probs, LicenseProblem{
		EN: fmt.Sprintf("%q is not an SPDX licence identifier (see https://spdx.org/licenses/)", t),
		ID: fmt.Sprintf("%q bukan pengenal lisensi SPDX (lihat https://spdx.org/licenses/)", t)})
}

// validIDString allows SPDX idstring characters, plus one ":" for DocumentRef-x:LicenseRef-y.
func validIDString(s string) bool {
	if s == "" {
		return false
	}
	colons := 0
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
		case c == ':':
			colons++
		default:
			return false
		}
	}
	return colons == 0 || (colons == 1 && strings.HasPrefix(s, "DocumentRef-") && strings.Contains(s, ":LicenseRef-"))
}
