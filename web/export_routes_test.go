package web

// HasRoute reports whether the route table serves method and pattern, so
// browser tests can list pages that other work adds later and leave out
// those whose route does not exist yet.
func (s *Server) HasRoute(method, pattern string) bool {
	for _, r := range s.routeTable() {
		if r.method == method && r.pattern == pattern {
			return true
		}
	}
	return false
}
