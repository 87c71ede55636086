package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/syncengine"
)

// PushStockArgs sends one platform the available stock of every product that
// changed since it was last told (orders.Service.PushStock). Unique per
// platform while waiting: 10,000 stock movements leave one pending job per
// platform, and that job makes at most one SetStock call per product. Force
// re-sends every product (the daily reconciliation: the portal wins over
// edits made on the platform).
type PushStockArgs struct {
	PlatformID int64 `json:"platform_id"`
	Force      bool  `json:"force,omitempty"`
}

// Kind is the job's stable name.
func (PushStockArgs) Kind() string { return "push_stock" }

// InsertOpts: unique by args while active; retried with backoff.
func (PushStockArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, UniqueOpts: uniqueWhileActive()}
}

// PushStockWorker works PushStockArgs.
type PushStockWorker struct {
	river.WorkerDefaults[PushStockArgs]
	Engine SyncEngine
	// Pending reports whether changes arrived while the job ran (their own
	// insert was absorbed by this running job's uniqueness).
	Pending func(ctx context.Context, platformID int64) (bool, error)
	// Client queues the rest of a forced push that ran out of time.
	Client *Client
}

// Work pushes; when changes came in meanwhile it runs again a second later.
// A push that ran out of time (see recovery.go) continues in a new round: the
// same job a second later, or, after a forced push has marked every product,
// an ordinary push of what is left.
func (w *PushStockWorker) Work(ctx context.Context, job *river.Job[PushStockArgs]) error {
	ctx = syncengine.WithJob(ctx, jobRun(ctx, job))
	rep, err := w.Engine.PushStock(ctx, job.Args.PlatformID, job.Args.Force)
	if err != nil {
		return retryLater(err)
	}
	if rep.More {
		if !job.Args.Force {
			return river.JobSnooze(time.Second)
		}
		if w.Client == nil {
			return nil // the scheduler pushes the rest within a minute
		}
		_, err := w.Client.Insert(ctx, PushStockArgs{PlatformID: job.Args.PlatformID}, nil)
		return err
	}
	if w.Pending != nil {
		more, err := w.Pending(ctx, job.Args.PlatformID)
		if err != nil {
			return err
		}
		if more {
			return river.JobSnooze(time.Second)
		}
	}
	return nil
}
