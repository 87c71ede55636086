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
	pending, err := w.Store.PendingStatusPushes(ctx, 0, 0)
	if err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, sp := range pending {
		if !seen[sp.OrderID] {
			seen[sp.OrderID] = true
			_, err := w.Client.Insert(ctx, PushStatusArgs{OrderID: sp.OrderID}, nil)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
