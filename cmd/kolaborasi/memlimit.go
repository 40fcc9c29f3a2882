package main

import (
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// defaultMemoryLimit is the Go runtime's soft memory limit a server sets,
// once its indexes are ready, when neither --memory-limit
// (KOLABORASI_MEMORY_LIMIT) nor GOMEMLIMIT names one. It bounds the Go heap
// and runtime only; SQLite's page caches and the program's code come on
// top. At 165,000 solutions the catalog index holds about 50 MiB of heap and
// a busy server about 110 MiB in all; 145 MiB held the resident size under
// 8-client search load at 178-179 MiB (2 cores), against 197 MiB with
// 165 MiB, for as many searches a second within the machine's noise
// (2,470-2,824 against 2,638); docs/OPERATIONS.md, "Readiness and memory",
// says how to choose.
const defaultMemoryLimit = 145 << 20

// parseMemoryLimit reads a memory limit as GOMEMLIMIT writes it: a whole
// number of bytes with an optional unit B, KiB, MiB, GiB or TiB, or "off"
// for none (math.MaxInt64, the runtime's "no limit").
func parseMemoryLimit(s string) (int64, error) {
	if s == "off" {
		return math.MaxInt64, nil
	}
	num, mult := s, int64(1)
	for i, unit := range []string{"TiB", "GiB", "MiB", "KiB", "B"} {
		if n, ok := strings.CutSuffix(s, unit); ok {
			num, mult = n, int64(1)<<(10*(4-i))
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is not a memory size such as 140MiB or 1GiB (or off)", s)
	}
	return n * mult, nil
}

// memoryLimit is the limit a server sets: the configured one (flag or
// KOLABORASI_MEMORY_LIMIT, checked by checkServer), else none of its own
// when GOMEMLIMIT is set (the runtime applied it), else the default. ok
// is false when the server leaves the runtime's limit as it is.
func (c *config) memoryLimit() (limit int64, ok bool) {
	switch {
	case c.MemoryLimit != "":
		return c.memLimit, true
	case os.Getenv("GOMEMLIMIT") != "":
		return 0, false
	}
	return defaultMemoryLimit, true
}

// applyMemoryLimit sets the server's soft memory limit (see memoryLimit)
// and returns the function that restores the one before.
func (c *config) applyMemoryLimit(log *slog.Logger) (restore func()) {
	limit, ok := c.memoryLimit()
	if !ok {
		log.Info("memory limit", "limit", os.Getenv("GOMEMLIMIT"), "from", "GOMEMLIMIT")
		return func() {}
	}
	prev := debug.SetMemoryLimit(limit)
	if limit == math.MaxInt64 {
		log.Info("memory limit", "limit", "off")
	} else {
		log.Info("memory limit", "limit_mib", limit>>20)
	}
	return func() { debug.SetMemoryLimit(prev) }
}
