package web

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
)

// LogBuffer collects a server's log lines for tests (the server logs from
// its own goroutines).
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// Lines returns the lines logged so far that contain every one of parts.
func (l *LogBuffer) Lines(parts ...string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for line := range strings.Lines(l.b.String()) {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			out = append(out, line)
		}
	}
	return out
}

// Logger is a text logger at debug level writing into l.
func (l *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// WithoutLocalizedPages makes s render every page as parsed, its labels
// looked up on each request (web/labels.go), for comparisons. Call it
// before s serves.
func (s *Server) WithoutLocalizedPages() { s.localized = nil }
