package obsfile_test

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/kolaborasi/kolaborasi/obsfile"
)

// FuzzCSV feeds arbitrary bytes to the CSV reader: it must never panic,
// rows come in increasing line order, and a row without problems has a
// finite value and its required cells.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("region_code,indicator_code,period,value\n35.72,bps.growth,2024,5.33\n"))
	f.Add([]byte("region_code;indicator_code;period;value;note\n35.72;bps.growth;2024-Q1;\"1.234,5\";caf\xe9\n"))
	f.Add([]byte("\xef\xbb\xbfvalue,period,indicator_code,region_code\n=1+1,2024-03,x,35.72\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRows(t, data, obsfile.CSV) })
}

// FuzzXLSX is FuzzCSV for workbooks. The committed corpus holds hostile
// archives (zip bombs within the upload limit, parts that declare more
// than they hold, deeply nested XML, huge row numbers); go test -fuzz
// mutates them and a small valid workbook.
func FuzzXLSX(f *testing.F) {
	f.Add(xlsxFile(f, [][]any{{"region_code", "indicator_code", "period", "value"}, {"35.72", "bps.growth", 2024, 5.6}}))
	f.Fuzz(func(t *testing.T, data []byte) { checkRows(t, data, obsfile.XLSX) })
}

// checkRows reads a file to its end: opening it fails with a problem or
// it reads; rows come in increasing line order, and a row without
// problems has a finite value and its required cells.
func checkRows(t *testing.T, data []byte, format obsfile.Format) {
	r, err := obsfile.Open(bytes.NewReader(data), format, 1<<20)
	if err != nil {
		if _, ok := err.(*obsfile.Problem); !ok {
			t.Fatalf("opening fails with %T, not a problem: %v", err, err)
		}
		return
	}
	defer r.Close()
	last := 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if _, ok := err.(*obsfile.Problem); !ok {
				t.Fatalf("error is not a problem: %v", err)
			}
			return
		}
		if row.Line <= last {
			t.Fatalf("line %d after %d", row.Line, last)
		}
		last = row.Line
		if len(row.Problems) == 0 && (math.IsNaN(row.Value) || math.IsInf(row.Value, 0) || row.Region == "" || row.Indicator == "" || row.Period == "") {
			t.Fatalf("row without problems is incomplete: %+v", row)
		}
		for _, p := range row.Problems {
			if p.Row != row.Line || p.Message == "" {
				t.Fatalf("problem %+v of row %d", p, row.Line)
			}
		}
	}
}

// FuzzParseNumber checks that what ParseNumber accepts is finite and that
// FormatNumber's output reads back exactly.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"5,6", "1.234,5", "1,234.5", "-0", "1.234.567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := obsfile.ParseNumber(s)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%q → %v", s, v)
		}
		back, err := obsfile.ParseNumber(obsfile.FormatNumber(v))
		if err != nil || back != v {
			t.Fatalf("%q → %v → %q → %v, %v", s, v, obsfile.FormatNumber(v), back, err)
		}
	})
}
