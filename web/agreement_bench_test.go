package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
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
			client := keepAlive(clients)
			u := fmt.Sprintf("%s/kerjasama/%d", srv.URL, ags[0].ID)
			for range clients { // warm the connections and the cache
				timedGet(b, client, u, 200)
			}
			cpu0 := processCPU(b)
			hammer(b, client, clients, "req/s", func(int) string { return u }, 200)
			cpu := processCPU(b) - cpu0
			// CPU per request (server and client, one process): what the
			// page costs whatever else the machine runs.
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/req")
		})
	}
}
