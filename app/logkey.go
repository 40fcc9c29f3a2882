package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
)

// The public log's signing key lives in a key file outside the database,
// so that a copy of the database cannot sign checkpoints of a forged log.
// Beside the key file, the checkpoint file keeps the latest checkpoint this
// server published: a database restored from an older copy is noticed at
// start, and appending (which would fork the published log) is refused
// until the missing entries are restored.

// logState is what the App knows of the log's key and its published
// checkpoint.
type logState struct {
	key            *ledger.LogKey // nil: the App serves the log but cannot append
	checkpointFile string         // "": no record of published checkpoints

	mu        sync.Mutex
	checked   bool              // the start checks passed
	refused   error             // why appending is refused, once decided
	published ledger.Checkpoint // the latest checkpoint known to be published
}

// WithLogKey gives the App the public log's signing key (read with
// ReadLogKeyFile). Without it the App serves the log but refuses to append
// to it, and so refuses every use case that records something in the log.
func WithLogKey(k *ledger.LogKey) Option { return func(a *App) { a.logs.key = k } }

// WithEphemeralLogKey gives the App a fresh log key that lives only in
// memory: for tests and throwaway databases, whose log nobody can extend
// once the process ends.
func WithEphemeralLogKey() Option {
	k, err := ledger.GenerateLogKey(LogOrigin)
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return WithLogKey(k)
}

// WithCheckpointFile makes the App keep the latest checkpoint it published
// in path (written atomically after each append commits) and refuse to
// append to a log that is behind it or forks it.
func WithCheckpointFile(path string) Option {
	return func(a *App) { a.logs.checkpointFile = path }
}

// CheckpointFileFor returns the checkpoint file kept beside a log key file.
func CheckpointFileFor(keyFile string) string { return keyFile + ".checkpoint" }

// CreateLogKeyFile writes k to a new file that only its owner can read
// (mode 0600). It never overwrites a file.
func CreateLogKeyFile(path string, k *ledger.LogKey) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; choose another file, log keys are never overwritten", path)
	} else if err != nil {
		return fmt.Errorf("write log key file: %w", err)
	}
	_, err = f.WriteString(k.Private() + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("write log key file %s: %w", path, err)
	}
	return nil
}

// ReadLogKeyFile reads a log key file. A file that the group or others may
// read or write is refused. A missing file gives an error matching
// fs.ErrNotExist.
func ReadLogKeyFile(path string) (*ledger.LogKey, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("log key file: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("the log key file %s can be read by others (mode %04o); run chmod 600 %s", path, perm, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("log key file: %w", err)
	}
	k, err := ledger.ParseLogKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// errNoLogKey is the refusal of a server without the log's signing key.
func errNoLogKey() error {
	return kolaborasi.Errorf(kolaborasi.ECONFLICT, "This server has no access to the public log's signing key, so it cannot record signatures, "+
		"key changes or status changes now; everything can still be read. The operator starts it with --log-key-file.")
}

// checkStoredKey checks the log key row of the database against the App's
// key.
func (a *App) checkStoredKey(signer, verifier string) error {
	if signer != "" {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The database still holds the public log's signing key; the operator moves it "+
			"into a key file with `kolaborasi log export-key` before anything can be recorded in the log.")
	}
	if !a.logs.key.Matches(verifier) {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The log key file holds another key than the one this database's public log "+
			"is signed with (%s); start the server with that log's key file.", verifier)
	}
	return nil
}

// CheckLog reports whether this App may append to the public log, and
// when not, why (a conflict error the operator can act on): it has the
// signing key, the database's log is signed with that key and no longer
// holds it, and the log is not behind or forked from the checkpoint last
// published (the checkpoint file). A decisive answer is kept: the server
// is restarted once the operator fixed the cause. The server calls it at
// start; appending calls it too.
func (a *App) CheckLog(ctx context.Context) error {
	l := a.logs
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.refused != nil || l.checked {
		return l.refused
	}
	refuse := func(err error) error {
		if kolaborasi.ErrorCode(err) == kolaborasi.ECONFLICT {
			l.refused = err
		}
		return err
	}
	if l.key == nil {
		return refuse(errNoLogKey())
	}
	signer, verifier, err := a.store.LogKey(ctx)
	switch {
	case kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND:
	case err != nil:
		return err
	default:
		if err := a.checkStoredKey(signer, verifier); err != nil {
			return refuse(err)
		}
	}
	if l.checkpointFile != "" {
		if err := a.checkPublished(ctx); err != nil {
			return refuse(err)
		}
	}
	l.checked = true
	return nil
}

// checkPublished compares the database's log with the checkpoint file,
// adopting the database's latest checkpoint when there is no file yet.
// l.mu is held.
func (a *App) checkPublished(ctx context.Context) error {
	l := a.logs
	verifier, err := ledger.NewLogVerifier(l.key.VerifierKey())
	if err != nil {
		return err
	}
	cp, size, err := a.store.LatestCheckpoint(ctx)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(l.checkpointFile)
	if errors.Is(err, fs.ErrNotExist) {
		if cp == nil {
			return nil
		}
		c, err := ledger.OpenCheckpoint(cp, verifier)
		if err != nil {
			return fmt.Errorf("the database's latest checkpoint: %w", err)
		}
		a.log.Warn("no checkpoint file yet: starting from the database's latest checkpoint", "file", l.checkpointFile, "size", size)
		if err := writeFileAtomic(l.checkpointFile, cp); err != nil {
			return err
		}
		l.published = c
		return nil
	} else if err != nil {
		return fmt.Errorf("read the checkpoint file: %w", err)
	}
	pub, err := ledger.OpenCheckpoint(data, verifier)
	if err != nil {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The checkpoint file %s is not a checkpoint signed with this log's key (%v); "+
			"see docs/OPERATIONS.md.", l.checkpointFile, err)
	}
	if size < pub.Size {
		return errBehind(size, pub.Size, l.checkpointFile)
	}
	root, err := ledger.TreeRoot(ctx, hashStore{a.store}, pub.Size)
	if err != nil {
		return err
	}
	if root != pub.Root {
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The public log in the database forks from the checkpoint of %d entries this server "+
			"published (%s): its first %d entries are not the published ones. Nothing can be recorded in the log until a copy "+
			"of the database holding the published entries is restored; see docs/OPERATIONS.md.", pub.Size, l.checkpointFile, pub.Size)
	}
	l.published = pub
	return nil
}

// errBehind is the refusal to append to a log older than the one published.
func errBehind(size, published int64, file string) error {
	return kolaborasi.Errorf(kolaborasi.ECONFLICT, "The public log in the database has %d entries, but this server already published "+
		"a checkpoint of %d entries (%s): the database is an older copy. Appending now would fork the public log, so "+
		"nothing can be recorded in it until the missing entries are restored from a newer copy; see docs/OPERATIONS.md.",
		size, published, file)
}

// checkAppend is the check of every append, inside its transaction with
// the log locked at size entries.
func (a *App) checkAppend(ctx context.Context, size int64) error {
	if err := a.CheckLog(ctx); err != nil {
		return err
	}
	l := a.logs
	l.mu.Lock()
	published := l.published.Size
	l.mu.Unlock()
	if size < published {
		return errBehind(size, published, l.checkpointFile)
	}
	return nil
}

// publishCheckpoint records a checkpoint whose append has committed, in memory and
// in the checkpoint file.
func (a *App) publishCheckpoint(cp []byte, c ledger.Checkpoint) {
	l := a.logs
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.Size <= l.published.Size {
		return
	}
	l.published = c
	if l.checkpointFile == "" {
		return
	}
	if err := writeFileAtomic(l.checkpointFile, cp); err != nil {
		a.log.Error("the published checkpoint could not be recorded outside the database", "file", l.checkpointFile, "size", c.Size, "err", err)
	}
}

// writeFileAtomic replaces path with data: a temporary file beside it,
// synced, renamed over it, and the folder synced.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// MoveLogKeyOut moves the signing key that an older version kept in the
// database into a new key file (mode 0600) at keyFile, records the
// database's latest checkpoint in the checkpoint file beside it, and then
// erases the key from the database. It returns the log's verifier key.
func (a *App) MoveLogKeyOut(ctx context.Context, keyFile string) (string, error) {
	signer, verifier, err := a.store.LogKey(ctx)
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND {
		return "", errors.New("the database's public log has no key yet: there is nothing to move; `kolaborasi serve` creates the key file on first start")
	} else if err != nil {
		return "", err
	}
	if signer == "" {
		return "", errors.New("the database no longer holds the log's signing key: it was moved out already; start the server with that key file")
	}
	k, err := ledger.ParseLogKey(signer)
	if err != nil {
		return "", fmt.Errorf("the signing key stored in the database: %w", err)
	}
	if !k.Matches(verifier) {
		return "", fmt.Errorf("the signing key stored in the database does not match its verifier key %s", verifier)
	}
	if err := CreateLogKeyFile(keyFile, k); err != nil {
		return "", err
	}
	if back, err := ReadLogKeyFile(keyFile); err != nil || back.Private() != k.Private() {
		return "", fmt.Errorf("the key file %s does not read back (%v); the database still holds the key", keyFile, err)
	}
	if cp, _, err := a.store.LatestCheckpoint(ctx); err != nil {
		return "", err
	} else if cp != nil {
		if err := writeFileAtomic(CheckpointFileFor(keyFile), cp); err != nil {
			return "", err
		}
	}
	if err := a.store.ClearLogSigner(ctx); err != nil {
		return "", fmt.Errorf("the key is in %s, but erasing it from the database failed (run the command again with another --out): %w", keyFile, err)
	}
	return verifier, nil
}
