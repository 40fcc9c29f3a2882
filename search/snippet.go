package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultSnippetBytes is the snippet length MakeSnippet aims for when the
// caller passes 0: about two lines of a result list.
const DefaultSnippetBytes = 160

// ellipsis marks text cut from either end of a snippet.
const ellipsis = "…"

// Range is the half-open byte range [Start, End) of a text.
type Range struct {
	Start, End int
}

// Snippet is a short excerpt of a text around its best match.
type Snippet struct {
	// Text is the excerpt, with "…" where the original text was cut.
	Text string
	// Hits are the byte ranges of Text to highlight, in order and
	// without overlaps.
	Hits []Range
}

// Segment is a piece of a Snippet: either plain text or a hit. The caller
// escapes Text for its output (html/template does so automatically).
type Segment struct {
	Text string
	Hit  bool
}

// Highlights returns the byte ranges of text (in language lang) whose
// words match a positive term of q: words whose analysed term equals a
// query term, or starts with a prefix term. Phrases are highlighted word by
// word. Because matching is on analysed terms, "mengadukan" is highlighted
// for the query "aduan". The ranges are sorted and do not overlap.
func Highlights(text, lang string, q Query) []Range {
	return rangesOf(highlights(text, lang, q))
}

func rangesOf(hits []hit) []Range {
	if hits == nil {
		return nil
	}
	ranges := make([]Range, len(hits))
	for i, h := range hits {
		ranges[i] = h.Range
	}
	return ranges
}

// hit is a highlighted range with the query term it matched.
type hit struct {
	Range
	term string
}

func highlights(text, lang string, q Query) []hit {
	return Analyse(text, lang).hits(q)
}

// AnalysedText is a text with its words analysed once, for highlighting
// and snippets of many queries (a cache of search results keeps one per
// description): what Highlights and MakeSnippet do, without analysing the
// text again. It is immutable and safe to share.
type AnalysedText struct {
	text string
	// terms[i] was found at spans[i]; parts holds the parts of the split
	// compounds, by token index (rare).
	terms []string
	spans []Range
	parts map[int][]string
}

// Analyse analyses text (in language lang) for highlighting.
func Analyse(text, lang string) *AnalysedText {
	toks := (Analyzer{}).Analyze(text, lang)
	t := &AnalysedText{text: text, terms: make([]string, len(toks)), spans: make([]Range, len(toks))}
	for i, tok := range toks {
		t.terms[i], t.spans[i] = tok.Term, Range{tok.Start, tok.End}
		if len(tok.Parts) > 0 {
			if t.parts == nil {
				t.parts = map[int][]string{}
			}
			t.parts[i] = tok.Parts
		}
	}
	return t
}

// Text returns the text analysed.
func (t *AnalysedText) Text() string { return t.text }

// Highlights is Highlights of the analysed text.
func (t *AnalysedText) Highlights(q Query) []Range { return rangesOf(t.hits(q)) }

// Snippet is MakeSnippet of the analysed text.
func (t *AnalysedText) Snippet(q Query, maxBytes int) Snippet {
	return snippetOf(t.text, t.hits(q), maxBytes)
}

func (t *AnalysedText) hits(q Query) []hit {
	exact := make(map[string]struct{})
	var prefixes []string
	for _, c := range q.Clauses {
		if c.Negated {
			continue
		}
		for _, p := range c.Alternatives {
			for _, t := range p.Terms {
				if t.Prefix {
					prefixes = append(prefixes, t.Text)
				} else {
					exact[t.Text] = struct{}{}
				}
			}
		}
	}
	// match returns the query term t matches: itself, a prefix with "*",
	// or "".
	match := func(t string) string {
		if _, ok := exact[t]; ok {
			return t
		}
		for _, p := range prefixes {
			if strings.HasPrefix(t, p) {
				return p + "*"
			}
		}
		return ""
	}
	var hits []hit
	for i, tt := range t.terms {
		// A compound also matches through its parts ("ktp" in "e-KTP").
		term := match(tt)
		for _, p := range t.parts[i] {
			if term == "" {
				term = match(p)
			}
		}
		if term == "" {
			continue
		}
		// Tokens of one split compound share a range; tokens are in text
		// order, so a repeated range is always the previous one.
		sp := t.spans[i]
		if n := len(hits); n > 0 && hits[n-1].End > sp.Start {
			hits[n-1].End = max(hits[n-1].End, sp.End)
			continue
		}
		hits = append(hits, hit{sp, term})
	}
	return hits
}

// MakeSnippet returns an excerpt of about maxBytes bytes (0 means
// DefaultSnippetBytes) of text around the place where most different query
// terms match, cut at white space, with the hits to highlight. Without any
// hit it returns the start of the text.
func MakeSnippet(text, lang string, q Query, maxBytes int) Snippet {
	return snippetOf(text, highlights(text, lang, q), maxBytes)
}

// snippetOf builds the snippet of text with its hits.
func snippetOf(text string, hits []hit, maxBytes int) Snippet {
	if maxBytes <= 0 {
		maxBytes = DefaultSnippetBytes
	}
	if len(text) <= maxBytes {
		return Snippet{Text: text, Hits: rangesOf(hits)}
	}

	// The window starts a quarter of its length before the hit that
	// begins the most varied run of hits.
	anchor := Range{}
	if len(hits) > 0 {
		best := -1
		for i, h := range hits {
			if n := distinctTerms(hits[i:], h.Start+maxBytes*3/4); n > best {
				best, anchor = n, h.Range
			}
		}
	}
	start := max(0, anchor.Start-maxBytes/4)
	if start > 0 {
		start = cutForward(text, start, anchor.Start)
	}
	end := min(len(text), start+maxBytes)
	if end < len(text) {
		end = cutBack(text, end, max(start, anchor.End))
	}
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}

	var b strings.Builder
	b.Grow(end - start + 2*len(ellipsis))
	offset := -start
	if start > 0 {
		b.WriteString(ellipsis)
		offset += len(ellipsis)
	}
	b.WriteString(text[start:end])
	if end < len(text) {
		b.WriteString(ellipsis)
	}
	var inside []Range
	for _, h := range hits {
		if h.Start >= start && h.End <= end {
			inside = append(inside, Range{h.Start + offset, h.End + offset})
		}
	}
	return Snippet{Text: b.String(), Hits: inside}
}

// distinctTerms counts the different query terms matched by the hits that
// start before limit.
func distinctTerms(hits []hit, limit int) int {
	var seen []string
	for _, h := range hits {
		if h.Start >= limit {
			break
		}
		if !slices.Contains(seen, h.term) {
			seen = append(seen, h.term)
		}
	}
	return len(seen)
}

// cutForward moves i forward to the start of the next word, or to limit
// (the start of a word) when there is none before it.
func cutForward(text string, i, limit int) int {
	for j := i; j < limit; {
		r, n := utf8.DecodeRuneInString(text[j:])
		j += n
		if unicode.IsSpace(r) {
			return j
		}
	}
	return limit
}

// cutBack moves i back to the end of the previous word, but not before
// limit; the result is on a rune boundary.
func cutBack(text string, i, limit int) int {
	for i > 0 && i < len(text) && !utf8.RuneStart(text[i]) {
		i--
	}
	for j := i; j > limit; {
		r, n := utf8.DecodeLastRuneInString(text[:j])
		j -= n
		if unicode.IsSpace(r) {
			return j
		}
	}
	return max(i, limit)
}

// Segments splits the snippet into plain and highlighted pieces, in order,
// so that the caller can escape and mark them up for its output.
func (s Snippet) Segments() []Segment {
	var segs []Segment
	at := 0
	for _, h := range s.Hits {
		if h.Start < at || h.End > len(s.Text) || h.Start >= h.End {
			continue // not from MakeSnippet; skip rather than panic
		}
		if h.Start > at {
			segs = append(segs, Segment{Text: s.Text[at:h.Start]})
		}
		segs = append(segs, Segment{Text: s.Text[h.Start:h.End], Hit: true})
		at = h.End
	}
	if at < len(s.Text) {
		segs = append(segs, Segment{Text: s.Text[at:]})
	}
	return segs
}
