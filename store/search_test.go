package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/search"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

func TestCompile(t *testing.T) {
	tests := []struct{ query, fts, tsq string }{
		{"izin", `((("izin")))`, `((('izin')))`},
		{`"bank sampah" -pilah`, `((("bank" + "sampah"))) NOT (("pilah"))`, `((('bank' <-> 'sampah'))) & !(('pilah'))`},
		{"parkir OR wisata*", `((("parkir") OR ("wisata"*)))`, `((('parkir') | ('wisata':*)))`},
		{"kerjasama izin", `((("kerja" + "sama")) AND (("izin")))`, `((('kerja' <-> 'sama')) & (('izin')))`},
	}
	for _, tt := range tests {
		q, err := search.ParseQuery(tt.query, search.QueryOptions{})
		if err != nil {
			t.Fatal(err)
		}
		tq := storetest.TextQuery(q)
		if got, err := store.CompileFTS5(tq); err != nil || got != tt.fts {
			t.Errorf("FTS5 %q = %s, %v; want %s", tt.query, got, err, tt.fts)
		}
		if got, err := store.CompileTSQuery(tq); err != nil || got != tt.tsq {
			t.Errorf("tsquery %q = %s, %v; want %s", tt.query, got, err, tt.tsq)
		}
	}
	// Quotes inside terms cannot escape (the analyser never makes such
	// terms, but the compiler does not rely on it).
	odd := &kolaborasi.TextQuery{Clauses: []kolaborasi.TextClause{{Alternatives: [][]kolaborasi.TextTerm{{{Text: `a"b'c\`}}}}}}
	if got, _ := store.CompileFTS5(odd); got != `((("a""b'c\")))` {
		t.Errorf("FTS5 quoting: %s", got)
	}
	if got, _ := store.CompileTSQuery(odd); got != `((('a"b''c\\')))` {
		t.Errorf("tsquery quoting: %s", got)
	}
	empty := &kolaborasi.TextQuery{Clauses: []kolaborasi.TextClause{{Negated: true, Alternatives: [][]kolaborasi.TextTerm{{{Text: "x"}}}}}}
	if _, err := store.CompileFTS5(empty); kolaborasi.ErrorCode(err) != kolaborasi.EINVALID {
		t.Errorf("only negated: %v", err)
	}
}

// searchEngines opens both engines with the fixed corpus, for running
// hostile queries on the real full-text engines.
func searchEngines(t testing.TB) map[string]kolaborasi.Store {
	t.Helper()
	out := map[string]kolaborasi.Store{"sqlite": storetest.OpenSQLite(t).Store()}
	if storetest.WantPostgres() {
		out["postgres"] = storetest.OpenPostgres(t).Store()
	}
	for _, s := range out {
		storetest.LoadRegions(t, s)
		if err := s.CreateSolutions(context.Background(), storetest.SearchCorpus()); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// runQuery parses and runs a query on every engine: a query the parser
// accepts must never make the engine fail, and the engines must agree.
func runQuery(t testing.TB, engines map[string]kolaborasi.Store, s string) {
	q, err := search.ParseQuery(s, search.QueryOptions{PrefixLast: true})
	if err != nil {
		return
	}
	total := -1
	for name, st := range engines {
		page, err := st.SearchSolutions(context.Background(), kolaborasi.SolutionFilter{Text: storetest.TextQuery(q), NoFacets: true})
		if err != nil {
			t.Fatalf("%s: query %q (%s): %v", name, s, q, err)
		}
		if total >= 0 && page.Total != total {
			t.Fatalf("query %q: engines disagree (%d vs %d)", s, total, page.Total)
		}
		total = page.Total
	}
}

func TestHostileQueries(t *testing.T) {
	engines := searchEngines(t)
	for _, s := range []string{
		`"" OR OR -"-" *** NEAR( AND NOT ) ^ : {} sampah`,
		`'; DROP TABLE solutions; -- sampah`,
		`sampah" OR "bank`, `-(izin) OR (izin) "izin*" izin:* izin&!izin`,
		strings.Repeat("( ", 300) + "izin",
		strings.Repeat("izin OR ", 120),
		`\ \' \" izin`, "izin\x00usaha", "ízín ÜSAHA", "usaha*", "NOT izin", "col:izin", "^izin",
	} {
		runQuery(t, engines, s)
	}
	// A 10 KB query is refused by the parser with a sentinel the app turns
	// into an invalid error.
	if _, err := search.ParseQuery(strings.Repeat("izin ", 2048), search.QueryOptions{}); err == nil {
		t.Error("10 KB query accepted")
	}
}

func FuzzSearchQuery(f *testing.F) {
	for _, s := range []string{"izin", `"bank sampah" -pilah`, "a OR b*", `" - OR *`, "kerjasama", `x"y`, "NEAR(a b)"} {
		f.Add(s)
	}
	engines := searchEngines(f)
	f.Fuzz(func(t *testing.T, s string) { runQuery(t, engines, s) })
}
