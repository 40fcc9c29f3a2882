package store

import (
	"maps"
	"slices"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// errEmptyText is returned when a text query has nothing positive left to
// search for once empty terms are dropped (the app's parser never builds
// such a query).
var errEmptyText = &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The search has no words to look for.",
	Fields: map[string]string{"q": "needs at least one word to search for"}}

// textSyntax writes the pieces of a full-text query in one engine's syntax.
// Both engines get the same tree, and every term is quoted, so no user text
// is ever read as an operator.
type textSyntax struct {
	term   func(t kolaborasi.TextTerm) string
	then   string // between the terms of a phrase
	or     string
	and    string
	negate func(positive, negated string) string
}

// fts5Syntax builds SQLite FTS5 MATCH expressions: "a" + "b"* is a phrase
// whose last term is a prefix; NOT is a binary operator.
var fts5Syntax = textSyntax{
	term: func(t kolaborasi.TextTerm) string {
		s := `"` + strings.ReplaceAll(t.Text, `"`, `""`) + `"`
		if t.Prefix {
			s += "*"
		}
		return s
	},
	then:   " + ",
	or:     " OR ",
	and:    " AND ",
	negate: func(p, n string) string { return p + " NOT " + n },
}

// tsquerySyntax builds PostgreSQL tsquery text, read with CAST(? AS
// tsquery) so that PostgreSQL does not analyse the terms again.
var tsquerySyntax = textSyntax{
	term: func(t kolaborasi.TextTerm) string {
		s := "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t.Text) + "'"
		if t.Prefix {
			s += ":*"
		}
		return s
	},
	then:   " <-> ",
	or:     " | ",
	and:    " & ",
	negate: func(p, n string) string { return p + " & !" + n },
}

// compile renders q. Empty terms, phrases and clauses are dropped; a query
// left without a positive clause is an invalid error.
func (x textSyntax) compile(q *kolaborasi.TextQuery) (string, error) {
	var pos, neg []string
	for _, c := range q.Clauses {
		var alts []string
		for _, ph := range c.Alternatives {
			var terms []string
			for _, t := range ph {
				if t.Text != "" {
					terms = append(terms, x.term(t))
				}
			}
			if len(terms) > 0 {
				alts = append(alts, "("+strings.Join(terms, x.then)+")")
			}
		}
		if len(alts) == 0 {
			continue
		}
		e := "(" + strings.Join(alts, x.or) + ")"
		if c.Negated {
			neg = append(neg, e)
		} else {
			pos = append(pos, e)
		}
	}
	if len(pos) == 0 {
		return "", errEmptyText
	}
	out := "(" + strings.Join(pos, x.and) + ")"
	for _, n := range neg {
		out = x.negate(out, n)
	}
	return out, nil
}

// CompileFTS5 and CompileTSQuery expose the compilers to tests and to the
// PostgreSQL-native benchmark baseline.
func CompileFTS5(q *kolaborasi.TextQuery) (string, error) { return fts5Syntax.compile(q) }

// CompileTSQuery renders q as tsquery text; see CompileFTS5.
func CompileTSQuery(q *kolaborasi.TextQuery) (string, error) { return tsquerySyntax.compile(q) }

// textMatches returns the WITH clause "m" of the rows of table whose
// analysed terms match q, with a score (higher is better), and its
// argument: FTS5 on SQLite (the table's ftsTable), a tsvector on
// PostgreSQL. Solutions and products search through it.
func (s *Store) textMatches(table, ftsTable string, q *kolaborasi.TextQuery) (string, any, error) {
	if s.db.engine == Postgres {
		tq, err := CompileTSQuery(q)
		if err != nil {
			return "", nil, err
		}
		return `WITH m AS (SELECT id, ts_rank(tsv, q) AS score FROM ` + table + `, CAST(? AS tsquery) q WHERE tsv @@ q) `, tq, nil
	}
	fq, err := CompileFTS5(q)
	if err != nil {
		return "", nil, err
	}
	// bm25 is smaller for better matches.
	return `WITH m AS (SELECT rowid AS id, -bm25(` + ftsTable + `) AS score FROM ` + ftsTable + ` WHERE ` + ftsTable + ` MATCH ?) `, fq, nil
}

// facetFilters returns a condition per selected facet (any of its values,
// through facetTable's rows of idColumn) on alias.id, in facet name order,
// and their arguments.
func facetFilters(facets map[string][]string, facetTable, idColumn, alias string) ([]string, []any) {
	var where []string
	var args []any
	for _, name := range slices.Sorted(maps.Keys(facets)) {
		values := facets[name]
		if len(values) == 0 {
			continue
		}
		where = append(where, alias+`.id IN (SELECT `+idColumn+` FROM `+facetTable+` WHERE facet = ? AND value IN (?`+
			strings.Repeat(", ?", len(values)-1)+`))`)
		args = append(args, name)
		for _, v := range values {
			args = append(args, v)
		}
	}
	return where, args
}
