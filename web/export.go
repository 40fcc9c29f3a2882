package web

// RouteInfo describes one route of the route table, for tests and
// documentation.
type RouteInfo struct {
	Method, Pattern string
	// Policy is the app.Action (or "public", "signed-in") that decides who
	// may use the route; "" for public reads.
	Policy string
	API    bool
	// Cache is the route's cache policy: "private" (Cache-Control:
	// private, no-store), "public" or "per-answer" (public only for what
	// anyone may read).
	Cache string
}

// Routes lists every route of the route table.
func Routes() []RouteInfo {
	s := &Server{}
	var out []RouteInfo
	for _, rt := range s.routeTable() {
		out = append(out, RouteInfo{Method: rt.method, Pattern: rt.pattern, Policy: rt.policy, API: rt.api, Cache: rt.cache.String()})
	}
	return out
}

// APIRoutes lists the "METHOD /path" of every JSON API route, for the test
// that keeps the OpenAPI document complete.
func APIRoutes() []string {
	var out []string
	for _, rt := range Routes() {
		if rt.API {
			out = append(out, rt.Method+" "+rt.Pattern)
		}
	}
	return out
}
