package web

// APIRoutes lists the "METHOD /path" of every JSON API route, for the test
// that keeps the OpenAPI document complete.
func APIRoutes() []string {
	s := &Server{}
	var out []string
	for _, rt := range s.routeTable() {
		if rt.api {
			out = append(out, rt.method+" "+rt.pattern)
		}
	}
	return out
}
