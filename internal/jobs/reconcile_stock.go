package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/store"
)

// ReconcileStockArgs re-sends every product's available stock to every
// enabled platform once a day (a forced PushStockArgs per platform): the
// portal's stock is the source of truth, so edits made on the platform's
// side are overwritten even when nothing changed here.
type ReconcileStockArgs struct{}

// Kind is the job's stable name.
func (ReconcileStockArgs) Kind() string { return "reconcile_stock" }

// InsertOpts: one per hour at most.
func (ReconcileStockArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// ReconcileStockWorker works ReconcileStockArgs.
type ReconcileStockWorker struct {
	river.WorkerDefaults[ReconcileStockArgs]
	Store  *store.Store
	Client *Client
}

// Work queues the forced pushes.
func (w *ReconcileStockWorker) Work(ctx context.Context, job *river.Job[ReconcileStockArgs]) error {
	ids, err := w.Store.EnabledPlatformIDs(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		_, err := w.Client.Insert(ctx, PushStockArgs{PlatformID: id, Force: true}, nil)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
