package publiccode

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"unicode/utf8"
)

// Options tune ParseContext. The zero value is the offline default.
type Options struct {
	// URLChecker, if set, is asked whether URLs in the file can be reached. Its failures are only warnings.
	URLChecker URLChecker
}

// Parse reads a publiccode.yml document and validates it. It never panics: every problem, from a file that is too
// large or not YAML to a value outside a controlled list, is a Message in the Result. The File holds whatever
// could be read (it is nil only if the input is not a YAML mapping at all); it is safe to use when Result.Valid().
func Parse(data []byte) (*File, Result) {
	return ParseContext(context.Background(), data, Options{})
}

// ParseContext is Parse with options: a URLChecker for network checks, bounded by ctx.
func ParseContext(ctx context.Context, data []byte, opt Options) (*File, Result) {
	rp := &reporter{pos: map[string]position{}}
	if len(data) > MaxSize {
		return nil, Oversized(int64(len(data)))
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		rp.res.Messages = append(rp.res.Messages, Message{Severity: SeverityError, Code: CodeInvalidUTF8, Line: line, Column: col,
			Text:   "the file is not UTF-8 text (binary data or another encoding); publiccode.yml MUST be UTF-8 encoded",
			TextID: "berkas bukan teks UTF-8 (data biner atau penyandian lain); publiccode.yml WAJIB berpenyandian UTF-8"})
		return nil, rp.res
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		rp.res.Messages = append(rp.res.Messages, Message{Severity: SeverityError, Code: CodeInvalidUTF8, Line: line, Column: col,
			Text:   "the file contains a NUL byte: it is binary data, not a YAML text",
			TextID: "berkas berisi bita NUL: ini data biner, bukan teks YAML"})
		return nil, rp.res
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	root, err := readTree(data)
	if err != nil {
		te, ok := err.(*treeError)
		if !ok {
			te = &treeError{code: CodeSyntax, en: err.Error(), id: err.Error()}
		}
		rp.res.Messages = append(rp.res.Messages, Message{Severity: SeverityError, Code: te.code, Line: te.line, Column: te.col,
			Text: te.en, TextID: te.id})
		return nil, rp.res
	}
	d := &decoder{rp: rp}
	f := d.file(root)
	if root.kind != KindMap {
		return nil, rp.res
	}
	validate(f, rp)
	if opt.URLChecker != nil {
		checkURLs(ctx, f, opt.URLChecker, rp)
	}
	rp.res.sortMessages()
	return f, rp.res
}

// Oversized is the Result that refuses an input of size bytes, larger than MaxSize. Callers that read only
// MaxSize+1 bytes of a longer input (ReadLimited) use it to report the real size.
func Oversized(size int64) Result {
	rp := &reporter{}
	rp.errorf(CodeTooLarge, "", "the file is %[1]d bytes; publiccode.yml files larger than %[2]d bytes (1 MiB) are refused",
		"berkas berukuran %[1]d bita; berkas publiccode.yml yang lebih besar dari %[2]d bita (1 MiB) ditolak", size, MaxSize)
	return rp.res
}

// ReadLimited reads an input without keeping more than MaxSize+1 bytes of it and returns its real size: from
// Stat for a regular file, else by counting (not keeping) the rest. When size > MaxSize, report Oversized(size).
func ReadLimited(r io.Reader) (data []byte, size int64, err error) {
	data, err = io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil || len(data) <= MaxSize {
		return data, int64(len(data)), err
	}
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			return data, st.Size(), nil
		}
	}
	rest, err := io.Copy(io.Discard, r)
	return data, int64(len(data)) + rest, err
}

// Validate checks a File built or changed in code against the standard. Messages carry no line numbers.
func Validate(f *File) Result {
	rp := &reporter{}
	if f == nil {
		rp.errorf(CodeMissingKey, "", "there is no publiccode.yml content to validate", "tidak ada isi publiccode.yml untuk divalidasi")
		return rp.res
	}
	validate(f, rp)
	return rp.res
}

func invalidUTF8At(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return lineCol(data, i)
		}
		i += n
	}
	return 0, 0
}

func lineCol(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte("\n"))
	col = off - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}
