package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// DeadlineNearArgs warns suppliers whose billed POs are close to the
// ship-by deadline.
type DeadlineNearArgs struct{}

// Kind is the job's stable name.
func (DeadlineNearArgs) Kind() string { return "deadline_near" }

// InsertOpts: one per period.
func (DeadlineNearArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: 5 * time.Minute}}
}

// DeadlineWarner is what DeadlineNearWorker needs (purchasing.Service).
type DeadlineWarner interface {
	WarnDeadlines(ctx context.Context) (int, error)
}

// DeadlineNearWorker works DeadlineNearArgs.
type DeadlineNearWorker struct {
	river.WorkerDefaults[DeadlineNearArgs]
	Warner DeadlineWarner
}

// Work warns.
func (w *DeadlineNearWorker) Work(ctx context.Context, job *river.Job[DeadlineNearArgs]) error {
	_, err := w.Warner.WarnDeadlines(ctx)
	return err
}
