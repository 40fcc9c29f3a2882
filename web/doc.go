// Package web is Kolaborasi's one HTTP layer: the route table, the HTML pages
// and the JSON API over the same app calls, middleware (request IDs, logging,
// metrics, security headers, limits), and the single place where error codes
// become HTTP statuses. Templates, message catalogs and assets are embedded.
package web
