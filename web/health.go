package web

import (
	"github.com/gofiber/fiber/v2"
)

// handleHealth answers while the process runs.
func (s *Server) handleHealth(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}
