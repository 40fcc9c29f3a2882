package pdftext

import "testing"

// TestPDFTextReaderStrings checks the reader's own decoding of escaped
// literal strings, on which the golden files rely.
func TestPDFTextReaderStrings(t *testing.T) {
	got, n := literalString([]byte(`(a\(b\)c\\d\051\n(nested)) rest`))
	if string(got) != "a(b)c\\d)\n(nested)" || n != 26 {
		t.Errorf("literalString = %q, %d", got, n)
	}
	decode := parseToUnicode("1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n1 beginbfchar\n<0041> <0042>\nendbfchar")
	if got := decode([]byte{0x00, 'x', 0x20, 0x1C}); got != "x“" {
		t.Errorf("decode = %q", got)
	}
}
