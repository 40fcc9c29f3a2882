package search_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kolaborasi/kolaborasi/search"
)

const paragraph = "Pemerintah Kota Surabaya membangun sistem informasi terpadu untuk seluruh kelurahan. " +
	"Sistem ini menghubungkan kantor kecamatan, puskesmas dan sekolah dalam satu jaringan. " +
	"Warga dapat mengadukan jalan rusak, banjir dan sampah melalui aplikasi, lalu petugas " +
	"menindaklanjuti laporan dalam tiga hari kerja. Data pengaduan dibuka untuk umum setiap bulan " +
	"sehingga masyarakat dapat memantau kinerja pelayanan publik di wilayahnya sendiri."

func mustParse(t *testing.T, s string) search.Query {
	t.Helper()
	q, err := search.ParseQuery(s, search.QueryOptions{})
	if err != nil {
		t.Fatalf("ParseQuery(%q): %v", s, err)
	}
	return q
}

func hitTexts(s search.Snippet) []string {
	var out []string
	for _, seg := range s.Segments() {
		if seg.Hit {
			out = append(out, seg.Text)
		}
	}
	return out
}

func TestHighlightsStemmedMatch(t *testing.T) {
	text := "Warga mengadukan jalan rusak; aduan lain soal pengaduan banjir."
	got := search.Highlights(text, "id", mustParse(t, "aduan -banjir"))
	want := []search.Range{{6, 16}, {30, 35}, {46, 55}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Highlights (-want +got):\n%s", diff)
	}
}

func TestHighlightsPrefixAndCompound(t *testing.T) {
	text := "Kerjasama kesehatan; kerja sama pendidikan."
	got := search.Highlights(text, "id", mustParse(t, `"kerja sama" sehat*`))
	want := []search.Range{{0, 9}, {10, 19}, {21, 26}, {27, 31}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Highlights (-want +got):\n%s", diff)
	}
}

func TestHighlightsHyphenatedCompound(t *testing.T) {
	// The joined term and a piece of the compound both highlight the
	// whole written word.
	text := "Layanan e-KTP dan e-government."
	for q, want := range map[string][]search.Range{
		"e-government": {{18, 30}},
		"ktp":          {{8, 13}},
		"gov*":         {{18, 30}},
	} {
		if diff := cmp.Diff(want, search.Highlights(text, "id", mustParse(t, q))); diff != "" {
			t.Errorf("Highlights %q (-want +got):\n%s", q, diff)
		}
	}
}

func TestMakeSnippet(t *testing.T) {
	s := search.MakeSnippet(paragraph, "id", mustParse(t, "aduan"), 0)
	if !strings.HasPrefix(s.Text, "…") || !strings.HasSuffix(s.Text, "…") {
		t.Errorf("snippet %q should be cut on both sides", s.Text)
	}
	body := strings.TrimSuffix(strings.TrimPrefix(s.Text, "…"), "…")
	if len(body) > search.DefaultSnippetBytes {
		t.Errorf("snippet body is %d bytes, want at most %d", len(body), search.DefaultSnippetBytes)
	}
	if !strings.Contains(paragraph, body) {
		t.Fatalf("snippet body %q is not a slice of the text", body)
	}
	// Cut at word boundaries: the text around the body is space or punctuation.
	at := strings.Index(paragraph, body)
	if before := paragraph[at-1]; before != ' ' {
		t.Errorf("snippet starts inside a word (byte before is %q)", before)
	}
	if after := paragraph[at+len(body)]; after != ' ' {
		t.Errorf("snippet ends inside a word (byte after is %q)", after)
	}
	// "pengaduan" is too far after "mengadukan" for 160 bytes.
	if got, want := hitTexts(s), []string{"mengadukan"}; !cmp.Equal(got, want) {
		t.Errorf("hits %q, want %q (snippet %q)", got, want, s.Text)
	}
}

func TestMakeSnippetPicksBestWindow(t *testing.T) {
	// "kinerja" and "pelayanan" only occur together near the end.
	s := search.MakeSnippet(paragraph, "id", mustParse(t, "sistem OR kinerja layanan"), 100)
	got := hitTexts(s)
	if !cmp.Equal(got, []string{"kinerja", "pelayanan"}) {
		t.Errorf("hits %q in %q, want kinerja and pelayanan", got, s.Text)
	}
}

func TestMakeSnippetShortAndNoHit(t *testing.T) {
	short := "Aduan warga"
	s := search.MakeSnippet(short, "id", mustParse(t, "pengaduan"), 0)
	want := search.Snippet{Text: short, Hits: []search.Range{{0, 5}}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("short text (-want +got):\n%s", diff)
	}
	s = search.MakeSnippet(paragraph, "id", mustParse(t, "pajak"), 80)
	if !strings.HasPrefix(s.Text, "Pemerintah Kota") || !strings.HasSuffix(s.Text, "…") || len(s.Hits) != 0 {
		t.Errorf("no-hit snippet = %+v, want the start of the text", s)
	}
}

func TestMakeSnippetMultibyte(t *testing.T) {
	text := strings.Repeat("é ", 200) + "aduan " + strings.Repeat("日本 ", 100)
	s := search.MakeSnippet(text, "id", mustParse(t, "aduan"), 50)
	if !utf8.ValidString(s.Text) {
		t.Fatalf("snippet %q is not valid UTF-8", s.Text)
	}
	if got := hitTexts(s); !cmp.Equal(got, []string{"aduan"}) {
		t.Errorf("hits %q in %q", got, s.Text)
	}
}

func TestSegments(t *testing.T) {
	s := search.Snippet{Text: "a <b> c", Hits: []search.Range{{2, 5}}}
	want := []search.Segment{{Text: "a "}, {Text: "<b>", Hit: true}, {Text: " c"}}
	if diff := cmp.Diff(want, s.Segments()); diff != "" {
		t.Errorf("Segments (-want +got):\n%s", diff)
	}
	// Ranges that do not fit are skipped, not a panic.
	bad := search.Snippet{Text: "abc", Hits: []search.Range{{2, 9}, {1, 0}}}
	if diff := cmp.Diff([]search.Segment{{Text: "abc"}}, bad.Segments()); diff != "" {
		t.Errorf("bad ranges (-want +got):\n%s", diff)
	}
}
