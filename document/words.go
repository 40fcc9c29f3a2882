package document

import (
	"strconv"
	"strings"
	"time"
)

var smallNumbers = [...]string{
	"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
	"sepuluh", "sebelas",
}

// scales are the Indonesian names of the powers of one thousand, from the
// largest down. "ribu" is special: 1000 is "seribu", not "satu ribu".
var scales = [...]struct {
	value int64
	name  string
}{
	{1_000_000_000_000_000_000, "kuintiliun"},
	{1_000_000_000_000_000, "kuadriliun"},
	{1_000_000_000_000, "triliun"},
	{1_000_000_000, "miliar"},
	{1_000_000, "juta"},
	{1_000, "ribu"},
}

// Terbilang spells n out in Indonesian words, as written in legal documents
// ("terbilang"): 0 is "nol", 11 "sebelas", 17 "tujuh belas", 100 "seratus",
// 2017 "dua ribu tujuh belas", 1000000 "satu juta". Negative numbers start
// with "minus".
func Terbilang(n int64) string {
	if n == 0 {
		return smallNumbers[0]
	}
	var words []string
	// Work on the magnitude as uint64 so that math.MinInt64 has one.
	u := uint64(n)
	if n < 0 {
		words = append(words, "minus")
		u = uint64(-(n + 1)) + 1
	}
	for _, s := range scales {
		sv := uint64(s.value)
		if u < sv {
			continue
		}
		group := u / sv
		u %= sv
		if group == 1 && s.name == "ribu" {
			words = append(words, "seribu")
			continue
		}
		words = append(words, belowThousand(group), s.name)
	}
	if u > 0 {
		words = append(words, belowThousand(u))
	}
	return strings.Join(words, " ")
}

// belowThousand spells 1 ≤ n ≤ 999.
func belowThousand(n uint64) string {
	var words []string
	if h := n / 100; h > 0 {
		if h == 1 {
			words = append(words, "seratus")
		} else {
			words = append(words, smallNumbers[h], "ratus")
		}
		n %= 100
	}
	switch {
	case n == 0:
	case n < 12:
		words = append(words, smallNumbers[n])
	case n < 20:
		words = append(words, smallNumbers[n-10], "belas")
	default:
		words = append(words, smallNumbers[n/10], "puluh")
		if n%10 > 0 {
			words = append(words, smallNumbers[n%10])
		}
	}
	return strings.Join(words, " ")
}

var weekdays = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

var months = [...]string{
	"Januari", "Februari", "Maret", "April", "Mei", "Juni",
	"Juli", "Agustus", "September", "Oktober", "November", "Desember",
}

// weekdayName is the Indonesian name of the day of the week.
func weekdayName(d time.Weekday) string { return weekdays[d] }

// monthName is the Indonesian name of the month.
func monthName(m time.Month) string { return months[m-1] }

// FormatDate writes the calendar date of t the Indonesian way, with the month
// in words: "8 Maret 2017". The date is taken in t's own location.
func FormatDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + monthName(t.Month()) + " " + strconv.Itoa(t.Year())
}

// spellDate writes the date of t fully in words, as in the opening of an
// agreement: "Rabu tanggal delapan bulan Maret tahun dua ribu tujuh belas".
func spellDate(t time.Time) string {
	return weekdayName(t.Weekday()) + " tanggal " + Terbilang(int64(t.Day())) +
		" bulan " + monthName(t.Month()) + " tahun " + Terbilang(int64(t.Year()))
}

// ordinal is the ordinal word used to name parties: 1 "kesatu", 2 "kedua",
// 11 "kesebelas". Indonesian legal drafting writes "kesatu" rather than
// "pertama" for the first party.
func ordinal(n int) string {
	return "ke" + Terbilang(int64(n))
}

// withWords writes n as digits followed by its words in brackets, the usual
// form for quantities in an agreement: "5 (lima)".
func withWords(n int) string {
	return strconv.Itoa(n) + " (" + Terbilang(int64(n)) + ")"
}
