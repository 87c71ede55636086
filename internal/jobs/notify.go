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
