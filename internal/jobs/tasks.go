package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Task is one background task as the "Tarefas agendadas" page shows it.
type Task struct {
	Kind        string
	Name        string        // Portuguese
	Interval    time.Duration // 0: on demand (queued by changes and by the scheduler)
	LastRun     *time.Time    // when the latest job was last worked
	NextRun     *time.Time    // the waiting job's time, or last run + interval
	State       string        // River state of the latest job ("" when it never ran)
	LastError   string        // the latest job's last error, if it failed
	Attempts    int
	MaxAttempts int
}

var taskList = []struct {
	kind, name string
	interval   time.Duration
}{
	{SyncScheduleArgs{}.Kind(), "Agendador de sincronização (importação, estoque e status por plataforma)", time.Minute},
	{ImportPlatformArgs{}.Kind(), "Importação de pedidos das plataformas", 0},
	{PushStockArgs{}.Kind(), "Envio de estoque disponível às plataformas", 0},
	{PushStatusArgs{}.Kind(), "Envio de status de pedidos às plataformas", 0},
	{ReconcileStockArgs{}.Kind(), "Reconciliação completa de estoque (a do portal prevalece)", 24 * time.Hour},
	{PriceTablesArgs{}.Kind(), "Tabelas de preço que entram em vigor", time.Minute},
	{PurgeSessionsArgs{}.Kind(), "Limpeza de sessões expiradas", 15 * time.Minute},
	{PurgeOutboxArgs{}.Kind(), "Limpeza de e-mails enviados e entregas de webhook com mais de 90 dias", 24 * time.Hour},
	{DeadlineNearArgs{}.Kind(), "Aviso de prazo de envio próximo (pedidos de compra faturados)", 5 * time.Minute},
	{SendEmailArgs{}.Kind(), "Envio de e-mails", 0},
	{DeliverWebhookArgs{}.Kind(), "Entrega de webhooks aos fornecedores", 0},
}

// Tasks lists every background task with its latest job, read from River's
// job table through River's client.
func (c *Client) Tasks(ctx context.Context) ([]Task, error) {
	out := make([]Task, 0, len(taskList))
	for _, t := range taskList {
		task := Task{Kind: t.kind, Name: t.name, Interval: t.interval}
		res, err := c.river.JobList(ctx, river.NewJobListParams().Kinds(t.kind).
			OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(1))
		if err != nil {
			return nil, err
		}
		if len(res.Jobs) > 0 {
			j := res.Jobs[0]
			task.State, task.Attempts, task.MaxAttempts = string(j.State), j.Attempt, j.MaxAttempts
			task.LastRun = j.AttemptedAt
			if n := len(j.Errors); n > 0 && j.State != rivertype.JobStateCompleted {
				task.LastError = j.Errors[n-1].Error
			}
			switch j.State {
			case rivertype.JobStateAvailable, rivertype.JobStateScheduled, rivertype.JobStateRetryable, rivertype.JobStatePending:
				at := j.ScheduledAt
				task.NextRun = &at
			default:
				if t.interval > 0 {
					base := j.ScheduledAt
					if j.AttemptedAt != nil {
						base = *j.AttemptedAt
					}
					next := base.Add(t.interval)
					task.NextRun = &next
				}
			}
		}
		out = append(out, task)
	}
	return out, nil
}
