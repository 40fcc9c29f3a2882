package publiccode

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes one line per message in the form "file:line:col: severity: path: sentence", in English.
// Use WriteTextLang for another language.
func WriteText(w io.Writer, filename string, r Result) error {
	return WriteTextLang(w, filename, r, "en")
}

// WriteTextLang is WriteText with the sentence language: "id" for Indonesian, anything else for English.
func WriteTextLang(w io.Writer, filename string, r Result, lang string) error {
	for _, m := range r.Messages {
		loc := filename
		if m.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", filename, m.Line, m.Column)
		}
		sev := string(m.Severity)
		if lang == "id" {
			sev = map[Severity]string{SeverityError: "galat", SeverityWarning: "peringatan"}[m.Severity]
		}
		path := ""
		if sp := m.ShownPath(); sp != "" {
			path = sp + ": "
		}
		if _, err := fmt.Fprintf(w, "%s: %s: %s%s\n", loc, sev, path, m.Sentence(lang)); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}

// Report is the JSON form of the result for one file.
type Report struct {
	File     string    `json:"file"`
	Valid    bool      `json:"valid"`
	Errors   int       `json:"errors"`
	Warnings int       `json:"warnings"`
	Messages []Message `json:"messages"`
}

// NewReport summarises a Result for JSON output.
func NewReport(filename string, r Result) Report {
	msgs := r.Messages
	if msgs == nil {
		msgs = []Message{}
	}
	return Report{File: filename, Valid: r.Valid(), Errors: len(r.Errors()), Warnings: len(r.Warnings()), Messages: msgs}
}

// WriteJSON writes reports as an indented JSON array.
func WriteJSON(w io.Writer, reports []Report) error {
	if reports == nil {
		reports = []Report{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(reports); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
