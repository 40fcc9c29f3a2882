package search_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi/search"
)

func TestAnalyzeTokens(t *testing.T) {
	tests := []struct {
		name, text, lang string
		want             []search.Token
	}{
		{
			name: "stop words leave no gap",
			text: "Pengaduan dari masyarakat",
			lang: "id",
			want: []search.Token{
				{Term: "adu", Position: 0, Start: 0, End: 9},
				{Term: "masyarakat", Position: 1, Start: 15, End: 25},
			},
		},
		{
			name: "full reduplication is one token",
			text: "anak-anak dan kupu-kupu",
			lang: "id",
			want: []search.Token{
				{Term: "anak", Position: 0, Start: 0, End: 9},
				{Term: "kupu", Position: 1, Start: 14, End: 23},
			},
		},
		{
			name: "affixed reduplication with equal stems is one token",
			text: "berlari-lari anak-anaknya",
			lang: "id",
			want: []search.Token{
				{Term: "lari", Position: 0, Start: 0, End: 12},
				{Term: "anak", Position: 1, Start: 13, End: 25},
			},
		},
		{
			name: "a hyphen joins a compound, its pieces kept as parts",
			text: "sayur-mayur e-KTP Covid-19",
			lang: "id",
			want: []search.Token{
				{Term: "sayurmayur", Position: 0, Start: 0, End: 11, Parts: []string{"sayur", "mayur"}},
				{Term: "ektp", Position: 1, Start: 12, End: 17, Parts: []string{"e", "ktp"}},
				{Term: "covid19", Position: 2, Start: 18, End: 26, Parts: []string{"covid", "19"}},
			},
		},
		{
			name: "a hyphenated compound analyses like the word written together",
			text: "e-government egovernment kerja-sama",
			lang: "id",
			want: []search.Token{
				{Term: "egovernment", Position: 0, Start: 0, End: 12, Parts: []string{"e", "government"}},
				{Term: "egovernment", Position: 1, Start: 13, End: 24},
				{Term: "kerja", Position: 2, Start: 25, End: 35},
				{Term: "sama", Position: 3, Start: 25, End: 35},
			},
		},
		{
			name: "a joined word too long to index keeps its pieces",
			text: strings.Repeat("a", 60) + "-" + strings.Repeat("b", 60),
			lang: "id",
			want: []search.Token{
				{Term: strings.Repeat("a", 60), Position: 0, Start: 0, End: 60},
				{Term: strings.Repeat("b", 60), Position: 1, Start: 61, End: 121},
			},
		},
		{
			name: "stop-word reduplication is dropped",
			text: "masing-masing desa",
			lang: "id",
			want: []search.Token{{Term: "desa", Position: 0, Start: 14, End: 18}},
		},
		{
			name: "NFKC, case folding and diacritics, offsets in the original",
			text: "ＰＥＮＤＩＤＩＫＡＮ Kafé ﬁnansial",
			lang: "id",
			want: []search.Token{
				{Term: "didik", Position: 0, Start: 0, End: 30},
				{Term: "kafe", Position: 1, Start: 31, End: 36},
				{Term: "finansial", Position: 2, Start: 37, End: 47},
			},
		},
		{
			name: "decomposed diacritics",
			text: "Sulawesi\u0301",
			lang: "id",
			want: []search.Token{{Term: "sulawesi", Position: 0, Start: 0, End: 10}},
		},
		{
			name: "apostrophe joins, punctuation and invalid bytes separate",
			text: "Jum'at,\xffsalat!",
			lang: "id",
			want: []search.Token{
				{Term: "jumat", Position: 0, Start: 0, End: 6},
				{Term: "salat", Position: 1, Start: 8, End: 13},
			},
		},
		{
			name: "English uses Porter2 and English stop words",
			text: "The Running of the Services",
			lang: "en",
			want: []search.Token{
				{Term: "run", Position: 0, Start: 4, End: 11},
				{Term: "servic", Position: 1, Start: 19, End: 27},
			},
		},
		{
			name: "unknown language is Indonesian",
			text: "pelayanan the",
			lang: "jv",
			want: []search.Token{
				{Term: "layan", Position: 0, Start: 0, End: 9},
				{Term: "the", Position: 1, Start: 10, End: 13},
			},
		},
		{
			name: "too long words are skipped",
			text: strings.Repeat("b", 101) + " jalan",
			lang: "id",
			want: []search.Token{{Term: "jalan", Position: 0, Start: 102, End: 107}},
		},
		{name: "empty", text: "", lang: "id", want: nil},
		{name: "only separators", text: " -- ... ", lang: "id", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := search.Analyzer{}.Analyze(tt.text, tt.lang)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Analyze(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestTermsAppendCompoundParts(t *testing.T) {
	// The text's own terms keep consecutive positions ("layan egovernment
	// warga" stays a phrase); the parts follow.
	got := search.Analyzer{}.Terms("layanan e-government warga, anak-anak dan e-KTP", "id")
	want := []string{"layan", "egovernment", "warga", "anak", "ektp", "e", "government", "e", "ktp"}
	if !cmp.Equal(got, want) {
		t.Errorf("Terms = %q, want %q", got, want)
	}
	if got := (search.Analyzer{}).Terms("E-government services", "en"); !cmp.Equal(got, []string{"egovern", "servic", "e", "govern"}) {
		t.Errorf("English Terms = %q", got)
	}
}

func TestAnalyzeLanguageCodes(t *testing.T) {
	// "running" stems to "run" only in English.
	for _, lang := range []string{"en", "EN", "en-GB", "en_US"} {
		if got := (search.Analyzer{}).Terms("running", lang); !cmp.Equal(got, []string{"run"}) {
			t.Errorf("Terms(running, %q) = %q, want [run]", lang, got)
		}
	}
	for _, lang := range []string{"", "id", "eng", "e", "english"} {
		if got := (search.Analyzer{}).Terms("running", lang); !cmp.Equal(got, []string{"running"}) {
			t.Errorf("Terms(running, %q) = %q, want Indonesian [running]", lang, got)
		}
	}
}

func TestAppendTokensReusesSlice(t *testing.T) {
	buf := make([]search.Token, 0, 16)
	buf = search.Analyzer{}.AppendTokens(buf, "jalan desa", "id")
	buf = search.Analyzer{}.AppendTokens(buf, "air bersih", "id")
	want := []string{"jalan", "desa", "air", "bersih"}
	for i, tok := range buf {
		if tok.Term != want[i] {
			t.Errorf("token %d = %q, want %q", i, tok.Term, want[i])
		}
	}
	if len(buf) != 4 || cap(buf) != 16 {
		t.Errorf("len %d cap %d, want 4 and 16", len(buf), cap(buf))
	}
	// Positions restart for each text.
	if buf[2].Position != 0 {
		t.Errorf("second text starts at position %d, want 0", buf[2].Position)
	}
}
