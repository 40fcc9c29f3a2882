package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// statusOf is the one place where error codes become HTTP statuses.
var statusOf = map[string]int{
	kolaborasi.EINVALID:      http.StatusBadRequest,
	kolaborasi.ENOTFOUND:     http.StatusNotFound,
	kolaborasi.ECONFLICT:     http.StatusConflict,
	kolaborasi.EUNAUTHORIZED: http.StatusUnauthorized,
	kolaborasi.EFORBIDDEN:    http.StatusForbidden,
	kolaborasi.ETOOMANY:      http.StatusTooManyRequests,
	kolaborasi.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	kolaborasi.EINTERNAL:     http.StatusInternalServerError,
}

var titleOf = map[string]string{
	kolaborasi.EINVALID:      "Invalid request",
	kolaborasi.ENOTFOUND:     "Not found",
	kolaborasi.ECONFLICT:     "Conflict",
	kolaborasi.EUNAUTHORIZED: "Authentication required",
	kolaborasi.EFORBIDDEN:    "Forbidden",
	kolaborasi.ETOOMANY:      "Too many requests",
	kolaborasi.ETOOLARGE:     "Content too large",
	kolaborasi.EINTERNAL:     "Internal error",
}

// problemType is the RFC 9457 type URI of a code: a tag URI (RFC 4151), which
// names the problem without promising a page to dereference.
func problemType(code string) string { return "tag:kolaborasi.id,2026:problem:" + code }

// Problem is an RFC 9457 problem document with Kolaborasi's stable code.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Code      string         `json:"code"`
	Instance  string         `json:"instance,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem says what is wrong with one input field.
type FieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// logError logs unexpected errors once, at the edge. A client that went away
// is not an internal error: it is logged at info.
func (s *Server) logError(r *http.Request, err error) {
	if kolaborasi.ErrorCode(err) != kolaborasi.EINTERNAL {
		return
	}
	msg, level := "request failed", slog.LevelError
	if clientGone(r, err) {
		msg, level = "client went away", slog.LevelInfo
	}
	s.log.Log(r.Context(), level, msg, "err", err, "request_id", kolaborasi.RequestIDFrom(r.Context()),
		"method", r.Method, "path", r.URL.Path)
}

// setRetryAfter sends Retry-After (whole seconds, at least 1) when the
// error says how long to wait.
func setRetryAfter(w http.ResponseWriter, err error) {
	if d := kolaborasi.ErrorRetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10))
	}
}

func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	s.logError(r, err)
	setRetryAfter(w, err)
	code := kolaborasi.ErrorCode(err)
	p := Problem{Type: problemType(code), Title: titleOf[code], Status: statusOf[code], Detail: kolaborasi.ErrorMessage(err),
		Code: code, Instance: r.URL.Path, RequestID: kolaborasi.RequestIDFrom(r.Context())}
	fields := kolaborasi.ErrorFields(err)
	for f, d := range fields {
		p.Errors = append(p.Errors, FieldProblem{Field: f, Detail: d})
	}
	sort.Slice(p.Errors, func(i, j int) bool { return p.Errors[i].Field < p.Errors[j].Field })
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", privateNoStore)
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

type errorPage struct {
	pageBase
	Heading   string
	Message   string
	Fields    fieldErrors
	RequestID string
}

func (s *Server) writeErrorPage(w http.ResponseWriter, r *http.Request, err error) {
	s.logError(r, err)
	setRetryAfter(w, err)
	code := kolaborasi.ErrorCode(err)
	p := errorPage{pageBase: s.base(r, ""), Heading: "error." + code, RequestID: kolaborasi.RequestIDFrom(r.Context())}
	// The application's own sentence, in the page's language, says most;
	// the general message of the code stands in when there is none.
	p.Message, p.Fields = p.tr.explain(err)
	w.Header().Set("Cache-Control", privateNoStore)
	if rerr := s.render(w, r, statusOf[code], "error", p); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
