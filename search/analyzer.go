package search

import (
	_ "embed"
	"slices"
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
	// for highlighting. A hyphenated word ("kupu-kupu", "e-KTP") and a split
	// compound ("kerjasama") cover the whole written word.
	Start, End int
	// Parts are the distinct terms of the pieces of a hyphenated compound
	// other than its own term ("e-KTP": e, ktp), nil for other words.
	Parts []string
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
// A hyphen between two words joins them: "e-government" is one term
// (egovernment), the same as "egovernment" written without the hyphen, so
// a query for "e-government" finds it. Indonesian reduplication, where
// every piece has the same term ("anak-anak", "kupu-kupu",
// "berlari-lari"), is one token of that term (anak, kupu, lari) that
// matches the single word. The pieces of any other compound ("e-KTP",
// "sayur-mayur", "Covid-19") are kept in Token.Parts, and Terms appends
// them after the text's own terms, so a search for "ktp" or "sayur" still
// finds the compound without breaking phrases across it.
type Analyzer struct{}

// AnalyzerVersion names the current analysis. It changes whenever the
// terms produced for some text change, so that stores holding terms of an
// older analysis know to analyse their texts again.
const AnalyzerVersion = "3"

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

// Terms returns the terms of text to index, in order, followed by the
// Parts of its hyphenated compounds: what a storage layer joins with
// spaces and hands to its full-text engine. The parts come after every
// term of the text so that the positions of the text's own terms stay
// consecutive for phrase matching.
func (a Analyzer) Terms(text, lang string) []string {
	toks := a.Analyze(text, lang)
	terms := make([]string, len(toks), len(toks)+4)
	for i, t := range toks {
		terms[i] = t.Term
	}
	for _, t := range toks {
		terms = append(terms, t.Parts...)
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
		w.emitParts(text)
	}
}

// emitParts turns the pieces of one written word into tokens: one piece
// as itself; pieces that all have the same term (reduplication) as that
// term; any other compound as the term of its pieces written together,
// with the pieces' terms as Parts.
func (w *tokenWriter) emitParts(text string) {
	ps := w.parts
	start, end := ps[0].start, ps[len(ps)-1].end
	same := true
	for _, p := range ps[1:] {
		same = same && p.term == ps[0].term && p.second == ps[0].second
	}
	if same {
		w.emit(ps[0].term, ps[0].second, start, end, nil)
		return
	}
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(normalizeWord(text[p.start:p.end]))
	}
	term, second := w.analyseWord(b.String())
	if term == "" {
		// A joined word that is too long (or a stop word): its pieces.
		for _, p := range ps {
			w.emit(p.term, p.second, p.start, p.end, nil)
		}
		return
	}
	var parts []string
	for _, p := range ps {
		for _, t := range []string{p.term, p.second} {
			if t != "" && t != term && t != second && !slices.Contains(parts, t) {
				parts = append(parts, t)
			}
		}
	}
	w.emit(term, second, start, end, parts)
}

// emit appends the token of term (and of second, for a split compound)
// covering text[start:end]; an empty term emits nothing.
func (w *tokenWriter) emit(term, second string, start, end int, parts []string) {
	if term == "" {
		return
	}
	w.dst = append(w.dst, Token{Term: term, Position: w.pos, Start: start, End: end, Parts: parts})
	w.pos++
	if second != "" {
		w.dst = append(w.dst, Token{Term: second, Position: w.pos, Start: start, End: end})
		w.pos++
	}
}

// analysePart analyses the piece text[start:end] of a written word.
func (w *tokenWriter) analysePart(text string, start, end int) part {
	p := part{start: start, end: end}
	p.term, p.second = w.analyseWord(normalizeWord(text[start:end]))
	return p
}

// analyseWord filters and stems one normalised word: its term, and a
// second term when the correction step splits a compound. A stop word or a
// word longer than maxWordBytes gives "".
func (w *tokenWriter) analyseWord(word string) (term, second string) {
	if word == "" || len(word) > maxWordBytes {
		return "", ""
	}
	if w.english {
		if _, stop := stopwordsEN[word]; stop {
			return "", ""
		}
		return english.Stem(word, true), ""
	}
	if _, stop := stopwordsID[word]; stop {
		return "", ""
	}
	return correctIndonesian(StemIndonesian(word))
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
