package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// gateRequest runs h behind g in its own goroutine with a request whose
// context is ctx; the returned channel yields the handler's error.
func gateRequest(ctx context.Context, g *pageGate, h handlerFunc) <-chan error {
	done := make(chan error, 1)
	go func() {
		r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
		done <- g.wrap(h)(httptest.NewRecorder(), r)
	}()
	return done
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

func TestPageGateServesInArrivalOrder(t *testing.T) {
	g := newPageGate(1, time.Hour)
	started, first := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	var order []int
	run := func(i int) handlerFunc {
		return func(http.ResponseWriter, *http.Request) error {
			if i == 0 {
				close(started)
				<-first
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			return nil
		}
	}
	var dones []<-chan error
	dones = append(dones, gateRequest(t.Context(), g, run(0)))
	<-started
	for i := 1; i <= 8; i++ {
		dones = append(dones, gateRequest(t.Context(), g, run(i)))
		waitFor(t, "the request waits", func() bool { return g.waiting.Load() == int64(i) })
	}
	close(first)
	for _, d := range dones {
		if err := <-d; err != nil {
			t.Fatal(err)
		}
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8}; !slices.Equal(order, want) {
		t.Errorf("served in order %v, want %v", order, want)
	}
}

// A request gives up its place once it writes: a client slow to read its
// answer does not hold up the queue.
func TestPageGateReleasesOnWrite(t *testing.T) {
	g := newPageGate(1, time.Hour)
	wrote, stuck := make(chan struct{}), make(chan struct{})
	slow := gateRequest(t.Context(), g, func(w http.ResponseWriter, _ *http.Request) error {
		w.WriteHeader(http.StatusOK)
		close(wrote)
		<-stuck // writing the body to a client that does not read
		return nil
	})
	<-wrote
	select {
	case err := <-gateRequest(t.Context(), g, func(http.ResponseWriter, *http.Request) error { return nil }):
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request waited for one that was writing its answer")
	}
	close(stuck)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	if !g.sem.TryAcquire(1) {
		t.Fatal("the place was not given back")
	}
}

// A request that computes for longer than hold gives up its place.
func TestPageGateHold(t *testing.T) {
	g := newPageGate(1, 20*time.Millisecond)
	started, stuck := make(chan struct{}), make(chan struct{})
	long := gateRequest(t.Context(), g, func(http.ResponseWriter, *http.Request) error {
		close(started)
		<-stuck // a slow database, a large report
		return nil
	})
	<-started
	select {
	case err := <-gateRequest(t.Context(), g, func(http.ResponseWriter, *http.Request) error { return nil }):
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a request waited for a long one beyond hold")
	}
	close(stuck)
	if err := <-long; err != nil {
		t.Fatal(err)
	}
	// The long request released its place once (by the timer): both
	// places are free again, not two.
	if !g.sem.TryAcquire(1) {
		t.Fatal("the place was not given back")
	}
	if g.sem.TryAcquire(1) {
		t.Fatal("the place was given back twice")
	}
}

// A request whose client leaves while it waits leaves the queue, and its
// turn goes to the next.
func TestPageGateClientGone(t *testing.T) {
	g := newPageGate(1, time.Hour)
	started, first := make(chan struct{}), make(chan struct{})
	holder := gateRequest(t.Context(), g, func(http.ResponseWriter, *http.Request) error {
		close(started)
		<-first
		return nil
	})
	<-started
	ctx, cancel := context.WithCancel(t.Context())
	ran := false
	gone := gateRequest(ctx, g, func(http.ResponseWriter, *http.Request) error { ran = true; return nil })
	waitFor(t, "the second request waits", func() bool { return g.waiting.Load() == 1 })
	next := gateRequest(t.Context(), g, func(http.ResponseWriter, *http.Request) error { return nil })
	waitFor(t, "the third request waits", func() bool { return g.waiting.Load() == 2 })
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("a request whose client left: %v, want context.Canceled", err)
	}
	if ran {
		t.Fatal("the handler ran for a client that left")
	}
	close(first)
	for _, d := range []<-chan error{holder, next} {
		if err := <-d; err != nil {
			t.Fatal(err)
		}
	}
	if g.waiting.Load() != 0 || !g.sem.TryAcquire(1) {
		t.Fatal("the queue did not empty or the place was not given back")
	}
}

func TestNoPageGate(t *testing.T) {
	if newPageGate(0, time.Second) != nil || newPageGate(-1, time.Second) != nil {
		t.Fatal("a gate of no places")
	}
	h := func(http.ResponseWriter, *http.Request) error { return nil }
	if err := (*pageGate)(nil).wrap(h)(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil)); err != nil {
		t.Fatal(err)
	}
}

// The pages queue at the gate; the API, static files and probes do not.
func TestGatedRoutes(t *testing.T) {
	var gated []string
	for _, rt := range (&Server{}).routeTable() {
		if gatedRoute(rt) {
			gated = append(gated, rt.method+" "+rt.pattern)
		}
	}
	for _, want := range []string{"GET /{$}", "GET /katalog", "GET /solusi/{id}", "GET /kerjasama/{id}", "GET /ruang-kerja"} {
		if !slices.Contains(gated, want) {
			t.Errorf("%s does not queue at the page gate", want)
		}
	}
	for _, p := range gated {
		for _, not := range []string{"GET /api/", "GET /assets/", "GET /berkas/", "GET /healthz", "GET /readyz", "POST "} {
			if len(p) >= len(not) && p[:len(not)] == not {
				t.Errorf("%s queues at the page gate", p)
			}
		}
	}
}
