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

// taskList is every background task in display order. A task with an
// interval is a River periodic job (run by the elected leader only), so the
// page's interval is the schedule itself.
var taskList = []struct {
	args       river.JobArgs
	name       string
	interval   time.Duration
	runOnStart bool
}{
	{SyncScheduleArgs{}, "Agendador de sincronização (importação, estoque e status por plataforma)", SyncScheduleTick, true},
	{ImportPlatformArgs{}, "Importação de pedidos das plataformas", 0, false},
	{PushStockArgs{}, "Envio de estoque disponível às plataformas", 0, false},
	{PushStatusArgs{}, "Envio de status de pedidos às plataformas", 0, false},
	{ReconcileStockArgs{}, "Reconciliação completa de estoque (a do portal prevalece)", 24 * time.Hour, false},
	// Tables take effect at midnight (or at once): people hear of it within a minute.
	{PriceTablesArgs{}, "Tabelas de preço que entram em vigor", time.Minute, true},
	{PurgeSessionsArgs{}, "Limpeza de sessões expiradas", 15 * time.Minute, true},
	{PurgeOutboxArgs{}, "Limpeza de e-mails enviados e entregas de webhook com mais de 90 dias", 24 * time.Hour, true},
	{DeadlineNearArgs{}, "Aviso de prazo de envio próximo (pedidos de compra faturados)", 5 * time.Minute, true},
	{SendEmailArgs{}, "Envio de e-mails", 0, false},
	{DeliverWebhookArgs{}, "Entrega de webhooks aos fornecedores", 0, false},
}

// Periodic is the schedule of the tasks with an interval, for the client's
// Options.Periodic.
func Periodic() []*river.PeriodicJob {
	var out []*river.PeriodicJob
	for _, t := range taskList {
		if t.interval == 0 {
			continue
		}
		args := t.args
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(t.interval),
			func() (river.JobArgs, *river.InsertOpts) { return args, nil },
			&river.PeriodicJobOpts{RunOnStart: t.runOnStart, ID: args.Kind()}))
	}
	return out
}

// Tasks lists every background task with its latest job, read from River's
// job table through River's client.
func (c *Client) Tasks(ctx context.Context) ([]Task, error) {
	out := make([]Task, 0, len(taskList))
	for _, t := range taskList {
		kind := t.args.Kind()
		task := Task{Kind: kind, Name: t.name, Interval: t.interval}
		res, err := c.river.JobList(ctx, river.NewJobListParams().Kinds(kind).
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
