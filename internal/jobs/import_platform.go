package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/syncengine"
)

// ImportPlatformArgs imports one platform's order changes (RunImport), then
// queues a stock push: imported orders reserve stock.
type ImportPlatformArgs struct {
	PlatformID int64 `json:"platform_id"`
}

// Kind is the job's stable name.
func (ImportPlatformArgs) Kind() string { return "import_platform" }

// InsertOpts: one import per platform waiting or running at a time; a failed
// import is retried with River's backoff a few times, and the scheduler
// queues a fresh one at the next interval anyway.
func (ImportPlatformArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: uniqueWhileActive()}
}

// SyncEngine is what the sync jobs need (syncengine.Service).
type SyncEngine interface {
	RunImport(ctx context.Context, platformID int64) (syncengine.RunReport, error)
	PushStock(ctx context.Context, platformID int64, force bool) (syncengine.StockPushReport, error)
	PushStatuses(ctx context.Context, platformID, orderID int64) (int, error)
	DueImports(ctx context.Context) ([]int64, error)
}

// ImportPlatformWorker works ImportPlatformArgs.
type ImportPlatformWorker struct {
	river.WorkerDefaults[ImportPlatformArgs]
	Engine SyncEngine
	Client *Client
}

// Work imports, again at once while the platform says more changes wait, so
// that a burst reaches the suppliers' inboxes in minutes rather than one batch
// per interval; each run (and its Portuguese error) is recorded in sync_runs
// by RunImport whatever happens.
//
// The runs stop ahead of the job's timeout (see recovery.go): when more
// changes wait then, the job continues in a new round a second later.
func (w *ImportPlatformWorker) Work(ctx context.Context, job *river.Job[ImportPlatformArgs]) error {
	jr := jobRun(ctx, job)
	ctx = syncengine.WithJob(ctx, jr)
	rep, err := w.Engine.RunImport(ctx, job.Args.PlatformID)
	n := 1
	for ; err == nil && rep.More && n < syncengine.MaxDrainRuns && ctx.Err() == nil && timeLeft(jr); n++ {
		rep, err = w.Engine.RunImport(ctx, job.Args.PlatformID)
	}
	if w.Client != nil {
		if _, ierr := w.Client.Insert(ctx, PushStockArgs{PlatformID: job.Args.PlatformID}, nil); ierr != nil && err == nil {
			err = ierr
		}
	}
	if err == nil && rep.More && n < syncengine.MaxDrainRuns && !timeLeft(jr) {
		return river.JobSnooze(time.Second)
	}
	return retryLater(err)
}

// uniqueWhileActive makes a job unique by its args among the jobs waiting,
// running or waiting for a retry; finished jobs do not block a new one.
func uniqueWhileActive() river.UniqueOpts {
	return river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable,
	}}
}

// retryLater turns a platform's "try again at" into a snooze, so a rate
// limit does not burn an attempt; other errors go to River's backoff.
func retryLater(err error) error {
	if err == nil {
		return nil
	}
	if d := platform.RetryAfter(err); d > 0 && platform.KindOf(err) == platform.ErrRateLimited {
		return river.JobSnooze(min(d, 15*time.Minute))
	}
	return err
}
