package syncengine

import (
	"context"
	"time"
)

// JobRun names the background job attempt working a context.
type JobRun struct {
	ID      int64
	Attempt int
	// StopBy is when work done in rounds (a stock push, product after
	// product) stops cleanly and leaves the rest for the job's next round,
	// ahead of the job's timeout; zero: no limit.
	StopBy time.Time
}

type jobKey struct{}

// WithJob marks ctx as worked by one attempt of a background job: the sync
// runs recorded under it name that attempt, so that a run whose process died
// is closed once the attempt is no longer running (store.CloseDeadSyncRuns),
// while the runs of live attempts, on any instance, stay open.
func WithJob(ctx context.Context, j JobRun) context.Context {
	return context.WithValue(ctx, jobKey{}, j)
}

// ownRun stamps a new run with the job attempt carried by ctx, if any, and
// closes the runs an earlier attempt of the same job left open: the job runs
// again because River rescued it from a process that died.
func (s *Service) ownRun(ctx context.Context, jobID **int64, attempt *int) error {
	j, ok := ctx.Value(jobKey{}).(JobRun)
	if !ok {
		return nil
	}
	id := j.ID
	*jobID, *attempt = &id, j.Attempt
	if j.Attempt > 1 {
		return s.store.CloseEarlierAttemptRuns(ctx, j.ID, j.Attempt)
	}
	return nil
}

// outOfTime reports whether the job working ctx should stop its rounds now.
func outOfTime(ctx context.Context) bool {
	j, ok := ctx.Value(jobKey{}).(JobRun)
	return ok && !j.StopBy.IsZero() && !time.Now().Before(j.StopBy)
}
