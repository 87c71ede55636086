package jobs

import (
	"testing"
	"time"
)

// resumeAfter runs a push job on a test clock through a platform outage of
// the given length that starts with the job's first attempt, and returns how
// long after the platform's return the next attempt (the one that succeeds)
// is made. River moves a job due for retry to the queue every 5 s; a job out
// of attempts is discarded and the scheduler queues a new one at its next
// minute.
func resumeAfter(outage time.Duration, id int64, maxAttempts int, delay func(id int64, attempt int) time.Duration) time.Duration {
	const riverScheduling, schedulerTick = 5*time.Second + 500*time.Millisecond, time.Minute
	clock, attempt := time.Duration(0), 1 // the first attempt fails as the outage starts
	for clock < outage {
		if attempt >= maxAttempts {
			clock = (clock/schedulerTick + 1) * schedulerTick
			attempt = 1
			continue
		}
		clock += delay(id, attempt) + riverScheduling
		attempt++
	}
	return clock - outage
}

// Pushes resume within a minute of the platform's return, whatever the
// outage's length (1 s to 3 h, a one-hour one among them).
func TestPushesResumeWithinAMinuteOfAnOutage(t *testing.T) {
	kinds := map[string]int{
		"push_status": PushStatusArgs{}.InsertOpts().MaxAttempts,
		"push_stock":  PushStockArgs{}.InsertOpts().MaxAttempts,
	}
	for kind, maxAttempts := range kinds {
		worst := time.Duration(0)
		for outage := time.Second; outage <= 3*time.Hour; outage += 7 * time.Second {
			for id := int64(1); id <= 5; id++ {
				worst = max(worst, resumeAfter(outage, id, maxAttempts, platformRetryDelay))
			}
		}
		if worst > time.Minute {
			t.Errorf("%s: resumes up to %s after the platform's return, want ≤ 1 min", kind, worst)
		}
		hour := time.Duration(0)
		for outage := time.Hour; outage < time.Hour+2*time.Minute; outage += time.Second {
			hour = max(hour, resumeAfter(outage, 3, maxAttempts, platformRetryDelay))
		}
		if hour > time.Minute {
			t.Errorf("%s: resumes up to %s after a one-hour outage", kind, hour)
		}
		t.Logf("%s: after a one-hour outage resumes within %s (worst over 1 s–3 h: %s)", kind, hour, worst)
	}
	// River's default schedule (attempt⁴ s), which the status pushes followed
	// before (15 attempts, then the scheduler).
	fourth := func(_ int64, a int) time.Duration { return time.Duration(a*a*a*a) * time.Second }
	before := time.Duration(0)
	for outage := time.Hour; outage < time.Hour+2*time.Minute; outage += time.Second {
		before = max(before, resumeAfter(outage, 3, 15, fourth))
	}
	t.Logf("before (attempt⁴ s): a one-hour outage resumed up to %s after the return", before)
}
