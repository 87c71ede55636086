package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/store"
)

// SyncScheduleArgs is the sync robot's clock. Every tick it queues an
// import for each enabled platform whose import interval has elapsed since
// its last import run (so the interval edited on the platform page applies
// without a restart, which River periodic jobs built at start would not),
// a stock push for platforms with products waiting, and the status pushes
// still pending (their own jobs may have run out of attempts).
type SyncScheduleArgs struct{}

// Kind is the job's stable name.
func (SyncScheduleArgs) Kind() string { return "sync_schedule" }

// SyncScheduleTick is the robot's period. An import becomes due one import
// interval (1 min by default) after the last one started; with a one-minute
// tick it then waited up to another minute for the next tick (a "sync now"
// or a drain shifts the phase), so an order paid just after an import could
// wait almost two minutes — the polling path must keep the PO within 70 s
// when the platform's notifications are off. The tick's own work is a few
// indexed queries.
const SyncScheduleTick = 5 * time.Second

// InsertOpts: one per tick.
func (SyncScheduleArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: SyncScheduleTick}}
}

// SyncScheduleWorker works SyncScheduleArgs.
type SyncScheduleWorker struct {
	river.WorkerDefaults[SyncScheduleArgs]
	Engine SyncEngine
	Store  *store.Store
	Client *Client
}

// statusPushesPerTick caps the status-push jobs one tick queues.
const statusPushesPerTick = 500

// Work closes the runs of dead processes (on the first tick of each minute:
// the sweep reads river_job, and the scheduler ticks every 5 s), then
// queues what is due.
func (w *SyncScheduleWorker) Work(ctx context.Context, job *river.Job[SyncScheduleArgs]) error {
	if time.Now().Second() < int(SyncScheduleTick/time.Second) {
		if err := CloseDeadSyncRuns(ctx, w.Store); err != nil {
			return err
		}
	}
	due, err := w.Engine.DueImports(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range due {
		_, err := w.Client.Insert(ctx, ImportPlatformArgs{PlatformID: id}, nil)
		errs = append(errs, err)
	}
	if _, err := w.Store.DrainStockChanges(ctx); err != nil {
		return err
	}
	ids, err := w.Store.EnabledPlatformIDs(ctx)
	if err != nil {
		return err
	}
	dirty, err := w.Store.DirtyStockByPlatform(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if dirty[id] > 0 {
			_, err := w.Client.Insert(ctx, PushStockArgs{PlatformID: id}, nil)
			errs = append(errs, err)
		}
	}
	// One statement for the orders with actions waiting (their jobs are
	// unique while active, so those already queued or retrying are skipped),
	// at most statusPushesPerTick a tick: a long outage leaves thousands.
	orders, err := w.Store.PendingStatusPushOrders(ctx, statusPushesPerTick)
	if err != nil {
		return err
	}
	if len(orders) > 0 {
		params := make([]river.InsertManyParams, len(orders))
		for i, id := range orders {
			params[i] = river.InsertManyParams{Args: PushStatusArgs{OrderID: id}}
		}
		_, err := w.Client.river.InsertMany(ctx, params)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
