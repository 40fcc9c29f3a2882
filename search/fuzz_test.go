package search_test

import (
	"errors"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi/search"
)

func FuzzAnalyze(f *testing.F) {
	f.Add("Pengaduan masyarakat tentang kerjasama perekonomian.", "id")
	f.Add("anak-anak kupu-kupu sayur-mayur e-KTP Jum'at", "id")
	f.Add("ＰＥＮＤＩＤＩＫＡＮ Kafé ﬁnansial Sulawesi\u0301", "en")
	f.Add("be\u0446erkan \xff\xfe meny-", "")
	f.Fuzz(func(t *testing.T, text, lang string) {
		toks := search.Analyzer{}.Analyze(text, lang)
		end := 0
		for i, tok := range toks {
			if tok.Position != i {
				t.Fatalf("token %d has position %d", i, tok.Position)
			}
			if tok.Start < 0 || tok.Start >= tok.End || tok.End > len(text) {
				t.Fatalf("token %d range [%d,%d) outside text of %d bytes", i, tok.Start, tok.End, len(text))
			}
			// Tokens are in text order; a split compound repeats a range.
			if tok.Start < end && (i == 0 || tok.Start != toks[i-1].Start) {
				t.Fatalf("token %d starts at %d before the previous end %d", i, tok.Start, end)
			}
			end = tok.End
			if !utf8.ValidString(text[tok.Start:tok.End]) {
				t.Fatalf("token %d range %q is not on rune boundaries", i, text[tok.Start:tok.End])
			}
			if tok.Term == "" || !utf8.ValidString(tok.Term) {
				t.Fatalf("token %d term %q is empty or invalid UTF-8", i, tok.Term)
			}
		}
		if again := (search.Analyzer{}).Analyze(text, lang); !cmp.Equal(toks, again) {
			t.Fatalf("not deterministic: %v then %v", toks, again)
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	f.Add(`pengaduan OR "kerja sama" -banjir izin*`, true)
	f.Add(`-"air bersih`, false)
	f.Add(`OR - "" * OR yang`, true)
	f.Add(`"a"* -b OR c e-KTP\xff`, false)
	sentinels := []error{search.ErrEmptyQuery, search.ErrQueryTooLong, search.ErrTooManyTerms,
		search.ErrNoSearchableTerms, search.ErrOnlyExclusions}
	f.Fuzz(func(t *testing.T, s string, prefixLast bool) {
		opts := search.QueryOptions{PrefixLast: prefixLast}
		q, err := search.ParseQuery(s, opts)
		q2, err2 := search.ParseQuery(s, opts)
		if !cmp.Equal(q, q2) || !errors.Is(err2, err) {
			t.Fatalf("not deterministic: %s %v then %s %v", q, err, q2, err2)
		}
		if err != nil {
			if !slices.ContainsFunc(sentinels, func(e error) bool { return errors.Is(err, e) }) {
				t.Fatalf("unexpected error %v", err)
			}
			if len(q.Clauses) != 0 {
				t.Fatalf("clauses %s returned with error %v", q, err)
			}
			return
		}
		positive, nTerms := false, 0
		for _, c := range q.Clauses {
			positive = positive || !c.Negated
			if len(c.Alternatives) == 0 || c.Negated && len(c.Alternatives) != 1 {
				t.Fatalf("clause %+v has a bad number of alternatives", c)
			}
			for _, p := range c.Alternatives {
				if len(p.Terms) == 0 {
					t.Fatalf("empty phrase in %s", q)
				}
				for _, term := range p.Terms {
					nTerms++
					if term.Text == "" || !utf8.ValidString(term.Text) || !utf8.ValidString(term.Surface) {
						t.Fatalf("bad term %+v", term)
					}
				}
			}
		}
		if !positive || nTerms > search.MaxQueryTerms {
			t.Fatalf("query %s: positive %v, %d terms", q, positive, nTerms)
		}
		_ = q.String()
		// Snippets of the query text itself must stay in bounds.
		sn := search.MakeSnippet(s, "id", q, 40)
		for _, h := range sn.Hits {
			if h.Start < 0 || h.Start >= h.End || h.End > len(sn.Text) {
				t.Fatalf("hit %v outside snippet %q", h, sn.Text)
			}
		}
		var joined string
		for _, seg := range sn.Segments() {
			joined += seg.Text
		}
		if joined != sn.Text {
			t.Fatalf("segments %q do not rebuild %q", joined, sn.Text)
		}
	})
}
