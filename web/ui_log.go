package web

import (
	"net/http"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// recentLogEntries is how many entries the log page lists.
const recentLogEntries = 25

type logPage struct {
	pageBase
	Key        string
	Checkpoint string
	Size       int64
	Entries    []app.LogEntry
	// Base is this server's address, for the command line shown.
	Base string
}

// uiLog shows the public log: the latest checkpoint, the verifier key and
// the most recent entries, newest first.
func (s *Server) uiLog(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := logPage{pageBase: s.base(r, "log"), Base: s.baseURL}
	cp, size, err := s.app.LogCheckpoint(ctx)
	switch kolaborasi.ErrorCode(err) {
	case "":
		p.Checkpoint, p.Size = string(cp), size
		if p.Key, err = s.app.LogVerifierKey(ctx); err != nil {
			return err
		}
		es, err := s.app.LogEntries(ctx, max(0, size-recentLogEntries), size)
		if err != nil {
			return err
		}
		for i := len(es) - 1; i >= 0; i-- {
			p.Entries = append(p.Entries, es[i])
		}
	case kolaborasi.ENOTFOUND:
		// An empty log: the page says so.
	default:
		return err
	}
	return s.render(w, r, http.StatusOK, "log", p)
}
