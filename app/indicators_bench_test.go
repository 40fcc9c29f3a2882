package app_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/kolaborasi/kolaborasi/store/storetest"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// benchRows is how many observations the import benchmark writes
// (KOLABORASI_BENCH_ROWS overrides the default of one million).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("KOLABORASI_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// eachBenchRow calls fn with n distinct observations: every kabupaten/kota
// × the seven yearly seed indicators × years from 1900.
func eachBenchRow(b *testing.B, n int, fn func(region, ind string, year int, value float64) error) {
	regions, _, err := wilayah.Regions()
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for _, r := range regions {
		if len(r.Code) == 5 {
			codes = append(codes, r.Code)
		}
	}
	slices.Sort(codes)
	inds := []string{"bps.pertumbuhan-ekonomi", "bps.kemiskinan", "bps.pengangguran-terbuka", "bps.ipm", "spbe.indeks", "layanan.daring", "umkm.terdaftar"}
	i := 0
	for year := 1900; year < 2200; year++ {
		for _, c := range codes {
			for _, ind := range inds {
				if i == n {
					return
				}
				if err := fn(c, ind, year, float64(i%10000)/100); err != nil {
					b.Fatal(err)
				}
				i++
			}
		}
	}
	b.Fatalf("only %d distinct rows", i)
}

// writeBenchFiles generates the CSV (with decimal commas and semicolons,
// as Indonesian Excel writes it) and the XLSX (streamed) of n rows.
func writeBenchFiles(b *testing.B, dir string, n int) (csvPath, xlsxPath string) {
	csvPath, xlsxPath = filepath.Join(dir, "obs.csv"), filepath.Join(dir, "obs.xlsx")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("region_code;indicator_code;period;value;source\n")
	eachBenchRow(b, n, func(region, ind string, year int, v float64) error {
		_, err := fmt.Fprintf(w, "%s;%s;%d;%s;BPS\n", region, ind, year, commaDecimal(v))
		return err
	})
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()

	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"region_code", "indicator_code", "period", "value", "source"})
	row := 1
	eachBenchRow(b, n, func(region, ind string, year int, v float64) error {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, []any{region, ind, year, v, "BPS"})
	})
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := x.SaveAs(xlsxPath); err != nil {
		b.Fatal(err)
	}
	x.Close()
	return csvPath, xlsxPath
}

func commaDecimal(v float64) string {
	s := obsfile.FormatNumber(v) // never ambiguous (1,2340, not 1,234)
	for i := range len(s) {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}

// peakHeap samples the bytes of live and not yet swept heap objects every
// 20 ms until stop is called, and returns the largest.
func peakHeap() (stop func() uint64) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		return peak
	}
}

// BenchmarkImportObservations imports a generated file of one million
// observations (CSV and XLSX) into a fresh SQLite database, all in one
// transaction, and reports rows/s and the peak heap. docs/BENCHMARKS.md
// records the figures ("K5 observation import").
func BenchmarkImportObservations(b *testing.B) {
	n := benchRows()
	csvPath, xlsxPath := writeBenchFiles(b, b.TempDir(), n)
	for _, c := range []struct {
		name   string
		path   string
		format obsfile.Format
	}{{"csv", csvPath, obsfile.CSV}, {"xlsx", xlsxPath, obsfile.XLSX}} {
		b.Run(c.name, func(b *testing.B) {
			info, _ := os.Stat(c.path)
			for b.Loop() {
				b.StopTimer()
				db := storetest.OpenSQLite(b)
				a := app.New(db.Store(), app.WithEphemeralLogKey())
				if _, err := a.LoadReferenceData(context.Background()); err != nil {
					b.Fatal(err)
				}
				f, err := os.Open(c.path)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				stop := peakHeap()
				b.StartTimer()
				start := time.Now()
				rep, err := a.ImportObservations(kolaborasi.WithUser(context.Background(), kolaborasi.System), "", f, c.format, 0)
				elapsed := time.Since(start)
				b.StopTimer()
				peak := stop()
				f.Close()
				if err != nil || rep.Inserted != n {
					b.Fatalf("import: %+v %v", rep, err)
				}
				b.ReportMetric(float64(n)/elapsed.Seconds(), "rows/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(info.Size())/(1<<20), "file-MiB")
				db.Close()
				b.StartTimer()
			}
		})
	}
}
