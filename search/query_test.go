package search_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi/search"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		opts search.QueryOptions
		want string // Query.String()
	}{
		{in: "pengaduan masyarakat", want: "adu masyarakat"},
		{in: `"pelayanan publik" perizinan`, want: `"layan publik" izin`},
		{in: `"izin"`, want: `"izin"`},
		{in: "jalan -banjir", want: "jalan -banjir"},
		{in: `jalan -"air bersih"`, want: `jalan -"air bersih"`},
		{in: "sampah OR limbah daur", want: "(sampah OR limbah) daur"},
		{in: `sampah OR "air limbah" OR polusi`, want: `(sampah OR "air limbah" OR polusi)`},
		{in: "sampah or limbah", want: "sampah or limbah"}, // lower-case or is a word
		{in: "OR sampah OR", want: "sampah"},
		{in: "sampah OR OR limbah", want: "(sampah OR limbah)"},
		{in: "sampah OR -limbah", want: "sampah -limbah"},
		{in: "-limbah OR sampah", want: "-limbah sampah"},
		{in: "sampah OR dan jalan", want: "sampah jalan"}, // stop-word alternative dropped with its OR
		{in: "pendidik*", want: "didik*"},
		{in: "pendid*", want: "pendid*"}, // too short to stem
		{in: `"kerja sa"*`, want: `"kerja sa*"`},
		{in: "dan*", want: "dan*"}, // stop word kept as a prefix
		{in: "jalan - desa", want: "jalan desa"},
		{in: `jalan "air bersih`, want: `jalan "air bersih"`}, // unclosed quote
		{in: "e-KTP", want: "ektp"},
		{in: "e-government", want: "egovernment"},
		{in: "layanan -e-government", want: "layan -egovernment"},
		{in: "-e-government layanan", want: "-egovernment layan"},
		{in: `"izin"-banjir`, want: `"izin" banjir`}, // no space before the -: not an exclusion
		{in: "e-gov*", want: "egov*"},
		{in: "kerjasama", want: `"kerja sama"`},
		{in: "yang jalan dan", want: "jalan"},
		{in: "layanan kesehat", opts: search.QueryOptions{PrefixLast: true}, want: "layan sehat*"},
		{in: "layanan kesehat ", opts: search.QueryOptions{PrefixLast: true}, want: "layan sehat"},
		{in: `layanan "kesehatan"`, opts: search.QueryOptions{PrefixLast: true}, want: `layan "sehat"`},
		{in: "layanan -kesehatan", opts: search.QueryOptions{PrefixLast: true}, want: "layan -sehat"},
		{in: "jalan dan", opts: search.QueryOptions{PrefixLast: true}, want: "jalan dan*"},
		{in: "the running services", opts: search.QueryOptions{Language: "en"}, want: "run servic"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := search.ParseQuery(tt.in, tt.opts)
			if err != nil {
				t.Fatalf("ParseQuery(%q) error: %v", tt.in, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("ParseQuery(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseQueryTree(t *testing.T) {
	q, err := search.ParseQuery(`Pengaduan OR "kerja sama" -Banjir izin*`, search.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := search.Query{Clauses: []search.Clause{
		{Alternatives: []search.Phrase{
			{Terms: []search.Term{{Text: "adu", Surface: "Pengaduan"}}},
			{Terms: []search.Term{{Text: "kerja", Surface: "kerja"}, {Text: "sama", Surface: "sama"}}, Quoted: true},
		}},
		{Negated: true, Alternatives: []search.Phrase{{Terms: []search.Term{{Text: "banjir", Surface: "Banjir"}}}}},
		{Alternatives: []search.Phrase{{Terms: []search.Term{{Text: "izin", Surface: "izin", Prefix: true}}}}},
	}}
	if diff := cmp.Diff(want, q); diff != "" {
		t.Errorf("tree mismatch (-want +got):\n%s", diff)
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", search.ErrEmptyQuery},
		{"   ", search.ErrEmptyQuery},
		{"-", search.ErrEmptyQuery},
		{`OR - "" * OR`, search.ErrEmptyQuery},
		{`"`, search.ErrEmptyQuery},
		{"*", search.ErrEmptyQuery},
		{"OR", search.ErrEmptyQuery},
		{"(", search.ErrEmptyQuery},
		{"- ( ) * --", search.ErrEmptyQuery},
		{strings.Repeat("-\"", 400), search.ErrEmptyQuery},
		{"yang dan atau", search.ErrNoSearchableTerms},
		{`"yang dari"`, search.ErrNoSearchableTerms},
		{"-banjir", search.ErrOnlyExclusions},
		{`-banjir -"air bersih" dan`, search.ErrOnlyExclusions},
		{strings.Repeat("a", search.MaxQueryBytes+1), search.ErrQueryTooLong},
		{strings.Repeat("jalan ", 10*1024/6), search.ErrQueryTooLong},
		{strings.Repeat("jalan ", search.MaxQueryTerms+1), search.ErrTooManyTerms},
		{`"` + strings.Repeat("air ", search.MaxQueryTerms+1) + `"`, search.ErrTooManyTerms},
	}
	for _, tt := range tests {
		name := tt.in
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			q, err := search.ParseQuery(tt.in, search.QueryOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseQuery error = %v (query %s), want %v", err, q, tt.want)
			}
			if len(q.Clauses) != 0 {
				t.Errorf("got clauses %s with an error", q)
			}
		})
	}
	// Exactly at the limits is fine.
	if _, err := search.ParseQuery(strings.Repeat("jalan ", search.MaxQueryTerms), search.QueryOptions{}); err != nil {
		t.Errorf("query with %d terms: %v", search.MaxQueryTerms, err)
	}
}

func TestQueryErrorMessages(t *testing.T) {
	if got := search.ErrOnlyExclusions.Error(); !strings.Contains(got, "needs at least one term to search for") {
		t.Errorf("ErrOnlyExclusions = %q", got)
	}
	if got := search.ErrQueryTooLong.Error(); !strings.Contains(got, "1000 bytes") {
		t.Errorf("ErrQueryTooLong = %q", got)
	}
}
