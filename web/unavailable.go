package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// retryAfterSeconds is what a 503 asks clients to wait.
const retryAfterSeconds = "30"

// unavailableMessage is what every page and the API say while the database
// is down.
const unavailableMessage = "O portal está temporariamente indisponível; tente novamente em instantes."

// asOutage turns an internal error into 503 "temporariamente indisponível"
// when the database does not answer: a failure while the database is down is
// the outage, not a bug, and the request may simply be repeated.
func (s *Server) asOutage(ctx context.Context, err error) error {
	if s.ready == nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if rerr := s.ready.Ready(ctx); rerr == nil {
		return err
	}
	return apperr.Wrap(err, apperr.EUNAVAILABLE, unavailableMessage)
}

// handleReady answers 200 only when the database answers and the schema is
// current. It tells callers nothing more (the reason goes to the log: it
// names the database's host, user and name).
func (s *Server) handleReady(c *fiber.Ctx) error {
	if err := s.ready.Ready(c.UserContext()); err != nil {
		s.log.Warn("not ready", "error", err)
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
