package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/views"
)

// handleTaskList is "Tarefas agendadas": every background task, its
// interval, last and next run and the latest result.
func (s *Server) handleTaskList(c *fiber.Ctx) error {
	if s.sync == nil {
		return apperr.Errorf(apperr.EUNAVAILABLE, "A fila de tarefas não está disponível.")
	}
	tasks, err := s.sync.Tasks(c.UserContext())
	if err != nil {
		return err
	}
	rows := make([]views.TaskRow, 0, len(tasks))
	for _, t := range tasks {
		rows = append(rows, taskRow(t))
	}
	platforms, err := s.platformImportRows(c)
	if err != nil {
		return err
	}
	return s.render(c, views.TasksPage(views.TasksProps{Tasks: rows, Imports: platforms}))
}

// platformImportRows is the order import of each platform, scheduled by the
// sync robot every import interval.
func (s *Server) platformImportRows(c *fiber.Ctx) ([]views.TaskRow, error) {
	ctx := c.UserContext()
	list, err := s.store.ListPlatforms(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]views.TaskRow, 0, len(list))
	for _, p := range list {
		interval := time.Duration(p.ImportIntervalSeconds) * time.Second
		r := views.TaskRow{Kind: "import-" + itoa(p.ID), Name: "Importação de pedidos — " + p.Name, Interval: "a cada " + intervalText(interval)}
		run, err := s.store.LatestSyncRun(ctx, p.ID, model.SyncKindImport)
		switch {
		case apperr.Is(err, apperr.ENOTFOUND):
			r.Result = "Ainda não executada"
		case err != nil:
			return nil, err
		default:
			started, next := run.StartedAt, run.StartedAt.Add(interval)
			r.LastRun, r.NextRun = &started, &next
			switch run.Status {
			case model.SyncOK:
				r.Result = "Concluída: " + format.Plural(run.Imported, "importado", "importados") + ", " +
					format.Plural(run.Updated, "atualizado", "atualizados") + ", " + format.Plural(run.Blocked, "bloqueado", "bloqueados")
			case model.SyncFailed:
				r.Result, r.Failed, r.Error = "Falhou; será tentada de novo", true, run.ErrorMessage
			case model.SyncInterrupted:
				r.Result, r.Failed, r.Error = "Interrompida; será tentada de novo", true, run.ErrorMessage
			default:
				r.Result = "Em execução"
			}
		}
		if !p.Enabled {
			r.Result, r.NextRun = "Plataforma desativada", nil
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func taskRow(t jobs.Task) views.TaskRow {
	r := views.TaskRow{Kind: t.Kind, Name: t.Name, LastRun: t.LastRun, NextRun: t.NextRun, Error: t.LastError}
	r.Interval = "sob demanda"
	if t.Interval > 0 {
		r.Interval = "a cada " + intervalText(t.Interval)
	}
	switch t.State {
	case "":
		r.Result = "Ainda não executada"
	case "completed":
		r.Result = "Concluída"
	case "running":
		r.Result = "Em execução"
	case "available", "pending":
		r.Result = "Aguardando"
	case "scheduled":
		r.Result = "Agendada"
	case "retryable":
		r.Result, r.Failed = fmt.Sprintf("Falhou (tentativa %d de %d); nova tentativa agendada", t.Attempts, t.MaxAttempts), true
	case "discarded":
		r.Result, r.Failed = "Falhou; tentativas esgotadas", true
	case "cancelled":
		r.Result, r.Failed = "Cancelada", true
	default:
		r.Result = t.State
	}
	return r
}

func intervalText(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d >= time.Second && d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}
