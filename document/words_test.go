package document

import (
	"math"
	"testing"
	"time"
)

func TestTerbilang(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "nol"},
		{1, "satu"},
		{10, "sepuluh"},
		{11, "sebelas"},
		{12, "dua belas"},
		{17, "tujuh belas"},
		{20, "dua puluh"},
		{21, "dua puluh satu"},
		{99, "sembilan puluh sembilan"},
		{100, "seratus"},
		{101, "seratus satu"},
		{111, "seratus sebelas"},
		{250, "dua ratus lima puluh"},
		{1000, "seribu"},
		{1001, "seribu satu"},
		{1100, "seribu seratus"},
		{2017, "dua ribu tujuh belas"},
		{11000, "sebelas ribu"},
		{100000, "seratus ribu"},
		{101000, "seratus satu ribu"},
		{1_000_000, "satu juta"},
		{1_001_000, "satu juta seribu"},
		{2_500_000_000, "dua miliar lima ratus juta"},
		{500_000_000_000, "lima ratus miliar"},
		{1_000_000_000_000, "satu triliun"},
		{-5, "minus lima"},
		{math.MaxInt64, "sembilan kuintiliun dua ratus dua puluh tiga kuadriliun tiga ratus tujuh puluh dua " +
			"triliun tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus tujuh puluh " +
			"lima ribu delapan ratus tujuh"},
		{math.MinInt64, "minus sembilan kuintiliun dua ratus dua puluh tiga kuadriliun tiga ratus tujuh " +
			"puluh dua triliun tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus " +
			"tujuh puluh lima ribu delapan ratus delapan"},
	}
	for _, tt := range tests {
		if got := Terbilang(tt.n); got != tt.want {
			t.Errorf("Terbilang(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		date               time.Time
		formatted, spelled string
	}{
		{day(2017, 3, 8), "8 Maret 2017", "Rabu tanggal delapan bulan Maret tahun dua ribu tujuh belas"},
		{day(2017, 6, 5), "5 Juni 2017", "Senin tanggal lima bulan Juni tahun dua ribu tujuh belas"},
		{day(2024, 2, 29), "29 Februari 2024", "Kamis tanggal dua puluh sembilan bulan Februari tahun dua ribu dua puluh empat"},
		{day(2000, 12, 31), "31 Desember 2000", "Minggu tanggal tiga puluh satu bulan Desember tahun dua ribu"},
		{day(2021, 1, 1), "1 Januari 2021", "Jumat tanggal satu bulan Januari tahun dua ribu dua puluh satu"},
		{day(2022, 1, 1), "1 Januari 2022", "Sabtu tanggal satu bulan Januari tahun dua ribu dua puluh dua"},
		{day(2018, 1, 16), "16 Januari 2018", "Selasa tanggal enam belas bulan Januari tahun dua ribu delapan belas"},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.date); got != tt.formatted {
			t.Errorf("FormatDate(%v) = %q, want %q", tt.date, got, tt.formatted)
		}
		if got := spellDate(tt.date); got != tt.spelled {
			t.Errorf("spellDate(%v) = %q, want %q", tt.date, got, tt.spelled)
		}
	}
	// The calendar date is the one in the time's own location: 8 March 2017
	// 00:30 WIB is 7 March in UTC, and the agreement was signed on the 8th.
	early := time.Date(2017, 3, 8, 0, 30, 0, 0, wib)
	if got := FormatDate(early); got != "8 Maret 2017" {
		t.Errorf("FormatDate(%v) = %q, want the WIB date", early, got)
	}
}

func TestOrdinal(t *testing.T) {
	for n, want := range map[int]string{1: "PIHAK KESATU", 2: "PIHAK KEDUA", 3: "PIHAK KETIGA", 4: "PIHAK KEEMPAT", 11: "PIHAK KESEBELAS"} {
		if got := partyLabel(n - 1); got != want {
			t.Errorf("partyLabel(%d) = %q, want %q", n-1, got, want)
		}
	}
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		start, end time.Time
		want       string
	}{
		{day(2017, 3, 8), day(2022, 3, 7), "5 (lima) tahun"},
		{day(2017, 3, 8), day(2022, 3, 8), "5 (lima) tahun"},
		{day(2017, 6, 5), day(2019, 6, 4), "2 (dua) tahun"},
		{day(2017, 1, 1), day(2018, 6, 30), "18 (delapan belas) bulan"},
		{day(2017, 1, 1), day(2017, 2, 14), "45 (empat puluh lima) hari"},
		{day(2017, 1, 1), day(2017, 1, 1), "1 (satu) hari"},
	}
	for _, tt := range tests {
		if got := period(tt.start, tt.end); got != tt.want {
			t.Errorf("period(%s, %s) = %q, want %q", FormatDate(tt.start), FormatDate(tt.end), got, tt.want)
		}
	}
}

func TestJoin(t *testing.T) {
	if got := join([]string{"A"}); got != "A" {
		t.Errorf("join one = %q", got)
	}
	if got := join([]string{"A", "B"}); got != "A dan B" {
		t.Errorf("join two = %q", got)
	}
	if got := join([]string{"A", "B", "C"}); got != "A, B, dan C" {
		t.Errorf("join three = %q", got)
	}
	if got := join([]string{"1", "2"}, "dan Nomor"); got != "1 dan Nomor 2" {
		t.Errorf("join with conjunction = %q", got)
	}
	if got := letter(0) + letter(25) + letter(26) + letter(27); got != "azaaab" {
		t.Errorf("letters = %q", got)
	}
}
