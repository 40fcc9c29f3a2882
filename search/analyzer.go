package search

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Language codes understood by the Analyzer. Any other code is analysed as
// Indonesian, the platform's main language.
const (
	LangIndonesian = "id"
	LangEnglish    = "en"
)

// maxWordBytes is the longest normalised word that is indexed. Longer runs
// of letters and digits are almost always identifiers, hashes or pasted
// URLs, and PostgreSQL refuses lexemes above 2047 bytes anyway.
const maxWordBytes = 100

// Token is one analysed word of a text.
type Token struct {
	// Term is the word after normalisation, stemming and correction: the
	// form stored in the index and compared with query terms.
	Term string
	// Position counts the tokens of the text from 0 without gaps: stop
	// words leave none, and a compound split into two terms takes two
	// positions. Joining the terms of a text with spaces therefore gives
	// the same positions in SQLite FTS5 and in a PostgreSQL tsvector.
	Position int
	// Start and End are the byte offsets of the word in the original text,
	// for highlighting. A hyphenated reduplication ("kupu-kupu") and a
	// split compound ("kerjasama") cover the whole written word.
	Start, End int
}

// Analyzer turns text into index terms. The same Analyzer output is sent to
// both storage engines, so both match the same documents. Its zero value is
// ready to use; it holds no state and is safe for concurrent use.
//
// The pipeline for each word: Unicode NFKC normalisation, case folding,
// removal of diacritics ("é" → "e"), stop-word removal (stopwords_id.txt,
// stopwords_en.txt), stemming (StemIndonesian, or Porter2 for English) and,
// for Indonesian, a small correction step (correction.go).
//
// Words are runs of letters, digits and combining marks; an apostrophe
// between letters is dropped and joins the word ("Jum'at" → "jumat").
// Hyphenated words are split at the hyphens, and neighbouring parts whose
// terms are equal are merged into one token covering the whole word. That
// handles Indonesian reduplication: "anak-anak", "kupu-kupu" and
// "berlari-lari" give one token (anak, kupu, lari) that matches the single
// word, while rhyming or partial reduplication ("sayur-mayur",
// "gotong-royong") and ordinary compounds ("e-KTP", "Covid-19") keep one
// token per part, so a search for "sayur" or "ktp" finds them.
type Analyzer struct{}

//go:embed stopwords_id.txt
var stopwordsIDText string

//go:embed stopwords_en.txt
var stopwordsENText string

// The stop-word sets are built once from the embedded lists and only read.
var (
	stopwordsID = parseWordList(stopwordsIDText)
	stopwordsEN = parseWordList(stopwordsENText)
)

func parseWordList(text string) map[string]struct{} {
	set := make(map[string]struct{})
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line != "" && line[0] != '#' {
			set[line] = struct{}{}
		}
	}
	return set
}

// isEnglish reports whether lang names English ("en", "EN", "en-GB").
func isEnglish(lang string) bool {
	if len(lang) < 2 || !strings.EqualFold(lang[:2], LangEnglish) {
		return false
	}
	return len(lang) == 2 || lang[2] == '-' || lang[2] == '_'
}

// Analyze returns the tokens of text in language lang ("id" or "en"; any
// other value is treated as Indonesian).
func (a Analyzer) Analyze(text, lang string) []Token {
	return a.AppendTokens(nil, text, lang)
}

// AppendTokens appends the tokens of text to dst and returns the extended
// slice, so an indexer can reuse one slice for many documents.
func (a Analyzer) AppendTokens(dst []Token, text, lang string) []Token {
	w := tokenWriter{dst: dst, english: isEnglish(lang)}
	w.scan(text)
	return w.dst
}

// Terms returns only the terms of text, in order: what a storage layer
// joins with spaces and hands to its full-text engine.
func (a Analyzer) Terms(text, lang string) []string {
	toks := a.Analyze(text, lang)
	terms := make([]string, len(toks))
	for i, t := range toks {
		terms[i] = t.Term
	}
	return terms
}

// part is one hyphen-separated piece of a written word, already analysed.
type part struct {
	start, end int
	term       string // "" when the piece is a stop word or too long
	second     string // second term of a split compound, or ""
}

// tokenWriter scans one text. parts is reused across the words of the text.
type tokenWriter struct {
	dst     []Token
	english bool
	pos     int
	parts   []part
}

// scan splits text into written words (hyphenated pieces kept together)
// and emits their tokens.
func (w *tokenWriter) scan(text string) {
	i := 0
	for i < len(text) {
		// Skip to the start of a word.
		r, n := decodeRune(text, i)
		if !isWordStart(r) {
			i += n
			continue
		}
		w.parts = w.parts[:0]
		for {
			end := wordEnd(text, i)
			w.parts = append(w.parts, w.analysePart(text, i, end))
			i = end
			// A hyphen followed by another word continues the compound.
			if i < len(text) {
				h, hn := decodeRune(text, i)
				if isHyphen(h) && i+hn < len(text) {
					if r2, _ := decodeRune(text, i+hn); isWordStart(r2) {
						i += hn
						continue
					}
				}
			}
			break
		}
		w.emitParts()
	}
}

// emitParts turns the pieces of one written word into tokens, merging
// neighbouring pieces with equal terms (reduplication).
func (w *tokenWriter) emitParts() {
	ps := w.parts
	for j := 0; j < len(ps); j++ {
		p := ps[j]
		if p.term == "" {
			continue
		}
		end := p.end
		for j+1 < len(ps) && ps[j+1].term == p.term && ps[j+1].second == p.second {
			j++
			end = ps[j].end
		}
		w.dst = append(w.dst, Token{Term: p.term, Position: w.pos, Start: p.start, End: end})
		w.pos++
		if p.second != "" {
			w.dst = append(w.dst, Token{Term: p.second, Position: w.pos, Start: p.start, End: end})
			w.pos++
		}
	}
}

// analysePart normalises, filters and stems text[start:end].
func (w *tokenWriter) analysePart(text string, start, end int) part {
	p := part{start: start, end: end}
	word := normalizeWord(text[start:end])
	if word == "" || len(word) > maxWordBytes {
		return p
	}
	if w.english {
		if _, stop := stopwordsEN[word]; stop {
			return p
		}
		p.term = english.Stem(word, true)
		return p
	}
	if _, stop := stopwordsID[word]; stop {
		return p
	}
	p.term, p.second = correctIndonesian(StemIndonesian(word))
	return p
}

// wordEnd returns the end of the word starting at i: letters, digits and
// marks, with single apostrophes between letters.
func wordEnd(text string, i int) int {
	for i < len(text) {
		if isASCIIWord(text[i]) {
			i++
			continue
		}
		r, n := decodeRune(text, i)
		if isWordRune(r) {
			i += n
			continue
		}
		if isApostrophe(r) && i+n < len(text) {
			if r2, _ := decodeRune(text, i+n); isWordStart(r2) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

// decodeRune decodes the rune at text[i:], with an ASCII fast path.
// Invalid bytes decode as utf8.RuneError, which is not a word rune.
func decodeRune(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// isASCIIWord reports whether c is an ASCII letter or digit.
func isASCIIWord(c byte) bool {
	return c-'a' < 26 || c-'A' < 26 || c-'0' < 10
}

func isWordStart(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIWord(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isWordStart(r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' }

// normalizeWord returns the normalised form of one written word: NFKC,
// case-folded, without diacritics and apostrophes. Plain lower-case ASCII,
// the common case, is returned without allocating.
func normalizeWord(s string) string {
	ascii, clean := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' || c == '\'' {
			clean = false
		}
	}
	if ascii {
		if clean {
			return s
		}
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c == '\'':
			case 'A' <= c && c <= 'Z':
				b = append(b, c+'a'-'A')
			default:
				b = append(b, c)
			}
		}
		return string(b)
	}
	s = norm.NFKC.String(s)
	s = cases.Fold().String(s)
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		// Dropping nonspacing marks after NFD removes diacritics; anything
		// that is not a letter or digit (apostrophes, symbols produced by
		// NFKC) is dropped so terms never contain separators.
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mc, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
