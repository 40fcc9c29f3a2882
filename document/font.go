package document

import (
	_ "embed"
	"sync"

	"golang.org/x/image/font/sfnt"
)

// The document font is DejaVu Sans (Bitstream Vera licence, see FONTS.md and
// fonts/LICENSE.txt), compiled into the binary and embedded, subset, in every
// PDF. It covers Indonesian text and typographic quotes.
const fontFamily = "DejaVuSans"

var (
	//go:embed fonts/DejaVuSans.ttf
	regularTTF []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldTTF []byte
)

// fontFaces are the faces registered in each document, by fpdf style.
var fontFaces = []struct {
	style string
	ttf   []byte
}{
	{"", regularTTF},
	{"B", boldTTF},
}

// parsedFaces parses the embedded faces once, to check character coverage.
var parsedFaces = sync.OnceValue(func() []*sfnt.Font {
	fonts := make([]*sfnt.Font, len(fontFaces))
	for i, f := range fontFaces {
		p, err := sfnt.Parse(f.ttf)
		if err != nil {
			// The fonts are compiled in; a parse failure is a broken build.
			panic("document: parse embedded font: " + err.Error())
		}
		fonts[i] = p
	}
	return fonts
})

// fontHas reports whether every document face has a glyph for r; buf is
// scratch space, reused across calls. The PDF writer maps characters through
// a 16-bit table, so characters outside the Basic Multilingual Plane are
// refused too.
func fontHas(buf *sfnt.Buffer, r rune) bool {
	if r > 0xFFFF {
		return false
	}
	if r == ' ' {
		return true
	}
	for _, f := range parsedFaces() {
		gi, err := f.GlyphIndex(buf, r)
		if err != nil || gi == 0 {
			return false
		}
	}
	return true
}
