package obsfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// Format is the kind of an observation file.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Open returns a reader of a file of the format, refusing files larger than
// max bytes (MaxBytes when max is 0). A *Problem error means the file
// cannot be read (its header, its encoding, an empty sheet).
func Open(r io.Reader, f Format, max int64) (*Reader, error) {
	if max <= 0 {
		max = MaxBytes
	}
	switch f {
	case CSV:
		return newCSV(r, max)
	case XLSX:
		return newXLSX(r, max)
	}
	return nil, &Problem{Message: fmt.Sprintf("unknown file format %q; send CSV or XLSX", f)}
}

// sniff is how much of a CSV file decides its encoding.
const sniff = 64 << 10

func newCSV(r io.Reader, max int64) (*Reader, error) {
	br := bufio.NewReaderSize(&limitReader{r: r, max: max}, sniff)
	head, err := br.Peek(sniff)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		if p, ok := err.(*Problem); ok {
			return nil, p
		}
		return nil, fmt.Errorf("read the file: %w", err)
	}
	var src io.Reader = br
	latin := false
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, &Problem{Row: 1, Message: "the file is UTF-16; save it as CSV UTF-8"}
	case !validPrefix(head, len(head) == sniff):
		src = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		latin = true
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, &Problem{Row: 1, Message: "the file is empty; the first row names the columns"}
	}
	dr := bufio.NewReader(src)
	first, _ := dr.Peek(4096)
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	cr := csv.NewReader(dr)
	cr.Comma = delimiter(first)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd := &Reader{}
	rd.next = func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			var pr *Problem
			switch {
			case errors.As(err, &pr):
				return nil, 0, pr
			case errors.As(err, &pe):
				return nil, 0, &Problem{Row: pe.StartLine, Message: fmt.Sprintf("the CSV cannot be read at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)}
			}
			return nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		if !latin {
			for i, c := range rec {
				if !utf8.ValidString(c) {
					// The problem goes with the row: mark the cell.
					rec[i] = string(invalidMark) + c
				}
			}
		}
		return rec, line, nil
	}
	cells, line, err := rd.next()
	if err == io.EOF {
		return nil, &Problem{Row: 1, Message: "the file is empty; the first row names the columns"}
	}
	if err != nil {
		return nil, err
	}
	if err := rd.header(cells, line); err != nil {
		return nil, err
	}
	return rd, nil
}

// invalidMark prefixes a cell that was not valid UTF-8 in a file read as
// UTF-8; Row reports it.
const invalidMark = '\uFFFF'

// validPrefix reports whether b is valid UTF-8, allowing a rune cut at the
// end when b is a prefix of more.
func validPrefix(b []byte, cut bool) bool {
	if cut {
		for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
			if utf8.Valid(b) {
				return true
			}
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// delimiter picks ',', ';' or tab by which the header row uses most
// (outside quotes).
func delimiter(header []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range header {
		if c == '"' {
			quoted = !quoted
		} else if !quoted {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}
