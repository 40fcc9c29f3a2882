package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
)

// bindLogKeyFile binds --log-key-file.
func bindLogKeyFile(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "log-key-file", envOr("KOLABORASI_LOG_KEY_FILE", ""),
		"the public log's signing key file, mode 0600 (env KOLABORASI_LOG_KEY_FILE); default for SQLite: the database path + .logkey")
}

// defaultLogKeyFile is where serve looks for the log key file when none is
// given: beside a SQLite database; PostgreSQL has no default.
func defaultLogKeyFile(dsn string) string {
	if store.IsPostgres(dsn) {
		return ""
	}
	return strings.TrimPrefix(dsn, "sqlite://") + ".logkey"
}

// logKeyOptions reads the log key file at path for an app over s. When the
// file does not exist and the database's log has no key yet, it creates
// the file with a new key. Without a key file the server runs, but cannot
// append to the log (the app answers a conflict and the server says so at
// start); a database still holding its signing key, or a key file others
// can read, refuses to start.
func logKeyOptions(ctx context.Context, s kolaborasi.Store, path string, log *slog.Logger, stdout io.Writer) ([]app.Option, error) {
	signer, _, err := s.LogKey(ctx)
	hasKey := err == nil
	if err != nil && kolaborasi.ErrorCode(err) != kolaborasi.ENOTFOUND {
		return nil, err
	}
	if signer != "" {
		return nil, errors.New("the database still holds the public log's signing key, so any copy of it could sign a forged log; " +
			"move it into a key file first: kolaborasi log export-key --db DB --out FILE (see docs/OPERATIONS.md)")
	}
	if path == "" {
		log.Warn("no --log-key-file: the public log is served but nothing can be recorded in it (signatures, key changes, status changes)")
		return nil, nil
	}
	k, err := app.ReadLogKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) && !hasKey {
		if k, err = ledger.GenerateLogKey(app.LogOrigin); err != nil {
			return nil, err
		}
		if err := app.CreateLogKeyFile(path, k); err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "Created the public log's signing key file %s (mode 0600); back it up apart from the database.\n", path)
	} else if errors.Is(err, fs.ErrNotExist) {
		log.Warn("the log key file is missing: the public log is served but nothing can be recorded in it", "file", path)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return []app.Option{app.WithLogKey(k), app.WithCheckpointFile(app.CheckpointFileFor(path))}, nil
}

// runLogKeygen makes a new log key file.
func runLogKeygen(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("log keygen", "log keygen --out FILE", stderr)
	out := fs.String("out", "", "file to write the log's signing key to (mode 0600); it must not exist")
	origin := fs.String("origin", app.LogOrigin, "the log's name, the first line of its checkpoints")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out is required"}
	}
	k, err := ledger.GenerateLogKey(*origin)
	if err != nil {
		return err
	}
	if err := app.CreateLogKeyFile(*out, k); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "log signing key written to %s (mode 0600); start the server with --log-key-file %s\nverifier key: %s\n",
		*out, *out, k.VerifierKey())
	return nil
}

// runLogExportKey moves an older database's log signing key into a key
// file.
func runLogExportKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("log export-key", "log export-key --db PATH|URL --out FILE", stderr)
	cfg.bind(fs, "", true)
	out := fs.String("out", "", "file to write the log's signing key to (mode 0600); it must not exist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out is required"}
	}
	db, a, err := cfg.openApp(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	verifier, err := a.MoveLogKeyOut(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "log signing key moved to %s (mode 0600) and erased from %s %s\n", *out, db.Engine(), db.Where())
	fmt.Fprintf(stdout, "latest checkpoint recorded in %s\nverifier key: %s\n", app.CheckpointFileFor(*out), verifier)
	fmt.Fprintf(stdout, "start the server with --log-key-file %s; older copies and backups of the database still hold the key\n", *out)
	return nil
}
