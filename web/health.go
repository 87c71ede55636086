package web

import (
	"github.com/gofiber/fiber/v2"
)

// handleHealth answers while the process runs.
func (s *Server) handleHealth(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// handleReady answers 200 only when the database answers and the schema is current.
func (s *Server) handleReady(c *fiber.Ctx) error {
	if err := s.ready.Ready(c.UserContext()); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "reason": err.Error()})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
