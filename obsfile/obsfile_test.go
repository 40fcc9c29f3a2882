package obsfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi/obsfile"
	"github.com/xuri/excelize/v2"
)

func TestParseNumber(t *testing.T) {
	good := map[string]float64{
		"5,6": 5.6, "5.6": 5.6, "-5,6": -5.6, "+3": 3, "1234": 1234, "0": 0, " 12 ": 12,
		"1.234,5": 1234.5, "1,234.5": 1234.5, "1.234.567": 1234567, "1,234,567": 1234567, "1.234.567,25": 1234567.25,
		"1,2340": 1.234, "1.2340": 1.234, "0,001": 0.001, "0.125": 0.125, "1234,567": 1234.567, "12,5": 12.5, "1.234,0": 1234,
	}
	for in, want := range good {
		got, err := obsfile.ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"1.234", "1,234", "-12.500", "999,999", "", "-", "abc", "5,6,7.8", "1.23.4", "12,34,5", "1,2345.6", "5%", "Rp 5", "1e3", "NaN", "Inf", ",5", "5,", "1 234",
		"1.234,5.6", "--1", "0x10", "１２"} {
		if v, err := obsfile.ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", in, v)
		}
	}
}

// readAll reads every row of a file, returning the rows without problems,
// the problems and the error that ended it (nil at the end of the file).
func readAll(t testing.TB, data []byte, f obsfile.Format, max int64) ([]*obsfile.Row, []obsfile.Problem, error) {
	t.Helper()
	r, err := obsfile.Open(bytes.NewReader(data), f, max)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var rows []*obsfile.Row
	var probs []obsfile.Problem
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, probs, nil
		}
		if err != nil {
			return rows, probs, err
		}
		if len(row.Problems) > 0 {
			probs = append(probs, row.Problems...)
			continue
		}
		rows = append(rows, row)
	}
}

func TestCSVForms(t *testing.T) {
	cases := map[string][]byte{
		"utf8":      []byte("region_code,indicator_code,period,value,note\n35.72,bps.growth,2024,5.33,Kota Blitar\n"),
		"bom":       append([]byte{0xEF, 0xBB, 0xBF}, "Region_Code,Indicator_Code,Period,Value,Note\n35.72,bps.growth,2024,\"5,33\",Kota Blitar\n"...),
		"semicolon": []byte("region_code;indicator_code;period;value;note\r\n35.72;bps.growth;2024;5,33;Kota Blitar\r\n"),
		"tab":       []byte("region_code\tindicator_code\tperiod\tvalue\tnote\n35.72\tbps.growth\t2024\t5.33\tKota Blitar\n"),
	}
	for name, data := range cases {
		rows, probs, err := readAll(t, data, obsfile.CSV, 0)
		if err != nil || len(probs) > 0 || len(rows) != 1 {
			t.Fatalf("%s: %v %v %v", name, rows, probs, err)
		}
		r := rows[0]
		if r.Region != "35.72" || r.Indicator != "bps.growth" || r.Period != "2024" || r.Value != 5.33 || r.Note != "Kota Blitar" || r.Line != 2 {
			t.Errorf("%s: row = %+v", name, r)
		}
	}
}

func TestCSVLatin1(t *testing.T) {
	// "Dinas Komunikasi & Informatika – catatan é" in Windows-1252.
	data := []byte("region_code;indicator_code;period;value;note\n35.72;bps.growth;2024;5,6;caf\xe9 \x96 catatan\n")
	rows, probs, err := readAll(t, data, obsfile.CSV, 0)
	if err != nil || len(probs) > 0 || len(rows) != 1 {
		t.Fatalf("%v %v %v", rows, probs, err)
	}
	if rows[0].Note != "café – catatan" || rows[0].Value != 5.6 {
		t.Fatalf("note %q value %v", rows[0].Note, rows[0].Value)
	}
}

func TestCSVInvalidUTF8AfterTheStart(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("region_code,indicator_code,period,value,note\n")
	for b.Len() < 70<<10 {
		b.WriteString("35.72,bps.growth,2024,5.6,ok\n")
	}
	lines := strings.Count(b.String(), "\n")
	b.WriteString("35.72,bps.growth,2025,5.6,caf\xe9\n")
	_, probs, err := readAll(t, b.Bytes(), obsfile.CSV, 0)
	if err != nil || len(probs) != 1 || probs[0].Row != lines+1 || probs[0].Column != "note" {
		t.Fatalf("problems %v, %v; want one at row %d, note", probs, err, lines+1)
	}
}

func TestCSVBadRowAtLine80000(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("region_code,indicator_code,period,value\n")
	for line := 2; line <= 100000; line++ {
		v := fmt.Sprintf("%d,5", line%100)
		if line == 80000 {
			v = "lima koma enam"
		}
		fmt.Fprintf(&b, "35.72,bps.growth,%d,\"%s\"\n", 1900+line%300, v)
	}
	rows, probs, err := readAll(t, b.Bytes(), obsfile.CSV, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(probs) != 1 || probs[0].Row != 80000 || probs[0].Column != "value" || !strings.Contains(probs[0].Message, "lima koma enam") {
		t.Fatalf("problems = %v", probs)
	}
	if len(rows) != 99998 {
		t.Fatalf("%d good rows", len(rows))
	}
}

func TestCSVRefusals(t *testing.T) {
	cases := []struct {
		name, data string
		row        int
		column     string
		fatal      bool
	}{
		{"formula", "region_code,indicator_code,period,value\n35.72,x,2024,=A1*2\n", 2, "value", false},
		{"missing value", "region_code,indicator_code,period,value\n35.72,x,2024,\n", 2, "value", false},
		{"missing region", "region_code,indicator_code,period,value\n,x,2024,1\n", 2, "region_code", false},
		{"unknown column", "region_code,indicator_code,period,value,colour\n", 1, "colour", true},
		{"missing column", "region_code,period,value\n", 1, "indicator_code", true},
		{"twice", "region_code,indicator_code,period,value,value\n", 1, "value", true},
		{"empty", "", 1, "", true},
		{"blank", "\n\n  \n", 1, "", true},
		{"utf16", "\xff\xfer\x00e\x00", 1, "", true},
		{"bad quote", "region_code,indicator_code,period,value\n35.72,x,2024,1\n35.72,\"x,2024,1\n", 3, "", true},
	}
	for _, c := range cases {
		_, probs, err := readAll(t, []byte(c.data), obsfile.CSV, 0)
		var p *obsfile.Problem
		if c.fatal {
			if !errors.As(err, &p) || p.Row != c.row || p.Column != c.column {
				t.Errorf("%s: error %#v, want a problem at row %d column %q", c.name, err, c.row, c.column)
			}
			continue
		}
		if err != nil || len(probs) != 1 || probs[0].Row != c.row || probs[0].Column != c.column {
			t.Errorf("%s: problems %v, %v", c.name, probs, err)
		}
	}
}

func TestTooLarge(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("region_code,indicator_code,period,value\n")
	for b.Len() < 200<<10 {
		b.WriteString("35.72,bps.growth,2024,5.6\n")
	}
	_, _, err := readAll(t, b.Bytes(), obsfile.CSV, 100<<10)
	if err != obsfile.ErrTooLarge {
		t.Fatalf("CSV over the limit: %v", err)
	}
	x := xlsxFile(t, [][]any{{"region_code", "indicator_code", "period", "value"}, {"35.72", "bps.growth", 2024, 5.6}})
	if _, _, err := readAll(t, x, obsfile.XLSX, int64(len(x)-1)); err != obsfile.ErrTooLarge {
		t.Fatalf("XLSX over the limit: %v", err)
	}
}

// xlsxFile writes rows into the first sheet of a new workbook.
func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Indicator_Code", "Region_Code", "Period", "Value", "Source"},
		{"bps.growth", "35.72", 2024, 5.33, "BPS Kota Blitar"},
		{"bps.growth", "35.72", "2023", "5,6", "teks"},
		{},
		{"bps.growth", "35.72", nil, 1.5e-3, ""},
		{"bps.growth", "35.72", 2022, nil, ""},
		{"bps.growth", "35.72", 2021, "lima", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	// A date cell in the period column of row 5, a formula without a
	// cached value in the value column of row 6.
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellValue("Sheet1", "C5", excelDate(2024, 3, 15))
	f.SetCellStyle("Sheet1", "C5", "C5", style)
	f.SetCellFormula("Sheet1", "D6", "=D2*2")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	got, probs, err := readAll(t, b.Bytes(), obsfile.XLSX, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Value != 5.33 || got[0].Period != "2024" || got[0].Source != "BPS Kota Blitar" || got[0].Line != 2 ||
		got[1].Value != 5.6 || got[2].Period != "2024-03-15" || got[2].Value != 0.0015 || got[2].Line != 5 {
		for _, r := range got {
			t.Logf("%+v", r)
		}
		t.Fatal("rows differ")
	}
	if len(probs) != 2 || probs[0].Row != 6 || probs[0].Column != "value" || probs[1].Row != 7 {
		t.Fatalf("problems = %v", probs)
	}
}

func excelDate(y, m, d int) float64 {
	// Days since 1899-12-30, as Excel counts for dates after 1 March 1900.
	return float64(daysFrom(1899, 12, 30, y, m, d))
}

func daysFrom(y0, m0, d0, y, m, d int) int {
	days := func(y, m, d int) int {
		if m < 3 {
			y--
			m += 12
		}
		return 365*y + y/4 - y/100 + y/400 + (153*(m-3)+2)/5 + d
	}
	return days(y, m, d) - days(y0, m0, d0)
}

func TestXLSXRefusals(t *testing.T) {
	empty := xlsxFile(t, nil)
	var p *obsfile.Problem
	if _, _, err := readAll(t, empty, obsfile.XLSX, 0); !errors.As(err, &p) || !strings.Contains(p.Message, "empty") {
		t.Fatalf("empty sheet: %v", err)
	}
	if _, _, err := readAll(t, []byte("region_code,indicator_code\n"), obsfile.XLSX, 0); !errors.As(err, &p) || !strings.Contains(p.Message, "not an XLSX") {
		t.Fatalf("CSV as XLSX: %v", err)
	}
	if _, _, err := readAll(t, xlsxFile(t, [][]any{{"region_code", "value"}}), obsfile.XLSX, 0); !errors.As(err, &p) || p.Column != "indicator_code" {
		t.Fatalf("missing column: %v", err)
	}
}

// A formula cell gives the value Excel last computed and saved with it.
func TestXLSXFormulaCachedValue(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetRow("Sheet1", "A1", &[]any{"region_code", "indicator_code", "period", "value"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"35.72", "bps.growth", 2024})
	f.SetCellValue("Sheet1", "D2", 10.5)
	f.SetCellFormula("Sheet1", "D2", "=5.25*2")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	rows, probs, err := readAll(t, b.Bytes(), obsfile.XLSX, 0)
	if err != nil || len(probs) > 0 || len(rows) != 1 || rows[0].Value != 10.5 {
		t.Fatalf("%v %v %v", rows, probs, err)
	}
}

// A text a spreadsheet would run as a formula is written with an apostrophe
// and read back as it was.
func TestQuoteTextRoundTrip(t *testing.T) {
	for _, s := range []string{"=HYPERLINK(\"http://x\")", "+62 812", "-5 % turun", "@SUM(A1)", "\tx", "BPS Kota Blitar", "", "'kutip", "'=already"} {
		q := obsfile.QuoteText(s)
		if strings.ContainsRune("=+-@\t\r", rune(firstByte(q))) {
			t.Errorf("QuoteText(%q) = %q still starts a formula", s, q)
		}
		if got := obsfile.UnquoteText(q); got != s {
			t.Errorf("UnquoteText(QuoteText(%q)) = %q", s, got)
		}
	}
}

func firstByte(s string) byte {
	if s == "" {
		return 0
	}
	return s[0]
}

// FormatNumber never writes an ambiguous number: what it writes reads back
// as the same value.
func TestFormatNumberReadsBack(t *testing.T) {
	for _, v := range []float64{1.234, -12.5, 999.999, 0.125, 1234.567, 5.33, 1e21, -0.001, 123.456, 1, 1000} {
		s := obsfile.FormatNumber(v)
		got, err := obsfile.ParseNumber(s)
		if err != nil || got != v {
			t.Errorf("FormatNumber(%v) = %q reads back as %v, %v", v, s, got, err)
		}
	}
}

// TestXLSXZipBombs: a small archive whose parts unpack (or claim to
// unpack) to more than the bounds is refused before excelize reads it
// into memory (before the bounds, these 16 KB and 150 KB files of the fuzz
// corpus allocated 1.5 GB and 430 MB); a large worksheet, which excelize
// streams from a temporary file, is still read.
func TestXLSXZipBombs(t *testing.T) {
	for _, name := range []string{"declared_sizes", "zip_bomb_parts"} {
		data := fuzzSeed(t, "FuzzXLSX", name)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, err := readAll(t, data, obsfile.XLSX, 0)
		runtime.ReadMemStats(&after)
		var p *obsfile.Problem
		if !errors.As(err, &p) || !strings.Contains(p.Message, "unpacks to more than 128 MiB") {
			t.Errorf("%s: %v", name, err)
		}
		if mib := (after.TotalAlloc - before.TotalAlloc) >> 20; mib > 32 {
			t.Errorf("%s: %d MiB allocated", name, mib)
		}
	}
	// 17 MiB of blanks in the sheet, 23 KB compressed (kept out of the fuzz
	// corpus: each run of it takes seconds).
	big, err := os.ReadFile(filepath.Join("testdata", "big_sheet.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := readAll(t, big, obsfile.XLSX, 0)
	if err != nil || len(rows) != 1 {
		t.Errorf("a 17 MiB worksheet: %d rows, %v", len(rows), err)
	}
}

// fuzzSeed reads a []byte entry of a fuzz target's committed corpus.
func fuzzSeed(t *testing.T, target, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "fuzz", target, name))
	if err != nil {
		t.Fatal(err)
	}
	_, v, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(v, "[]byte("), ")"))
	if err != nil {
		t.Fatalf("%s/%s: %v", target, name, err)
	}
	return []byte(s)
}
