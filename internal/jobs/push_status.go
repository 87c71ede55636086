package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// PushStatusArgs sends an order's pending status actions to its platform:
// start handling, cancel, and (with the purchase-order feature) invoice and
// tracking — each action is one case of orders.Service.sendAction, so this
// job needs no change when they come.
type PushStatusArgs struct {
	OrderID int64 `json:"order_id"`
}

// Kind is the job's stable name.
func (PushStatusArgs) Kind() string { return "push_status" }

// InsertOpts: unique by order while active; retried with backoff.
func (PushStatusArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 15, UniqueOpts: uniqueWhileActive()}
}

// PushStatusWorker works PushStatusArgs.
type PushStatusWorker struct {
	river.WorkerDefaults[PushStatusArgs]
	Engine SyncEngine
}

// Work sends; pending actions that failed make the job retry.
func (w *PushStatusWorker) Work(ctx context.Context, job *river.Job[PushStatusArgs]) error {
	_, err := w.Engine.PushStatuses(ctx, 0, job.Args.OrderID)
	return retryLater(err)
}
