package web

import (
	"database/sql"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kolaborasi/kolaborasi/app"
)

// metrics holds the Prometheus registry of one Server (not the global one,
// so several servers in one test process do not collide).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(pools map[string]*sql.DB) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kolaborasi_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "kolaborasi_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "method"})
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	seen := map[*sql.DB]bool{}
	for name, db := range pools {
		if db != nil && !seen[db] {
			seen[db] = true
			m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
		}
	}
	return m
}

// watchPasswordHashes exports the App's password hash gate: how many
// argon2id hashes run, how many were computed and how many were refused.
func (m *metrics) watchPasswordHashes(a *app.App) {
	stat := func(f func(app.PasswordHashStats) int64) func() float64 {
		return func() float64 { return float64(f(a.PasswordHashStats())) }
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kolaborasi_password_hashes_running",
			Help: "Password hashes (argon2id, 19 MiB each) running now."}, stat(func(s app.PasswordHashStats) int64 { return s.Running })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "kolaborasi_password_hashes_total",
			Help: "Password hashes computed (sign-in checks and new passwords)."}, stat(func(s app.PasswordHashStats) int64 { return s.Total })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "kolaborasi_password_hashes_refused_total",
			Help: "Requests refused (429) because all password hash slots and the queue were taken."},
			stat(func(s app.PasswordHashStats) int64 { return s.Refused })))
}

// watchPageGate exports how many page requests wait at the gate (none
// when there is no gate).
func (m *metrics) watchPageGate(g *pageGate) {
	if g == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "kolaborasi_page_requests_waiting",
		Help: "Page requests waiting their turn to compute (--page-workers)."},
		func() float64 { return float64(g.waiting.Load()) }))
}

// routeMetrics records the requests of one route. The series of its
// common answer (its own method, status 200) are looked up once, on the
// first such answer, rather than by hashing their labels on every request;
// nothing is created before a route is used, so /metrics lists the same
// series as before.
type routeMetrics struct {
	m             *metrics
	route, method string
	ok            atomic.Pointer[routeSeries]
}

type routeSeries struct {
	count    prometheus.Counter
	duration prometheus.Observer
}

func (m *metrics) forRoute(route, method string) *routeMetrics {
	return &routeMetrics{m: m, route: route, method: method}
}

func (rm *routeMetrics) observe(method string, status int, d time.Duration) {
	if status != http.StatusOK || method != rm.method {
		rm.m.observe(rm.route, method, status, d)
		return
	}
	s := rm.ok.Load()
	if s == nil {
		// Two first requests at once resolve the same series.
		s = &routeSeries{count: rm.m.requests.WithLabelValues(rm.route, method, "200"),
			duration: rm.m.duration.WithLabelValues(rm.route, method)}
		rm.ok.Store(s)
	}
	s.count.Inc()
	s.duration.Observe(d.Seconds())
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
