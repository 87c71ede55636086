package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
)

// How quickly the work of a dead process is taken up again. A job left
// "running" by a process killed mid-job (kill -9, crash, power) is rescued by
// River's leader once it has been running RescueAfter; River checks every
// 30 s, so after a crash the job runs again at most RescueAfter + 30 s (plus
// a few seconds of scheduling) after it started — before the restart — and
// meanwhile its uniqueness holds back new runs of the same kind. The sum must
// stay within the 2 minutes promised after a crash (TestRecoveryBudget).
//
// JobTimeout bounds every attempt below RescueAfter, so that a live job is
// never rescued while it still works; work longer than that (a burst of
// imports, a full stock push) runs in rounds: the job stops cleanly ahead of
// its timeout and continues in a new round a second later (budget).
const (
	DefaultJobTimeout  = config.DefaultJobTimeout
	DefaultRescueAfter = config.DefaultJobRescueAfter
	// riverRescueInterval is River's fixed JobRescuer interval (not configurable).
	riverRescueInterval = 30 * time.Second
)

// CLIRunLimit is how long a run of `portal sync` (owned by no job) may stay
// "running" before it is taken for dead.
const CLIRunLimit = time.Hour

// CloseDeadSyncRuns closes as interrupted the sync runs whose process died:
// those of job attempts River no longer runs (rescued after a crash), and
// those of `portal sync` older than CLIRunLimit. It runs at start-up and
// every minute with the scheduler.
func CloseDeadSyncRuns(ctx context.Context, st *store.Store) error {
	_, err := st.CloseDeadSyncRuns(ctx, st.Now().Add(-CLIRunLimit))
	return err
}

// roundMargin is how long before its timeout a job working in rounds stops:
// a quarter of its time, at most 15 s.
func roundMargin(timeout time.Duration) time.Duration {
	return min(timeout/4, 15*time.Second)
}

// jobRun is the engine's view of this job attempt, with the time its rounds
// stop at.
func jobRun[T river.JobArgs](ctx context.Context, job *river.Job[T]) syncengine.JobRun {
	var jr syncengine.JobRun
	if job.JobRow != nil {
		jr.ID, jr.Attempt = job.ID, job.Attempt
	}
	if dl, ok := ctx.Deadline(); ok {
		jr.StopBy = dl.Add(-roundMargin(time.Until(dl)))
	}
	return jr
}

// timeLeft reports whether the job's rounds may go on.
func timeLeft(jr syncengine.JobRun) bool {
	return jr.StopBy.IsZero() || time.Now().Before(jr.StopBy)
}
