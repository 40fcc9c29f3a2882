package kolaborasi

import "testing"

func TestJoinNames(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		names []string
		want  string
	}{
		{"id", nil, ""},
		{"id", []string{"Kota Bandung"}, "Kota Bandung"},
		{"id", []string{"Kota Bandung", "Kota Blitar"}, "Kota Bandung dan Kota Blitar"},
		{"id", []string{"A", "B", "C"}, "A, B, dan C"},
		{"en", []string{"A", "B"}, "A and B"},
		{"en", []string{"A", "B", "C"}, "A, B and C"},
		{"en", []string{"A", "B", "C", "D"}, "A, B, C and D"},
	} {
		if got := JoinNames(tc.lang, tc.names); got != tc.want {
			t.Errorf("JoinNames(%s, %q) = %q, want %q", tc.lang, tc.names, got, tc.want)
		}
	}
	if got := JoinNamesWith([]string{"1", "2"}, "dan Nomor"); got != "1 dan Nomor 2" {
		t.Errorf("JoinNamesWith = %q", got)
	}
}
