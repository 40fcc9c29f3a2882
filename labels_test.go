package kolaborasi_test

import (
	"testing"

	"github.com/kolaborasi/kolaborasi"
)

func TestLabelsCoverEveryValue(t *testing.T) {
	var keys []string
	for _, k := range kolaborasi.SolutionKinds {
		keys = append(keys, "kind."+string(k))
	}
	for _, d := range kolaborasi.Dimensions {
		keys = append(keys, "dimension."+string(d))
	}
	for _, s := range kolaborasi.Sectors {
		keys = append(keys, "sector."+string(s))
	}
	for _, k := range keys {
		if l := kolaborasi.Labels[k]; l.ID == "" || l.EN == "" {
			t.Errorf("label %s = %+v, want both languages", k, l)
		}
	}
	if len(kolaborasi.Labels) != len(keys) {
		t.Errorf("%d labels for %d values", len(kolaborasi.Labels), len(keys))
	}
}

func TestSearchTexts(t *testing.T) {
	s := &kolaborasi.Solution{Kind: kolaborasi.KindService, Name: kolaborasi.Texts{ID: "Lapor"},
		Dimensions: []kolaborasi.Dimension{kolaborasi.DimGovernance}, Sectors: []kolaborasi.Sector{"umkm"}}
	got := s.SearchTexts("Kota Bandung")
	want := []kolaborasi.Texts{{ID: "Lapor"}, {}, {}, {ID: "Layanan", EN: "Service"},
		{ID: "Smart governance", EN: "Smart governance"}, {ID: "UMKM", EN: "SMEs (UMKM)"}, {ID: "Kota Bandung"}}
	if len(got) != len(want) {
		t.Fatalf("SearchTexts = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("text %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
