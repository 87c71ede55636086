package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// RequestObserver records each request's latency by route template
// (internal/metrics implements it for Prometheus).
type RequestObserver interface {
	ObserveRequest(method, route string, status int, d time.Duration)
}

// observe records one request under its route template ("/orders/:id", not
// the raw path, so the series stay few; "/static" for the files under it); a
// request no route matched is recorded as "unmatched".
func (s *Server) observe(c *fiber.Ctx, status int, d time.Duration) {
	if s.requests == nil {
		return
	}
	route := "unmatched"
	// A request only the catch-all middleware (path "/") handled matched no route.
	if r := c.Route(); r != nil && r.Path != "" && (r.Path != "/" || c.Path() == "/") {
		route = r.Path
	}
	s.requests.ObserveRequest(c.Method(), route, status, d)
}
