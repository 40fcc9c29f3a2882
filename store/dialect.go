package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kolaborasi/kolaborasi"
)

// Engine names a database engine.
type Engine string

// The two engines Kolaborasi runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// rebind rewrites ? placeholders to PostgreSQL's $n form. Queries in this
// package never contain a literal question mark.
func (e Engine) rebind(query string) string {
	if e != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// translate turns driver errors the application must react to into
// *kolaborasi.Error values, recognised by driver code rather than message.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return &kolaborasi.Error{Code: kolaborasi.ECONFLICT, Message: what + " already exists."}
		case "23503":
			return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: what + " refers to something that does not exist."}
		}
		return err
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &kolaborasi.Error{Code: kolaborasi.ECONFLICT, Message: what + " already exists."}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: what + " refers to something that does not exist."}
		}
	}
	return err
}

// retryable reports whether err ended a transaction for a reason another
// attempt can resolve (see InTx): PostgreSQL's deadlock_detected (40P01)
// and serialization_failure (40001), SQLite's BUSY and its extended codes
// (BUSY_SNAPSHOT, BUSY_RECOVERY, BUSY_TIMEOUT), found by driver code.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40P01" || pg.Code == "40001"
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return false
}
