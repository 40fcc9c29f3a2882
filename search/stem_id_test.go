package search_test

import (
	"testing"

	"github.com/kolaborasi/kolaborasi/search"
)

// TestStemIndonesian pins StemIndonesian on words that exercise each rule.
// The expected stems are PostgreSQL 15's ts_lexize('indonesian_stem', w),
// recorded here so the test runs without a database.
func TestStemIndonesian(t *testing.T) {
	tests := []struct{ word, want string }{
		// Measure of two or less: unchanged.
		{"menyla", "menyla"},
		{"beli", "beli"},
		{"ke", "ke"},
		{"tinggi", "tinggi"},
		// Particles and possessives.
		{"pelajarilah", "ajar"},
		{"belajarnya", "ajar"},
		{"kemajuannya", "maju"},
		{"perbaikinya", "baik"},
		{"pelajarpun", "ajar"},
		// First-order prefixes and the nasal rules.
		{"menyapu", "sapu"},
		{"memukul", "pukul"},
		{"membaca", "baca"},
		{"mengadukan", "adu"},
		{"pengaduan", "adu"},
		{"penyakit", "sakit"},
		{"pemerintah", "perintah"},
		{"pemerintahan", "perintah"}, // no second-order prefix after p-
		{"terbaik", "baik"},
		{"dikenakan", "kena"},
		{"kesatuan", "satu"},
		{"kerjasama", "rjasama"},
		{"mengaji", "aji"},
		{"meniu", "iu"},
		{"memakan", "pakan"},
		// Second order after first order only when a suffix went.
		{"memperbaiki", "baik"},
		{"memperkuat", "perkuat"},
		{"pembelajaran", "ajar"},
		// Second-order prefixes.
		{"perizinan", "izin"},
		{"perekonomian", "ekonomi"},
		{"peraturan", "atur"},
		{"pelayanan", "layan"},
		{"bekerja", "kerja"},
		{"beberapa", "berapa"},
		{"bersihkan", "sihkan"},
		{"belajar", "ajar"},
		{"pelajaran", "ajar"},
		{"pelajarkan", "ajar"},
		{"belajari", "ajari"},
		{"bebelajar", "bebelajar"},
		{"berbelajar", "belajar"},
		{"beperi", "peri"},
		{"be\u0446erkan", "\u0446erkan"},
		// Suffix conditions.
		{"perbaikan", "baik"}, // -kan not after per-, so -an
		{"menulisi", "ulisi"}, // no -i after s
		{"menaii", "ai"},
		{"berkati", "kati"}, // no -i after ber-
		{"keadaani", "adaani"},
		{"mengasihi", "asih"},
		{"ekonomi", "ekonom"},
		{"1234aei", "1234ae"},
	}
	for _, tt := range tests {
		if got := search.StemIndonesian(tt.word); got != tt.want {
			t.Errorf("StemIndonesian(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
