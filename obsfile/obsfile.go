// Package obsfile reads and writes files of indicator observations (CSV and
// XLSX), one observation per row, streaming: a file is never held whole as
// rows, only as its compressed bytes (XLSX) or a buffer (CSV).
//
// # Columns
//
// The first row names the columns, in any order, case-insensitive:
// region_code, indicator_code, period and value are required; region_name,
// unit, source and note are optional (region_name is informative and
// ignored on import: the code decides). Export writes all eight, in the
// order of Columns, so an exported file imports again unchanged.
//
// # Numbers
//
// A value is a decimal number with an optional leading sign. Thousands
// separators and the decimal separator are '.' and ',':
//
//   - one separator, used once, is the decimal separator: "5,6" and "5.6"
//     are both 5.6, "0,125" is 0.125 (but see "ambiguous" below);
//   - both separators: the last one is the decimal separator and the other
//     groups thousands: "1.234,5" and "1,234.5" are both 1234.5;
//   - one separator used more than once groups thousands: "1.234.567" and
//     "1,234,567" are 1234567.
//
// Groups after the first have exactly three digits; anything else (spaces,
// "%", currency signs, exponents, NaN) is refused with the row and column.
// One separator followed by exactly three digits after one to three digits
// ("1.234", "12,500") could be thousands as Indonesians write them or a
// fraction as in English: it is refused as ambiguous. Write whole thousands
// without a separator ("1234") or with both separators ("1.234,0"), and
// such fractions with a fourth decimal ("1,2340"); FormatNumber does so. Numeric XLSX cells are read from
// their stored value (exponents allowed there), never their display format.
//
// # Periods
//
// "2024" (year), "2024-Q1" (quarter), "2024-03" (month), or a date
// "2024-03-15" standing for the period of the indicator's kind that
// contains it. In XLSX a date cell (stored as a serial number between
// 10000 and 100000, 1927–2173) is read as that date; a number 1900–2199 is
// a year. Dates written as text in other forms ("15/03/2024") are refused.
//
// # Files
//
// CSV: UTF-8 (with or without a byte-order mark) or, when the first 64 KiB
// are not valid UTF-8, Windows-1252 (a superset of Latin-1's printable
// characters); UTF-16 is refused. The delimiter is ',' or ';' (as Excel
// writes CSV with Indonesian settings) or a tab, whichever the header row
// uses most. A value starting with '=' is a formula and refused (CSV holds
// no computed value). XLSX: the first sheet is read; a formula cell gives
// its cached value (the value Excel last computed and saved), and a
// formula without one counts as an empty cell. An empty first sheet is
// refused. Files larger than MaxBytes are refused, and so is a workbook
// whose archive would unpack to more than MaxBytes held in memory or 2 GiB
// in all.
package obsfile

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// MaxBytes is the largest file accepted (128 MiB: a 100 MB file of about
// two million rows is accepted).
const MaxBytes = 128 << 20

// The columns of an observation file.
const (
	ColRegion     = "region_code"
	ColRegionName = "region_name"
	ColIndicator  = "indicator_code"
	ColPeriod     = "period"
	ColValue      = "value"
	ColUnit       = "unit"
	ColSource     = "source"
	ColNote       = "note"
)

// Columns lists the columns in the order export writes them.
var Columns = []string{ColRegion, ColRegionName, ColIndicator, ColPeriod, ColValue, ColUnit, ColSource, ColNote}

var required = []string{ColRegion, ColIndicator, ColPeriod, ColValue}

// Problem is something wrong in a file, at a row (1 is the header row; 0
// for the file as a whole) and a column ("" when it is the whole row).
type Problem struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

func (p *Problem) Error() string {
	switch {
	case p.Row == 0:
		return p.Message
	case p.Column == "":
		return fmt.Sprintf("row %d: %s", p.Row, p.Message)
	}
	return fmt.Sprintf("row %d, column %s: %s", p.Row, p.Column, p.Message)
}

// Row is one observation as read from a file: its cells checked for form
// (a number, a period's shape), not against the database.
type Row struct {
	// Line is the row number in the file (CSV: the line the record starts
	// on; XLSX: the sheet's row number).
	Line                                                      int
	Region, RegionName, Indicator, Period, Unit, Source, Note string
	Value                                                     float64
	// Problems are the row's cell problems; the row is unusable when any.
	Problems []Problem
}

func (r *Row) problem(col, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Row: r.Line, Column: col, Message: fmt.Sprintf(format, args...)})
}

// Reader reads the rows of an observation file.
type Reader struct {
	next   func() (cells []string, line int, err error)
	col    map[string]int
	xlsx   bool
	closer func() error
}

// Next returns the next row, io.EOF after the last, or a *Problem that
// ends the file (it cannot be read further). Blank rows are skipped.
func (r *Reader) Next() (*Row, error) {
	for {
		cells, line, err := r.next()
		if err != nil {
			return nil, err
		}
		if blank(cells) {
			continue
		}
		return r.row(cells, line), nil
	}
}

// Close releases what the reader holds (XLSX temporary files).
func (r *Reader) Close() error {
	if r.closer != nil {
		return r.closer()
	}
	return nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// header reads the column names of the first row.
func (r *Reader) header(cells []string, line int) error {
	r.col = map[string]int{}
	for i, c := range cells {
		name := strings.ToLower(strings.TrimSpace(c))
		if name == "" {
			continue
		}
		if !isColumn(name) {
			return &Problem{Row: line, Column: c, Message: fmt.Sprintf("unknown column %q; the columns are %s", c, strings.Join(Columns, ", "))}
		}
		if _, dup := r.col[name]; dup {
			return &Problem{Row: line, Column: name, Message: fmt.Sprintf("the column %s appears twice", name)}
		}
		r.col[name] = i
	}
	for _, name := range required {
		if _, ok := r.col[name]; !ok {
			return &Problem{Row: line, Column: name, Message: fmt.Sprintf("the column %s is missing; required are %s", name, strings.Join(required, ", "))}
		}
	}
	return nil
}

func isColumn(name string) bool {
	for _, c := range Columns {
		if c == name {
			return true
		}
	}
	return false
}

func (r *Reader) cell(cells []string, name string) string {
	i, ok := r.col[name]
	if !ok || i >= len(cells) {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(cells[i], string(invalidMark)))
}

func (r *Reader) row(cells []string, line int) *Row {
	row := &Row{Line: line}
	row.Region = r.cell(cells, ColRegion)
	row.RegionName = UnquoteText(r.cell(cells, ColRegionName))
	row.Indicator = r.cell(cells, ColIndicator)
	row.Period = r.cell(cells, ColPeriod)
	row.Unit = r.cell(cells, ColUnit)
	row.Source = UnquoteText(r.cell(cells, ColSource))
	row.Note = UnquoteText(r.cell(cells, ColNote))
	for _, name := range Columns {
		if i, ok := r.col[name]; ok && i < len(cells) && strings.HasPrefix(cells[i], string(invalidMark)) {
			row.problem(name, "the text is not valid UTF-8; save the file as CSV UTF-8")
		}
		if v := r.cell(cells, name); len(v) > 1000 {
			row.problem(name, "the text is longer than 1000 characters")
		}
	}
	for _, name := range []string{ColRegion, ColIndicator, ColPeriod} {
		if r.cell(cells, name) == "" {
			row.problem(name, "the %s is missing", name)
		}
	}
	if r.xlsx && row.Period != "" {
		row.Period = excelPeriod(row.Period)
	}
	raw := r.cell(cells, ColValue)
	switch {
	case raw == "":
		row.problem(ColValue, "the value is missing")
	case strings.HasPrefix(raw, "="):
		row.problem(ColValue, "%q is a formula; formulas are not evaluated, write the number", raw)
	default:
		v, err := parseNumber(raw, r.xlsx)
		if err != nil {
			row.problem(ColValue, "%v", err)
		}
		row.Value = v
	}
	return row
}

// ParseNumber reads a value by the rules in the package documentation.
func ParseNumber(s string) (float64, error) { return parseNumber(s, false) }

func parseNumber(s string, exponent bool) (float64, error) {
	bad := fmt.Errorf("%q is not a number: write it as 5,6 or 5.6, thousands as 1.234,5 or 1,234.5", s)
	t := strings.TrimSpace(s)
	if exponent && strings.ContainsAny(t, "eE") && !strings.ContainsAny(t, ",") {
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, bad
		}
		return v, nil
	}
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return 0, bad
	}
	dots, commas := strings.Count(t, "."), strings.Count(t, ",")
	for _, c := range []byte(t) {
		if !(c >= '0' && c <= '9' || c == '.' || c == ',') {
			return 0, bad
		}
	}
	var intPart, frac string
	var thousands byte
	switch {
	case dots == 0 && commas == 0:
		intPart = t
	case dots > 0 && commas > 0:
		dec := max(strings.LastIndexByte(t, '.'), strings.LastIndexByte(t, ','))
		intPart, frac = t[:dec], t[dec+1:]
		thousands = ','
		if t[dec] == ',' {
			thousands = '.'
		}
		if strings.IndexByte(intPart, t[dec]) >= 0 {
			return 0, bad
		}
	case dots+commas == 1:
		dec := strings.IndexAny(t, ".,")
		intPart, frac = t[:dec], t[dec+1:]
		if !exponent && ambiguous(intPart, frac) {
			return 0, fmt.Errorf("%q is ambiguous: write a whole number of thousands without a separator (1234) and a fraction with other than three decimals (1,2340)", s)
		}
	default:
		thousands = '.'
		if commas > 0 {
			thousands = ','
		}
		intPart = t
	}
	if thousands != 0 {
		groups := strings.Split(intPart, string(thousands))
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, bad
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" || (frac == "" && (dots+commas == 1 || dots > 0 && commas > 0)) {
		return 0, bad
	}
	num := intPart
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, bad
	}
	if neg {
		v = -v
	}
	return v, nil
}

// formulaStart holds the characters with which a spreadsheet takes a CSV
// cell for a formula.
const formulaStart = "=+-@\t\r"

// QuoteText protects a text cell of a CSV file from being run as a formula
// when a spreadsheet opens it (CSV injection, OWASP): a text starting with
// = + - @ or a tab or carriage return gets a leading apostrophe, which
// spreadsheets show as text and UnquoteText removes on import. A text that
// itself starts with apostrophes before such a character gets one more, so
// every text comes back whole.
func QuoteText(s string) string {
	if needsQuote(s) {
		return "'" + s
	}
	return s
}

// UnquoteText undoes QuoteText.
func UnquoteText(s string) string {
	if strings.HasPrefix(s, "'") && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}

func needsQuote(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.ContainsRune(formulaStart, rune(t[0]))
}

// ambiguous reports whether a number with one separator could be read
// either way: "1.234" is one thousand two hundred and thirty-four as
// Indonesians write it and one point two three four in English, while
// "0,125", "12,5" and "1234,567" can only be fractions.
func ambiguous(intPart, frac string) bool {
	return len(frac) == 3 && len(intPart) >= 1 && len(intPart) <= 3 && intPart[0] != '0'
}

// FormatNumber writes a value the way ParseNumber reads it back exactly
// (the shortest form with a decimal point, no thousands separators, and a
// fourth decimal 0 where three would make it ambiguous: 1.2340).
func FormatNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && ambiguous(strings.TrimPrefix(s[:i], "-"), s[i+1:]) {
		s += "0"
	}
	return s
}

// ErrTooLarge is returned when a file exceeds MaxBytes.
var ErrTooLarge = &Problem{Message: fmt.Sprintf("the file is larger than %d MiB; split it into smaller files", MaxBytes>>20)}

// limitReader fails with ErrTooLarge after max bytes.
type limitReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return 0, ErrTooLarge
	}
	return n, err
}
