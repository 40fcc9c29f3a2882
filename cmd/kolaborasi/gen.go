package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/gen"
)

// genBatch is how many solutions one transaction of `kolaborasi gen` stores.
const genBatch = 2000

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	var n int
	var seed uint64
	var scale string
	fs := newFlagSet("gen", "gen --scale national|province [--seed S] [--db ...] [--log-key-file FILE], or gen --solutions N [--seed S] [--db ...]", stderr)
	cfg.bind(fs, "", true)
	fs.IntVar(&n, "solutions", 0, "add only this many synthetic solutions (165000 is the national scale)")
	fs.StringVar(&scale, "scale", "", "national or province (Jawa Timur): the whole data set, from solutions to indicator observations")
	fs.Uint64Var(&seed, "seed", 1, "the seed: the same seed and scale (or count) give the same data")
	bindLogKeyFile(fs, &cfg.LogKeyFile)
	if err := parse(fs, args); err != nil {
		return err
	}
	if scale != "" {
		if n != 0 {
			return usageError{"--solutions and --scale do not go together: --scale makes the solutions of its shape"}
		}
		return runGenScale(ctx, &cfg, scale, seed, stdout, stderr)
	}
	if n <= 0 || n > 10_000_000 {
		return usageError{"--solutions must be between 1 and 10000000, or give --scale national|province"}
	}
	db, a, err := cfg.openApp(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	regions, err := genRegions(ctx, a)
	if err != nil {
		return err
	}
	ctx = kolaborasi.WithUser(ctx, kolaborasi.System)
	start := time.Now()
	if _, err := genSolutions(ctx, a, seed, n, regionCodes(regions), stdout); err != nil {
		return err
	}
	d := time.Since(start)
	fmt.Fprintf(stdout, "Added %d synthetic solutions (seed %d) over %d kabupaten/kota to %s in %s (%.0f/s).\n",
		n, seed, len(regions), db.Where(), d.Round(time.Millisecond), float64(n)/d.Seconds())
	return nil
}

// genSolutions stores the first n synthetic solutions of the seed, spread
// over regions, in batches, and returns them with their IDs.
func genSolutions(ctx context.Context, a *app.App, seed uint64, n int, regions []string, stdout io.Writer) ([]*kolaborasi.Solution, error) {
	bar := newProgress(stdout, "solutions", n)
	out := make([]*kolaborasi.Solution, 0, n)
	for i := 0; i < n; i += genBatch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		batch := make([]*kolaborasi.Solution, 0, genBatch)
		for j := i; j < min(i+genBatch, n); j++ {
			batch = append(batch, gen.Solution(seed, j, regions))
		}
		if err := a.LoadSyntheticSolutions(ctx, batch); err != nil {
			return nil, fmt.Errorf("store solutions %d to %d: %w", i, i+len(batch), err)
		}
		out = append(out, batch...)
		bar.set(i + len(batch))
	}
	bar.done()
	return out, nil
}

func regionCodes(rs []*kolaborasi.Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Code
	}
	return out
}

// genRegions returns every kabupaten/kota, in code order.
func genRegions(ctx context.Context, a interface {
	RegionsOfProvince(context.Context, string) ([]*kolaborasi.Region, error)
	Provinces(context.Context) ([]*kolaborasi.Region, error)
}) ([]*kolaborasi.Region, error) {
	provs, err := a.Provinces(ctx)
	if err != nil {
		return nil, err
	}
	var out []*kolaborasi.Region
	for _, p := range provs {
		rs, err := a.RegionsOfProvince(ctx, p.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	if len(out) == 0 {
		return nil, errors.New("the database has no kabupaten/kota; run kolaborasi migrate first")
	}
	return out, nil
}

// progress shows how far a long command is: one line rewritten with a
// carriage return on a terminal, a plain line every 10 % otherwise (logs,
// pipes, tests).
type progress struct {
	w          io.Writer
	label      string
	total      int
	tty        bool
	last       int
	start      time.Time
	lastRedraw time.Time
}

func newProgress(w io.Writer, label string, total int) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, label: label, total: total, tty: tty, last: -1, start: time.Now()}
}

func (p *progress) set(n int) {
	if p.total <= 0 {
		return
	}
	pct := n * 100 / p.total
	if p.tty {
		if time.Since(p.lastRedraw) < 100*time.Millisecond && n < p.total {
			return
		}
		p.lastRedraw = time.Now()
		const width = 30
		fill := n * width / p.total
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = ' '
			if i < fill {
				bar[i] = '='
			}
		}
		fmt.Fprintf(p.w, "\r%s [%s] %3d%% %d/%d", p.label, bar, pct, n, p.total)
		return
	}
	if pct/10 != p.last/10 || n == p.total && p.last != 100 {
		fmt.Fprintf(p.w, "%s: %d/%d (%d%%)\n", p.label, n, p.total, pct)
		p.last = pct
	}
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
