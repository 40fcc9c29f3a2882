package search

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on user queries. Longer or bigger queries are rejected with
// ErrQueryTooLong or ErrTooManyTerms rather than cut, so the user sees why.
const (
	// MaxQueryBytes is the longest query ParseQuery accepts, in bytes.
	MaxQueryBytes = 1000
	// MaxQueryTerms is the most analysed terms a query may have, counting
	// every term of every phrase and alternative.
	MaxQueryTerms = 32
)

// Errors returned by ParseQuery. Each is a distinct sentinel for
// errors.Is; the messages are meant to be shown to the user.
var (
	// ErrEmptyQuery: nothing but white space and operators.
	ErrEmptyQuery = errors.New("search: query is empty")
	// ErrQueryTooLong: more than MaxQueryBytes bytes.
	ErrQueryTooLong = errors.New("search: query is longer than " + strconv.Itoa(MaxQueryBytes) + " bytes")
	// ErrTooManyTerms: more than MaxQueryTerms analysed terms.
	ErrTooManyTerms = errors.New("search: query has more than " + strconv.Itoa(MaxQueryTerms) + " terms")
	// ErrNoSearchableTerms: only stop words, which are not indexed.
	ErrNoSearchableTerms = errors.New("search: query has only common words that are not indexed")
	// ErrOnlyExclusions: only negated words or phrases.
	ErrOnlyExclusions = errors.New("search: query needs at least one term to search for")
)

// QueryOptions tune ParseQuery.
type QueryOptions struct {
	// Language of the query, as for Analyzer.Analyze; "" means Indonesian.
	Language string
	// PrefixLast makes the last word a prefix term when it is a bare,
	// positive word and the query does not end in white space: search as
	// you type.
	PrefixLast bool
}

// Query is a parsed user query: a document matches when it matches every
// clause. A query from ParseQuery has at least one clause that is not
// negated.
type Query struct {
	Clauses []Clause
}

// Clause is one condition of a Query. It holds when any of its
// alternatives matches (they were joined by OR); a Negated clause holds
// when none matches. Negated clauses have exactly one alternative.
type Clause struct {
	Negated      bool
	Alternatives []Phrase
}

// Phrase is a sequence of terms that must appear at consecutive positions.
// A bare word is a phrase of one term; a bare word that analyses to more
// than one term ("kerjasama", "e-KTP") is a phrase of those terms.
type Phrase struct {
	Terms []Term
	// Quoted is true when the user wrote the phrase in double quotes.
	Quoted bool
}

// Term is one analysed query word.
type Term struct {
	// Text is the analysed term, comparable with Token.Term. For a prefix
	// term it is the analysis of the partial word (its stem) or, when that
	// is empty because the partial word is a stop word, the normalised
	// partial word.
	Text string
	// Surface is the word as the user typed it (without operators).
	Surface string
	// Prefix asks for every indexed term that starts with Text: a trailing
	// "*" or QueryOptions.PrefixLast.
	Prefix bool
}

// String renders q in the query syntax, with analysed terms: for tests,
// logs and debugging.
func (q Query) String() string {
	var b strings.Builder
	for i, c := range q.Clauses {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.Negated {
			b.WriteByte('-')
		}
		if len(c.Alternatives) > 1 {
			b.WriteByte('(')
		}
		for j, p := range c.Alternatives {
			if j > 0 {
				b.WriteString(" OR ")
			}
			quote := p.Quoted || len(p.Terms) > 1
			if quote {
				b.WriteByte('"')
			}
			for k, t := range p.Terms {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(t.Text)
				if t.Prefix {
					b.WriteByte('*')
				}
			}
			if quote {
				b.WriteByte('"')
			}
		}
		if len(c.Alternatives) > 1 {
			b.WriteByte(')')
		}
	}
	return b.String()
}

// ParseQuery parses a user's search query.
//
// Syntax: words separated by spaces must all match (AND); "double quotes"
// make a phrase; a - at the start of a word excludes the word or phrase
// (inside a word, as in "e-government", a hyphen joins like in analysed
// text); OR (upper case)
// between two words or phrases matches either; a trailing * makes a word
// or phrase end in a prefix. Every word is analysed like indexed text, so
// Term.Text is a stem.
//
// Sloppy input degrades instead of failing: an unclosed quote runs to the
// end of the query, a lone "-" or an OR with nothing positive on one side
// is ignored, stop words are dropped (an OR alternative that is only stop
// words is dropped with its OR), and a negated word after OR starts its own
// clause. Errors: ErrQueryTooLong, ErrTooManyTerms, ErrEmptyQuery (nothing
// but spaces and operators), ErrNoSearchableTerms (only stop words) and
// ErrOnlyExclusions (nothing left to search for).
func ParseQuery(s string, opts QueryOptions) (Query, error) {
	if len(s) > MaxQueryBytes {
		return Query{}, ErrQueryTooLong
	}
	p := queryParser{src: s, lang: opts.Language, prefixLast: opts.PrefixLast}
	p.parse()
	if p.tooMany {
		return Query{}, ErrTooManyTerms
	}
	positive := false
	for _, c := range p.clauses {
		positive = positive || !c.Negated
	}
	switch {
	case len(p.clauses) == 0 && !p.sawWord:
		return Query{}, ErrEmptyQuery
	case len(p.clauses) == 0:
		return Query{}, ErrNoSearchableTerms
	case !positive:
		return Query{}, ErrOnlyExclusions
	}
	return Query{Clauses: p.clauses}, nil
}

// queryParser holds the state of one ParseQuery call.
type queryParser struct {
	src        string
	lang       string
	prefixLast bool
	clauses    []Clause
	nTerms     int
	pendOr     bool // an OR is waiting for its right-hand side
	sawWord    bool // the query had at least one letter or digit
	tooMany    bool
}

func (p *queryParser) parse() {
	s := p.src
	i := 0
	for i < len(s) && !p.tooMany {
		r, n := decodeRune(s, i)
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		neg := false
		// A "-" excludes only at the start of a word, after white space
		// or at the start of the query; inside a word ("e-government") it
		// joins, as in analysed text.
		if r == '-' && p.atWordStart(i) {
			neg = true
			i++
			if i == len(s) {
				break
			}
			if r2, _ := decodeRune(s, i); unicode.IsSpace(r2) {
				continue // a lone "-"
			}
		}
		if s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			var body string
			if end < 0 { // unclosed quote: the phrase runs to the end
				body, i = s[i+1:], len(s)
			} else {
				body, i = s[i+1:i+1+end], i+2+end
			}
			prefix := false
			for i < len(s) && s[i] == '*' {
				prefix = true
				i++
			}
			p.add(body, neg, true, prefix)
			continue
		}
		start := i
		for i < len(s) {
			r, n := decodeRune(s, i)
			if unicode.IsSpace(r) || r == '"' {
				break
			}
			i += n
		}
		word := s[start:i]
		if word == "OR" && !neg {
			p.pendOr = len(p.clauses) > 0 && !p.clauses[len(p.clauses)-1].Negated
			continue
		}
		body := strings.TrimRight(word, "*")
		// Search as you type: the word the user is still typing.
		typing := p.prefixLast && !neg && i == len(s)
		p.add(body, neg, false, len(body) < len(word) || typing)
	}
}

// atWordStart reports whether byte i of the query starts a word: it is
// the first byte or follows white space.
func (p *queryParser) atWordStart(i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(p.src[:i])
	return unicode.IsSpace(r)
}

// add analyses one word or quoted phrase and adds it to the query.
func (p *queryParser) add(body string, neg, quoted, prefix bool) {
	pendOr := p.pendOr
	p.pendOr = false
	toks := Analyzer{}.Analyze(body, p.lang)
	var terms []Term
	for _, t := range toks {
		terms = append(terms, Term{Text: t.Term, Surface: body[t.Start:t.End]})
	}
	if len(terms) == 0 && prefix {
		// A partial stop word ("dan*" while typing "dana") still searches.
		if start, end := firstWord(body); start < end {
			if w := normalizeWord(body[start:end]); w != "" && len(w) <= maxWordBytes {
				terms = append(terms, Term{Text: w, Surface: body[start:end]})
			}
		}
	}
	if hasWord(body) {
		p.sawWord = true
	}
	if len(terms) == 0 {
		return
	}
	if p.nTerms += len(terms); p.nTerms > MaxQueryTerms {
		p.tooMany = true
		return
	}
	if prefix {
		terms[len(terms)-1].Prefix = true
	}
	ph := Phrase{Terms: terms, Quoted: quoted}
	if pendOr && !neg {
		last := &p.clauses[len(p.clauses)-1]
		last.Alternatives = append(last.Alternatives, ph)
	} else {
		p.clauses = append(p.clauses, Clause{Negated: neg, Alternatives: []Phrase{ph}})
	}
}

// firstWord returns the byte range of the first word in s.
func firstWord(s string) (start, end int) {
	for start < len(s) {
		r, n := decodeRune(s, start)
		if isWordStart(r) {
			return start, wordEnd(s, start)
		}
		start += n
	}
	return len(s), len(s)
}

func hasWord(s string) bool {
	start, end := firstWord(s)
	return start < end
}
