package publiccode

import (
	"os"
	"testing"
)

// BenchmarkValidateCorpus parses and validates the 46 real files repeated to 10,000 files per iteration and
// reports throughput in files per second.
func BenchmarkValidateCorpus(b *testing.B) {
	var corpus [][]byte
	for _, fn := range realFiles(b) {
		data, err := os.ReadFile(fn)
		if err != nil {
			b.Fatal(err)
		}
		corpus = append(corpus, data)
	}
	const files = 10_000
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i := range files {
			if f, _ := Parse(corpus[i%len(corpus)]); f == nil {
				b.Fatal("real file did not parse")
			}
		}
	}
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
