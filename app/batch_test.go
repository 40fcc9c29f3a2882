package app_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// batchTables are the tables the batch scenario writes to.
var batchTables = []string{"agreements", "agreement_versions", "agreement_parties", "agreement_sectors", "agreement_events",
	"agreement_signatures", "log_records", "log_hashes", "log_checkpoints", "log_head", "adoptions", "producers", "products",
	"product_facets", "product_seq", "needs", "need_seq", "audit_log", "signing_keys"}

// dumpTables returns every row of the tables as text, sorted within each
// table, keyed by table.
func dumpTables(t *testing.T, db *store.DB, tables []string) map[string][]string {
	t.Helper()
	_, read := db.Pools()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := read.Query("SELECT * FROM " + table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		var lines []string
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				switch x := v.(type) {
				case []byte:
					v = string(x)
				case time.Time:
					v = x.UTC().Format(time.RFC3339Nano)
				}
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
			lines = append(lines, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		out[table] = lines
	}
	return out
}

// batchHeads are the signatories of the batch scenario's agreement.
var batchHeads = []struct{ region, head string }{{demo.Blitar, "walikota@blitarkota.test"}, {demo.Bandung, "walikota@bandung.test"}}

// batchSetup registers generated signing keys for the heads of Blitar and
// Bandung and publishes a solution of Bandung's, one use case at a time.
func batchSetup(t *testing.T, s *seeded) (keys map[string]string, sol *kolaborasi.Solution) {
	t.Helper()
	keys = map[string]string{}
	for _, p := range batchHeads {
		region, head := p.region, p.head
		pub := gen.SigningKey(1, region).Public()
		k, err := s.a.RequestSigningKey(s.as(t, head), pub.(ed25519.PublicKey), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.a.ApproveSigningKey(s.as(t, "admin@kolaborasi.test"), k.KeyID); err != nil {
			t.Fatal(err)
		}
		keys[region] = k.KeyID
	}
	sol = newSolution()
	if err := s.a.CreateSolution(as(kolaborasi.System), sol); err != nil {
		t.Fatal(err)
	}
	return keys, sol
}

// batchScenario is a sequence of use cases of every kind `kolaborasi gen`
// runs in batches: an agreement drafted, offered, negotiated and signed by
// both parties (appended to the public log), an adoption requested,
// accepted and moved, a producer with two products, a need.
func batchScenario(t *testing.T, s *seeded, keys map[string]string, sol *kolaborasi.Solution) func(x *app.App) error {
	return func(x *app.App) error {
		blitarCo, bandungCo := s.as(t, "kerjasama@blitarkota.test"), s.as(t, "kerjasama@bandung.test")
		sys := as(kolaborasi.System)
		c := demo.KSB
		c.Title = "Kerja Sama Uji Muatan Sekaligus"
		ag, err := x.CreateAgreement(blitarCo, c)
		if err != nil {
			return err
		}
		if err := x.MoveAgreement(blitarCo, ag.ID, kolaborasi.StatusOffered); err != nil {
			return err
		}
		if err := x.MoveAgreement(bandungCo, ag.ID, kolaborasi.StatusKSBNegotiated); err != nil {
			return err
		}
		for _, p := range batchHeads {
			sc, err := x.SigningContent(context.Background(), ag.ID, ag.Version, p.region, ledger.RoleSignatory, ledger.StageKSB, keys[p.region])
			if err != nil {
				return err
			}
			sig, err := ledger.Sign(gen.SigningKey(1, p.region), sc)
			if err != nil {
				return err
			}
			if _, err := x.SignAgreement(s.as(t, p.head), app.SignInput{AgreementID: ag.ID, Version: ag.Version, Stage: ledger.StageKSB,
				Party: p.region, Role: ledger.RoleSignatory, KeyID: keys[p.region], Signature: sig}); err != nil {
				return err
			}
		}
		ad, err := x.RequestAdoption(sys, app.AdoptionRequest{SolutionID: sol.ID, AdopterRegion: demo.Blitar, Synthetic: true, Note: gen.Marker})
		if err != nil {
			return err
		}
		if ad, err = x.DecideAdoption(sys, ad.ID, ad.Version, true, gen.Marker); err != nil {
			return err
		}
		if _, err = x.MoveAdoption(sys, ad.ID, ad.Version, app.NextAdoptionStages(ad)[0], ""); err != nil {
			return err
		}
		pr := gen.MakeProducer(1, 0, []string{demo.Blitar})
		if err := x.CreateProducer(sys, pr); err != nil {
			return err
		}
		for j := range 2 {
			p := gen.MakeProduct(1, 0, j)
			p.ProducerID = pr.ID
			if err := x.CreateProduct(sys, p); err != nil {
				return err
			}
		}
		return x.CreateNeed(sys, gen.MakeNeed(1, demo.Blitar, 0))
	}
}

// demoPair runs fn once per engine with two freshly seeded demo
// databases. The SQLite ones are copies of one file; the PostgreSQL ones
// are seeded apart, so their demo signing keys (random) and so their
// public logs differ: exact says whether they are equal before fn.
func demoPair(t *testing.T, fn func(t *testing.T, one, two *seeded, dbOne, dbTwo *store.DB, exact bool)) {
	for _, e := range []struct {
		name string
		open func(t *testing.T) *store.DB
	}{
		{"sqlite", func(t *testing.T) *store.DB { return demoData.Open(t) }},
		{"postgres", func(t *testing.T) *store.DB { return storetest.OpenPostgres(t) }},
	} {
		t.Run(e.name, func(t *testing.T) {
			one, two := e.open(t), e.open(t)
			fn(t, newSeeded(t, one), newSeeded(t, two), one, two, e.name == "sqlite")
		})
	}
}

// added returns the rows of after that are not in before, per table.
func added(before, after map[string][]string) map[string][]string {
	out := map[string][]string{}
	for table, rows := range after {
		old := map[string]int{}
		for _, r := range before[table] {
			old[r]++
		}
		for _, r := range rows {
			if old[r] > 0 {
				old[r]--
				continue
			}
			out[table] = append(out[table], r)
		}
	}
	return out
}

// logChained are the tables whose new rows depend on the whole log
// before them (hashes of the tree, checkpoints over its root).
var logChained = map[string]bool{"log_hashes": true, "log_checkpoints": true}

// TestBatchWritesWhatSingleUseCasesWrite runs the same use cases one at a
// time on one database and in one Batch on another, and compares the rows
// they wrote (the clock and the log key are the tests' own, so the rows,
// audit entries, signatures and signed checkpoints must be equal; on
// PostgreSQL, whose two demo logs differ, the log's hashes and
// checkpoints are compared by count).
func TestBatchWritesWhatSingleUseCasesWrite(t *testing.T) {
	demoPair(t, func(t *testing.T, single, batched *seeded, dbSingle, dbBatched *store.DB, exact bool) {
		keys, sol := batchSetup(t, single)
		beforeOne := dumpTables(t, dbSingle, batchTables)
		if err := batchScenario(t, single, keys, sol)(single.a); err != nil {
			t.Fatalf("one at a time: %v", err)
		}
		keys, sol = batchSetup(t, batched)
		beforeTwo := dumpTables(t, dbBatched, batchTables)
		if err := batched.a.Batch(context.Background(), batchScenario(t, batched, keys, sol)); err != nil {
			t.Fatalf("in a batch: %v", err)
		}
		one := added(beforeOne, dumpTables(t, dbSingle, batchTables))
		two := added(beforeTwo, dumpTables(t, dbBatched, batchTables))
		for _, table := range batchTables {
			if !exact && logChained[table] {
				if len(one[table]) != len(two[table]) {
					t.Errorf("%s: %d rows one at a time, %d in a batch", table, len(one[table]), len(two[table]))
				}
				continue
			}
			if !slices.Equal(one[table], two[table]) {
				t.Errorf("%s differs:\none at a time:\n%q\nbatch:\n%q", table, one[table], two[table])
			}
		}
		// The scenario wrote to every table the comparison is about (a
		// comparison of unchanged tables would prove nothing).
		for _, table := range batchTables {
			if table != "signing_keys" && table != "log_head" && len(two[table]) == 0 {
				t.Errorf("the scenario did not write to %s", table)
			}
		}
	})
}

// TestBatchRefusalWritesNothing makes the last use case of a batch fail
// (an adoption of the region's own solution): nothing of the batch is
// written, the public log and the checkpoint file stay as they were; the
// same batch without it then commits and publishes its last checkpoint.
func TestBatchRefusalWritesNothing(t *testing.T) {
	demoData.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newSeeded(t, db)
		keys, sol := batchSetup(t, s)
		file := filepath.Join(t.TempDir(), "checkpoint")
		a := app.New(db.Store(), app.WithLogKey(testLogKey), app.WithClock(func() time.Time { return testNow }), testHashCost,
			app.WithCheckpointFile(file))
		if err := a.CheckLog(ctx); err != nil {
			t.Fatal(err)
		}
		published, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		before := dumpTables(t, db, batchTables)
		scenario := batchScenario(t, s, keys, sol)
		err = a.Batch(ctx, func(x *app.App) error {
			if err := scenario(x); err != nil {
				return err
			}
			_, err := x.RequestAdoption(as(kolaborasi.System), app.AdoptionRequest{SolutionID: sol.ID, AdopterRegion: sol.RegionCode})
			return err
		})
		wantCode(t, err, kolaborasi.EINVALID)
		after := dumpTables(t, db, batchTables)
		for _, table := range batchTables {
			if !slices.Equal(before[table], after[table]) {
				t.Errorf("a refused batch changed %s", table)
			}
		}
		if now, err := os.ReadFile(file); err != nil || string(now) != string(published) {
			t.Errorf("a refused batch changed the checkpoint file (%v)", err)
		}

		// Refused by authorisation, too: Bandung's coordinator cannot
		// request an adoption for Blitar.
		err = a.Batch(ctx, func(x *app.App) error {
			if err := scenario(x); err != nil {
				return err
			}
			_, err := x.RequestAdoption(s.as(t, "kerjasama@bandung.test"), app.AdoptionRequest{SolutionID: sol.ID, AdopterRegion: demo.Malang})
			return err
		})
		wantCode(t, err, kolaborasi.EFORBIDDEN)
		if after := dumpTables(t, db, batchTables); !slices.Equal(before["audit_log"], after["audit_log"]) {
			t.Error("a batch refused by authorisation left audit rows")
		}

		if err := a.Batch(ctx, scenario); err != nil {
			t.Fatal(err)
		}
		cp, size, err := a.LogCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if now, err := os.ReadFile(file); err != nil || string(now) != string(cp) {
			t.Errorf("after the batch the checkpoint file holds\n%s\nwant the log's latest (size %d)\n%s", now, size, cp)
		}
	})
}
