package obsfile

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

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
	// Worksheets above 16 MiB of XML are unpacked to temporary files, not
	// memory; the row iterator streams them.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipXMLSizeLimit: 16 << 20})
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
