package web

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes the JSON API. It is written by hand and kept
// true by a test that compares it with the route table.
//
//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIDocument)
	return err
}
