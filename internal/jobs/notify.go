package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/connectparts/portal/internal/store"
)

// Backoff is the exponential retry schedule of e-mails and webhook
// deliveries: Base after the first failure, doubling, capped at Max
// (30 s, 1 min, 2 min, 4 min … 1 h by default).
type Backoff struct {
	Base time.Duration
	Max  time.Duration
}

// DefaultBackoff is the production schedule.
var DefaultBackoff = Backoff{Base: 30 * time.Second, Max: time.Hour}

// Delay is the wait after the attempt-th failed attempt (1-based).
func (b Backoff) Delay(attempt int) time.Duration {
	if b.Base <= 0 {
		b = DefaultBackoff
	}
	d := b.Base
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

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

// DeliverWebhookArgs makes one attempt of a webhook delivery.
type DeliverWebhookArgs struct {
	DeliveryID int64 `json:"delivery_id"`
}

// Kind is the job's stable name.
func (DeliverWebhookArgs) Kind() string { return "deliver_webhook" }

// InsertOpts: 10 attempts (about 4 h). Not unique: "Reenviar agora" must
// run at once even while an automatic retry waits; the worker skips a
// delivery already delivered, and receivers dedupe by X-Portal-Delivery.
func (DeliverWebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10}
}

// WebhookDeliverer is what DeliverWebhookWorker needs (notify.Service).
type WebhookDeliverer interface {
	DeliverWebhook(ctx context.Context, id int64) error
}

// DeliverWebhookWorker works DeliverWebhookArgs.
type DeliverWebhookWorker struct {
	river.WorkerDefaults[DeliverWebhookArgs]
	Deliverer WebhookDeliverer
	Backoff   Backoff
}

// Work attempts the delivery; no 2xx answer is retried by NextRetry's schedule.
func (w *DeliverWebhookWorker) Work(ctx context.Context, job *river.Job[DeliverWebhookArgs]) error {
	return w.Deliverer.DeliverWebhook(ctx, job.Args.DeliveryID)
}

// NextRetry is the exponential backoff.
func (w *DeliverWebhookWorker) NextRetry(job *river.Job[DeliverWebhookArgs]) time.Time {
	return time.Now().Add(w.Backoff.Delay(job.Attempt))
}

// Timeout leaves room for the 10 s POST.
func (w *DeliverWebhookWorker) Timeout(*river.Job[DeliverWebhookArgs]) time.Duration {
	return time.Minute
}

// Outbox queues, in the transaction of ctx, the jobs that send what
// store.Publish put in the outbox (the store's publishing queue), in one
// batch: "Enviar os e-mails retidos" queues up to 1,000 at once. The ids are
// distinct rows (River refuses a unique key twice in one batch); an e-mail
// whose job still waits is skipped, as with single inserts.
func (q *Queue) Outbox(ctx context.Context, out store.Queued) error {
	params := make([]river.InsertManyParams, 0, len(out.Emails)+len(out.Deliveries))
	for _, id := range out.Emails {
		params = append(params, river.InsertManyParams{Args: SendEmailArgs{EmailID: id}})
	}
	for _, id := range out.Deliveries {
		params = append(params, river.InsertManyParams{Args: DeliverWebhookArgs{DeliveryID: id}})
	}
	return q.insertMany(ctx, params)
}

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
