package app

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/ledger"
	"github.com/kolaborasi/kolaborasi/store/storetest"
)

// statusBatch returns n status_change entries, like those agreements log.
func statusBatch(n int, start int64) []ledger.Entry {
	es := make([]ledger.Entry, n)
	t0 := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for i := range es {
		id := strconv.FormatInt(start+int64(i), 10)
		es[i] = &ledger.StatusChange{AgreementID: id, Version: 1, From: "offered", To: "ksb_negotiated",
			ActorRole: "coordinator", Time: t0.Add(time.Duration(i) * time.Second)}
	}
	return es
}

// appendBatches appends total entries in batches of batch entries, each in
// one transaction with one signed checkpoint, through the SQL store.
func appendBatches(tb testing.TB, a *App, total, batch int) {
	tb.Helper()
	ctx := context.Background()
	for done := 0; done < total; done += batch {
		n := min(batch, total-done)
		err := a.store.InTx(ctx, func(tx kolaborasi.Store) error {
			_, err := a.appendLog(ctx, tx, statusBatch(n, int64(done))...)
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkLogAppendSQLite measures appends to the public log on SQLite in
// batches of 1,000 entries with one signed checkpoint per batch, everything
// written through the SQL store in one transaction per batch.
func BenchmarkLogAppendSQLite(b *testing.B) {
	a := New(storetest.OpenSQLite(b).Store(), WithEphemeralLogKey())
	const batch = 1000
	appendBatches(b, a, batch, batch) // the key and the first rows
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		appendBatches(b, a, batch, batch)
	}
	b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "entries/s")
}

// BenchmarkInclusionProofSQLite measures inclusion proof generation through
// the SQL store in a log of KOLABORASI_BENCH_LOG_SIZE entries (default
// 1,000,000), built once in the setup, and reports the 50th and 99th
// percentile of single proofs for random indexes.
func BenchmarkInclusionProofSQLite(b *testing.B) {
	size := 1_000_000
	if s, err := strconv.Atoi(os.Getenv("KOLABORASI_BENCH_LOG_SIZE")); err == nil && s > 0 {
		size = s
	}
	a := New(storetest.OpenSQLite(b).Store(), WithEphemeralLogKey())
	built := time.Now()
	appendBatches(b, a, size, 10_000)
	b.Logf("built a log of %d entries in %v", size, time.Since(built).Round(time.Millisecond))
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		idx := rng.Int64N(int64(size))
		t0 := time.Now()
		if _, err := a.LogInclusionProof(ctx, idx, 0); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
