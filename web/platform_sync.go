package web

import (
	"github.com/gofiber/fiber/v2"
)

// handlePlatformSync is the "Sincronizar agora" button of a platform's page:
// it queues a cycle and goes back to the page.
func (s *Server) handlePlatformSync(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	if err := s.queueSync(c.UserContext(), p.ID); err != nil {
		return err
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), "success", "Sincronização agendada")
}
