package app

import (
	"context"

	"github.com/kolaborasi/kolaborasi"
)

// RankingsComputed counts the rankings computed (not served from the
// cache).
func (a *App) RankingsComputed() int {
	a.rankings.mu.Lock()
	defer a.rankings.mu.Unlock()
	return a.rankings.computed
}

// RankingUncached computes a ranking as a cache miss does: the index, its
// indicators, the region set and the observations read from the store,
// then ranked.
func (a *App) RankingUncached(ctx context.Context, slug string) (*Ranking, error) {
	ci, err := a.store.CompositeIndex(ctx, slug)
	if err != nil {
		return nil, err
	}
	inds := map[string]*kolaborasi.Indicator{}
	for _, c := range ci.Components {
		if inds[c.Indicator], err = a.store.Indicator(ctx, c.Indicator); err != nil {
			return nil, err
		}
	}
	return a.computeRanking(ctx, ci, inds)
}
