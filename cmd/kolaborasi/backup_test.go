package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// tableRows returns every row of every table of a SQLite file, each row
// printed, sorted per table.
func tableRows(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rs, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		out[table] = []string{}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprintf("%q", vals))
		}
		rs.Close()
		slices.Sort(out[table])
	}
	return out
}

// A backup of the populated demo database, restored elsewhere, holds every
// table row for row; restore refuses to replace a database unless forced.
func TestBackupRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "k.db")
	seedDemo(t, src)
	backup := filepath.Join(dir, "backup.db")
	if code, out, errOut := runCmd(t, "backup", "--db", src, "--out", backup); code != 0 || !strings.Contains(out, "integrity check ok") {
		t.Fatalf("backup: exit %d %s %s", code, out, errOut)
	}
	restored := filepath.Join(dir, "restored.db")
	if code, out, errOut := runCmd(t, "restore", "--from", backup, "--db", restored); code != 0 {
		t.Fatalf("restore: exit %d %s %s", code, out, errOut)
	}
	want, got := tableRows(t, src), tableRows(t, restored)
	for _, table := range []string{"solutions", "agreements", "agreement_versions", "agreement_signatures", "signing_keys", "log_records", "log_hashes", "log_checkpoints", "users", "audit_log"} {
		if len(want[table]) == 0 {
			t.Errorf("the demo database has no %s to compare", table)
		}
	}
	if len(got) != len(want) {
		t.Errorf("restored %d tables, want %d", len(got), len(want))
	}
	compared := 0
	for table, rows := range want {
		if !slices.Equal(rows, got[table]) {
			t.Errorf("table %s: %d rows restored, %d in the source, or they differ", table, len(got[table]), len(rows))
		}
		compared += len(rows)
	}
	t.Logf("compared %d rows in %d tables", compared, len(want))

	if code, _, errOut := runCmd(t, "restore", "--from", backup, "--db", src); code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("restore over a database without --force: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "backup", "--db", src, "--out", backup); code != 1 || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over a file: exit %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "backup", "--db", "postgres://x@127.0.0.1:1/y", "--out", filepath.Join(dir, "pg")); code != 1 || !strings.Contains(errOut, "pg_dump") {
		t.Errorf("backup of PostgreSQL: exit %d %s", code, errOut)
	}
}

// Restoring an older backup leaves the server serving, but it refuses to
// append (which would fork the published log) until a newer copy is
// restored.
func TestRestoreOlderBackupThenAppendIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k.db")
	a := seedDemo(t, path)
	key, err := app.ReadLogKeyFile(defaultLogKeyFile(path))
	if err != nil {
		t.Fatalf("serve made no log key file beside the database: %v", err)
	}
	old := filepath.Join(dir, "old.db")
	if code, _, errOut := runCmd(t, "backup", "--db", path, "--out", old); code != 0 {
		t.Fatal(errOut)
	}
	if err := offerAgreement(t, a); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	if code, _, errOut := runCmd(t, "backup", "--db", path, "--out", newer); code != 0 {
		t.Fatal(errOut)
	}
	// No copy of the database holds the log's signing key.
	for _, f := range []string{path, path + "-wal", old, newer} {
		data, _ := os.ReadFile(f)
		if bytes.Contains(data, []byte(key.Private()[len(key.Private())-40:])) {
			t.Errorf("%s holds the log's signing key", filepath.Base(f))
		}
	}

	if code, _, errOut := runCmd(t, "restore", "--from", old, "--db", path, "--force"); code != 0 {
		t.Fatal(errOut)
	}
	// The server starts, serves the log, and says why it records nothing.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan int)
	go func() { done <- run(ctx, []string{"serve", "--db", path, "--addr", "127.0.0.1:0"}, out, errb) }()
	url := waitForURL(t, out)
	resp, err := http.Get(url + "/api/v1/log/checkpoint")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("log checkpoint after restore: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(errb.String(), "older copy") {
		t.Errorf("serve did not say its log is behind the published checkpoint: %s", errb)
	}

	stale := serverApp(t, path, defaultLogKeyFile(path))
	err = stale.CheckLog(context.Background())
	if kolaborasi.ErrorCode(err) != kolaborasi.ECONFLICT || !strings.Contains(kolaborasi.ErrorMessage(err), "older copy") {
		t.Fatalf("CheckLog after restoring an older backup: %v", err)
	}
	if err := offerAgreement(t, stale); kolaborasi.ErrorCode(err) != kolaborasi.ECONFLICT {
		t.Fatalf("append after restoring an older backup: %v", err)
	}

	// The documented way out: restore the newer copy.
	if code, _, errOut := runCmd(t, "restore", "--from", newer, "--db", path, "--force"); code != 0 {
		t.Fatal(errOut)
	}
	if err := offerAgreement(t, serverApp(t, path, defaultLogKeyFile(path))); err != nil {
		t.Fatalf("append after restoring the newer copy: %v", err)
	}
}
