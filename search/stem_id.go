package search

import "unicode/utf8"

// prefixKind records which first- or second-order prefix the Indonesian
// stemmer removed; the suffixes it may then remove depend on it.
type prefixKind uint8

const (
	prefixNone prefixKind = iota
	prefixDi              // di-, ter-, meng- and its variants men-, meny-, mem-, me-
	prefixPer             // per-, pe-
	prefixKe              // ke-, peng- and its variants pen-, peny-, pem-
	prefixBer             // ber-, be-
)

// StemIndonesian returns the stem of one lower-case Indonesian word using the
// Snowball Indonesian algorithm (a Porter-style stemmer after Tala, 2003).
//
// It is written for this project from the published description of the
// algorithm and is meant to agree exactly with PostgreSQL's
// indonesian_stem dictionary (ts_lexize), which is generated from the same
// Snowball source; oracle_test.go checks that. It has no dictionary of
// roots, so it makes the known mistakes of the algorithm (for example
// "kerjasama" becomes "rjasama"); the Analyzer fixes a few of them in a
// separate correction step (see correction.go), never here.
//
// The steps, each guarded by the measure (the number of vowels a, e, i, o, u
// left in the word, which must stay above two):
//   - remove one particle: -kah, -lah, -pun;
//   - remove one possessive pronoun: -ku, -mu, -nya;
//   - remove one first-order prefix: di-, ter-, ke-, meng-, men-, me-, peng-,
//     pen- (meny-/peny- before a vowel become s-; mem-/pem- before a vowel
//     become p-, before a consonant they are removed); then, if a suffix
//     could be removed, one second-order prefix as well;
//   - otherwise remove one second-order prefix: per-, pe-, ber-, be- (be-
//     only before consonant+"er"), with "pelajar…" and "belajar…" becoming
//     "ajar…"; then a suffix;
//   - the suffix -kan is not removed after ke-/peng-/per-, -an not after
//     di-/meng-/ter-, and -i only after di-/meng-/ter-/per- or no prefix and
//     not after an "s".
//
// The input must already be lower case; other characters are kept as they
// are. The result is always valid UTF-8 when the input is.
func StemIndonesian(word string) string {
	m := countVowels(word)
	if m <= 2 {
		return word
	}
	s := word
	if hasSuffixAny(s, "kah", "lah", "pun") {
		s = s[:len(s)-3]
		m--
		if m <= 2 {
			return s
		}
	}
	switch {
	case hasSuffixAny(s, "nya"):
		s = s[:len(s)-3]
		m--
	case hasSuffixAny(s, "ku", "mu"):
		s = s[:len(s)-2]
		m--
	}
	if m <= 2 {
		return s
	}

	if head, rest, kind, ok := firstOrderPrefix(s); ok {
		m--
		if m <= 2 {
			return withHead(head, rest)
		}
		var removed bool
		rest, removed = removeSuffix(rest, 0, kind)
		if !removed {
			return withHead(head, rest)
		}
		m--
		// A replaced first letter (s-, p-) is always followed by a vowel,
		// so no second-order prefix can start after it.
		if m <= 2 || head != 0 {
			return withHead(head, rest)
		}
		rest, _, _, _ = secondOrderPrefix(rest)
		return rest
	}

	s, limit, kind, ok := secondOrderPrefix(s)
	if ok {
		m--
	}
	if m > 2 {
		s, _ = removeSuffix(s, limit, kind)
	}
	return s
}

// firstOrderPrefix removes the longest first-order prefix of s. head is the
// letter that replaces the prefix (or 0) and rest what follows it.
func firstOrderPrefix(s string) (head byte, rest string, kind prefixKind, ok bool) {
	if len(s) < 2 {
		return 0, s, prefixNone, false
	}
	switch s[:2] {
	case "me", "pe":
		kind = prefixDi
		if s[0] == 'p' {
			kind = prefixKe
		}
		switch {
		case len(s) > 4 && s[2] == 'n' && s[3] == 'y' && isVowel(s[4]):
			return 's', s[4:], kind, true
		case len(s) > 3 && s[2] == 'n' && s[3] == 'g':
			return 0, s[4:], kind, true
		case len(s) > 2 && s[2] == 'n':
			return 0, s[3:], kind, true
		case len(s) > 2 && s[2] == 'm':
			if len(s) > 3 && isVowel(s[3]) {
				return 'p', s[3:], kind, true
			}
			return 0, s[3:], kind, true
		case s[0] == 'm':
			return 0, s[2:], kind, true
		}
		// "pe" alone is a second-order prefix.
		return 0, s, prefixNone, false
	case "di":
		return 0, s[2:], prefixDi, true
	case "ke":
		return 0, s[2:], prefixKe, true
	case "te":
		if len(s) > 2 && s[2] == 'r' {
			return 0, s[3:], prefixDi, true
		}
	}
	return 0, s, prefixNone, false
}

// secondOrderPrefix removes the longest second-order prefix of s. limit is
// the byte offset in the result before which no suffix may start: the
// algorithm keeps its cursor after "ajar" when it rewrites "pelajar"
// and "belajar".
func secondOrderPrefix(s string) (out string, limit int, kind prefixKind, ok bool) {
	switch {
	case hasPrefix(s, "pelajar"):
		return s[3:], 4, prefixNone, true
	case hasPrefix(s, "belajar"):
		return s[3:], 4, prefixBer, true
	case hasPrefix(s, "per"):
		return s[3:], 0, prefixPer, true
	case hasPrefix(s, "pe"):
		return s[2:], 0, prefixPer, true
	case hasPrefix(s, "ber"):
		return s[3:], 0, prefixBer, true
	case hasPrefix(s, "be"):
		// be- only before a consonant followed by "er", as in bekerja.
		r, n := utf8.DecodeRuneInString(s[2:])
		if n > 0 && !(r < utf8.RuneSelf && isVowel(byte(r))) && hasPrefix(s[2+n:], "er") {
			return s[2:], 0, prefixBer, true
		}
	}
	return s, 0, prefixNone, false
}

// removeSuffix removes one derivational suffix (-kan, -an, -i) from s if the
// removed prefix allows it; the suffix must start at or after limit.
func removeSuffix(s string, limit int, kind prefixKind) (string, bool) {
	n := len(s)
	if n-3 >= limit && hasSuffixAny(s, "kan") && kind != prefixKe && kind != prefixPer {
		return s[:n-3], true
	}
	if n-2 >= limit && hasSuffixAny(s, "an") && kind != prefixDi {
		return s[:n-2], true
	}
	if n-1 >= limit && n > 0 && s[n-1] == 'i' && kind <= prefixPer && !(n-2 >= limit && s[n-2] == 's') {
		return s[:n-1], true
	}
	return s, false
}

func withHead(head byte, rest string) string {
	if head == 0 {
		return rest
	}
	return string(head) + rest
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func countVowels(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			n++
		}
	}
	return n
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func hasSuffixAny(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if len(s) >= len(x) && s[len(s)-len(x):] == x {
			return true
		}
	}
	return false
}
