package main

import (
	"context"
	"fmt"
	"io"

	"github.com/kolaborasi/kolaborasi/store"
)

// runBackup copies a SQLite database consistently, also while the server
// writes to it.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("backup", "backup [--db PATH] --out FILE", stderr)
	cfg.bind(fs, "", true)
	out := fs.String("out", "", "the backup file to write; it must not exist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"--out is required"}
	}
	n, err := store.Backup(ctx, cfg.DB, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s (%d bytes, integrity check ok)\n", cfg.DB, *out, n)
	fmt.Fprintln(stdout, "the log key file is not in it: back it up apart, it is the log's identity (docs/OPERATIONS.md)")
	return nil
}

// runRestore puts a backup in place of a SQLite database.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := newFlagSet("restore", "restore --from FILE [--db PATH] [--force]", stderr)
	cfg.bind(fs, "", true)
	from := fs.String("from", "", "the backup file made by kolaborasi backup")
	force := fs.Bool("force", false, "replace a database that exists and is not empty (stop the server first)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usageError{"--from is required"}
	}
	if err := store.Restore(ctx, *from, cfg.DB, *force); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s restored to %s (integrity check ok)\n", *from, cfg.DB)
	fmt.Fprintln(stdout, "on start the server compares its public log with the last checkpoint it published and refuses to record")
	fmt.Fprintln(stdout, "anything if this copy is older (docs/OPERATIONS.md)")
	return nil
}
