package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// demoApp is the real app with the demo data on a fresh SQLite database,
// its log signed with a fresh key.
func demoApp(t *testing.T) (*app.App, *store.DB) {
	t.Helper()
	k, err := ledger.GenerateLogKey(app.LogOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return demoAppWithKey(t, k)
}

// demoAppWithKey is demoApp with the log signed by k.
func demoAppWithKey(t *testing.T, k *ledger.LogKey) (*app.App, *store.DB) {
	t.Helper()
	db := storetest.OpenSQLite(t)
	a := app.New(db.Store(), app.WithLogKey(k))
	ctx := context.Background()
	if _, err := a.LoadReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	return a, db
}

// user returns a demo user by e-mail, as the context to act in.
func user(t *testing.T, a *app.App, region, email string) context.Context {
	t.Helper()
	us, err := a.Users(kolaborasi.WithUser(context.Background(), kolaborasi.System), region)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.Email == email {
			return kolaborasi.WithUser(context.Background(), u)
		}
	}
	t.Fatalf("no user %s", email)
	return nil
}

func demoKSB(t *testing.T, a *app.App) *kolaborasi.Agreement {
	t.Helper()
	ags, err := a.Agreements(context.Background(), kolaborasi.AgreementFilter{Region: demo.Blitar})
	if err != nil || len(ags) == 0 {
		t.Fatalf("agreements: %v, %v", ags, err)
	}
	return ags[0]
}

// logServer serves the public log API from the app's methods, with the
// paths and formats the log commands expect.
func logServer(t *testing.T, a *app.App) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, err error) { http.Error(w, err.Error(), http.StatusBadRequest) }
	num := func(r *http.Request, name string) int64 {
		n, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
		return n
	}
	mux.HandleFunc("GET /api/v1/log/key", func(w http.ResponseWriter, r *http.Request) {
		k, err := a.LogVerifierKey(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		w.Write([]byte(k + "\n"))
	})
	mux.HandleFunc("GET /api/v1/log/checkpoint", func(w http.ResponseWriter, r *http.Request) {
		cp, _, err := a.LogCheckpoint(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		w.Write(cp)
	})
	mux.HandleFunc("GET /api/v1/log/consistency", func(w http.ResponseWriter, r *http.Request) {
		p, err := a.LogConsistencyProof(r.Context(), num(r, "from"), num(r, "to"))
		if err != nil {
			fail(w, err)
			return
		}
		json.NewEncoder(w).Encode(p)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestVerifyBundleCommand(t *testing.T) {
	a, _ := demoApp(t)
	ctx := context.Background()
	bundle, err := a.AgreementBundle(ctx, demoKSB(t, a).ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := a.LogVerifierKey(ctx)
	dir := t.TempDir()
	good := filepath.Join(dir, "bundle.json")
	os.WriteFile(good, bundle, 0o644)

	code, out, errOut := runCmd(t, "verify", good, "--log-key", vkey)
	if code != 0 || !strings.Contains(out, "OK: KSB signed by 35.72 Pemerintah Kota Blitar (key ") ||
		!strings.Contains(out, "), 32.73 Pemerintah Kota Bandung (key ") || !strings.Contains(out, "approved by Admin Platform (platform administrator)") ||
		!strings.Contains(out, "status ksb_signed; log kolaborasi.id/log size 7") || strings.Count(out, ": valid") != 2 {
		t.Fatalf("good bundle: exit %d\n%s%s", code, out, errOut)
	}
	// Leaving entries out of the bundle fails: Bandung's signature with
	// its key registration, all status changes, or Bandung's acceptance of
	// the offer (offered → ksb_negotiated).
	parsed, err := ledger.ParseBundle(bundle)
	if err != nil {
		t.Fatal(err)
	}
	for name, drop := range map[string]func(ledger.Entry) bool{
		"Bandung's signature and key": func(e ledger.Entry) bool {
			s, sig := e.(*ledger.SignatureEntry)
			k, reg := e.(*ledger.KeyRegistered)
			return sig && s.Party == demo.Bandung || reg && k.Region == demo.Bandung
		},
		"status changes": func(e ledger.Entry) bool { _, ok := e.(*ledger.StatusChange); return ok },
		"Bandung's acceptance": func(e ledger.Entry) bool {
			sc, ok := e.(*ledger.StatusChange)
			return ok && sc.To == string(kolaborasi.StatusKSBNegotiated)
		},
	} {
		b := *parsed
		b.Entries = slices.DeleteFunc(slices.Clone(parsed.Entries), func(be ledger.BundleEntry) bool { return drop(be.Entry) })
		if len(b.Entries) == len(parsed.Entries) {
			t.Fatalf("%s: nothing removed", name)
		}
		data, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "short.json")
		os.WriteFile(path, data, 0o644)
		code, out, errOut := runCmd(t, "verify", "--log-key", vkey, path)
		if code != 1 || !strings.Contains(errOut, "incomplete") || strings.Contains(out, "OK") {
			t.Errorf("without %s: exit %d\n%s%s", name, code, out, errOut)
		}
	}
	// The key can come from the server too.
	srv := logServer(t, a)
	if code, out, errOut := runCmd(t, "verify", "--url", srv.URL, good); code != 0 {
		t.Fatalf("--url: exit %d\n%s%s", code, out, errOut)
	}
	// A single changed byte anywhere fails, with the reason.
	for _, i := range []int{0, len(bundle) / 3, len(bundle) / 2, len(bundle) - 200, len(bundle) - 1} {
		bad := append([]byte(nil), bundle...)
		bad[i] ^= 0x01
		path := filepath.Join(dir, "bad"+strconv.Itoa(i)+".json")
		os.WriteFile(path, bad, 0o644)
		code, _, errOut := runCmd(t, "verify", "--log-key", vkey, path)
		if code != 1 || !strings.Contains(errOut, "does not verify") {
			t.Errorf("byte %d changed: exit %d, %s", i, code, errOut)
		}
	}
	// Another log's key fails.
	other, _ := demoApp(t)
	otherKey, _ := other.LogVerifierKey(ctx)
	if code, _, errOut := runCmd(t, "verify", "--log-key", otherKey, good); code != 1 {
		t.Errorf("other log's key: exit %d, %s", code, errOut)
	}
	if code, _, _ := runCmd(t, "verify", good); code != 2 {
		t.Errorf("no key: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "verify", "--log-key", vkey); code != 2 {
		t.Errorf("no bundle: exit %d, want 2", code)
	}
}

// platformAdmin returns the demo's platform administrator, as the context
// to act in.
func platformAdmin(t *testing.T, db *store.DB) context.Context {
	t.Helper()
	u, err := db.Store().FindUserByEmail(context.Background(), "admin@kolaborasi.test")
	if err != nil {
		t.Fatal(err)
	}
	return kolaborasi.WithUser(context.Background(), u)
}

func TestKeygenAndSignCommands(t *testing.T) {
	a, db := demoApp(t)
	ctx := context.Background()
	dir := t.TempDir()
	keyFile, pubFile := filepath.Join(dir, "walikota.pem"), filepath.Join(dir, "walikota.pub")
	code, out, errOut := runCmd(t, "keygen", "--out", keyFile, "--pub", pubFile)
	if code != 0 {
		t.Fatalf("keygen: exit %d %s", code, errOut)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, %v", st, err)
	}
	if code, _, errOut := runCmd(t, "keygen", "--out", keyFile); code != 1 || !strings.Contains(errOut, "exists") {
		t.Errorf("overwrite: exit %d %s", code, errOut)
	}
	pemPub, _ := os.ReadFile(pubFile)
	pub, err := ledger.ParsePublicKey(pemPub)
	if err != nil || !strings.Contains(out, ledger.KeyID(pub)) {
		t.Fatalf("public key %v; output %s", err, out)
	}

	// A new agreement reaches the signing stage; the Wali Kota registers
	// the CLI key and signs with `kolaborasi sign`.
	blitarCo, bandungCo := user(t, a, demo.Blitar, "kerjasama@blitarkota.test"), user(t, a, demo.Bandung, "kerjasama@bandung.test")
	c := demo.KSB
	c.Title = "Kerja Sama Sistem Informasi Desa"
	ag, err := a.CreateAgreement(blitarCo, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusOffered); err != nil {
		t.Fatal(err)
	}
	if err := a.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusKSBNegotiated); err != nil {
		t.Fatal(err)
	}
	walikota := user(t, a, demo.Blitar, "walikota@blitarkota.test")
	k, err := a.RequestSigningKey(walikota, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	// Blitar has one region admin, so under the four-eyes rule the
	// platform admin approves.
	wantRefused := a.ApproveSigningKey(user(t, a, demo.Blitar, "admin@blitarkota.test"), k.KeyID)
	if kolaborasi.ErrorCode(wantRefused) != kolaborasi.EFORBIDDEN {
		t.Errorf("the only region admin approved: %v", wantRefused)
	}
	if err := a.ApproveSigningKey(platformAdmin(t, db), k.KeyID); err != nil {
		t.Fatal(err)
	}
	sc, err := a.SigningContent(ctx, ag.ID, 1, demo.Blitar, ledger.RoleSignatory, ledger.StageKSB, k.KeyID)
	if err != nil {
		t.Fatal(err)
	}
	contentFile := filepath.Join(dir, "content.json")
	js, _ := json.Marshal(sc)
	os.WriteFile(contentFile, js, 0o644)
	code, out, errOut = runCmd(t, "sign", contentFile, "--key", keyFile)
	if code != 0 {
		t.Fatalf("sign: exit %d %s", code, errOut)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(out))
	if err != nil || len(sig) != ed25519.SignatureSize {
		t.Fatalf("signature output %q", out)
	}
	_, err = a.SignAgreement(walikota, app.SignInput{AgreementID: ag.ID, Version: 1, Stage: ledger.StageKSB, Party: demo.Blitar,
		Role: ledger.RoleSignatory, KeyID: k.KeyID, Signature: sig})
	if err != nil {
		t.Fatalf("the CLI's signature was refused: %v", err)
	}
	// Content naming another key is refused before signing.
	sc.KeyID = "0000000000000000"
	js, _ = json.Marshal(sc)
	os.WriteFile(contentFile, js, 0o644)
	if code, _, errOut := runCmd(t, "sign", "--key", keyFile, contentFile); code != 1 || !strings.Contains(errOut, "names key") {
		t.Errorf("wrong key: exit %d %s", code, errOut)
	}
}

func TestLogVerifyCommand(t *testing.T) {
	key, err := ledger.GenerateLogKey(app.LogOrigin)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := demoAppWithKey(t, key)
	ctx := context.Background()
	dir := t.TempDir()
	oldCP, _, err := a.LogCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldFile := filepath.Join(dir, "old.txt")
	os.WriteFile(oldFile, oldCP, 0o644)
	srv := logServer(t, a)

	// The same size: OK.
	if code, out, errOut := runCmd(t, "log", "verify", "--checkpoint", oldFile, "--url", srv.URL); code != 0 {
		t.Fatalf("same size: exit %d %s%s", code, out, errOut)
	}
	// The log grows (a key is revoked); it still extends the old checkpoint.
	keys, err := a.SigningKeys(user(t, a, demo.Blitar, "admin@blitarkota.test"), demo.Blitar)
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	if err := a.RevokeSigningKey(user(t, a, demo.Blitar, "admin@blitarkota.test"), keys[0].KeyID, "demo key thrown away"); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "log", "verify", "--checkpoint", oldFile, "--url", srv.URL, "--update")
	if code != 0 || !strings.Contains(out, "size 8 extends the checkpoint of size 7") {
		t.Fatalf("grown log: exit %d %s%s", code, out, errOut)
	}
	if now, _ := os.ReadFile(oldFile); string(now) == string(oldCP) {
		t.Error("--update kept the old checkpoint")
	}
	os.WriteFile(oldFile, oldCP, 0o644)

	// A fork: another database holding the same log key but another
	// history (the demo seeded again, with other throwaway keys).
	forkDB := storetest.OpenSQLite(t)
	fork := app.New(forkDB.Store(), app.WithLogKey(key), app.WithClock(func() time.Time { return time.Now().Add(time.Hour) }))
	if _, err := fork.LoadReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, fork); err != nil {
		t.Fatal(err)
	}
	forkSrv := logServer(t, fork)
	code, _, errOut = runCmd(t, "log", "verify", "--checkpoint", oldFile, "--url", forkSrv.URL)
	if code != 1 || !strings.Contains(errOut, "forked") {
		t.Errorf("fork of the same size: exit %d %s", code, errOut)
	}
	keys, _ = fork.SigningKeys(user(t, fork, demo.Bandung, "admin@bandung.test"), demo.Bandung)
	if err := fork.RevokeSigningKey(user(t, fork, demo.Bandung, "admin@bandung.test"), keys[0].KeyID, "rewrite"); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "log", "verify", "--checkpoint", oldFile, "--url", forkSrv.URL)
	if code != 1 || !strings.Contains(errOut, "does not extend") {
		t.Errorf("fork grown: exit %d %s", code, errOut)
	}
	// A checkpoint signed by another key is refused.
	other, _ := demoApp(t)
	otherCP, _, _ := other.LogCheckpoint(ctx)
	otherFile := filepath.Join(dir, "other.txt")
	os.WriteFile(otherFile, otherCP, 0o644)
	if code, _, errOut := runCmd(t, "log", "verify", "--checkpoint", otherFile, "--url", srv.URL); code != 1 {
		t.Errorf("other log: exit %d %s", code, errOut)
	}
	if code, _, _ := runCmd(t, "log", "verify", "--url", srv.URL); code != 2 {
		t.Errorf("no checkpoint: exit %d", code)
	}
}
