package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/demo"
	"github.com/kolaborasi/kolaborasi/store/storetest"
	"github.com/kolaborasi/kolaborasi/web"
)

// processCPU is the CPU time (user and system) the process used so far.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAgreementPage loads the public page of the demo's signed KSB
// (GET /kerjasama/{id}) over real HTTP (loopback, keep-alive) from 64
// concurrent clients on SQLite, with the app's verification cache
// ("cached") and verifying every signature on every request ("uncached").
// It reports requests/second, p50/p99 latency and CPU per request;
// docs/BENCHMARKS.md has the numbers.
//
//	go test ./web/ -run '^$' -bench AgreementPage -benchtime 3000x -count 5
func BenchmarkAgreementPage(b *testing.B) {
	for _, mode := range []struct {
		name string
		opts []app.Option
	}{{"cached", nil}, {"uncached", []app.Option{app.WithoutVerificationCache()}}} {
		b.Run(mode.name, func(b *testing.B) {
			ctx := context.Background()
			a := app.New(storetest.OpenSQLite(b).Store(), append([]app.Option{app.WithEphemeralLogKey()}, mode.opts...)...)
			if _, err := a.LoadReferenceData(ctx); err != nil {
				b.Fatal(err)
			}
			if err := demo.Seed(ctx, a); err != nil {
				b.Fatal(err)
			}
			ags, err := a.Agreements(ctx, kolaborasi.AgreementFilter{Region: demo.Blitar})
			if err != nil || len(ags) == 0 {
				b.Fatalf("demo agreements: %v", err)
			}
			h, err := web.New(a, web.Config{})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			const clients = 64
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
			u := fmt.Sprintf("%s/kerjasama/%d", srv.URL, ags[0].ID)
			fetch := func() time.Duration { return timedGet(b, client, u, 200) }
			for range clients { // warm the connections and the cache
				fetch()
			}
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			cpu0 := processCPU(b)
			start := time.Now()
			for range clients {
				wg.Go(func() {
					for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
						lat[i] = fetch()
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			cpu := processCPU(b) - cpu0
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			// CPU per request (server and client, one process): what the
			// page costs whatever else the machine runs.
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/req")
		})
	}
}
