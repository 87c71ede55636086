package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/platform"
)

// handleHookVTEX receives VTEX's orders hook (POST /hooks/vtex/:platform): no
// session, no CSRF — the secret the portal registered with the hook comes back
// in a header. VTEX waits 5 s: the handler only schedules the order's import.
func (s *Server) handleHookVTEX(c *fiber.Ctx) error {
	body, err := hookBody(c)
	if err != nil {
		return hookAnswer(c, err)
	}
	secret := c.Get(platform.HookSecretHeader)
	_, err = s.syncEngine.VTEXNotified(c.UserContext(), c.Params("platform"), secret, body)
	return hookAnswer(c, err)
}
