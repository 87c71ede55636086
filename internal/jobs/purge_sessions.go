package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// PurgeSessionsArgs removes expired sessions and stale login counters.
type PurgeSessionsArgs struct{}

// Kind is the job's stable name.
func (PurgeSessionsArgs) Kind() string { return "purge_sessions" }

// InsertOpts makes the job unique: one pending purge at a time.
func (PurgeSessionsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 10 * time.Minute}}
}

// SessionPurger is what the worker needs (the auth service).
type SessionPurger interface {
	PurgeExpired(ctx context.Context) (int64, error)
}

// PurgeSessionsWorker works PurgeSessionsArgs.
type PurgeSessionsWorker struct {
	river.WorkerDefaults[PurgeSessionsArgs]
	Purger SessionPurger
}

// Work purges.
func (w *PurgeSessionsWorker) Work(ctx context.Context, job *river.Job[PurgeSessionsArgs]) error {
	_, err := w.Purger.PurgeExpired(ctx)
	return err
}
