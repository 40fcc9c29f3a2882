package app

// RankingsComputed counts the rankings computed (not served from the
// cache).
func (a *App) RankingsComputed() int {
	a.rankings.mu.Lock()
	defer a.rankings.mu.Unlock()
	return a.rankings.computed
}
