package app

// ForgetMatchmaking drops the cached matchmaking graph, so that the next
// call builds it again (benchmarks of the build).
func (a *App) ForgetMatchmaking() {
	a.matches.mu.Lock()
	defer a.matches.mu.Unlock()
	a.matches.cur = nil
}
