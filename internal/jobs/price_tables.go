package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// PriceTablesArgs announces price tables that entered into force and discards
// stale drafts. The price in force never depends on this job (it is derived
// from effective dates); the job only tells people.
type PriceTablesArgs struct{}

// Kind is the job's stable name.
func (PriceTablesArgs) Kind() string { return "price_tables" }

// InsertOpts makes the job unique: one pending run at a time.
func (PriceTablesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Minute}}
}

// PriceTableKeeper is what the worker needs (the price-table service).
type PriceTableKeeper interface {
	Announce(ctx context.Context) (int, error)
	PurgeDrafts(ctx context.Context) (int, error)
}

// PriceTablesWorker works PriceTablesArgs.
type PriceTablesWorker struct {
	river.WorkerDefaults[PriceTablesArgs]
	Keeper PriceTableKeeper
}

// Work announces, then purges.
func (w *PriceTablesWorker) Work(ctx context.Context, job *river.Job[PriceTablesArgs]) error {
	if _, err := w.Keeper.Announce(ctx); err != nil {
		return err
	}
	_, err := w.Keeper.PurgeDrafts(ctx)
	return err
}
