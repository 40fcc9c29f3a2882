package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
	"github.com/kolaborasi/kolaborasi/web"
)

// maxPropagation is how long a write through one server copy may take to
// show in another copy's search (docs/SCALING.md).
const maxPropagation = time.Second

// TestTwoServerCopiesOnOneDatabase runs two server copies, each its own App
// with its own database connections and HTTP server, on one database, as
// docs/SCALING.md describes a national deployment: a session made on one
// works on the other, a write through one shows in the other's search
// within a second, and both append to one public log that never forks.
func TestTwoServerCopiesOnOneDatabase(t *testing.T) {
	storetest.Copies(t, func(t *testing.T, dbA, dbB *store.DB) {
		// Both copies sign the log with one key file's key; each keeps its
		// own checkpoint file, as on two machines.
		key, err := ledger.GenerateLogKey(app.LogOrigin)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		a := startTestServer(t, dbA, false, web.Config{}, true, app.WithLogKey(key), app.WithCheckpointFile(filepath.Join(dir, "a.checkpoint")))
		b := startTestServer(t, dbB, false, web.Config{}, false, app.WithLogKey(key), app.WithCheckpointFile(filepath.Join(dir, "b.checkpoint")))
		t.Run("session", func(t *testing.T) { testSessionOnBothCopies(t, a, b) })
		t.Run("search", func(t *testing.T) { testSearchFollowsOtherCopy(t, a, b) })
		t.Run("log", func(t *testing.T) { testLogFromBothCopies(t, a, b) })
	})
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// testSessionOnBothCopies signs in on a and uses the session on b: the
// workspace, a form protected by the session's CSRF token, and signing out,
// which ends the session on a too. The need b stores is in a's matchmaking
// graph, which a had built before.
func testSessionOnBothCopies(t *testing.T, a, b *testServer) {
	if resp, body := a.api(t, "", "GET", "/api/v1/matchmaking/plan", ""); resp.StatusCode != 200 {
		t.Fatalf("plan on a: %d %s", resp.StatusCode, body)
	}
	session, resp := login(t, a, "umkm@blitarkota.test", demo.Password)
	if session == "" {
		t.Fatalf("sign in on a: %d", resp.StatusCode)
	}
	resp, body := b.getAs(t, session, "/ruang-kerja")
	if resp.StatusCode != 200 || !strings.Contains(body, "Dinas Koperasi dan UM Kota Blitar") {
		t.Fatalf("workspace on b with a's session: %d", resp.StatusCode)
	}
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("b's workspace has no CSRF token")
	}
	need := url.Values{"csrf": {m[1]}, "title": {"Pengaduan masyarakat terpadu"}, "priority": {"high"},
		"text": {"Sistem pengaduan masyarakat terpadu: warga melapor lewat aplikasi dan setiap aduan ditindaklanjuti dinas."}}
	forged := url.Values{"csrf": {"not-the-token"}}
	for k, v := range need {
		if k != "csrf" {
			forged[k] = v
		}
	}
	if resp, _ := b.post(t, session, "/wilayah/35.72/kebutuhan", forged); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form on b with a wrong CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, _ = b.post(t, session, "/wilayah/35.72/kebutuhan", need)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/kebutuhan/") {
		t.Fatalf("declare a need on b: %d %s", resp.StatusCode, loc)
	}
	resp, body = a.api(t, "", "GET", "/api/v1/needs/"+strings.TrimPrefix(loc, "/kebutuhan/")+"/solutions", "")
	sols := decode[struct {
		Data struct {
			Items []struct {
				Name       string
				RegionCode string `json:"region_code"`
			}
		}
	}](t, body).Data
	// Kota Bandung's applications answer Blitar's need (the ones Blitar
	// does not adopt yet).
	if resp.StatusCode != 200 || len(sols.Items) == 0 || sols.Items[0].RegionCode != "32.73" || sols.Items[0].Name == "" {
		t.Errorf("a's candidates of the need stored through b: %d %s", resp.StatusCode, body)
	}
	if resp, _ := b.post(t, session, "/keluar", url.Values{"csrf": {m[1]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out on b: %d", resp.StatusCode)
	}
	if resp, _ := a.getAs(t, session, "/ruang-kerja"); resp.StatusCode == 200 {
		t.Error("the session signed out on b still opens the workspace on a")
	}
}

// testSearchFollowsOtherCopy writes solutions and products through a's API
// and polls b's search until the change shows, within maxPropagation. b's
// indexes are built before, so they have to catch up.
func testSearchFollowsOtherCopy(t *testing.T, a, b *testServer) {
	for _, p := range []string{"/api/v1/solutions?q=warga", "/api/v1/products?q=kopi"} {
		if resp, body := b.api(t, "", "GET", p, ""); resp.StatusCode != 200 {
			t.Fatalf("%s on b: %d %s", p, resp.StatusCode, body)
		}
	}
	token := tokenFor(t, a, makeUser(t, a.app, "penerbit@blitar.test", "35.72", kolaborasi.RoleEditor))
	resp, body := a.api(t, token, "POST", "/api/v1/solutions", `{"kind":"service","region_code":"35.72","name":{"id":"Layanan Zebrakopi"},`+
		`"short":{"id":"Warga memesan zebrakopi lewat aplikasi."},"dimensions":["governance"],"sectors":["e-government"],"maturity":"live","reuse":["shared-service"]}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create a solution on a: %d %s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	waitForSearch(t, b, "solution created", "/api/v1/solutions?q=zebrakopi", []string{id})

	r, _ := http.NewRequest("PATCH", a.URL+"/api/v1/solutions/"+id, strings.NewReader(`{"name":{"id":"Layanan Kudalaut"},"short":{"id":"Warga memesan kudalaut lewat aplikasi."}}`))
	r.Header.Set("Content-Type", "application/merge-patch+json")
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("If-Match", `"1"`)
	if resp, body := send(t, a.Client(), r); resp.StatusCode != 200 {
		t.Fatalf("edit the solution on a: %d %s", resp.StatusCode, body)
	}
	waitForSearch(t, b, "solution edited", "/api/v1/solutions?q=kudalaut", []string{id})
	waitForSearch(t, b, "old words gone", "/api/v1/solutions?q=zebrakopi", nil)

	resp, body = a.api(t, token, "POST", "/api/v1/producers", `{"region_code":"35.72","kind":"umkm","name":"UMKM Dua Salinan","annual_sales_idr":300000000,"contact":{"phone":"+62 812-1111-2222"}}`)
	if resp.StatusCode != 201 {
		t.Fatalf("create a producer on a: %d %s", resp.StatusCode, body)
	}
	pr := decode[struct{ Data struct{ ID int64 } }](t, body).Data.ID
	resp, body = a.api(t, token, "POST", "/api/v1/products", fmt.Sprintf(`{"producer_id":%d,"name":{"id":"Keripik salakpondoh"},"category":"food","unit":"pak"}`, pr))
	if resp.StatusCode != 201 {
		t.Fatalf("create a product on a: %d %s", resp.StatusCode, body)
	}
	pid := strconv.FormatInt(decode[struct{ Data struct{ ID int64 } }](t, body).Data.ID, 10)
	waitForSearch(t, b, "product created", "/api/v1/products?q=salakpondoh", []string{pid})
}

// waitForSearch polls ts's search API at path until its results are
// exactly the IDs want, and fails when that takes over maxPropagation.
func waitForSearch(t *testing.T, ts *testServer, what, path string, want []string) {
	t.Helper()
	start := time.Now()
	for polls := 1; ; polls++ {
		resp, body := ts.api(t, "", "GET", path, "")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
		var got []string
		for _, d := range decode[struct{ Data []struct{ ID int64 } }](t, body).Data {
			got = append(got, strconv.FormatInt(d.ID, 10))
		}
		if strings.Join(got, " ") == strings.Join(want, " ") {
			t.Logf("%s: seen through the other copy after %s (%d searches)", what, time.Since(start).Round(time.Microsecond), polls)
			return
		}
		if time.Since(start) > maxPropagation {
			t.Fatalf("%s: %s still answers %v after %s, want %v", what, path, got, maxPropagation, want)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// testLogFromBothCopies moves agreements between draft and offered from
// many goroutines, alternating the copy per move, so that both copies
// append to the public log at once. Then the log has one entry per move,
// both copies serve the same checkpoint, the new checkpoint extends the one
// before (consistency proof), the entries served are the tree the
// checkpoint signs, and each agreement's moves are in the log in order.
func testLogFromBothCopies(t *testing.T, a, b *testServer) {
	const agreements, moves = 8, 6
	coord := makeUser(t, a.app, "koordinator@blitar.test", "35.72", kolaborasi.RoleCoordinator)
	token := tokenFor(t, a, coord)
	ids := make([]int64, agreements)
	for i := range ids {
		c := demo.KSB
		c.Title = fmt.Sprintf("Kerja Sama Dua Salinan %d", i)
		ag, err := a.app.CreateAgreement(kolaborasi.WithUser(context.Background(), coord), c)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = ag.ID
	}
	keyText := text(t, a, "/api/v1/log/key")
	verifier, err := ledger.NewLogVerifier(strings.TrimSpace(keyText))
	if err != nil {
		t.Fatal(err)
	}
	before := text(t, a, "/api/v1/log/checkpoint")
	old, err := ledger.OpenCheckpoint([]byte(before), verifier)
	if err != nil {
		t.Fatal(err)
	}

	copies := []*testServer{a, b}
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			for m := range moves {
				to := "offered"
				if m%2 == 1 {
					to = "draft"
				}
				resp, body := copies[(i+m)%2].api(t, token, "POST", fmt.Sprintf("/api/v1/agreements/%d/status", id), `{"to":"`+to+`"}`)
				if resp.StatusCode/100 != 2 {
					t.Errorf("agreement %d move %d to %s: %d %s", id, m, to, resp.StatusCode, body)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	after := text(t, a, "/api/v1/log/checkpoint")
	if got := text(t, b, "/api/v1/log/checkpoint"); got != after {
		t.Fatalf("the copies serve different checkpoints:\na: %s\nb: %s", after, got)
	}
	cur, err := ledger.OpenCheckpoint([]byte(after), verifier)
	if err != nil {
		t.Fatal(err)
	}
	if want := old.Size + agreements*moves; cur.Size != want {
		t.Fatalf("the log has %d entries after %d moves from %d, want %d", cur.Size, agreements*moves, old.Size, want)
	}
	_, body := b.api(t, "", "GET", fmt.Sprintf("/api/v1/log/consistency?from=%d&to=%d", old.Size, cur.Size), "")
	if err := ledger.VerifyExtends([]byte(before), []byte(after), decode[tlog.TreeProof](t, body), verifier); err != nil {
		t.Fatalf("the log after the moves does not extend the one before: %v", err)
	}

	// The entries b serves are the tree a's checkpoint signs; each
	// agreement's moves are there once each, in order.
	_, body = b.api(t, "", "GET", fmt.Sprintf("/api/v1/log/entries?start=0&end=%d", cur.Size), "")
	entries := decode[struct{ Data []app.LogEntry }](t, body).Data
	var stored []tlog.Hash
	hashes := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	moved := map[string][]string{}
	for i, e := range entries {
		if e.Index != int64(i) {
			t.Fatalf("entry %d has index %d", i, e.Index)
		}
		hs, err := tlog.StoredHashes(e.Index, e.Record, hashes)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, hs...)
		if sc, ok := parseEntry(t, e.Record).(*ledger.StatusChange); ok {
			moved[sc.AgreementID] = append(moved[sc.AgreementID], sc.From+"→"+sc.To)
		}
	}
	root, err := tlog.TreeHash(int64(len(entries)), hashes)
	if err != nil || int64(len(entries)) != cur.Size || root != cur.Root {
		t.Fatalf("the %d entries served hash to %v (%v), the checkpoint of %d entries signs %v", len(entries), root, err, cur.Size, cur.Root)
	}
	want := strings.TrimSuffix(strings.Repeat("draft→offered offered→draft ", moves/2), " ")
	for _, id := range ids {
		if got := strings.Join(moved[strconv.FormatInt(id, 10)], " "); got != want {
			t.Errorf("agreement %d's moves in the log: %s, want %s", id, got, want)
		}
	}
}

func text(t *testing.T, ts *testServer, path string) string {
	t.Helper()
	resp, body := ts.api(t, "", "GET", path, "")
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

func parseEntry(t *testing.T, record []byte) ledger.Entry {
	t.Helper()
	e, err := ledger.ParseEntry(record)
	if err != nil {
		t.Fatalf("log entry %s: %v", record, err)
	}
	return e
}
