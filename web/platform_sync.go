package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// handlePlatformSync is the "Sincronizar agora" button of a platform's page:
// it queues a cycle and goes back to the page.
func (s *Server) handlePlatformSync(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	if s.sync == nil {
		return apperr.Errorf(apperr.EUNAVAILABLE, "A fila de tarefas não está disponível.")
	}
	if err := s.sync.QueueSync(c.UserContext(), p.ID); err != nil {
		return err
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), "success", "Sincronização agendada")
}
