package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// SendEmailArgs sends one e-mail of the outbox.
type SendEmailArgs struct {
	EmailID int64 `json:"email_id"`
}

// Kind is the job's stable name.
func (SendEmailArgs) Kind() string { return "send_email" }

// InsertOpts: unique per e-mail while active; 8 attempts (about 2 h).
func (SendEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 8, UniqueOpts: uniqueWhileActive()}
}

// EmailSender is what SendEmailWorker needs (notify.Service).
type EmailSender interface {
	SendEmail(ctx context.Context, id int64) error
}

// SendEmailWorker works SendEmailArgs.
type SendEmailWorker struct {
	river.WorkerDefaults[SendEmailArgs]
	Sender  EmailSender
	Backoff Backoff
}

// Work sends; a failure is retried by NextRetry's schedule.
func (w *SendEmailWorker) Work(ctx context.Context, job *river.Job[SendEmailArgs]) error {
	return w.Sender.SendEmail(ctx, job.Args.EmailID)
}

// NextRetry is the exponential backoff.
func (w *SendEmailWorker) NextRetry(job *river.Job[SendEmailArgs]) time.Time {
	return time.Now().Add(w.Backoff.Delay(job.Attempt))
}
