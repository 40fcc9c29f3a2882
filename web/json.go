package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// listResponse is the envelope of every API list.
type listResponse struct {
	Data  any   `json:"data"`
	Links links `json:"links"`
}

type links struct {
	Self string `json:"self"`
	Next string `json:"next,omitempty"`
}

type itemResponse struct {
	Data any `json:"data"`
}

// writeList answers with a whole list (no further pages): an empty list is
// [], never null.
func writeList[T any](w http.ResponseWriter, r *http.Request, items []T) error {
	if items == nil {
		items = []T{}
	}
	return writeJSON(w, http.StatusOK, listResponse{Data: items, Links: links{Self: r.URL.RequestURI()}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeRawJSON answers with the concatenation of parts, already encoded
// JSON (as writeJSON would have encoded it, newline included).
func writeRawJSON(w http.ResponseWriter, status int, parts ...[]byte) error {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(status)
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// query checks a request's query parameters against the names a route
// accepts, so a misspelt filter is an error rather than silently ignored.
func checkQuery(q url.Values, allowed ...string) error {
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for k := range q {
		if !ok[k] {
			return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "Unknown query parameter " + strconv.Quote(k) + ".",
				Fields: map[string]string{k: "is not a parameter of this endpoint"}}
		}
	}
	return nil
}

// checkNoQuery refuses any query parameter, for routes that take none;
// without a query it parses nothing.
func checkNoQuery(r *http.Request) error {
	if r.URL.RawQuery == "" {
		return nil
	}
	return checkQuery(r.URL.Query())
}

// page reads page[size] and page[after] (an opaque cursor).
func page(q url.Values) (size int, after string, err error) {
	if v := q.Get("page[size]"); v != "" {
		size, err = strconv.Atoi(v)
		if err != nil || size < 1 || size > 100 {
			return 0, "", &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "page[size] must be a whole number from 1 to 100.",
				Fields: map[string]string{"page[size]": "must be between 1 and 100"}}
		}
	}
	if v := q.Get("page[after]"); v != "" {
		b, derr := base64.RawURLEncoding.DecodeString(v)
		if derr != nil || len(b) == 0 {
			return 0, "", &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "page[after] is not a cursor this API returned.",
				Fields: map[string]string{"page[after]": "use the links.next URL of the previous page"}}
		}
		after = string(b)
	}
	return size, after, nil
}

func cursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// idPage reads the page of a list ordered by ID, newest first: the size
// (def when absent) and the ID below which the page starts (0: the first).
func idPage(q url.Values, def int) (size int, before int64, err error) {
	size, after, err := page(q)
	if err != nil {
		return 0, 0, err
	}
	if size == 0 {
		size = def
	}
	if after != "" {
		if before, err = strconv.ParseInt(after, 10, 64); err != nil {
			return 0, 0, &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "page[after] is not a cursor this API returned.",
				Fields: map[string]string{"page[after]": "use the links.next URL of the previous page"}}
		}
	}
	return size, before, nil
}

// writeIDPage answers one page of a list ordered by ID, newest first, from
// items fetched with limit: one more than the page tells that another
// follows; at the app's largest page, a full page links to a next one that
// may be empty.
func writeIDPage[T any](w http.ResponseWriter, r *http.Request, items []T, size, limit int, id func(T) int64) error {
	out := listResponse{Data: items, Links: links{Self: r.URL.RequestURI()}}
	if len(items) > size || (len(items) == size && limit == size) {
		out.Data = items[:size]
		out.Links.Next = nextLink(r.URL, strconv.FormatInt(id(items[size-1]), 10))
	}
	if items == nil {
		out.Data = []T{}
	}
	return writeJSON(w, http.StatusOK, out)
}

// nextLink is the URL of the page after key, keeping the other parameters.
func nextLink(u *url.URL, key string) string {
	q := u.Query()
	q.Set("page[after]", cursor(key))
	return u.Path + "?" + q.Encode()
}

// decodeJSON reads a JSON request body strictly: the right content type,
// no unknown fields, one value only.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" && !strings.HasPrefix(ct, "application/json;") {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "Send the body as application/json.")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return kolaborasi.Errorf(kolaborasi.EINVALID, "The body is larger than %d bytes.", mbe.Limit)
		}
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The body is not valid JSON for this endpoint: %v.", err)
	}
	if dec.More() {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "The body must hold one JSON value.")
	}
	return nil
}

// listByPathID answers a GET of a list that belongs to the item named by
// the path's {id}: no query parameters, the list from one app call.
func listByPathID[T any](w http.ResponseWriter, r *http.Request, list func(context.Context, int64) ([]T, error)) error {
	if err := checkNoQuery(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	items, err := list(r.Context(), id)
	if err != nil {
		return err
	}
	return writeList(w, r, items)
}
