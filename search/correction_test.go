package search_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi/search"
)

func terms(text string) []string { return search.Analyzer{}.Terms(text, "id") }

// assertQueryInDoc checks that every term of query is a term of doc: what a
// search engine needs to match the document on an AND query.
func assertQueryInDoc(t *testing.T, query, doc string) {
	t.Helper()
	q, d := terms(query), terms(doc)
	if len(q) == 0 {
		t.Fatalf("query %q has no terms", query)
	}
	for _, term := range q {
		if !slices.Contains(d, term) {
			t.Errorf("term %q of query %q (%q) not in document %q (%q)", term, query, q, doc, d)
		}
	}
}

// Each correction of correction.go, with the Snowball stage's output, so a
// change in either shows up here.
func TestCorrectionKerjasama(t *testing.T) {
	if got := search.StemIndonesian("kerjasama"); got != "rjasama" {
		t.Fatalf("Snowball stage gives %q, want the known fault rjasama", got)
	}
	for _, text := range []string{"kerjasama", "kerja sama", "Kerja Sama", "bekerjasama", "bekerja sama", "kerjasamanya", "dikerjasamakan"} {
		if got := terms(text); !cmp.Equal(got, []string{"kerja", "sama"}) {
			t.Errorf("terms(%q) = %q, want [kerja sama]", text, got)
		}
	}
	// The compound's two terms are consecutive and cover the written word.
	want := []search.Token{
		{Term: "program", Position: 0, Start: 0, End: 7},
		{Term: "kerja", Position: 1, Start: 8, End: 17},
		{Term: "sama", Position: 2, Start: 8, End: 17},
		{Term: "desa", Position: 3, Start: 18, End: 22},
	}
	if diff := cmp.Diff(want, search.Analyzer{}.Analyze("program kerjasama desa", "id")); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
}

func TestCorrectionFinalI(t *testing.T) {
	tests := []struct{ root, snowball, derived string }{
		{"ekonomi", "ekonom", "perekonomian"},
		{"industri", "industr", "perindustrian"},
		{"teknologi", "teknolog", "teknologinya"},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			if got := search.StemIndonesian(tt.root); got != tt.snowball {
				t.Fatalf("Snowball stage gives %q, want %q", got, tt.snowball)
			}
			for _, w := range []string{tt.root, tt.derived} {
				if got := terms(w); !cmp.Equal(got, []string{tt.root}) {
					t.Errorf("terms(%q) = %q, want [%s]", w, got, tt.root)
				}
			}
		})
	}
}

// The outcomes issue K3 requires, at the analyser level.
func TestRequiredMatches(t *testing.T) {
	t.Run("pengaduan masyarakat", func(t *testing.T) {
		assertQueryInDoc(t, "pengaduan masyarakat", "Aduan dari masyarakat desa diterima dinas")
		assertQueryInDoc(t, "pengaduan masyarakat", "Warga dapat mengadukan masalah; masyarakat dilayani")
	})
	t.Run("perizinan izin", func(t *testing.T) {
		assertQueryInDoc(t, "perizinan", "Layanan izin usaha")
		assertQueryInDoc(t, "izin", "Sistem perizinan terpadu")
	})
	t.Run("ekonomi perekonomian", func(t *testing.T) {
		assertQueryInDoc(t, "ekonomi", "Pemulihan perekonomian daerah")
		assertQueryInDoc(t, "perekonomian", "Ekonomi kreatif")
	})
	t.Run("kerjasama kerja sama", func(t *testing.T) {
		assertQueryInDoc(t, "kerjasama", "Kerja sama antardaerah")
		assertQueryInDoc(t, "kerja sama", "Kerjasama antardaerah")
	})
	t.Run("negative control", func(t *testing.T) {
		// The helper must be able to fail: "pajak" is not in this text.
		q, d := terms("pajak"), terms("Layanan izin usaha")
		if slices.Contains(d, q[0]) {
			t.Errorf("unrelated term %q found in %q", q[0], d)
		}
	})
}

// As a phrase, "kerja sama" must match the compound too.
func TestKerjasamaPhrase(t *testing.T) {
	q, err := search.ParseQuery(`"kerja sama"`, search.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q2, err := search.ParseQuery("kerjasama", search.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if q.String() != `"kerja sama"` || q2.String() != `"kerja sama"` {
		t.Errorf(`queries are %s and %s, want both "kerja sama"`, q, q2)
	}
}
