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
	QueueSync(ctx context.Context, platformID int64) (jobs.SyncOutcome, error)
	Tasks(ctx context.Context) ([]jobs.Task, error)
}

// queueSync queues a sync cycle of the platform (the page's button and the
// API); 503 when the server runs without a task queue.
func (s *Server) queueSync(ctx context.Context, platformID int64) (jobs.SyncOutcome, error) {
	if s.sync == nil {
		return jobs.SyncOutcome{}, apperr.Errorf(apperr.EUNAVAILABLE, "A fila de tarefas não está disponível.")
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
	out, err := s.queueSync(ctx, p.ID)
	if err != nil {
		return err
	}
	body := fiber.Map{"platform": p.Name, "status": string(out.State), "message": syncOutcomeMessage(out)}
	switch out.State {
	case jobs.SyncRunning:
		body["running_since"], body["resume_by"] = out.Since.UTC(), out.ResumeBy.UTC()
	case jobs.SyncWaiting:
		body["starts_at"] = out.At.UTC()
	case jobs.SyncQueued:
		body["jobs_ahead"] = out.Ahead
	}
	return c.Status(fiber.StatusAccepted).JSON(body)
}
