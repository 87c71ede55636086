package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// OutboxRetention is how long sent e-mails and delivered webhook deliveries
// (with their attempts) are kept for the outbox page and the delivery log.
// Held, pending and failed ones are kept until they are dealt with.
const OutboxRetention = 90 * 24 * time.Hour

// PurgeOutboxArgs removes sent e-mails and delivered webhook deliveries older
// than OutboxRetention.
type PurgeOutboxArgs struct{}

// Kind is the job's stable name.
func (PurgeOutboxArgs) Kind() string { return "purge_outbox" }

// InsertOpts makes the job unique: one pending purge at a time.
func (PurgeOutboxArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// OutboxPurger is what the worker needs (the store).
type OutboxPurger interface {
	PurgeOutbox(ctx context.Context, before time.Time) (emails, deliveries int64, err error)
	Now() time.Time
}

// PurgeOutboxWorker works PurgeOutboxArgs.
type PurgeOutboxWorker struct {
	river.WorkerDefaults[PurgeOutboxArgs]
	Purger OutboxPurger
}

// Work purges what is older than the retention.
func (w *PurgeOutboxWorker) Work(ctx context.Context, job *river.Job[PurgeOutboxArgs]) error {
	_, _, err := w.Purger.PurgeOutbox(ctx, w.Purger.Now().Add(-OutboxRetention))
	return err
}
