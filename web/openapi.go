package web

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPI describes /api/v1. A test checks that it documents exactly the
// routes the server registers, so it cannot drift from the code.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(openAPI)
}
