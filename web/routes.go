package web

// routeTable lists every route Kolaborasi serves. Tests walk it: the OpenAPI
// document must describe every API route, and (from K2 on) every mutating
// route must state its authorisation policy.
func (s *Server) routeTable() []route {
	return []route{
		// Operations.
		{method: "GET", pattern: "/healthz", h: s.handleHealthz},
		{method: "GET", pattern: "/readyz", h: s.handleReadyz},
		{method: "GET", pattern: "/metrics", h: s.handleMetrics},

		// Static files and map data.
		{method: "GET", pattern: "/assets/{name...}", h: s.handleAsset},
		{method: "GET", pattern: "/peta/{file}", h: s.handleGeoJSON},

		// Pages.
		{method: "GET", pattern: "/{$}", h: s.uiHome},
		{method: "POST", pattern: "/bahasa", h: s.uiSetLanguage},
		{method: "GET", pattern: "/wilayah", h: s.uiRegionList},
		{method: "GET", pattern: "/wilayah/{code}", h: s.uiRegionShow},

		// JSON API.
		{method: "GET", pattern: "/api/v1/openapi.json", h: s.apiOpenAPI, api: true},
		{method: "GET", pattern: "/api/v1/regions", h: s.apiRegionList, api: true},
		{method: "GET", pattern: "/api/v1/regions/{code}", h: s.apiRegionShow, api: true},
	}
}
