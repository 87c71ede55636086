package jobs

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// ImportOrderArgs imports one order a platform notified (VTEX orders hook,
// Mercado Livre orders_v2/shipments callbacks): the order is fetched from the
// platform and applied, as the feed import would. Unique per platform and
// order while waiting or running: a repeat, or a flood of notifications for
// the same order, makes one job. A notification that arrives while the job
// runs is absorbed too; the polling import, which stays on, catches a change
// made after the fetch.
type ImportOrderArgs struct {
	PlatformID int64  `json:"platform_id"`
	ExternalID string `json:"external_id"`
}

// Kind is the job's stable name.
func (ImportOrderArgs) Kind() string { return "import_order" }

// InsertOpts: unique by args while active; a few retries with backoff.
func (ImportOrderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable,
	}}}
}

// OrderImporter is what ImportOrderWorker needs (syncengine.Service).
type OrderImporter interface {
	ImportOrder(ctx context.Context, platformID int64, externalID string) error
}

// ImportOrderWorker works ImportOrderArgs.
type ImportOrderWorker struct {
	river.WorkerDefaults[ImportOrderArgs]
	Engine OrderImporter
}

// Work imports the order; a rate limit snoozes instead of burning an attempt.
func (w *ImportOrderWorker) Work(ctx context.Context, job *river.Job[ImportOrderArgs]) error {
	return retryLater(w.Engine.ImportOrder(ctx, job.Args.PlatformID, job.Args.ExternalID))
}

// OrderNotified queues the import of one notified order (syncengine.OrderImportQueue).
func (q *Queue) OrderNotified(ctx context.Context, platformID int64, externalID string) error {
	_, err := q.insert(ctx, ImportOrderArgs{PlatformID: platformID, ExternalID: externalID})
	return err
}
