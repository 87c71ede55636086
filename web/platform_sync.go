package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// handlePlatformSync is the "Sincronizar agora" button of a platform's page:
// it queues a cycle and goes back to the page.
func (s *Server) handlePlatformSync(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.store.FindPlatform(ctx, id)
	if err != nil {
		return err
	}
	if s.sync == nil {
		return apperr.Errorf(apperr.EUNAVAILABLE, "A fila de tarefas não está disponível.")
	}
	if err := s.sync.QueueSync(ctx, p.ID); err != nil {
		return err
	}
	flash(c, "success", "Sincronização agendada")
	return c.Redirect("/platforms/"+itoa(p.ID), fiber.StatusSeeOther)
}
