package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

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
