package search_test

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kolaborasi/kolaborasi/search"
)

// TestStemIndonesianOracle compares StemIndonesian (the Snowball stage only,
// before any correction) with PostgreSQL's indonesian_stem dictionary on
// generated word forms. It needs KOLABORASI_TEST_POSTGRES; with CI=true a
// missing database is a failure, not a skip.
func TestStemIndonesianOracle(t *testing.T) {
	dsn := os.Getenv("KOLABORASI_TEST_POSTGRES")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KOLABORASI_TEST_POSTGRES must be set when CI=true")
		}
		t.Skip("KOLABORASI_TEST_POSTGRES not set")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	words := oracleWords(t)
	if len(words) < 20000 {
		t.Fatalf("generated %d distinct words, want at least 20000", len(words))
	}

	const batch = 25000
	var agreed int
	var diffs []string
	for lo := 0; lo < len(words); lo += batch {
		hi := min(lo+batch, len(words))
		rows, err := db.QueryContext(t.Context(),
			`SELECT w, (ts_lexize('indonesian_stem', w))[1] FROM unnest($1::text[]) AS w`,
			words[lo:hi])
		if err != nil {
			t.Fatalf("query postgres: %v", err)
		}
		n := 0
		for rows.Next() {
			var w string
			var want sql.NullString
			if err := rows.Scan(&w, &want); err != nil {
				t.Fatalf("scan: %v", err)
			}
			n++
			if got := search.StemIndonesian(w); want.Valid && got == want.String {
				agreed++
			} else if len(diffs) < 20 {
				diffs = append(diffs, fmt.Sprintf("%s: got %q, postgres %q (valid %v)", w, got, want.String, want.Valid))
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("read rows: %v", err)
		}
		rows.Close()
		if n != hi-lo {
			t.Fatalf("postgres returned %d rows for %d words", n, hi-lo)
		}
	}
	t.Logf("%d of %d words agree with ts_lexize('indonesian_stem')", agreed, len(words))
	if agreed != len(words) {
		t.Errorf("%d words disagree; first ones:\n%s", len(words)-agreed, strings.Join(diffs, "\n"))
	}
}

// oracleWords builds the distinct, sorted word forms for the oracle test
// from testdata/roots.txt: each root with plain and nasal-assimilated
// prefixes, suffixes, and a deterministic choice of enclitics.
func oracleWords(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/roots.txt")
	if err != nil {
		t.Fatalf("open roots: %v", err)
	}
	defer f.Close()
	var roots []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			roots = append(roots, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read roots: %v", err)
	}

	prefixes := []string{"", "meng", "meny", "men", "mem", "me", "peng", "peny", "pen", "pem",
		"pe", "per", "ber", "be", "di", "ter", "ke", "se", "memper", "diper", "pember", "keber", "seper"}
	suffixes := []string{"", "kan", "an", "i"}
	enclitics := []string{"ku", "mu", "nya", "lah", "kah", "pun", "tah", "nyalah", "nyapun", "kulah", "mukah", "nyakah"}

	seen := make(map[string]bool)
	add := func(w string) { seen[w] = true }
	i := 0
	for _, root := range roots {
		stems := []string{root}
		for _, p := range prefixes[1:] {
			stems = append(stems, p+root)
		}
		stems = append(stems, nasal("me", root), nasal("pe", root))
		for _, st := range stems {
			for _, suf := range suffixes {
				w := st + suf
				add(w)
				add(w + enclitics[i%len(enclitics)])
				add(w + enclitics[(i*7+3)%len(enclitics)])
				i++
			}
		}
	}
	add("belajar")
	add("pelajaran")
	add("pembelajaran")
	add("bekerjasama")
	// Not produced by the generator: non-ASCII after be-, digits, vowel runs.
	for _, w := range []string{"beцerkan", "beцeraan", "diaiai", "1234aei", "meny", "menyi", "ke123ab"} {
		add(w)
	}
	words := make([]string, 0, len(seen))
	for w := range seen {
		words = append(words, w)
	}
	slices.Sort(words)
	return words
}

// nasal attaches meN- or peN- (prefix "me" or "pe") to root with the nasal
// assimilation of standard Indonesian: sapu → menyapu, pukul → memukul,
// tulis → menulis, kirim → mengirim, ambil → mengambil, baca → membaca.
func nasal(prefix, root string) string {
	switch root[0] {
	case 's':
		return prefix + "ny" + root[1:]
	case 'p':
		return prefix + "m" + root[1:]
	case 't':
		return prefix + "n" + root[1:]
	case 'k':
		return prefix + "ng" + root[1:]
	case 'b', 'f', 'v':
		return prefix + "m" + root
	case 'c', 'd', 'j', 'z':
		return prefix + "n" + root
	case 'l', 'm', 'n', 'r', 'w', 'y':
		return prefix + root
	default: // vowels, g, h
		return prefix + "ng" + root
	}
}
