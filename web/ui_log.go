package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// recentLogEntries is how many entries the log page lists.
const recentLogEntries = 25

type logPage struct {
	pageBase
	Key        string
	Checkpoint string
	Size       int64
	Rows       []logRow
	// Base is this server's address, for the command line shown.
	Base string
}

// logRow is a log entry as a reader sees it: what happened, when, to which
// agreement or region, with the canonical record one click away.
type logRow struct {
	app.LogEntry
	// Time is when it happened: the status change's own time, or when the
	// signature was recorded; zero when the entry does not say (keys).
	Time time.Time
	// Agreement is the agreement's ID (0 for key entries) and Title its
	// title when Known, or "Kerja sama 12" when the reader may not see it.
	Agreement int64
	Title     string
	Known     bool
	// Region and RegionName are the region the key or signature is for.
	Region, RegionName string
	// Summary says what happened in the page's language.
	Summary string
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
		if p.Rows, err = s.logRows(ctx, p.pageBase, es); err != nil {
			return err
		}
	case kolaborasi.ENOTFOUND:
		// An empty log: the page says so.
	default:
		return err
	}
	return s.render(w, r, http.StatusOK, "log", p)
}

// logRows describes entries for the log page, newest first. Agreements the
// reader may not see (drafts of other regions) are named by number only.
func (s *Server) logRows(ctx context.Context, p pageBase, es []app.LogEntry) ([]logRow, error) {
	names, err := s.app.RegionNames(ctx)
	if err != nil {
		return nil, err
	}
	type version struct{ id, v int64 }
	agreements := map[version]*kolaborasi.Agreement{}
	agreement := func(id string, v int64) (int64, *kolaborasi.Agreement, error) {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return 0, nil, nil
		}
		key := version{n, v}
		if ag, ok := agreements[key]; ok {
			return n, ag, nil
		}
		ag, err := s.app.Agreement(ctx, n, v)
		if err != nil && kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
			return 0, nil, err
		}
		agreements[key] = ag
		return n, ag, nil
	}
	rows := make([]logRow, 0, len(es))
	for i := len(es) - 1; i >= 0; i-- {
		row := logRow{LogEntry: es[i]}
		e, err := ledger.ParseEntry(es[i].Record)
		if err != nil {
			return nil, err
		}
		var ag *kolaborasi.Agreement
		switch e := e.(type) {
		case *ledger.KeyRegistered:
			row.Region = e.Region
			row.Summary = p.T("log.sum.key_registered", "Office", e.HolderOffice, "Key", e.KeyID)
		case *ledger.KeyRevoked:
			row.Summary = p.T("log.sum.key_revoked", "Key", e.KeyID)
		case *ledger.SignatureEntry:
			if row.Agreement, ag, err = agreement(e.AgreementID, e.Version); err != nil {
				return nil, err
			}
			row.Region = e.Party
			row.Summary = p.T("log.sum.signature", "Role", p.T("agreement.role."+e.Role), "Stage", p.T("agreement.stage."+e.Stage),
				"Version", e.Version)
			if ag != nil {
				for _, sig := range ag.Signatures {
					if sig.LogIndex == es[i].Index {
						row.Time = sig.SignedAt
					}
				}
			}
		case *ledger.StatusChange:
			if row.Agreement, ag, err = agreement(e.AgreementID, e.Version); err != nil {
				return nil, err
			}
			row.Time = e.Time
			row.Summary = p.T("log.sum.status_change", "From", p.T("agreement.status."+e.From), "To", p.T("agreement.status."+e.To),
				"Version", e.Version)
		}
		row.RegionName = names[row.Region]
		if ag != nil {
			row.Title, row.Known = ag.Content.Title, true
		} else if row.Agreement != 0 {
			row.Title = p.T("log.agreement_n", "ID", row.Agreement)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
