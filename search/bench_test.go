package search_test

import (
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/search"
)

// benchParagraph is a realistic solution description: written for this
// test, in the style of the platform's content.
const benchParagraph = "Dinas Komunikasi dan Informatika Kabupaten Banyuwangi mengembangkan aplikasi " +
	"pengaduan masyarakat yang terintegrasi dengan layanan kependudukan, perizinan dan kesehatan. " +
	"Melalui aplikasi ini warga dapat melaporkan jalan rusak, lampu penerangan jalan yang padam, " +
	"tumpukan sampah, serta gangguan pelayanan publik lainnya. Setiap laporan diteruskan secara " +
	"otomatis kepada perangkat daerah yang berwenang dan ditindaklanjuti paling lambat tiga hari kerja. " +
	"Pemerintah kabupaten bekerja sama dengan perguruan tinggi untuk menganalisis data pengaduan " +
	"sehingga kebijakan perekonomian dan pembangunan desa dapat direncanakan berdasarkan bukti. " +
	"Solusi ini telah direplikasi oleh kota-kota lain di Jawa Timur, Nusa Tenggara Barat dan " +
	"Sulawesi Selatan; kerjasama antardaerah difasilitasi oleh kementerian terkait."

func BenchmarkAnalyze(b *testing.B) {
	var a search.Analyzer
	buf := make([]search.Token, 0, 256)
	b.SetBytes(int64(len(benchParagraph)))
	b.ReportAllocs()
	for b.Loop() {
		buf = a.AppendTokens(buf[:0], benchParagraph, "id")
	}
}

func BenchmarkStemIndonesian(b *testing.B) {
	words := strings.Fields(strings.ToLower(strings.NewReplacer(",", "", ".", "", ";", "").Replace(benchParagraph)))
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			search.StemIndonesian(w)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(words)), "ns/word")
}

func BenchmarkParseQuery(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := search.ParseQuery(`pengaduan masyarakat OR warga "kerja sama" -banjir perizin`, search.QueryOptions{PrefixLast: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMakeSnippet(b *testing.B) {
	q, err := search.ParseQuery("pengaduan perekonomian", search.QueryOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		search.MakeSnippet(benchParagraph, "id", q, 0)
	}
}
