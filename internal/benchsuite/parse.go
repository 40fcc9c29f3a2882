package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Result is one benchmark line of `go test -bench` output.
type Result struct {
	// Name is the benchmark's full name without the -GOMAXPROCS suffix.
	Name       string
	Iterations int64
	// Metrics maps each unit ("ns/op", "p99-ms", "qps") to its value.
	Metrics map[string]float64
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$`)

// ParseBench reads `go test -bench` output and returns its result lines in
// order; other lines (logs, PASS, ok) are skipped.
func ParseBench(r io.Reader) ([]Result, error) {
	var out []Result
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		n, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			continue
		}
		fields := strings.Fields(m[3])
		if len(fields)%2 != 0 {
			continue
		}
		res := Result{Name: m[1], Iterations: n, Metrics: map[string]float64{}}
		ok := true
		for i := 0; i < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				ok = false
				break
			}
			res.Metrics[fields[i+1]] = v
		}
		if ok {
			out = append(out, res)
		}
	}
	return out, sc.Err()
}

// Target is a figure's goal: the value must be at most (AtMost) or at
// least the bound.
type Target struct {
	Bound  float64
	AtMost bool
}

// String renders the target, "≤ 25" or "≥ 1000"; "—" for none.
func (t *Target) String() string {
	if t == nil {
		return "—"
	}
	if t.AtMost {
		return "≤ " + num(t.Bound)
	}
	return "≥ " + num(t.Bound)
}

// Met reports whether v meets the target.
func (t *Target) Met(v float64) bool {
	if t.AtMost {
		return v <= t.Bound
	}
	return v >= t.Bound
}

// Row is one line of the suite's table.
type Row struct {
	Figure  string  `json:"figure"`
	Engine  string  `json:"engine"`
	Clients int     `json:"clients"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	// Samples is how many measurements a percentile is over; 0 when the
	// value is not a percentile.
	Samples int    `json:"samples,omitempty"`
	Target  string `json:"target"`
	// Met is "yes", "no", or "" without a target.
	Met       string `json:"met"`
	Benchmark string `json:"benchmark"`
}

// Figure picks one metric out of the results of benchmarks whose names
// match Match, one row per result.
type Figure struct {
	Name  string
	Match *regexp.Regexp
	// Metric is the unit to read; Scale multiplies it into Unit.
	Metric string
	Scale  float64
	Unit   string
	Target *Target
	// Engine is the engine when the benchmark's name does not say it.
	Engine string
}

// Rows returns the figure's rows from the results: the engine and the
// client count come from the benchmark's name ("/postgres/", "clients=8")
// or its "clients" metric (1 when neither says).
func (f Figure) Rows(results []Result) []Row {
	var out []Row
	for _, r := range results {
		v, ok := r.Metrics[f.Metric]
		if !f.Match.MatchString(r.Name) || !ok {
			continue
		}
		if f.Scale != 0 {
			v *= f.Scale
		}
		engine := engineOf(r.Name)
		if engine == "—" && f.Engine != "" {
			engine = f.Engine
		}
		row := Row{Figure: f.Name, Engine: engine, Clients: clientsOf(r), Value: v, Unit: f.Unit,
			Target: f.Target.String(), Benchmark: r.Name}
		if strings.HasPrefix(f.Metric, "p") && strings.HasSuffix(f.Metric, "-ms") {
			row.Samples = int(r.Metrics["samples"])
		}
		if f.Target != nil {
			row.Met = "no"
			if f.Target.Met(v) {
				row.Met = "yes"
			}
		}
		out = append(out, row)
	}
	return out
}

func engineOf(name string) string {
	for _, e := range []string{"sqlite", "postgres"} {
		if strings.Contains(name+"/", "/"+e+"/") {
			return e
		}
	}
	return "—"
}

var clientsRE = regexp.MustCompile(`clients=(\d+)`)

func clientsOf(r Result) int {
	if c, ok := r.Metrics["clients"]; ok {
		return int(c)
	}
	if m := clientsRE.FindStringSubmatch(r.Name); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// num formats a value with about three significant digits (whole numbers
// and numbers from 100 without decimals) and thousands separators.
func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100 || v <= -100 || v == math.Trunc(v):
		s := strconv.FormatFloat(v, 'f', 0, 64)
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	case v >= 10 || v <= -10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1 || v <= -1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// WriteTable prints the rows as an aligned table.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tengine\tclients\tvalue\tunit\tsamples\ttarget\tmet?\t")
	for _, r := range rows {
		samples := ""
		if r.Samples > 0 {
			samples = strconv.Itoa(r.Samples)
		}
		met := r.Met
		if met == "" {
			met = "—"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", r.Figure, r.Engine, r.Clients, num(r.Value), r.Unit, samples, r.Target, met)
	}
	return tw.Flush()
}
