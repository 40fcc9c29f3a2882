package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/obsfile"
)

// importBodyLimit is the largest body an observation import accepts: the
// file limit and room for a multipart envelope.
const importBodyLimit = obsfile.MaxBytes + 64<<10

func (s *Server) apiIndicatorList(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	inds, err := s.app.Indicators(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, r, inds)
}

func (s *Server) apiIndicatorShow(w http.ResponseWriter, r *http.Request) error {
	ind, err := s.app.Indicator(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: ind})
}

func (s *Server) apiIndicatorCreate(w http.ResponseWriter, r *http.Request) error {
	var ind kolaborasi.Indicator
	if err := decodeJSON(r, &ind); err != nil {
		return err
	}
	if err := s.app.SaveIndicator(r.Context(), &ind, true); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/indicators/"+url.PathEscape(ind.Code))
	return writeJSON(w, http.StatusCreated, itemResponse{Data: &ind})
}

func (s *Server) apiIndicatorPut(w http.ResponseWriter, r *http.Request) error {
	var ind kolaborasi.Indicator
	if err := decodeJSON(r, &ind); err != nil {
		return err
	}
	if ind.Code == "" {
		ind.Code = r.PathValue("code")
	}
	if ind.Code != r.PathValue("code") {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The code in the body differs from the address.",
			Fields: map[string]string{"code": "must be the code in the address"}}
	}
	if err := s.app.SaveIndicator(r.Context(), &ind, false); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: &ind})
}

// observationFilter reads the filter parameters shared by the query and
// the export.
func observationFilter(q url.Values) (kolaborasi.ObservationFilter, error) {
	f := kolaborasi.ObservationFilter{Indicator: q.Get("indicator"), Region: q.Get("region"), ProvinceCode: q.Get("province"),
		From: q.Get("from"), To: q.Get("to")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > app.MaxObservations {
			return f, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: fmt.Sprintf("limit must be a whole number from 1 to %d.", app.MaxObservations),
				Fields: map[string]string{"limit": "out of range"}}
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) apiObservations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "indicator", "region", "province", "from", "to", "limit"); err != nil {
		return err
	}
	f, err := observationFilter(q)
	if err != nil {
		return err
	}
	obs, err := s.app.Observations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, r, obs)
}

// contentTypes of the observation file formats.
var contentTypes = map[obsfile.Format]string{
	obsfile.CSV:  "text/csv; charset=utf-8",
	obsfile.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// uploadFormat names the format of an uploaded file by its content type or,
// for a generic type, its name.
func uploadFormat(contentType, name string) (obsfile.Format, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/csv" || mt == "application/csv":
		return obsfile.CSV, nil
	case mt == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return obsfile.XLSX, nil
	case strings.HasSuffix(strings.ToLower(name), ".csv"):
		return obsfile.CSV, nil
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return obsfile.XLSX, nil
	}
	return "", &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Send a CSV (text/csv) or XLSX file.",
		Fields: map[string]string{"file": "send a .csv or .xlsx file"}}
}

// importTime is how long an import request may take: a file of up to
// MaxBytes sent over a slow link and a million rows checked and written
// (the server's own read and write timeouts are shorter).
const importTime = 10 * time.Minute

// uploadedFile returns the observation file of a request: a multipart
// form's "file" part, or the body itself with its content type.
func uploadedFile(w http.ResponseWriter, r *http.Request) (io.Reader, obsfile.Format, func(), error) {
	if r.ContentLength > importBodyLimit {
		return nil, "", func() {}, kolaborasi.Errorf(kolaborasi.ETOOLARGE, "The file is larger than %d MiB.", obsfile.MaxBytes>>20)
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(importTime))
	rc.SetWriteDeadline(time.Now().Add(importTime))
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		f, err := uploadFormat(r.Header.Get("Content-Type"), "")
		return r.Body, f, func() {}, err
	}
	// Parts above 1 MiB go to temporary files, not memory.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, "", func() {}, tooLargeOr(err, kolaborasi.Errorf(kolaborasi.EINVALID, "The form could not be read."))
	}
	done := func() { r.MultipartForm.RemoveAll() }
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, "", done, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Choose a CSV or XLSX file.",
			Fields: map[string]string{"file": "choose a file"}}
	}
	closeAll := func() { file.Close(); done() }
	f, err := uploadFormat(hdr.Header.Get("Content-Type"), hdr.Filename)
	if err != nil {
		// A browser may send a generic type and an odd name: an XLSX
		// workbook is a ZIP archive, anything else is read as CSV.
		br := bufio.NewReader(file)
		magic, _ := br.Peek(4)
		f = obsfile.CSV
		if bytes.Equal(magic, []byte("PK\x03\x04")) {
			f = obsfile.XLSX
		}
		return br, f, closeAll, nil
	}
	return file, f, closeAll, nil
}

// importReport is the answer of a successful import.
type importReportResponse struct {
	Data *app.ImportReport `json:"data"`
}

func (s *Server) apiObservationImport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "region"); err != nil {
		return err
	}
	region := q.Get("region")
	if err := s.app.Check(r.Context(), app.ActObservationImport, region); err != nil {
		return err
	}
	body, format, done, err := uploadedFile(w, r)
	defer done()
	if err != nil {
		return err
	}
	rep, err := s.app.ImportObservations(r.Context(), region, body, format, 0)
	if err != nil {
		return tooLargeOr(err, err)
	}
	return writeJSON(w, http.StatusOK, importReportResponse{Data: rep})
}

// tooLargeOr turns a body cut by the route's limit into too_large, and
// returns other otherwise.
func tooLargeOr(err, other error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return kolaborasi.Errorf(kolaborasi.ETOOLARGE, "The file is larger than %d MiB.", obsfile.MaxBytes>>20)
	}
	return other
}

func (s *Server) apiObservationExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "indicator", "region", "province", "from", "to", "format"); err != nil {
		return err
	}
	return s.exportObservations(w, r, q.Get("format"), q)
}

// exportObservations answers with the observations as a file; pages and
// the API share it.
func (s *Server) exportObservations(w http.ResponseWriter, r *http.Request, format string, q url.Values) error {
	f, err := observationFilter(q)
	if err != nil {
		return err
	}
	ff := obsfile.Format(format)
	if ff == "" {
		ff = obsfile.CSV
	}
	ct, ok := contentTypes[ff]
	if !ok {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Choose the format csv or xlsx.", Fields: map[string]string{"format": "csv or xlsx"}}
	}
	name := "observasi"
	if f.Indicator != "" {
		name += "-" + f.Indicator
	}
	if f.Region != "" {
		name += "-" + f.Region
	}
	// The file's headers go out with its first bytes: a refused filter
	// is answered as an error, not as an empty attachment.
	out := &headersOnWrite{w: w, set: func(h http.Header) {
		h.Set("Content-Type", ct)
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, ff))
	}}
	return s.app.ExportObservations(r.Context(), f, ff, out)
}

// headersOnWrite sets headers on the first Write.
type headersOnWrite struct {
	w    http.ResponseWriter
	set  func(http.Header)
	done bool
}

func (h *headersOnWrite) Write(p []byte) (int, error) {
	if !h.done {
		h.set(h.w.Header())
		h.done = true
	}
	return h.w.Write(p)
}
