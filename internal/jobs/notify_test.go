package jobs_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/connectparts/portal/internal/jobs"
)

func TestRetryBackoffDoublesUpToTheCap(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour, time.Hour}
	for i, w := range want {
		if got := jobs.DefaultBackoff.Delay(i + 1); got != w {
			t.Errorf("attempt %d: %s, want %s", i+1, got, w)
		}
	}
	w := &jobs.DeliverWebhookWorker{Backoff: jobs.DefaultBackoff}
	before := time.Now()
	next := w.NextRetry(&river.Job[jobs.DeliverWebhookArgs]{JobRow: &rivertype.JobRow{Attempt: 3}})
	after := time.Now()
	if next.Before(before.Add(2*time.Minute)) || next.After(after.Add(2*time.Minute)) {
		t.Errorf("NextRetry after the third attempt: in %s, want 2 min", next.Sub(before))
	}
	if got := (jobs.DeliverWebhookArgs{}).InsertOpts().MaxAttempts; got != 10 {
		t.Errorf("webhook attempts: %d, want 10", got)
	}
}
