package main

import (
	"context"
	"math"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"
)

func TestParseMemoryLimit(t *testing.T) {
	for in, want := range map[string]int64{
		"140MiB":    140 << 20,
		"1GiB":      1 << 30,
		"2TiB":      2 << 40,
		"512KiB":    512 << 10,
		"123456789": 123456789,
		"4096B":     4096,
		"off":       math.MaxInt64,
	} {
		if got, err := parseMemoryLimit(in); err != nil || got != want {
			t.Errorf("parseMemoryLimit(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5MiB", "140MB", "140 MiB", "1.5GiB", "MiB", "Off", "99999999TiB"} {
		if got, err := parseMemoryLimit(in); err == nil {
			t.Errorf("parseMemoryLimit(%q) = %d, want an error", in, got)
		}
	}
}

// serve sets the runtime's soft memory limit while it runs: the default
// unless GOMEMLIMIT is set, the configured one (flag, then
// KOLABORASI_MEMORY_LIMIT) in any case, and puts back the one before when
// it stops.
func TestServeSetsMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	for _, tc := range []struct {
		name      string
		gomem, kl string // GOMEMLIMIT, KOLABORASI_MEMORY_LIMIT
		args      []string
		want      int64
	}{
		{"default", "", "", nil, defaultMemoryLimit},
		{"GOMEMLIMIT set", "1GiB", "", nil, before},
		{"flag", "", "", []string{"--memory-limit", "300MiB"}, 300 << 20},
		{"flag over GOMEMLIMIT", "1GiB", "", []string{"--memory-limit", "250MiB"}, 250 << 20},
		{"env", "1GiB", "off", nil, math.MaxInt64},
		{"flag over env", "", "off", []string{"--memory-limit", "200MiB"}, 200 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tc.gomem)
			t.Setenv("KOLABORASI_MEMORY_LIMIT", tc.kl)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out, errb := &syncBuffer{}, &syncBuffer{}
			done := make(chan int)
			args := append([]string{"serve", "--db", filepath.Join(t.TempDir(), "k.db"), "--addr", "127.0.0.1:0", "--metrics-addr", ""}, tc.args...)
			go func() { done <- run(ctx, args, out, errb) }()
			waitForURL(t, out)
			// Set once the indexes are ready, just after /readyz.
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				got := debug.SetMemoryLimit(-1)
				if got == tc.want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("memory limit while serving %d, want %d", got, tc.want)
				}
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("serve exited %d: %s", code, errb)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not shut down")
			}
			if got := debug.SetMemoryLimit(-1); got != before {
				t.Errorf("memory limit after serving %d, want the one before, %d", got, before)
			}
		})
	}
}
