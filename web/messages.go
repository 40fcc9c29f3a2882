package web

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/kolaborasi/kolaborasi"
)

// The application writes its sentences for users (error messages and field
// messages) once, in English, in the code that knows what went wrong. Pages
// show them in the page's language through sentenceCatalog, which holds the
// Indonesian text of every such sentence, keyed by its English format (as
// gettext keys messages by their source text). A test extracts every sentence
// from the code and fails when one lacks its translation, and the values a
// sentence carries (a status, a kind) are translated with the UI catalog's
// labels. A sentence without an entry is never shown in English on an
// Indonesian page: the page falls back to the general message of its code.

// sentence is one entry of locales/messages.toml.
type sentence struct {
	EN string `toml:"en"`
	ID string `toml:"id"`
	// Part marks a sentence the code builds in one place and puts into
	// another sentence (the %s of "changed own password; %s").
	Part bool `toml:"part"`

	re       *regexp.Regexp // matches a formatted English sentence, capturing its values
	literal  int            // how much fixed text the format has; the most specific match wins
	idFormat []formatPart   // the Indonesian text, split at its verbs
}

// formatPart is a run of fixed text followed by at most one value (arg is the
// value's index, -1 for none).
type formatPart struct {
	text string
	arg  int
}

type sentenceCatalog struct {
	sentences []*sentence
}

// verbRE matches the printf verbs the application's sentences use, with an
// optional explicit argument index (%[2]s).
var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?[sdqvf]|%%`)

func newSentenceCatalog() (*sentenceCatalog, error) {
	b, err := localeFS.ReadFile("locales/messages.toml")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Message []*sentence `toml:"message"`
	}
	if err := toml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("read locales/messages.toml: %w", err)
	}
	c := &sentenceCatalog{}
	for _, s := range doc.Message {
		if err := s.compile(); err != nil {
			return nil, fmt.Errorf("locales/messages.toml: %q: %w", s.EN, err)
		}
		c.sentences = append(c.sentences, s)
	}
	// The most specific format first: "%s" alone matches everything.
	sort.SliceStable(c.sentences, func(i, j int) bool { return c.sentences[i].literal > c.sentences[j].literal })
	return c, nil
}

func (s *sentence) compile() error {
	var pattern strings.Builder
	pattern.WriteString("^")
	rest, n := s.EN, 0
	for _, loc := range verbRE.FindAllStringIndex(s.EN, -1) {
		lit := s.EN[len(s.EN)-len(rest) : loc[0]]
		pattern.WriteString(regexp.QuoteMeta(lit))
		s.literal += len(lit)
		verb := s.EN[loc[0]:loc[1]]
		rest = s.EN[loc[1]:]
		switch {
		case verb == "%%":
			pattern.WriteString("%")
			s.literal++
			continue
		case strings.HasSuffix(verb, "d"):
			pattern.WriteString(`(-?\d+)`)
		case strings.HasSuffix(verb, "q"):
			pattern.WriteString(`("(?:[^"\\]|\\.)*")`)
		default:
			pattern.WriteString(`(.+?)`)
		}
		n++
	}
	pattern.WriteString(regexp.QuoteMeta(rest) + "$")
	s.literal += len(rest)
	re, err := regexp.Compile(pattern.String())
	if err != nil {
		return err
	}
	s.re = re
	parts, used, err := splitFormat(s.ID)
	if err != nil {
		return err
	}
	if used != n {
		return fmt.Errorf("the Indonesian text uses %d values, the English %d", used, n)
	}
	s.idFormat = parts
	return nil
}

// splitFormat splits a format at its verbs and returns how many distinct
// values it uses.
func splitFormat(f string) ([]formatPart, int, error) {
	var parts []formatPart
	next, seen := 0, map[int]bool{}
	rest := f
	for {
		loc := verbRE.FindStringSubmatchIndex(rest)
		if loc == nil {
			parts = append(parts, formatPart{text: rest, arg: -1})
			return parts, len(seen), nil
		}
		verb := rest[loc[0]:loc[1]]
		if verb == "%%" {
			parts = append(parts, formatPart{text: rest[:loc[0]] + "%", arg: -1})
			rest = rest[loc[1]:]
			continue
		}
		arg := next
		if loc[2] >= 0 {
			i, err := strconv.Atoi(rest[loc[2]:loc[3]])
			if err != nil || i < 1 {
				return nil, 0, fmt.Errorf("bad argument index in %q", verb)
			}
			arg = i - 1
		}
		next = arg + 1
		seen[arg] = true
		parts = append(parts, formatPart{text: rest[:loc[0]], arg: arg})
		rest = rest[loc[1]:]
	}
}

// translate returns the Indonesian text of an English sentence, with its
// values carried over and passed through value (which translates known
// labels). ok is false when the catalog has no such sentence.
func (c *sentenceCatalog) translate(en string, value func(string) string) (string, bool) {
	for _, s := range c.sentences {
		m := s.re.FindStringSubmatch(en)
		if m == nil {
			continue
		}
		var b strings.Builder
		for _, p := range s.idFormat {
			b.WriteString(p.text)
			if p.arg >= 0 && p.arg+1 < len(m) {
				b.WriteString(value(m[p.arg+1]))
			}
		}
		return b.String(), true
	}
	return "", false
}

// valueLabels are the catalog key prefixes under which a value inside a
// sentence (an agreement status, a solution kind, a role) has a label.
var valueLabels = []string{"agreement.status.", "kind.", "role.", "maturity.", "key.status.", "doc.", "adoption.stage."}

// Sentence shows an application sentence in the translator's language.
// Empty means the catalog has no translation; callers then fall back to a
// general message.
func (tr translator) Sentence(en string) string {
	if en == "" || tr.lang == "en" || tr.sentences == nil {
		return en
	}
	s, ok := tr.sentences.translate(en, func(v string) string {
		if inner := tr.Sentence(v); inner != "" && inner != v {
			return inner
		}
		bare := strings.Trim(v, `"`)
		for _, prefix := range valueLabels {
			if l := tr.T(prefix + bare); l != prefix+bare {
				return l
			}
		}
		return v
	})
	if !ok {
		return ""
	}
	return s
}

// fieldIndexRE splits a field path such as exchanges[0].receivers.
var fieldIndexRE = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]$`)

// FieldLabel names an input field by its label in the page's language:
// "dimensions" becomes "Dimensi kota cerdas", "exchanges[0].receivers"
// becomes "Pertukaran 1 › Penerima". A field without a label keeps its name.
func (tr translator) FieldLabel(name string) string {
	if l := tr.T("field." + name); l != "field."+name {
		return l // a label of the whole path, e.g. links.code
	}
	var out []string
	for _, part := range strings.Split(name, ".") {
		if m := fieldIndexRE.FindStringSubmatch(part); m != nil {
			i, _ := strconv.Atoi(m[2])
			out = append(out, tr.fieldPart(m[1])+" "+strconv.Itoa(i+1))
			continue
		}
		out = append(out, tr.fieldPart(part))
	}
	return strings.Join(out, " › ")
}

func (tr translator) fieldPart(p string) string {
	if l := tr.T("field." + p); l != "field."+p {
		return l
	}
	return p
}

// FieldErrors turns the application's field messages into labelled messages
// in the page's language, in a stable order.
func (tr translator) FieldErrors(fields map[string]string) fieldErrors {
	out := make(fieldErrors, 0, len(fields))
	for k, v := range fields {
		msg := tr.Sentence(v)
		if msg == "" {
			msg = tr.T("field.invalid")
		}
		out = append(out, FieldError{Field: k, Label: tr.FieldLabel(k), Message: msg})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// FieldError is one field's message on a page.
type FieldError struct {
	Field, Label, Message string
}

// fieldErrors are a form's field messages; For finds one to show beside its
// field.
type fieldErrors []FieldError

// For returns the message of field name, or "".
func (fe fieldErrors) For(name string) string {
	for _, e := range fe {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// explain returns what a page shows of an application error: its sentence in
// the page's language (or the general message of its code when the sentence
// has no translation) and its field messages with their labels.
func (tr translator) explain(err error) (string, fieldErrors) {
	code := kolaborasi.ErrorCode(err)
	if code == kolaborasi.EINTERNAL {
		return tr.T("error.detail." + code), nil
	}
	msg := tr.Sentence(kolaborasi.ErrorMessage(err))
	if msg == "" {
		msg = tr.T("error.detail." + code)
	}
	return msg, tr.FieldErrors(kolaborasi.ErrorFields(err))
}
