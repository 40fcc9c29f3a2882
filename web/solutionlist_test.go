package web

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/search"
)

// TestSolutionListEncodedAsBefore: the list answer spliced from each
// solution's cached encoding (encodeSolutionList) is byte for byte what
// writeJSON makes of the solutionList of solutionItems: with and without
// snippets, characters JSON may escape, no items, a next link.
func TestSolutionListEncodedAsBefore(t *testing.T) {
	at := time.Date(2026, 3, 8, 10, 30, 0, 123456000, time.UTC)
	a := &kolaborasi.Solution{ID: 3, Kind: kolaborasi.KindSoftware, RegionCode: "32.73", Name: kolaborasi.Texts{ID: `Lapor <Warga> & "Desa"`},
		Short: kolaborasi.Texts{ID: "Aduan warga\u2028cepat"}, Maturity: kolaborasi.MaturityLive, Adoptions: 2, Version: 4,
		Evidence:  []kolaborasi.Claim{{Text: "Aduan selesai < 3 hari", Value: 2.5}},
		CreatedAt: at, UpdatedAt: at, AuthorName: "Editor & Co"}
	b := &kolaborasi.Solution{ID: 9, Kind: kolaborasi.KindService, RegionCode: "35.72", Version: 1, CreatedAt: at, UpdatedAt: at}
	snip := search.Snippet{Text: "aduan <warga> selesai", Hits: []search.Range{{Start: 0, End: 5}}}
	facets := map[string][]kolaborasi.FacetCount{"kind": {{Value: "software", Count: 3}, {Value: "service <&>", Count: 1}}}
	tail := solutionListTail{Total: 40,
		Links: links{Self: "/api/v1/solutions?q=aduan&kind=software", Next: "/api/v1/solutions?page%5Bafter%5D=bzI1&q=aduan"}}
	encodedFacets, err := (&app.SolutionResults{Facets: facets}).FacetsJSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, hits := range map[string][]app.SolutionHit{
		"none":     nil,
		"plain":    {{Solution: a}, {Solution: b}},
		"snippets": {{Solution: a, Snippet: snip}, {Solution: b}},
	} {
		want := solutionList{Data: []solutionItem{}, Total: tail.Total, Facets: facets, Links: tail.Links}
		for _, h := range hits {
			want.Data = append(want.Data, solutionItem{Solution: h.Solution, Snippet: append([]search.Segment{}, h.Snippet.Segments()...)})
		}
		rec := httptest.NewRecorder()
		if err := writeJSON(rec, 200, want); err != nil {
			t.Fatal(err)
		}
		// Into a used buffer, as the pool gives them.
		buf := listBuffers.Get().(*bytes.Buffer)
		buf.WriteString("left over")
		putListBuffer(buf)
		buf = listBuffers.Get().(*bytes.Buffer)
		if err := encodeSolutionList(buf, hits, tail, encodedFacets); err != nil {
			t.Fatal(err)
		}
		got := buf.Bytes()
		if !bytes.Equal(got, rec.Body.Bytes()) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, rec.Body.Bytes())
		}
	}
}
