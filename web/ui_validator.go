package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/publiccode"
)

// validatorBodyLimit leaves room around publiccode's own 1 MiB limit, so an
// oversized file gets the validator's clear message, not a cut-off body.
const validatorBodyLimit = publiccode.MaxSize + 256<<10

type validatorLine struct {
	Number   int
	Text     string
	Messages []publiccode.Message
}

type validatorPage struct {
	pageBase
	Source   string
	Checked  bool
	Report   publiccode.Report
	Lines    []validatorLine
	Unplaced []publiccode.Message
}

// Sentence returns a message in the page's language.
func (p validatorPage) Sentence(m publiccode.Message) string { return m.Sentence(p.Lang) }

func (s *Server) uiValidatorForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "validator", validatorPage{pageBase: s.base(r, "publiccode")})
}

// readYAML reads a publiccode.yml from an upload field "file" or a text
// field "yaml" of a form (multipart or urlencoded).
func readYAML(r *http.Request) ([]byte, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(validatorBodyLimit); err != nil {
			return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read; files of at most 1 MiB are accepted.")
		}
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, validatorBodyLimit))
			if err != nil {
				return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The upload could not be read.")
			}
			if len(b) > 0 {
				return b, nil
			}
		}
	}
	if err := r.ParseForm(); err != nil {
		return nil, kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read; files of at most 1 MiB are accepted.")
	}
	text := r.PostForm.Get("yaml")
	if strings.TrimSpace(text) == "" {
		return nil, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Paste a publiccode.yml or choose a file.",
			Fields: map[string]string{"yaml": "is empty"}}
	}
	return []byte(strings.ReplaceAll(text, "\r\n", "\n")), nil
}

func (s *Server) uiValidate(w http.ResponseWriter, r *http.Request) error {
	data, err := readYAML(r)
	if err != nil {
		return err
	}
	res := s.app.ValidatePublicCode(data)
	p := validatorPage{pageBase: s.base(r, "publiccode"), Checked: true, Report: publiccode.NewReport("publiccode.yml", res)}
	// Show the source with each message under its line; binary or
	// oversized input is not echoed back.
	p.Lines, p.Unplaced = placeMessages(string(data), res)
	if p.Lines != nil {
		p.Source = string(data)
	}
	status := http.StatusOK
	if !p.Report.Valid {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "validator", p)
}

func (s *Server) apiValidate(w http.ResponseWriter, r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/yaml") && !strings.HasPrefix(ct, "application/x-yaml") && !strings.HasPrefix(ct, "text/yaml") &&
		!strings.HasPrefix(ct, "text/plain") {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "Send the publiccode.yml as the body with Content-Type: application/yaml.")
	}
	data, err := io.ReadAll(r.Body)
	if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge && r.ContentLength > publiccode.MaxSize {
		// The body limit cut the file off: report its real size, as the request declared it.
		return writeJSON(w, http.StatusOK, itemResponse{Data: publiccode.NewReport("publiccode.yml", publiccode.Oversized(r.ContentLength))})
	}
	if err != nil {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The body could not be read; files of at most 1 MiB are accepted.")
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: publiccode.NewReport("publiccode.yml", s.app.ValidatePublicCode(data))})
}
