package main

import (
	"runtime"
	"testing"

	"github.com/kolaborasi/kolaborasi/store"
)

// The page gate's size: as set, off, or by engine.
func TestPageWorkers(t *testing.T) {
	cpus := runtime.GOMAXPROCS(0)
	for _, tc := range []struct {
		flag   string
		engine store.Engine
		want   int
	}{
		{"", store.SQLite, cpus},
		{"", store.Postgres, 2 * cpus},
		{"3", store.SQLite, 3},
		{"3", store.Postgres, 3},
		{"off", store.SQLite, -1},
	} {
		c := config{PageWorkers: tc.flag}
		if err := c.checkServer(); err != nil {
			t.Fatalf("--page-workers %q: %v", tc.flag, err)
		}
		if got := c.workersFor(tc.engine); got != tc.want {
			t.Errorf("--page-workers %q on %v: %d, want %d", tc.flag, tc.engine, got, tc.want)
		}
	}
}
