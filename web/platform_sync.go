package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/jobs"
)

// handlePlatformSync is the "Sincronizar agora" button of a platform's page:
// it queues a cycle and goes back to the page, saying what really happened.
func (s *Server) handlePlatformSync(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	out, err := s.queueSync(c.UserContext(), p.ID)
	if err != nil {
		return err
	}
	kind := "success"
	if out.State == jobs.SyncRunning || out.State == jobs.SyncWaiting {
		kind = "info"
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), kind, syncOutcomeMessage(out))
}

// syncOutcomeMessage says in Portuguese what "Sincronizar agora" did.
func syncOutcomeMessage(out jobs.SyncOutcome) string {
	switch out.State {
	case jobs.SyncRunning:
		return fmt.Sprintf("Uma importação já está em andamento desde %s; nenhuma outra foi agendada. "+
			"Se o processo que a executava parou, ela é retomada automaticamente até %s.",
			format.DateTime(out.Since), format.DateTime(out.ResumeBy))
	case jobs.SyncWaiting:
		return fmt.Sprintf("Uma importação já está na fila e começa às %s; nenhuma outra foi agendada.", format.DateTime(out.At))
	case jobs.SyncQueued:
		return fmt.Sprintf("Sincronização na fila, atrás de %s: importação de pedidos, envio de estoque e de status.",
			format.Plural(out.Ahead, "tarefa", "tarefas"))
	}
	return "Sincronização iniciada: importação de pedidos, envio de estoque e de status."
}
