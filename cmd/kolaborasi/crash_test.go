package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestCrashSafety kills the real server with SIGKILL at a random moment
// while concurrent writers create needs through the API and a signatory
// has signing keys approved (each approval appends to the public log), 20
// times on each engine (KOLABORASI_CRASH_CYCLES for more). After every
// restart each write that was answered 2xx must be there and whole, the log
// must still extend the last checkpoint served before the kill
// (`kolaborasi log verify`) and hold each approval at its index, and a
// SQLite file must pass PRAGMA integrity_check.
func TestCrashSafety(t *testing.T) {
	cycles := 20
	if v := os.Getenv("KOLABORASI_CRASH_CYCLES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("KOLABORASI_CRASH_CYCLES=%q is not a positive number", v)
		}
		cycles = n
	}
	bin := filepath.Join(t.TempDir(), "kolaborasi")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "k.db")
		crashCycles(t, bin, path, cycles, func() error { return store.CheckSQLiteFile(context.Background(), path) })
	})
	t.Run("postgres", func(t *testing.T) {
		crashCycles(t, bin, storetest.PostgresSchemaDSN(t), cycles, nil)
	})
}

// crashState is what the writers were told was written.
type crashState struct {
	mu         sync.Mutex
	needs      []crashNeed // answered 201, not yet checked
	keys       []string    // approvals answered 2xx, not yet checked
	checkpoint []byte      // the last checkpoint served
	writes     int         // acknowledged, in all
	approvals  int         // of which key approvals
	refused    string      // the last answer that was not 2xx, for a failure message
}

type crashNeed struct {
	ID          int64
	Title, Text string
}

func crashCycles(t *testing.T, bin, dsn string, cycles int, integrity func() error) {
	editor, signatory, admin := seedCrashDB(t, dsn)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "log.key")
	if out, err := exec.Command(bin, "log", "keygen", "--out", keyFile).CombinedOutput(); err != nil {
		t.Fatalf("log keygen: %v\n%s", err, out)
	}
	st := &crashState{}
	start := time.Now()
	for cycle := range cycles + 1 {
		base, kill := startServer(t, bin, dsn, keyFile)
		checkCrashState(t, bin, base, admin, st, dir)
		if integrity != nil {
			if err := integrity(); err != nil {
				t.Fatalf("cycle %d: %v", cycle, err)
			}
		}
		if cycle == cycles {
			kill()
			break
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() { writeNeeds(ctx, base, editor, fmt.Sprintf("c%d w%d", cycle, w), st) })
		}
		wg.Go(func() { approveKeys(ctx, base, signatory, admin, st) })
		wg.Go(func() { pollCheckpoint(ctx, base, st) })
		// Kill at a random moment once the writers are getting through
		// (and, until there is one, a key approval has been answered).
		st.mu.Lock()
		before := st.writes
		st.mu.Unlock()
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			st.mu.Lock()
			moved := st.writes > before && st.approvals > 0
			st.mu.Unlock()
			if moved {
				break
			}
		}
		time.Sleep(time.Duration(rand.IntN(500)) * time.Millisecond)
		kill()
		cancel()
		wg.Wait()
	}
	t.Logf("%d cycles, %d acknowledged writes (%d key approvals in the log), %s", cycles, st.writes, st.approvals,
		time.Since(start).Round(time.Millisecond))
	if st.writes < cycles || st.approvals == 0 {
		t.Errorf("%d writes (%d key approvals) acknowledged in %d cycles: the writers did not get through; last refusal: %s",
			st.writes, st.approvals, cycles, st.refused)
	}
}

// seedCrashDB migrates the database and makes three accounts of Kota
// Blitar with API tokens: an editor (needs), a signatory (key requests)
// and a platform administrator (approvals).
func seedCrashDB(t *testing.T, dsn string) (editor, signatory, admin string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a := app.New(db.Store())
	if _, err := a.LoadReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
	token := func(email string, in app.UserInput) string {
		in.Email, in.Name, in.Status = email, email, kolaborasi.UserActive
		u, _, err := a.InviteUser(kolaborasi.WithUser(ctx, kolaborasi.System), in)
		if err != nil {
			t.Fatal(err)
		}
		secret, _, err := a.CreateAPIToken(kolaborasi.WithUser(ctx, u), "crash", []string{kolaborasi.ScopeWrite}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	return token("editor@blitarkota.go.id", app.UserInput{Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleEditor}}),
		token("walikota@blitarkota.go.id", app.UserInput{Region: "35.72", Roles: []kolaborasi.Role{kolaborasi.RoleSignatory}}),
		token("admin@kolaborasi.test", app.UserInput{Roles: []kolaborasi.Role{kolaborasi.RoleAdmin}})
}

// startServer runs `kolaborasi serve` until it is ready; kill sends it
// SIGKILL and waits for it to end.
func startServer(t *testing.T, bin, dsn, keyFile string) (base string, kill func()) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--metrics-addr", "", "--log-level", "warn",
		"--log-key-file", keyFile)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	kill = func() {
		once.Do(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
	}
	t.Cleanup(kill)
	base = waitForURL(t, out)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, kill
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, out)
		}
	}
}

// call sends a JSON request with a token and decodes the answer's data
// into v; ok is false unless the answer was 2xx and decoded whole. A
// refusal is noted in st, when given.
func call(ctx context.Context, st *crashState, method, url, token string, body, v any) (ok bool) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		if st != nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
			st.mu.Lock()
			st.refused = fmt.Sprintf("%s %s: %d %s", method, url, resp.StatusCode, b)
			st.mu.Unlock()
		}
		return false
	}
	if v == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err == nil
	}
	return json.NewDecoder(resp.Body).Decode(&struct{ Data any }{v}) == nil
}

// writeNeeds creates needs until ctx ends, recording each one answered.
func writeNeeds(ctx context.Context, base, token, name string, st *crashState) {
	for i := 0; ctx.Err() == nil; i++ {
		title := fmt.Sprintf("Kebutuhan %s n%d", name, i)
		text := strings.TrimSpace(strings.Repeat("Uraian "+title+". ", 40))
		var got crashNeed
		if !call(ctx, st, "POST", base+"/api/v1/regions/35.72/needs", token,
			map[string]any{"title": title, "text": text, "priority": "high", "sectors": []string{"umkm"}}, &got) {
			time.Sleep(time.Millisecond)
			continue
		}
		st.mu.Lock()
		st.needs = append(st.needs, crashNeed{ID: got.ID, Title: title, Text: text})
		st.writes++
		st.mu.Unlock()
	}
}

// approveKeys has the signatory request keys and the administrator approve
// them until ctx ends, recording each approval answered.
func approveKeys(ctx context.Context, base, signatory, admin string, st *crashState) {
	for ctx.Err() == nil {
		pub, _, _ := ed25519.GenerateKey(nil)
		var k kolaborasi.SigningKey
		if !call(ctx, st, "POST", base+"/api/v1/signing-keys", signatory,
			map[string]string{"public_key": base64.StdEncoding.EncodeToString(pub), "office": "Wali Kota Blitar"}, &k) {
			time.Sleep(time.Millisecond)
			continue
		}
		if !call(ctx, st, "POST", base+"/api/v1/signing-keys/"+k.KeyID+"/approve", admin, nil, nil) {
			continue
		}
		st.mu.Lock()
		st.keys = append(st.keys, k.KeyID)
		st.writes++
		st.approvals++
		st.mu.Unlock()
	}
}

// pollCheckpoint keeps the last checkpoint the server served.
func pollCheckpoint(ctx context.Context, base string, st *crashState) {
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/log/checkpoint", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode == http.StatusOK {
				st.mu.Lock()
				st.checkpoint = b
				st.mu.Unlock()
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkCrashState checks, on the restarted server, every write recorded
// since the last check, and that the log extends the last checkpoint.
func checkCrashState(t *testing.T, bin, base, admin string, st *crashState, dir string) {
	t.Helper()
	ctx := context.Background()
	for _, n := range st.needs {
		var got crashNeed
		if !call(ctx, nil, "GET", base+"/api/v1/needs/"+strconv.FormatInt(n.ID, 10), admin, nil, &got) || got != n {
			t.Errorf("acknowledged need %d %q is lost or changed: %d %q, %d bytes of text", n.ID, n.Title, got.ID, got.Title, len(got.Text))
		}
	}
	st.needs = nil
	if len(st.keys) > 0 {
		var keys []kolaborasi.SigningKey
		if !call(ctx, nil, "GET", base+"/api/v1/regions/35.72/signing-keys", admin, nil, &keys) {
			t.Fatal("the region's signing keys cannot be listed")
		}
		byID := map[string]kolaborasi.SigningKey{}
		for _, k := range keys {
			byID[k.KeyID] = k
		}
		for _, id := range st.keys {
			k := byID[id]
			var entries []app.LogEntry
			if k.Status != kolaborasi.KeyActive || k.RegLogIndex < 0 ||
				!call(ctx, nil, "GET", fmt.Sprintf("%s/api/v1/log/entries?start=%d&end=%d", base, k.RegLogIndex, k.RegLogIndex+1), admin, nil, &entries) ||
				len(entries) != 1 || !strings.Contains(string(entries[0].Record), id) {
				t.Errorf("acknowledged approval of key %s is lost: %+v, log entries %+v", id, k, entries)
			}
		}
		st.keys = nil
	}
	if st.checkpoint != nil {
		file := filepath.Join(dir, "checkpoint.txt")
		if err := os.WriteFile(file, st.checkpoint, 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "log", "verify", "--checkpoint", file, "--url", base).CombinedOutput(); err != nil {
			t.Errorf("log verify against the checkpoint served before the kill: %v\n%s\n%s", err, out, st.checkpoint)
		}
	}
}
