package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrPostgresBackup is the answer of Backup and Restore for PostgreSQL,
// which is backed up with its own tools.
var ErrPostgresBackup = errors.New("backup and restore of PostgreSQL are done with pg_dump and pg_restore; see \"Backup and restore\" in README.md")

// Backup writes a consistent copy of the SQLite database at dsn to out,
// which must not exist, while the server may go on writing: VACUUM INTO
// reads one snapshot of the database (a read transaction, which WAL mode
// lets run beside the writer). The copy is written beside out and renamed
// into place only once it opens and passes integrity_check. It returns the
// copy's size in bytes.
func Backup(ctx context.Context, dsn, out string) (int64, error) {
	if IsPostgres(dsn) {
		return 0, ErrPostgresBackup
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	if _, err := os.Stat(path); err != nil {
		return 0, fmt.Errorf("the database %s cannot be read: %w", path, err)
	}
	if _, err := os.Lstat(out); err == nil {
		return 0, fmt.Errorf("%s exists; choose another file, backups are never overwritten", out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return 0, fmt.Errorf("write backup: %w", err)
	}
	tmp.Close()
	// VACUUM INTO wants a file that does not exist or is empty.
	defer os.Remove(tmp.Name())
	src, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer src.Close()
	if err := isKolaborasi(ctx, src, path); err != nil {
		return 0, err
	}
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, tmp.Name()); err != nil {
		return 0, fmt.Errorf("copy %s: %w", path, err)
	}
	if err := CheckSQLiteFile(ctx, tmp.Name()); err != nil {
		return 0, fmt.Errorf("the copy does not check out, nothing written to %s: %w", out, err)
	}
	if err := syncFile(tmp.Name()); err != nil {
		return 0, err
	}
	// A hard link never replaces a file; where links are not supported
	// (some network file systems) the copy is renamed into place.
	if err := os.Link(tmp.Name(), out); errors.Is(err, fs.ErrExist) {
		return 0, fmt.Errorf("%s exists; choose another file, backups are never overwritten", out)
	} else if err != nil {
		if err := os.Rename(tmp.Name(), out); err != nil {
			return 0, fmt.Errorf("write backup %s: %w", out, err)
		}
	}
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), syncDir(filepath.Dir(out))
}

// Restore puts the SQLite backup from in place of the database at dsn. The
// server must be stopped. The backup must open and pass integrity_check; a
// target that exists and is not empty is replaced only with force (its WAL
// and shared-memory files are removed with it).
func Restore(ctx context.Context, from, dsn string, force bool) error {
	if IsPostgres(dsn) {
		return ErrPostgresBackup
	}
	path := strings.TrimPrefix(dsn, "sqlite://")
	// A live database's file without its WAL is not a complete copy.
	if st, err := os.Stat(from + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("%s has a write-ahead log beside it: it is a database in use, not a backup; copy it with kolaborasi backup", from)
	}
	if err := CheckSQLiteFile(ctx, from); err != nil {
		return fmt.Errorf("the backup %s: %w", from, err)
	}
	if st, err := os.Stat(path); err == nil && st.Size() > 0 && !force {
		return fmt.Errorf("%s exists and is not empty; stop the server and add --force to replace it", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the database %s: %w", path, err)
	}
	if err := checkWritable(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = copyInto(tmp, from)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", from, err)
	}
	// A WAL left by the replaced database would be applied to the backup.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return err
	}
	return CheckSQLiteFile(ctx, path)
}

// CheckSQLiteFile opens a SQLite file read-only and runs integrity_check
// and a check that it is a Kolaborasi database.
func CheckSQLiteFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return isKolaborasi(ctx, db, path)
}

// isKolaborasi checks that the database holds Kolaborasi's tables.
func isKolaborasi(ctx context.Context, db *sql.DB, path string) error {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'log_head')`).Scan(&n)
	if err != nil {
		return fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if n != 2 {
		return fmt.Errorf("%s is not a Kolaborasi database", path)
	}
	return nil
}

// copyInto copies the file at from into f and syncs f.
func copyInto(f *os.File, from string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, err := io.Copy(f, src); err != nil {
		return err
	}
	return f.Sync()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync() // not supported everywhere; the rename is what matters
	return nil
}
