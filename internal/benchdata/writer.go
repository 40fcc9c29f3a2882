package benchdata

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
)

// StartWriter saves perSecond solutions a second through a until the
// returned stop is called: each an edit of a random stored solution's short
// description by an editor of its region (a new version, its audit row and
// the index's catch-up before the write returns), the writer of the K10
// mixed-load benchmarks. stop waits for the writer and reports the writes
// per second achieved and the first error.
func StartWriter(a *app.App, perSecond int) (stop func() (perSec float64, err error)) {
	ctx := context.Background()
	done := make(chan struct{})
	var writes atomic.Int64
	var werr error
	var wg sync.WaitGroup
	start := time.Now()
	wg.Go(func() {
		r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
		tick := time.NewTicker(time.Second / time.Duration(perSecond))
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			s, err := a.Solution(ctx, 1+r.Int64N(int64(Size())))
			if err != nil {
				werr = err
				return
			}
			editor := &kolaborasi.User{ID: 1, Name: "Bench editor", RegionCode: s.RegionCode,
				Roles: []kolaborasi.Role{kolaborasi.RoleEditor}, Status: kolaborasi.UserActive}
			s.Adoptions = 0 // kept by the app; the edit is to the text
			s.Short.ID = strings.TrimSuffix(s.Short.ID, " (diperbarui)") + " (diperbarui)"
			if err := a.UpdateSolution(kolaborasi.WithUser(ctx, editor), s); err != nil {
				werr = err
				return
			}
			writes.Add(1)
		}
	})
	return func() (float64, error) {
		close(done)
		wg.Wait()
		return float64(writes.Load()) / time.Since(start).Seconds(), werr
	}
}
