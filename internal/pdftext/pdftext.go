// Package pdftext reads the text and images of the PDFs Kolaborasi writes
// (package document), for tests: it follows the cross-reference table,
// inflates content streams and decodes text through each font's ToUnicode
// map. It is not a general PDF reader.
package pdftext

// This file is a small PDF reader for the tests: just enough of the format
// to read what Render writes (fpdf's output) back as text, independently of
// the code that wrote it.
//
// How text is extracted: objects are found through the cross-reference
// table; each page's content stream is inflated (FlateDecode) and tokenised;
// the text-showing operators Tj and TJ are decoded through the ToUnicode
// CMap of the font selected by Tf (its bfrange and bfchar entries), and
// placed at the position set by Td. Text runs are then sorted into lines,
// top to bottom and left to right; runs on the same line are joined by two
// spaces. Image XObjects drawn with Do are recorded too.

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// pdfReader reads objects of one PDF file.
type pdfReader struct {
	data    []byte
	offsets map[int]int
}

// Object is one indirect object: its dictionary text and, for a stream,
// its decoded data.
type Object struct {
	Dict   string
	Stream []byte
}

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	lengthRE    = regexp.MustCompile(`/Length (\d+)\b`)
)

func newPDFReader(data []byte) (*pdfReader, error) {
	m := startxrefRE.FindSubmatch(data)
	if m == nil {
		return nil, fmt.Errorf("no startxref")
	}
	off, _ := strconv.Atoi(string(m[1]))
	if off >= len(data) || !bytes.HasPrefix(data[off:], []byte("xref")) {
		return nil, fmt.Errorf("startxref %d does not point at an xref table", off)
	}
	lines := strings.Split(string(data[off:]), "\n")
	var first, count int
	if _, err := fmt.Sscanf(lines[1], "%d %d", &first, &count); err != nil {
		return nil, fmt.Errorf("xref subsection header %q: %v", lines[1], err)
	}
	r := &pdfReader{data: data, offsets: map[int]int{}}
	for i := range count {
		var o, gen int
		var kind string
		if _, err := fmt.Sscanf(lines[2+i], "%d %d %s", &o, &gen, &kind); err != nil {
			return nil, fmt.Errorf("xref entry %q: %v", lines[2+i], err)
		}
		if kind == "n" {
			r.offsets[first+i] = o
		}
	}
	return r, nil
}

// object reads object n, inflating a FlateDecode stream.
func (r *pdfReader) object(n int) (Object, error) {
	off, ok := r.offsets[n]
	if !ok {
		return Object{}, fmt.Errorf("object %d not in xref", n)
	}
	head := fmt.Sprintf("%d 0 obj\n", n)
	rest := r.data[off:]
	if !bytes.HasPrefix(rest, []byte(head)) {
		return Object{}, fmt.Errorf("object %d: offset %d does not start it", n, off)
	}
	rest = rest[len(head):]
	end := bytes.Index(rest, []byte("endobj"))
	st := bytes.Index(rest, []byte("stream\n"))
	if st < 0 || (end >= 0 && end < st) {
		return Object{Dict: string(rest[:end])}, nil
	}
	obj := Object{Dict: string(rest[:st])}
	m := lengthRE.FindStringSubmatch(obj.Dict)
	if m == nil {
		return Object{}, fmt.Errorf("object %d: stream without direct /Length", n)
	}
	length, _ := strconv.Atoi(m[1])
	raw := rest[st+len("stream\n"):][:length]
	if strings.Contains(obj.Dict, "/FlateDecode") {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return Object{}, fmt.Errorf("object %d: %v", n, err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return Object{}, fmt.Errorf("object %d: inflate: %v", n, err)
		}
		raw = out
	}
	obj.Stream = raw
	return obj, nil
}

// ref returns the object number of the indirect reference under key.
func ref(dict, key string) (int, bool) {
	m := regexp.MustCompile(`/` + key + `\s+(\d+) 0 R`).FindStringSubmatch(dict)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	return n, true
}

// subdictRefs returns the name → object entries of the sub-dictionary under
// key, such as /Font << /F1 5 0 R >>.
func subdictRefs(dict, key string) map[string]int {
	m := regexp.MustCompile(`(?s)/` + key + `\s*<<(.*?)>>`).FindStringSubmatch(dict)
	out := map[string]int{}
	if m == nil {
		return out
	}
	for _, e := range regexp.MustCompile(`/(\S+?)\s+(\d+) 0 R`).FindAllStringSubmatch(m[1], -1) {
		n, _ := strconv.Atoi(e[2])
		out[e[1]] = n
	}
	return out
}

func IntEntry(dict, key string) int {
	m := regexp.MustCompile(`/` + key + `\s+(\d+)`).FindStringSubmatch(dict)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// Run is a piece of text shown at one position of one page.
type Run struct {
	Page int
	X, Y float64
	Text string
}

// Page is what the tests read from one page.
type Page struct {
	Runs   []Run
	Images []Object // image XObjects drawn with Do
}

// pages reads every page's text runs and drawn images, in page order.
func (r *pdfReader) pages() ([]Page, error) {
	trailer := r.data[bytes.LastIndex(r.data, []byte("trailer")):]
	root, ok := ref(string(trailer), "Root")
	if !ok {
		return nil, fmt.Errorf("trailer without /Root")
	}
	catalog, err := r.object(root)
	if err != nil {
		return nil, err
	}
	pagesN, ok := ref(catalog.Dict, "Pages")
	if !ok {
		return nil, fmt.Errorf("catalog without /Pages")
	}
	pagesObj, err := r.object(pagesN)
	if err != nil {
		return nil, err
	}
	kids := regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`).FindStringSubmatch(pagesObj.Dict)
	if kids == nil {
		return nil, fmt.Errorf("page tree without /Kids")
	}
	var out []Page
	for i, k := range regexp.MustCompile(`(\d+) 0 R`).FindAllStringSubmatch(kids[1], -1) {
		n, _ := strconv.Atoi(k[1])
		page, err := r.page(i+1, n)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		out = append(out, page)
	}
	return out, nil
}

func (r *pdfReader) page(num, n int) (Page, error) {
	obj, err := r.object(n)
	if err != nil {
		return Page{}, err
	}
	resDict := obj.Dict
	if rn, ok := ref(obj.Dict, "Resources"); ok {
		res, err := r.object(rn)
		if err != nil {
			return Page{}, err
		}
		resDict = res.Dict
	}
	cmaps := map[string]func([]byte) string{}
	for name, fn := range subdictRefs(resDict, "Font") {
		font, err := r.object(fn)
		if err != nil {
			return Page{}, err
		}
		tn, ok := ref(font.Dict, "ToUnicode")
		if !ok {
			return Page{}, fmt.Errorf("font %s has no ToUnicode map", name)
		}
		cm, err := r.object(tn)
		if err != nil {
			return Page{}, err
		}
		cmaps[name] = parseToUnicode(string(cm.Stream))
	}
	xobjects := subdictRefs(resDict, "XObject")
	cn, ok := ref(obj.Dict, "Contents")
	if !ok {
		return Page{}, fmt.Errorf("page without /Contents")
	}
	content, err := r.object(cn)
	if err != nil {
		return Page{}, err
	}
	var p Page
	var x, y float64
	var decode func([]byte) string
	var operands []any
	for _, tok := range tokenize(content.Stream) {
		op, isOp := tok.(pdfOperator)
		if !isOp {
			operands = append(operands, tok)
			continue
		}
		switch op {
		case "BT":
			x, y = 0, 0
		case "Td":
			if len(operands) == 2 {
				x += operands[0].(float64)
				y += operands[1].(float64)
			}
		case "Tf":
			name := string(operands[0].(pdfName))
			decode = cmaps[name]
			if decode == nil {
				return Page{}, fmt.Errorf("font %s not in resources", name)
			}
		case "Tj", "TJ":
			var b strings.Builder
			for _, s := range flattenStrings(operands) {
				b.WriteString(decode(s))
			}
			p.Runs = append(p.Runs, Run{Page: num, X: x, Y: y, Text: b.String()})
		case "Do":
			name := string(operands[0].(pdfName))
			xn, ok := xobjects[name]
			if !ok {
				return Page{}, fmt.Errorf("XObject %s not in resources", name)
			}
			xo, err := r.object(xn)
			if err != nil {
				return Page{}, err
			}
			if strings.Contains(xo.Dict, "/Subtype /Image") {
				p.Images = append(p.Images, xo)
			}
		}
		operands = operands[:0]
	}
	return p, nil
}

// Tokens of a content stream.
type (
	pdfOperator string
	pdfName     string
	pdfArray    []any
)

// flattenStrings returns the strings among operands, looking into arrays
// (the operand of TJ mixes strings with spacing numbers).
func flattenStrings(operands []any) [][]byte {
	var out [][]byte
	for _, o := range operands {
		switch v := o.(type) {
		case []byte:
			out = append(out, v)
		case pdfArray:
			out = append(out, flattenStrings(v)...)
		}
	}
	return out
}

// tokenize splits a content stream into numbers (float64), strings
// ([]byte), names, arrays and operators.
func tokenize(s []byte) []any {
	var stack [][]any
	var out []any
	push := func(t any) {
		if len(stack) > 0 {
			stack[len(stack)-1] = append(stack[len(stack)-1], t)
			return
		}
		out = append(out, t)
	}
	isDelim := func(c byte) bool { return strings.IndexByte(" \t\r\n\f\x00()<>[]{}/%", c) >= 0 }
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0:
			i++
		case c == '%':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '(':
			str, n := literalString(s[i:])
			push(str)
			i += n
		case c == '<' && i+1 < len(s) && s[i+1] == '<', c == '>' && i+1 < len(s) && s[i+1] == '>':
			i += 2 // inline dictionaries (marked content) carry no text
		case c == '<':
			end := bytes.IndexByte(s[i:], '>')
			h := strings.Join(strings.Fields(string(s[i+1:i+end])), "")
			b, _ := hex.DecodeString(h)
			push(b)
			i += end + 1
		case c == '[':
			stack = append(stack, nil)
			i++
		case c == ']':
			arr := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			push(pdfArray(arr))
			i++
		case c == '/':
			j := i + 1
			for j < len(s) && !isDelim(s[j]) {
				j++
			}
			push(pdfName(s[i+1 : j]))
			i = j
		default:
			j := i
			for j < len(s) && !isDelim(s[j]) {
				j++
			}
			if j == i {
				j++ // a stray delimiter such as '{'
			}
			word := string(s[i:j])
			if f, err := strconv.ParseFloat(word, 64); err == nil {
				push(f)
			} else {
				push(pdfOperator(word))
			}
			i = j
		}
	}
	return out
}

// literalString decodes the (...) string at the start of s and returns it
// and the number of bytes it took.
func literalString(s []byte) ([]byte, int) {
	var out []byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '(':
			if depth > 0 {
				out = append(out, c)
			}
			depth++
		case ')':
			depth--
			if depth == 0 {
				return out, i + 1
			}
			out = append(out, c)
		case '\\':
			i++
			if i >= len(s) {
				return out, i
			}
			switch e := s[i]; e {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case '\n':
				// line continuation
			default:
				if e >= '0' && e <= '7' {
					v, n := 0, 0
					for n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7' {
						v = v*8 + int(s[i]-'0')
						i++
						n++
					}
					i--
					out = append(out, byte(v))
				} else {
					out = append(out, e)
				}
			}
		default:
			out = append(out, c)
		}
	}
	return out, len(s)
}

// parseToUnicode reads a ToUnicode CMap with two-byte codes and returns a
// decoder from shown strings to text. Codes the map lacks become U+FFFD.
func parseToUnicode(cmap string) func([]byte) string {
	type rng struct {
		lo, hi uint16
		dst    []uint16
	}
	var ranges []rng
	hexes := func(s string) [][]uint16 {
		var out [][]uint16
		for _, m := range regexp.MustCompile(`<([0-9A-Fa-f]*)>`).FindAllStringSubmatch(s, -1) {
			b, _ := hex.DecodeString(m[1])
			u := make([]uint16, len(b)/2)
			for i := range u {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
			out = append(out, u)
		}
		return out
	}
	for _, sec := range regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`).FindAllStringSubmatch(cmap, -1) {
		for _, line := range strings.Split(sec[1], "\n") {
			if h := hexes(line); len(h) == 3 {
				ranges = append(ranges, rng{h[0][0], h[1][0], h[2]})
			}
		}
	}
	for _, sec := range regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`).FindAllStringSubmatch(cmap, -1) {
		for _, line := range strings.Split(sec[1], "\n") {
			if h := hexes(line); len(h) == 2 {
				ranges = append(ranges, rng{h[0][0], h[0][0], h[1]})
			}
		}
	}
	return func(b []byte) string {
		var units []uint16
		for i := 0; i+1 < len(b); i += 2 {
			code := uint16(b[i])<<8 | uint16(b[i+1])
			found := false
			for _, r := range ranges {
				if code >= r.lo && code <= r.hi {
					d := append([]uint16(nil), r.dst...)
					d[len(d)-1] += code - r.lo
					units = append(units, d...)
					found = true
					break
				}
			}
			if !found {
				units = append(units, 0xFFFD)
			}
		}
		return string(utf16.Decode(units))
	}
}

// Extract extracts the text of a PDF as lines, page by page; pages are
// separated by a form feed line.
func Extract(data []byte) (string, []Page, error) {
	r, err := newPDFReader(data)
	if err != nil {
		return "", nil, err
	}
	pages, err := r.pages()
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	for i, p := range pages {
		if i > 0 {
			b.WriteString("\f\n")
		}
		runs := append([]Run(nil), p.Runs...)
		key := func(y float64) int64 { return int64(math.Round(y * 10)) }
		sort.SliceStable(runs, func(i, j int) bool {
			if key(runs[i].Y) != key(runs[j].Y) {
				return key(runs[i].Y) > key(runs[j].Y)
			}
			return runs[i].X < runs[j].X
		})
		for j, run := range runs {
			if j > 0 {
				if key(run.Y) == key(runs[j-1].Y) {
					b.WriteString("  ")
				} else {
					b.WriteString("\n")
				}
			}
			b.WriteString(run.Text)
		}
		b.WriteString("\n")
	}
	return b.String(), pages, nil
}

// Objects returns every indirect object of the PDF, by object number.
func Objects(data []byte) (map[int]Object, error) {
	r, err := newPDFReader(data)
	if err != nil {
		return nil, err
	}
	out := make(map[int]Object, len(r.offsets))
	for n := range r.offsets {
		obj, err := r.object(n)
		if err != nil {
			return nil, err
		}
		out[n] = obj
	}
	return out, nil
}
