package app

import "context"

// ResultSeq returns the change number of the index snapshot a search used
// (0 when it went to the database).
func ResultSeq(r *SolutionResults) int64 { return r.seq }

// HoldCatalogWriter takes the in-process index's writer lock, as a slow
// catch-up would, until release is called.
func (a *App) HoldCatalogWriter() (release func()) {
	a.catalog.mu.Lock()
	return a.catalog.mu.Unlock
}

// ComputeSavings computes a savings report without the cache, for the
// benchmark of the computation.
func (a *App) ComputeSavings(ctx context.Context, scope, code string) (*SavingsReport, error) {
	return a.computeSavings(ctx, scope, code)
}
