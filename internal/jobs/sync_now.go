package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// SyncState is what "Sincronizar agora" did with the import it asked for.
type SyncState string

// Sync states (the API's "status").
const (
	// SyncStarted: a new import was queued and no job waits ahead of it.
	SyncStarted SyncState = "started"
	// SyncQueued: a new import was queued behind Ahead waiting jobs.
	SyncQueued SyncState = "queued"
	// SyncWaiting: an import of the platform already waits (a retry, a
	// round of a burst); it starts at At.
	SyncWaiting SyncState = "waiting"
	// SyncRunning: an import of the platform already runs, since Since. If
	// the process working it died, River takes it up again by ResumeBy.
	SyncRunning SyncState = "running"
)

// SyncOutcome tells what happened to an immediate cycle's import.
type SyncOutcome struct {
	State    SyncState
	Ahead    int       // SyncQueued: jobs waiting ahead
	Since    time.Time // SyncRunning
	ResumeBy time.Time // SyncRunning
	At       time.Time // SyncWaiting
}

// aheadCap bounds how many waiting jobs "Sincronizar agora" counts ahead of
// its import.
const aheadCap = 1000

// QueueSync queues an immediate cycle for a platform ("Sincronizar agora",
// POST /api/v1/platforms/{name}/sync): an import, which queues the stock
// push when it ends, and a stock push now. An import already waiting or
// running is not queued twice: the outcome says which, and since when.
func (q *Queue) QueueSync(ctx context.Context, platformID int64) (SyncOutcome, error) {
	res, err1 := q.Client.Insert(ctx, ImportPlatformArgs{PlatformID: platformID}, nil)
	_, err2 := q.Client.Insert(ctx, PushStockArgs{PlatformID: platformID}, nil)
	if err := errors.Join(err1, err2); err != nil {
		return SyncOutcome{}, err
	}
	return q.Client.outcome(ctx, res)
}

func (c *Client) outcome(ctx context.Context, res *rivertype.JobInsertResult) (SyncOutcome, error) {
	j := res.Job
	if res.UniqueSkippedAsDuplicate {
		if j.State == rivertype.JobStateRunning && j.AttemptedAt != nil {
			return SyncOutcome{State: SyncRunning, Since: *j.AttemptedAt,
				ResumeBy: j.AttemptedAt.Add(c.rescueAfter + riverRescueInterval)}, nil
		}
		return SyncOutcome{State: SyncWaiting, At: j.ScheduledAt}, nil
	}
	// Only the jobs of its queue inserted before it, at most aheadCap of
	// them: the count stays cheap however long a backlog grows.
	ahead, err := c.river.JobList(ctx, river.NewJobListParams().States(rivertype.JobStateAvailable).
		Queues(j.Queue).Where("id < @id", river.NamedArgs{"id": j.ID}).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(aheadCap))
	if err != nil {
		return SyncOutcome{}, err
	}
	n := len(ahead.Jobs)
	if n == 0 {
		return SyncOutcome{State: SyncStarted}, nil
	}
	return SyncOutcome{State: SyncQueued, Ahead: n}, nil
}
