package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// PlatformBackoff is the retry schedule of the jobs that talk to a sales
// platform (imports, stock and status pushes): doubling from 2 s, capped at
// 40 s, so that however long the platform was down the work resumes within a
// minute of its return — the cap, up to 4 s of spread (pushes of many orders
// do not all retry in the same second) and River's 5 s scheduling. River's
// default (attempt⁴ seconds) left pushes idle up to 70 minutes after a
// one-hour outage. A job that runs out of attempts during a long outage is
// queued again by the scheduler within a minute, its schedule starting over.
var PlatformBackoff = Backoff{Base: 2 * time.Second, Max: 40 * time.Second}

// platformSpread is the most a retry is delayed beyond PlatformBackoff.
const platformSpread = 4 * time.Second

// platformRetryDelay is the wait after the attempt-th failure of job id.
func platformRetryDelay(id int64, attempt int) time.Duration {
	return PlatformBackoff.Delay(attempt) + time.Duration(id%5)*platformSpread/4
}

// NextRetry follows PlatformBackoff.
func (w *PushStatusWorker) NextRetry(job *river.Job[PushStatusArgs]) time.Time {
	return time.Now().Add(platformRetryDelay(job.ID, job.Attempt))
}

// NextRetry follows PlatformBackoff.
func (w *PushStockWorker) NextRetry(job *river.Job[PushStockArgs]) time.Time {
	return time.Now().Add(platformRetryDelay(job.ID, job.Attempt))
}

// NextRetry follows PlatformBackoff.
func (w *ImportPlatformWorker) NextRetry(job *river.Job[ImportPlatformArgs]) time.Time {
	return time.Now().Add(platformRetryDelay(job.ID, job.Attempt))
}
