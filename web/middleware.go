package web

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

const localRequestID = "request_id"

// requestID tags each request with an id, echoed in X-Request-Id and the logs.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get("X-Request-Id")
	if id == "" || len(id) > 64 {
		id = randomHex(8)
	} else {
		id = copyString(id)
	}
	c.Locals(localRequestID, id)
	c.Set("X-Request-Id", id)
	return c.Next()
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'")
	if s.cfg.SecureCookie {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

// staticCache lets browsers keep the embedded assets (file names carry versions for vendored ones).
func (s *Server) staticCache(c *fiber.Ctx) error {
	err := c.Next()
	if c.Response().StatusCode() == fiber.StatusOK {
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	}
	return err
}

// logRequests writes one structured line per request.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// the error handler has not run yet; it decides the final status
		if ferr := s.app.Config().ErrorHandler(c, err); ferr != nil {
			s.log.Error("error handler failed", "err", ferr)
		}
		status = c.Response().StatusCode()
		err = nil
	}
	s.observe(c, status, time.Since(start))
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	attrs := []any{
		"method", c.Method(), "path", c.Path(), "status", status,
		"duration_ms", time.Since(start).Milliseconds(), "ip", s.clientIP(c), "request_id", c.Locals(localRequestID),
	}
	if u := currentUser(c); u != nil {
		attrs = append(attrs, "user", u.Email)
	}
	s.log.Log(c.UserContext(), level, "http", attrs...)
	return err
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.log.Error("panic", "path", c.Path(), "panic", fmt.Sprint(e), "request_id", c.Locals(localRequestID))
}
