package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
	"github.com/kolaborasi/kolaborasi/store"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// TestGenProvince runs `gen --scale province` on each engine and checks
// what it made: the counts of the plan, every entity marked synthetic,
// every signed agreement's bundle verifying against the public log, the
// log itself verifying with `kolaborasi log verify`, and the same seed
// giving the same data (genDigest) in a second database.
func TestGenProvince(t *testing.T) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "k.db") }},
		{"postgres", func(t *testing.T) string { return storetest.PostgresSchemaDSN(t) }},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			dsn := e.dsn(t)
			keyFile := filepath.Join(dir, "log.key")
			code, out, errOut := runCmd(t, "gen", "--scale", "province", "--seed", "5", "--db", dsn, "--log-key-file", keyFile)
			if code != 0 {
				t.Fatalf("gen: exit %d\n%s%s", code, out, errOut)
			}
			for _, want := range []string{"390 solutions", "40 agreements", "80 products", "39 needs", "agreements: 40/40 (100%)"} {
				if !strings.Contains(out, want) {
					t.Errorf("the output lacks %q:\n%s", want, out)
				}
			}
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			key, err := app.ReadLogKeyFile(keyFile)
			if err != nil {
				t.Fatal(err)
			}
			a := app.New(db.Store(), app.WithLogKey(key))

			// Counts, as planned.
			signed := 0
			for i := range gen.Province.Agreements {
				if gen.MakeAgreement(5, i, []string{"a", "b"}).Status == kolaborasi.StatusKSBSigned {
					signed++
				}
			}
			_, read := db.Pools()
			count := func(q string) int {
				t.Helper()
				var n int
				if err := read.QueryRowContext(ctx, q).Scan(&n); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return n
			}
			for q, want := range map[string]int{
				"SELECT COUNT(*) FROM solutions":                                                  390,
				"SELECT COUNT(*) FROM agreements":                                                 40,
				"SELECT COUNT(*) FROM agreement_versions WHERE status = 'ksb_signed'":             signed,
				"SELECT COUNT(*) FROM agreement_signatures":                                       2 * signed,
				"SELECT COUNT(*) FROM producers":                                                  40,
				"SELECT COUNT(*) FROM products":                                                   80,
				"SELECT COUNT(*) FROM needs":                                                      39,
				"SELECT COUNT(*) FROM signing_keys WHERE status = 'active'":                       39,
				"SELECT COUNT(*) FROM observations WHERE source <> '" + gen.SyntheticSource + "'": 0,
			} {
				if got := count(q); got != want {
					t.Errorf("%s = %d, want %d", q, got, want)
				}
			}
			yearly := count("SELECT COUNT(*) FROM indicators WHERE framework <> 'custom' AND data LIKE '%\"period_kind\":\"year\"%'")
			if n := count("SELECT COUNT(*) FROM observations"); yearly == 0 || n != 39*gen.Province.ObservationCount(yearly) {
				t.Errorf("%d observations, want 39 regions × %d", n, gen.Province.ObservationCount(yearly))
			}
			if n := count("SELECT COUNT(*) FROM adoptions"); n < 150 || n > 200 {
				t.Errorf("%d adoptions, want about 200 less the skipped", n)
			}
			for _, table := range []string{"solutions", "adoptions", "producers", "products", "needs"} {
				if n := count("SELECT COUNT(*) FROM " + table + ` WHERE data NOT LIKE '%"synthetic":true%'`); n != 0 {
					t.Errorf("%d %s not marked synthetic", n, table)
				}
			}

			// Every signed agreement verifies against the public log.
			rows, err := read.QueryContext(ctx, "SELECT DISTINCT agreement_id FROM agreement_signatures")
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			verified := 0
			for _, id := range ids {
				ag, err := a.Agreement(ctx, id, 0)
				if err != nil {
					t.Fatal(err)
				}
				v, err := a.VerifyAgreement(ctx, ag)
				switch {
				case err != nil:
					t.Fatal(err)
				case v == nil:
					t.Errorf("agreement %d has nothing to verify", id)
				case v.Err != nil:
					t.Errorf("agreement %d does not verify: %v", id, v.Err)
				}
				verified++
			}
			if verified != signed {
				t.Errorf("%d agreements verified, want %d", verified, signed)
			}
			cp, _, err := a.LogCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cpFile := filepath.Join(dir, "checkpoint.txt")
			os.WriteFile(cpFile, cp, 0o644)
			if code, out, errOut := runCmd(t, "log", "verify", "--checkpoint", cpFile, "--url", logServer(t, a).URL); code != 0 {
				t.Errorf("log verify: exit %d %s%s", code, out, errOut)
			}

			// Deterministic: the same seed in another database gives the
			// same data; the database already generated refuses more.
			d1, err := genDigest(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			dsn2 := e.dsn(t)
			if code, out, errOut := runCmd(t, "gen", "--scale", "province", "--seed", "5", "--db", dsn2, "--log-key-file", filepath.Join(dir, "log2.key")); code != 0 {
				t.Fatalf("second gen: exit %d\n%s%s", code, out, errOut)
			}
			db2, err := store.Open(ctx, dsn2)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db2.Close() })
			if d2, err := genDigest(ctx, db2); err != nil || d2 != d1 {
				t.Errorf("the same seed gave digest %s, then %s (%v)", d1, d2, err)
			}
			if code, _, errOut := runCmd(t, "gen", "--scale", "province", "--db", dsn, "--log-key-file", keyFile); code != 1 || !strings.Contains(errOut, "fresh database") {
				t.Errorf("gen on a generated database: exit %d %s", code, errOut)
			}
		})
	}
}

func TestGenScaleFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	for _, args := range [][]string{
		{"gen", "--scale", "world", "--db", db},
		{"gen", "--scale", "province", "--solutions", "5", "--db", db},
		{"gen", "--scale", "province", "--db", "postgres://nobody@127.0.0.1:1/x"},
	} {
		if code, _, errOut := runCmd(t, args...); code != 2 || !strings.Contains(errOut, "--") {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}
