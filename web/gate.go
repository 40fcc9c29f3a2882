package web

import (
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// pageGate lets a few page requests compute at once and queues the others
// in the order they came (K8). A page costs a few hundred microseconds of
// CPU, most of it rendering; when 64 clients asked at once on 2 cores, the
// Go scheduler ran every request's goroutine a little at a time, in no
// particular order, so each page took as long as many pages and the
// unlucky ones far longer: at 5,800 pages a second the mean answer took
// 11 ms and the 99th percentile 91 ms. With as many pages computing as
// there are CPUs and the rest waiting their turn, the throughput is the
// same and the 99th percentile fell to 30 ms (docs/BENCHMARKS.md).
//
// A request holds its place only while it computes: it gives it up when it
// starts writing its answer (a slow reader does not hold up others), when
// its handler returns, or after hold, whichever comes first, so a page that
// waits long on the database or renders a large report delays the queue
// by at most hold. A request whose client leaves while it waits is
// dropped from the queue. The API's reads, which cost a fifth of a page
// or less and batch their reads on PostgreSQL while many are in flight,
// static files and the health probes do not queue.
type pageGate struct {
	sem  *semaphore.Weighted
	hold time.Duration
	// waiting counts the requests in the queue (a metric).
	waiting atomic.Int64
}

// pageGateHold is how long a page computes before it gives up its place.
const pageGateHold = 50 * time.Millisecond

// newPageGate returns a gate for n pages at once, nil (no gate) for n < 1.
func newPageGate(n int, hold time.Duration) *pageGate {
	if n < 1 {
		return nil
	}
	return &pageGate{sem: semaphore.NewWeighted(int64(n)), hold: hold}
}

// wrap queues each request to h at the gate. A nil gate returns h.
func (g *pageGate) wrap(h handlerFunc) handlerFunc {
	if g == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		if !g.sem.TryAcquire(1) {
			g.waiting.Add(1)
			err := g.sem.Acquire(r.Context(), 1)
			g.waiting.Add(-1)
			if err != nil {
				// The client went away while it waited (logged as such);
				// the next in line goes on.
				return err
			}
		}
		p := &gatePass{ResponseWriter: w, sem: g.sem}
		timer := time.AfterFunc(g.hold, p.release)
		defer func() {
			timer.Stop()
			p.release()
		}()
		return h(p, r)
	}
}

// gatePass is a request's place at the gate, given up once.
type gatePass struct {
	http.ResponseWriter
	sem  *semaphore.Weighted
	done atomic.Bool
}

func (p *gatePass) release() {
	if p.done.CompareAndSwap(false, true) {
		p.sem.Release(1)
	}
}

func (p *gatePass) WriteHeader(code int) {
	p.release()
	p.ResponseWriter.WriteHeader(code)
}

func (p *gatePass) Write(b []byte) (int, error) {
	p.release()
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer (to
// flush, or set deadlines).
func (p *gatePass) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// gatedRoute reports whether a route's requests queue at the page gate:
// the pages and downloads a browser asks for, not the API, the static
// files and images, or the health probes.
func gatedRoute(rt route) bool {
	if rt.method != http.MethodGet || rt.api || isAPIPath(rt.pattern) {
		return false
	}
	switch rt.pattern {
	case "/healthz", "/readyz", "/assets/{name...}", "/peta/{file}", "/berkas/{sha}":
		return false
	}
	return true
}
