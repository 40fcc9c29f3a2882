package publiccode

import (
	"fmt"
	"sort"
	"strings"
)

// Severity tells whether a Message makes a file invalid (SeverityError) or only advises (SeverityWarning).
type Severity string

// The two severities. Only errors make a file invalid.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Stable message codes. Callers may match on them; the sentences may change.
const (
	CodeTooLarge           = "too-large"               // input larger than MaxSize
	CodeInvalidUTF8        = "invalid-utf8"            // input is not UTF-8 text
	CodeSyntax             = "yaml-syntax"             // malformed YAML
	CodeAliasLimit         = "alias-limit"             // more values than MaxNodes after alias expansion
	CodeDepthLimit         = "depth-limit"             // nesting deeper than MaxDepth
	CodeNotMapping         = "not-mapping"             // top level is not a mapping
	CodeDuplicateKey       = "duplicate-key"           // a key appears twice in one mapping
	CodeWrongType          = "wrong-type"              // value of the wrong YAML type
	CodeUnquotedNumber     = "unquoted-number"         // a number where the standard asks for a string
	CodeMissingKey         = "missing-key"             // a mandatory key is absent
	CodeUnknownKey         = "unknown-key"             // a key the standard does not define
	CodeUnsupportedVersion = "unsupported-version"     // publiccodeYmlVersion unknown or unsupported
	CodeOutdatedVersion    = "outdated-version"        // supported but not the latest version
	CodeInvalidValue       = "invalid-value"           // value outside a controlled list
	CodeNewerValue         = "value-too-new"           // value added to the standard after the declared version
	CodeNewerKey           = "key-too-new"             // key added to the standard after the declared version
	CodeDeprecatedKey      = "deprecated-key"          // key deprecated by the standard
	CodeDeprecatedValue    = "deprecated-value"        // value deprecated by the standard
	CodeRenamedKey         = "renamed-key"             // key renamed or removed by an earlier version
	CodeInvalidLicense     = "invalid-license"         // not a valid SPDX expression
	CodeDeprecatedLicense  = "deprecated-license"      // deprecated SPDX identifier
	CodeInvalidLanguage    = "invalid-language"        // not a BCP 47 language tag
	CodeInvalidCountry     = "invalid-country"         // not an ISO 3166-1 alpha-2 code
	CodeLowercaseCountry   = "lowercase-country"       // lowercase country code (deprecated in 0.5)
	CodeInvalidDate        = "invalid-date"            // not YYYY-MM-DD
	CodeInvalidURL         = "invalid-url"             // not an absolute URL of the right scheme
	CodeInvalidURI         = "invalid-uri"             // not a URI
	CodeInvalidEmail       = "invalid-email"           // not an e-mail address
	CodeInvalidPath        = "invalid-path"            // bad relative path or file format
	CodeInvalidMediaType   = "invalid-media-type"      // not an RFC 6838 media type
	CodeTooLong            = "too-long"                // string above its length limit
	CodeTooShort           = "too-short"               // string below its length limit
	CodeEmpty              = "empty"                   // empty string or list where content is required
	CodeNotAllowed         = "not-allowed"             // key present where the standard forbids it
	CodeUnknownAlias       = "unknown-alias"           // supports id alias:<name> not in the list of aliases
	CodeNonHTTPURL         = "non-http-url"            // repository URL that is not HTTP(S)
	CodeUnreachable        = "unreachable"             // network check failed (only with a URLChecker)
	CodeCountrySection     = "unknown-country-section" // country section the standard does not define
)

// Message is one finding about a publiccode.yml file.
type Message struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	// Path is the key path with dots and list indexes, e.g. "description.en.features[2]"; empty for the whole file.
	Path   string `json:"path"`
	Line   int    `json:"line"`   // 1-based; 0 when unknown
	Column int    `json:"column"` // 1-based; 0 when unknown
	// Text is the English sentence, TextID the Indonesian one (the product's default language).
	Text   string `json:"message"`
	TextID string `json:"message_id"`
}

// Sentence returns the message in the language asked for: "id" for Indonesian, anything else for English.
func (m Message) Sentence(lang string) string {
	if lang == "id" && m.TextID != "" {
		return m.TextID
	}
	return m.Text
}

// ShownPath is the key path to print beside the sentence: empty when the sentence already names it, so that a
// report gives each path once ("name: name is mandatory" said it twice).
func (m Message) ShownPath() string {
	if m.Path == "" || strings.Contains(m.Text, m.Path) {
		return ""
	}
	return m.Path
}

// Result holds every message about one file, in file order.
type Result struct {
	Messages []Message `json:"messages"`
}

// Valid reports whether the result holds no error (warnings alone keep a file valid).
func (r Result) Valid() bool {
	for _, m := range r.Messages {
		if m.Severity == SeverityError {
			return false
		}
	}
	return true
}

// Errors returns the messages of severity error.
func (r Result) Errors() []Message { return r.filter(SeverityError) }

// Warnings returns the messages of severity warning.
func (r Result) Warnings() []Message { return r.filter(SeverityWarning) }

func (r Result) filter(s Severity) []Message {
	var out []Message
	for _, m := range r.Messages {
		if m.Severity == s {
			out = append(out, m)
		}
	}
	return out
}

// sortMessages orders messages by position; messages without a position come first, in the order found.
func (r *Result) sortMessages() {
	sort.SliceStable(r.Messages, func(i, j int) bool {
		a, b := r.Messages[i], r.Messages[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// reporter collects messages and knows where each path was found in the source.
type reporter struct {
	res Result
	pos map[string]position
	// bad holds paths whose value had the wrong type, so that no second "missing" message follows.
	bad map[string]bool
	// itKey is the Italian section's key as written ("IT", or the deprecated "it").
	itKey string
}

type position struct{ line, col int }

func (rp *reporter) add(sev Severity, code, path, en, id string, args ...any) {
	m := Message{Severity: sev, Code: code, Path: path, Text: fmt.Sprintf(en, args...), TextID: fmt.Sprintf(id, args...)}
	if rp.pos != nil {
		p, ok := rp.pos[path]
		for !ok && path != "" {
			path = parentPath(path)
			p, ok = rp.pos[path]
		}
		m.Line, m.Column = p.line, p.col
	}
	rp.res.Messages = append(rp.res.Messages, m)
}

func (rp *reporter) errorf(code, path, en, id string, args ...any) {
	rp.add(SeverityError, code, path, en, id, args...)
}

func (rp *reporter) warnf(code, path, en, id string, args ...any) {
	rp.add(SeverityWarning, code, path, en, id, args...)
}

// parentPath strips the last element of a key path: "a.b[1]" -> "a.b", "a.b" -> "a".
func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' || p[i] == '[' {
			return p[:i]
		}
	}
	return ""
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
