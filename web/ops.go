package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.app.Ready(ctx); err != nil {
		msg := "database unreachable\n"
		if errors.Is(err, app.ErrIndexBuilding) {
			msg = "search index building\n"
		} else {
			s.log.Warn("not ready", "err", err)
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		_, err := w.Write([]byte(msg))
		return err
	}
	_, err := w.Write([]byte("ready\n"))
	return err
}

func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) error {
	a, ok := s.assets[r.PathValue("name")]
	if !ok {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such file.")
	}
	h := w.Header()
	h.Set("Content-Type", a.ct)
	h.Set("ETag", `"`+a.hash+`"`)
	if r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
	return nil
}

// geoFile is a GeoJSON file served gzip-compressed when the client accepts
// it, compressed once on first use.
type geoFile struct {
	once sync.Once
	raw  func() []byte
	gz   []byte
	etag string
}

func (g *geoFile) prepare() {
	g.once.Do(func() {
		raw := g.raw()
		sum := sha256.Sum256(raw)
		g.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(raw)
		zw.Close()
		g.gz = buf.Bytes()
	})
}

var geoFiles = map[string]*geoFile{
	"kabupaten-kota.geojson": {raw: wilayah.RegenciesGeoJSON},
	"provinsi.geojson":       {raw: wilayah.ProvincesGeoJSON},
}

func (s *Server) handleGeoJSON(w http.ResponseWriter, r *http.Request) error {
	g, ok := geoFiles[r.PathValue("file")]
	if !ok {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "No such map file.")
	}
	g.prepare()
	h := w.Header()
	h.Set("Content-Type", "application/geo+json")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", g.etag)
	h.Add("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, g.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := g.raw()
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = g.gz
	}
	_, err := w.Write(body)
	return err
}

// Warm prepares what the first visitors of the map pages would otherwise
// wait for: the compressed map files and the parsed boundaries. Call it in
// the background after start-up.
func Warm() {
	for _, g := range geoFiles {
		g.prepare()
	}
	wilayah.MapOf("35.72", nil, 320)
}
