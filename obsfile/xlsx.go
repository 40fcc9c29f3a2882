package obsfile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

func newXLSX(r io.Reader, max int64) (*Reader, error) {
	data, err := io.ReadAll(&limitReader{r: r, max: max})
	if err != nil {
		if p, ok := err.(*Problem); ok {
			return nil, p
		}
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if p := checkUnzipped(data); p != nil {
		return nil, p
	}
	// Worksheets above xlsxStreamed of XML are unpacked to temporary files,
	// not memory; the row iterator streams them.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipXMLSizeLimit: xlsxStreamed, UnzipSizeLimit: xlsxUnzipped})
	if err != nil {
		return nil, &Problem{Message: "the file is not an XLSX workbook: " + err.Error()}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, &Problem{Row: 1, Message: "the workbook has no sheet"}
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, &Problem{Message: "the first sheet cannot be read: " + err.Error()}
	}
	rd := &Reader{xlsx: true, closer: func() error { rows.Close(); return f.Close() }}
	line := 0
	rd.next = func() ([]string, int, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, 0, &Problem{Row: line + 1, Message: "the sheet cannot be read: " + err.Error()}
			}
			return nil, 0, io.EOF
		}
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, 0, &Problem{Row: line, Message: "the row cannot be read: " + err.Error()}
		}
		return cells, line, nil
	}
	for {
		cells, line, err := rd.next()
		if err == io.EOF {
			rd.Close()
			return nil, &Problem{Row: 1, Message: fmt.Sprintf("the sheet %q is empty; the first row names the columns", sheets[0])}
		}
		if err != nil {
			rd.Close()
			return nil, err
		}
		if blank(cells) {
			continue
		}
		if err := rd.header(cells, line); err != nil {
			rd.Close()
			return nil, err
		}
		return rd, nil
	}
}

// What a workbook may unpack to. excelize reads every part of the ZIP
// archive into memory except worksheets and shared strings larger than
// xlsxStreamed, which go to temporary files; a small archive of many
// highly compressed parts (a zip bomb) would otherwise fill the memory.
const (
	xlsxStreamed = 16 << 20
	xlsxInMemory = MaxBytes // the parts read into memory, together
	xlsxUnzipped = 2 << 30  // every part, together
)

// checkUnzipped refuses a workbook whose parts, by the sizes the archive
// declares (archive/zip refuses a part longer than declared), would unpack
// beyond the bounds above. An archive it cannot read is left to excelize
// to refuse.
func checkUnzipped(data []byte) *Problem {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	var inMemory, all uint64
	for _, f := range zr.File {
		n := f.UncompressedSize64
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		streamed := n > xlsxStreamed && (strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml")
		if !streamed {
			inMemory += min(n, xlsxInMemory+1)
		}
		all += min(n, xlsxUnzipped+1)
		limit := 0
		switch {
		case inMemory > xlsxInMemory:
			limit = xlsxInMemory
		case all > xlsxUnzipped:
			limit = xlsxUnzipped
		default:
			continue
		}
		return &Problem{Message: fmt.Sprintf("the workbook unpacks to more than %d MiB; split it into smaller files", limit>>20)}
	}
	return nil
}

// excelPeriod turns a date serial (a number from 10000 to 100000, the
// days since 1900 Excel stores for a date cell) into "YYYY-MM-DD"; other
// text is returned as it is.
func excelPeriod(s string) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 10000 || v >= 100000 {
		return s
	}
	t, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02")
}
