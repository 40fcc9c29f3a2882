package loadtest

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is a run's outcome, per request class and in total.
type Report struct {
	Clients  int           `json:"clients"`
	Duration time.Duration `json:"-"`
	Seconds  float64       `json:"seconds"`
	Classes  []ClassReport `json:"classes"`
	Total    ClassReport   `json:"total"`
}

// ClassReport is one request class's counts and latency percentiles.
type ClassReport struct {
	Class string `json:"class"`
	Count uint64 `json:"count"`
	// Errors counts the answers that were not the expected status, by
	// status ("network" for no answer).
	Errors map[string]uint64 `json:"errors"`
	// Failed counts network errors, 5xx answers and failed writes.
	Failed    uint64  `json:"failed"`
	P50ms     float64 `json:"p50_ms"`
	P90ms     float64 `json:"p90_ms"`
	P99ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	PerSecond float64 `json:"per_second"`
}

// Failed reports whether the run saw a network error, a 5xx or a failed
// write.
func (rep *Report) Failed() bool { return rep.Total.Failed > 0 }

// Missing lists the classes that made no request.
func (rep *Report) Missing() []string {
	var out []string
	for _, c := range rep.Classes {
		if c.Count == 0 {
			out = append(out, c.Class)
		}
	}
	return out
}

func (r *runner) report(elapsed time.Duration) *Report {
	rep := &Report{Clients: r.cfg.Clients, Duration: elapsed, Seconds: elapsed.Seconds()}
	var total Histogram
	totalErrs := map[string]uint64{}
	var failed uint64
	for _, c := range Classes {
		st := r.stats[c]
		st.mu.Lock()
		errs := map[string]uint64{}
		for status, n := range st.statuses {
			errs[statusName(status)] += n
			totalErrs[statusName(status)] += n
		}
		rep.Classes = append(rep.Classes, classReport(c, &st.hist, errs, st.failed, elapsed))
		total.Merge(&st.hist)
		failed += st.failed
		st.mu.Unlock()
	}
	rep.Total = classReport("total", &total, totalErrs, failed, elapsed)
	return rep
}

func statusName(status int) string {
	if status == 0 {
		return "network"
	}
	return strconv.Itoa(status)
}

func classReport(class string, h *Histogram, errs map[string]uint64, failed uint64, elapsed time.Duration) ClassReport {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ClassReport{Class: class, Count: h.Count(), Errors: errs, Failed: failed, P50ms: ms(h.Quantile(0.5)),
		P90ms: ms(h.Quantile(0.9)), P99ms: ms(h.Quantile(0.99)), MaxMs: ms(h.Max()),
		PerSecond: float64(h.Count()) / elapsed.Seconds()}
}

// WriteTable prints the report as a table, one row per class and a total.
func (rep *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%d clients for %.1f s\n\n", rep.Clients, rep.Seconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	rows := append(slices.Clone(rep.Classes), rep.Total)
	width := 0
	for _, c := range rows {
		width = max(width, len(c.Class))
	}
	// Cells are right-aligned; the padded class names read left-aligned.
	fmt.Fprintf(tw, "%-*s\tcount\terrors\tfailed\tp50 ms\tp90 ms\tp99 ms\tmax ms\treq/s\t\n", width, "class")
	for _, c := range rows {
		fmt.Fprintf(tw, "%-*s\t%d\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", width, c.Class, c.Count, errorList(c.Errors), c.Failed,
			c.P50ms, c.P90ms, c.P99ms, c.MaxMs, c.PerSecond)
	}
	return tw.Flush()
}

// errorList is "-" or "404×3 500×1", by status.
func errorList(errs map[string]uint64) string {
	if len(errs) == 0 {
		return "-"
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, fmt.Sprintf("%s×%d", s, errs[s]))
	}
	return strings.Join(parts, " ")
}
