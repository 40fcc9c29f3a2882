package publiccode

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Marshal writes f as a publiccode.yml document in the layout of the current version of the standard: keys in the
// order of schema.core.rst, the Italian section under "IT", then other country sections and unknown keys as read.
// The declared publiccodeYmlVersion is written as it is; Marshal does not upgrade content. Parse(Marshal(f))
// gives back a File equal to f.
func Marshal(f *File) ([]byte, error) {
	if f == nil {
		return nil, errors.New("marshal publiccode: nil file")
	}
	var buf bytes.Buffer
	if err := emitMap(&buf, fileValue(f).Fields, 0, false); err != nil {
		return nil, fmt.Errorf("marshal publiccode: %w", err)
	}
	return buf.Bytes(), nil
}

// obj builds a mapping Value, dropping absent entries.
type obj struct{ fields []Field }

func (o *obj) str(k, v string) {
	if v != "" {
		o.fields = append(o.fields, Field{Key: k, Value: Value{Kind: KindString, Text: v}})
	}
}

func (o *obj) list(k string, v []string) {
	if v == nil {
		return
	}
	l := Value{Kind: KindList, Items: []Value{}}
	for _, s := range v {
		l.Items = append(l.Items, Value{Kind: KindString, Text: s})
	}
	o.fields = append(o.fields, Field{Key: k, Value: l})
}

func (o *obj) boolean(k string, b *bool) {
	if b != nil {
		o.fields = append(o.fields, Field{Key: k, Value: Value{Kind: KindBool, Text: fmt.Sprint(*b)}})
	}
}

func (o *obj) val(k string, v Value) { o.fields = append(o.fields, Field{Key: k, Value: v}) }

func (o *obj) extra(ex []Field) { o.fields = append(o.fields, ex...) }

func (o *obj) value() Value { return Value{Kind: KindMap, Fields: o.fields} }

func items[T any](k string, o *obj, xs []T, conv func(T) Value) {
	if xs == nil {
		return
	}
	l := Value{Kind: KindList, Items: []Value{}}
	for _, x := range xs {
		l.Items = append(l.Items, conv(x))
	}
	o.val(k, l)
}

func orgValue(org Organisation) Value {
	o := &obj{}
	o.str("uri", org.URI)
	o.str("name", org.Name)
	o.extra(org.Extra)
	return o.value()
}

func depValue(d Dependency) Value {
	o := &obj{}
	o.str("name", d.Name)
	o.str("versionMin", d.VersionMin)
	o.str("versionMax", d.VersionMax)
	o.str("version", d.Version)
	o.boolean("optional", d.Optional)
	o.extra(d.Extra)
	return o.value()
}

func fileValue(f *File) Value {
	o := &obj{}
	o.str("publiccodeYmlVersion", f.PublicCodeYmlVersion)
	o.str("name", f.Name)
	o.str("applicationSuite", f.ApplicationSuite)
	o.str("url", f.URL)
	o.str("landingURL", f.LandingURL)
	o.list("isBasedOn", f.IsBasedOn)
	o.str("softwareVersion", f.SoftwareVersion)
	o.str("releaseDate", f.ReleaseDate)
	o.str("logo", f.Logo)
	o.str("monochromeLogo", f.MonochromeLogo)
	o.list("inputTypes", f.InputTypes)
	o.list("outputTypes", f.OutputTypes)
	o.list("platforms", f.Platforms)
	o.list("categories", f.Categories)
	o.list("usedBy", f.UsedBy)
	items("fundedBy", o, f.FundedBy, orgValue)
	o.str("roadmap", f.Roadmap)
	o.str("developmentStatus", f.DevelopmentStatus)
	o.str("softwareType", f.SoftwareType)
	items("supports", o, f.Supports, func(s Support) Value {
		so := &obj{}
		so.str("id", s.ID)
		so.extra(s.Extra)
		return so.value()
	})
	if f.Organisation != nil {
		o.val("organisation", orgValue(*f.Organisation))
	}
	if ia := f.IntendedAudience; ia != nil {
		io := &obj{}
		io.list("countries", ia.Countries)
		io.list("unsupportedCountries", ia.UnsupportedCountries)
		io.list("scope", ia.Scope)
		io.extra(ia.Extra)
		o.val("intendedAudience", io.value())
	}
	if f.Description != nil {
		do := &obj{}
		for _, lang := range sortedKeys(f.Description) {
			d := f.Description[lang]
			lo := &obj{}
			lo.str("localisedName", d.LocalisedName)
			lo.str("genericName", d.GenericName)
			lo.str("shortDescription", d.ShortDescription)
			lo.str("longDescription", d.LongDescription)
			lo.str("documentation", d.Documentation)
			lo.str("apiDocumentation", d.APIDocumentation)
			lo.list("features", d.Features)
			lo.list("screenshots", d.Screenshots)
			lo.list("videos", d.Videos)
			lo.list("awards", d.Awards)
			lo.extra(d.Extra)
			do.val(lang, lo.value())
		}
		o.val("description", do.value())
	}
	lg := &obj{}
	lg.str("license", f.Legal.License)
	lg.str("mainCopyrightOwner", f.Legal.MainCopyrightOwner)
	lg.str("repoOwner", f.Legal.RepoOwner)
	lg.str("authorsFile", f.Legal.AuthorsFile)
	lg.extra(f.Legal.Extra)
	if len(lg.fields) > 0 {
		o.val("legal", lg.value())
	}
	m := f.Maintenance
	mo := &obj{}
	mo.str("type", m.Type)
	items("contractors", mo, m.Contractors, func(c Contractor) Value {
		co := &obj{}
		co.str("name", c.Name)
		co.str("until", c.Until)
		co.str("email", c.Email)
		co.str("website", c.Website)
		co.extra(c.Extra)
		return co.value()
	})
	items("contacts", mo, m.Contacts, func(c Contact) Value {
		co := &obj{}
		co.str("name", c.Name)
		co.str("email", c.Email)
		co.str("phone", c.Phone)
		co.str("affiliation", c.Affiliation)
		co.extra(c.Extra)
		return co.value()
	})
	mo.extra(m.Extra)
	if len(mo.fields) > 0 {
		o.val("maintenance", mo.value())
	}
	lc := &obj{}
	lc.boolean("localisationReady", f.Localisation.LocalisationReady)
	lc.list("availableLanguages", f.Localisation.AvailableLanguages)
	lc.extra(f.Localisation.Extra)
	if len(lc.fields) > 0 {
		o.val("localisation", lc.value())
	}
	if d := f.DependsOn; d != nil {
		dp := &obj{}
		items("open", dp, d.Open, depValue)
		items("proprietary", dp, d.Proprietary, depValue)
		items("hardware", dp, d.Hardware, depValue)
		dp.extra(d.Extra)
		o.val("dependsOn", dp.value())
	}
	if it := f.IT; it != nil {
		io := &obj{}
		io.str("countryExtensionVersion", it.CountryExtensionVersion)
		if c := it.Conforme; c != nil {
			co := &obj{}
			co.boolean("lineeGuidaDesign", c.LineeGuidaDesign)
			co.boolean("modelloInteroperabilita", c.ModelloInteroperabilita)
			co.boolean("misureMinimeSicurezza", c.MisureMinimeSicurezza)
			co.boolean("gdpr", c.GDPR)
			co.extra(c.Extra)
			io.val("conforme", co.value())
		}
		if c := it.Piattaforme; c != nil {
			co := &obj{}
			co.boolean("spid", c.SPID)
			co.boolean("cie", c.CIE)
			co.boolean("anpr", c.ANPR)
			co.boolean("pagopa", c.PagoPA)
			co.boolean("io", c.IO)
			co.extra(c.Extra)
			io.val("piattaforme", co.value())
		}
		if c := it.Riuso; c != nil {
			co := &obj{}
			co.str("codiceIPA", c.CodiceIPA)
			co.extra(c.Extra)
			io.val("riuso", co.value())
		}
		io.extra(it.Extra)
		o.val("IT", io.value())
	}
	o.extra(f.CountrySections)
	o.extra(f.Extra)
	return o.value()
}

func pad(buf *bytes.Buffer, n int) {
	for range n {
		buf.WriteByte(' ')
	}
}

// emitMap writes mapping fields at the given indent; inline means the first key follows a "- " already written.
func emitMap(buf *bytes.Buffer, fields []Field, indent int, inline bool) error {
	seen := map[string]bool{}
	for i, fl := range fields {
		if seen[fl.Key] {
			return fmt.Errorf("key %q appears twice", fl.Key)
		}
		seen[fl.Key] = true
		if i > 0 || !inline {
			pad(buf, indent)
		}
		buf.WriteString(quoteScalar(fl.Key, false))
		buf.WriteByte(':')
		if err := emitValue(buf, fl.Value, indent); err != nil {
			return err
		}
	}
	return nil
}

// emitValue writes what follows "key:" or "-": a scalar on the same line, or a block on the next lines.
func emitValue(buf *bytes.Buffer, v Value, indent int) error {
	switch v.Kind {
	case KindMap:
		if len(v.Fields) == 0 {
			buf.WriteString(" {}\n")
			return nil
		}
		buf.WriteByte('\n')
		return emitMap(buf, v.Fields, indent+2, false)
	case KindList:
		if len(v.Items) == 0 {
			buf.WriteString(" []\n")
			return nil
		}
		buf.WriteByte('\n')
		for _, it := range v.Items {
			pad(buf, indent+2)
			buf.WriteByte('-')
			if it.Kind == KindMap && len(it.Fields) > 0 {
				buf.WriteByte(' ')
				if err := emitMap(buf, it.Fields, indent+4, true); err != nil {
					return err
				}
				continue
			}
			if err := emitValue(buf, it, indent+2); err != nil {
				return err
			}
		}
		return nil
	case KindString:
		if block, ok := literalBlock(v.Text, indent+2); ok {
			buf.WriteString(block)
			return nil
		}
		buf.WriteByte(' ')
		buf.WriteString(quoteScalar(v.Text, false))
		buf.WriteByte('\n')
		return nil
	case KindNull:
		buf.WriteString(" null\n")
		return nil
	case KindBool, KindInt, KindFloat:
		if v.Text == "" || strings.ContainsAny(v.Text, " \t\n:#\"'") {
			return fmt.Errorf("%s value %q cannot be written", v.Kind, v.Text)
		}
		buf.WriteByte(' ')
		buf.WriteString(v.Text)
		buf.WriteByte('\n')
		return nil
	}
	return fmt.Errorf("unknown value kind %q", v.Kind)
}

var reservedPlain = set("true", "false", "null", "yes", "no", "on", "off", "y", "n", "nan", "inf", "~")

// quoteScalar writes s as a plain scalar when that is unambiguous, or else double-quoted.
func quoteScalar(s string, _ bool) string {
	if plainSafe(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0xfeff || !unicode.IsPrint(r) && r != ' ' {
				if r > 0xffff {
					fmt.Fprintf(&b, `\U%08x`, r)
				} else {
					fmt.Fprintf(&b, `\u%04x`, r)
				}
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func plainSafe(s string) bool {
	if s == "" || reservedPlain[strings.ToLower(s)] || s[len(s)-1] == ' ' {
		return false
	}
	c := s[0]
	if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == ' ' || r == '_' || r == '.' || r == '/' || r == '-' || r == '+' || r == '@' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return true
}

// literalBlock writes a multi-line string as a literal block scalar (" |\n" and indented lines) when that keeps
// it exactly; otherwise it reports false and the caller quotes the string.
func literalBlock(s string, indent int) (string, bool) {
	if !strings.Contains(s, "\n") || !utf8.ValidString(s) {
		return "", false
	}
	body := strings.TrimSuffix(s, "\n")
	chomp := "|-"
	if body != s {
		chomp = "|"
		if strings.HasSuffix(body, "\n") {
			return "", false // several trailing newlines: quoted form is exact and simpler
		}
	}
	if body == "" || body[0] == ' ' || body[0] == '\t' || body[0] == '\n' {
		return "", false
	}
	for _, r := range body {
		if r != '\n' && (!unicode.IsPrint(r) || r == 0xfeff) {
			return "", false
		}
	}
	var b strings.Builder
	b.WriteByte(' ')
	b.WriteString(chomp)
	b.WriteByte('\n')
	for _, line := range strings.Split(body, "\n") {
		if line != "" {
			b.WriteString(strings.Repeat(" ", indent))
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
	return b.String(), true
}
