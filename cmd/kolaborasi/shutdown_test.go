package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// serve saves the catalog index's snapshot when it stops, so that the next
// start catches up little (docs/OPERATIONS.md): a solution written while
// it ran (by another process on the same database, which serve catches up
// on its next search) is in the snapshot the database holds afterwards.
func TestServeSavesIndexSnapshotOnShutdown(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { serveSavesSnapshot(t, filepath.Join(t.TempDir(), "k.db")) })
	t.Run("postgres", func(t *testing.T) { serveSavesSnapshot(t, storetest.PostgresSchemaDSN(t)) })
}

func serveSavesSnapshot(t *testing.T, dsn string) {
	dir := t.TempDir()
	seedCrashDB(t, dsn)
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other := app.New(db.Store(), app.WithoutCatalogIndex())
	if _, err := other.LoadReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
	sys := kolaborasi.WithUser(ctx, kolaborasi.System)
	// Enough solutions for serve to keep a snapshot (2,000; smaller
	// indexes are rebuilt at start).
	var batch []*kolaborasi.Solution
	for i := range 2000 {
		batch = append(batch, gen.Solution(1, i, []string{"35.72", "32.73", "11.01"}))
	}
	if err := other.LoadSyntheticSolutions(sys, batch); err != nil {
		t.Fatal(err)
	}
	srvCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(srvCtx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--metrics-addr", "", "--log-level", "warn",
			"--log-key-file", filepath.Join(dir, "k.logkey")}, out, io.Discard)
	}()
	base := waitForURL(t, out)
	get := func(path string) int {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for deadline := time.Now().Add(30 * time.Second); get("/readyz") != http.StatusOK; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not ready\n%s", out)
		}
	}

	// Another process writes a solution.
	sol := &kolaborasi.Solution{Kind: kolaborasi.KindProgramme, RegionCode: "35.72", Name: kolaborasi.Texts{ID: "Lumbung Pangan Kelurahan"},
		Short: kolaborasi.Texts{ID: "Cadangan pangan warga."}, Dimensions: []kolaborasi.Dimension{kolaborasi.Dimensions[0]},
		Sectors: []kolaborasi.Sector{kolaborasi.Sectors[0]}, Maturity: kolaborasi.MaturityIdea, Reuse: []kolaborasi.ReuseTerm{kolaborasi.ReuseHibah}}
	if err := other.CreateSolution(sys, sol); err != nil {
		t.Fatal(err)
	}
	seq, err := db.Store().SolutionSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The start saves a snapshot in the background once the index is
	// built (readiness does not wait for it), from before the write.
	var snap *kolaborasi.IndexSnapshot
	for deadline := time.Now().Add(30 * time.Second); snap == nil && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if snap, err = db.Store().IndexSnapshot(ctx, "catalog"); err != nil {
			t.Fatal(err)
		}
	}
	if snap == nil || snap.Seq >= seq {
		t.Fatalf("the snapshot saved at start: %v, want one before the write's change %d", snap, seq)
	}
	before := snap.Seq
	// The server's searches catch its index up to the write: a search waits
	// for the catch-up at most 5 ms and otherwise answers from the
	// snapshot before it (docs/SCALING.md), so ask until one sees it.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(base + "/api/v1/solutions?q=lumbung")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("search: %d %s", resp.StatusCode, body)
		}
		if strings.Contains(string(body), "Lumbung Pangan Kelurahan") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the search does not find the solution written: %s", body)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d\n%s", code, out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	after, err := db.Store().IndexSnapshot(ctx, "catalog")
	if err != nil {
		t.Fatal(err)
	}
	if after == nil {
		t.Fatalf("no catalog index snapshot after shutdown (the write is change %d)\n%s", seq, out)
	}
	t.Logf("catalog index snapshot: at change %d before the write, %d after shutdown; the write is change %d", before, after.Seq, seq)
	if after.Seq != seq {
		t.Errorf("the snapshot saved on shutdown is at change %d, want %d\n%s", after.Seq, seq, out)
	}
}
