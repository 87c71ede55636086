package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/jobs"
)

// SyncQueue queues sync cycles and lists the background tasks (jobs.Queue
// and jobs.Client in the application).
type SyncQueue interface {
	QueueSync(ctx context.Context, platformID int64) error
	Tasks(ctx context.Context) ([]jobs.Task, error)
}

// queueSync queues a sync cycle of the platform (the page's button and the
// API); 503 when the server runs without a task queue.
func (s *Server) queueSync(ctx context.Context, platformID int64) error {
	if s.sync == nil {
		return apperr.Errorf(apperr.EUNAVAILABLE, "A fila de tarefas não está disponível.")
	}
	return s.sync.QueueSync(ctx, platformID)
}

// handleAPIPlatformSync queues an immediate sync cycle of the platform
// (import, stock push, status push): 202, the cycle runs in the background.
func (s *Server) handleAPIPlatformSync(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := s.store.FindPlatformByName(ctx, copyString(c.Params("name")))
	if err != nil {
		return err
	}
	if err := s.queueSync(ctx, p.ID); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{
		"platform": p.Name, "status": "queued",
		"message": "Sincronização agendada: importação de pedidos, envio de estoque e de status.",
	})
}
