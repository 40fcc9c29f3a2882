package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/kolaborasi/kolaborasi"
)

// A post larger than its route's body limit is answered 413 with a
// sentence that names the limit, unless its handler answered it itself
// (the publiccode validator reports the real size of a file). A page route that names its form (route
// form) shows that form again with the sentence on top: the body was cut,
// so nothing of it can be kept, but the user lands where they can act.
// Forms cap their texts with maxlength, so a browser never sends a text
// the server would cut.

// drainLimit bounds how much of an oversized body is read and discarded
// before answering, so that the browser, still sending, receives the
// answer instead of a reset connection.
const drainLimit = 16 << 20

// watchedBody notes whether its reader hit the body limit.
type watchedBody struct {
	io.ReadCloser
	exceeded bool
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var me *http.MaxBytesError
	if errors.As(err, &me) {
		b.exceeded = true
	}
	return n, err
}

// sizeLabel writes a byte count as the forms state limits: "1 MiB",
// "576 KiB".
func sizeLabel(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt((n+1023)>>10, 10) + " KiB"
}

func errTooLarge(limit int64) error {
	return kolaborasi.Errorf(kolaborasi.ETOOLARGE, "What was sent is larger than the %s the server accepts, so nothing was saved; shorten the long texts or choose a smaller file, then send it again.", sizeLabel(limit))
}

// alertKey carries, on the context of a form shown again, the error the
// page shows on top (pageBase.Alert).
type alertKey struct{}

// statusAs answers with a fixed status whatever the handler sets.
type statusAs struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusAs) WriteHeader(int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(w.status)
}

func (w *statusAs) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(w.status)
	}
	return w.ResponseWriter.Write(b)
}

// showFormAgain answers a refused post with its form (the GET handler of
// the route's form, under the same path values) and the error on top; it
// returns err when the form cannot be shown, for the error page.
func (s *Server) showFormAgain(w http.ResponseWriter, r *http.Request, form handlerFunc, err error) error {
	g := r.Clone(context.WithValue(r.Context(), alertKey{}, err))
	g.Method, g.Body, g.ContentLength = http.MethodGet, http.NoBody, 0
	g.Form, g.PostForm, g.MultipartForm = nil, nil, nil
	sw := &statusAs{ResponseWriter: w, status: statusOf[kolaborasi.ErrorCode(err)]}
	if ferr := form(sw, g); ferr != nil {
		if sw.wrote {
			s.logError(r, ferr)
			return nil
		}
		return err
	}
	return nil
}

// drain reads what is left of an oversized body, up to drainLimit.
func drain(body io.Reader) {
	if body != nil {
		io.CopyN(io.Discard, body, drainLimit)
	}
}

// refuse answers a refused form post (an invalid entry, a refused upload)
// with its form shown again by the form's GET handler: the reason on top
// and beside field, which names the field when the error names none.
// Other errors go to the error page.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, form handlerFunc, field string, err error) error {
	switch kolaborasi.ErrorCode(err) {
	case kolaborasi.EINVALID, kolaborasi.ECONFLICT, kolaborasi.ETOOLARGE:
	default:
		return err
	}
	var e *kolaborasi.Error
	if errors.As(err, &e) && len(e.Fields) == 0 && field != "" {
		err = &kolaborasi.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: e.Message}}
	}
	return s.showFormAgain(w, r, form, err)
}
