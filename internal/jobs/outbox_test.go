package jobs_test

import (
	"context"
	"errors"
	"testing"

	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// The outbox's jobs are inserted in one batch in the publishing transaction:
// rolled back, none; committed, one per e-mail and one per delivery, and an
// e-mail whose job still waits is not queued twice.
func TestOutboxJobsAreInsertedInTheTransaction(t *testing.T) {
	db := testdb.MustOpen(t)
	st := store.New(db)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	client, err := jobs.New(db, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := &jobs.Queue{Client: client, Store: st}
	boom := errors.New("desfeito")
	err = st.Tx(ctx, func(ctx context.Context) error {
		if err := q.Outbox(ctx, store.Queued{Emails: []int64{1, 2}, Deliveries: []int64{3}}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if n := countJobs(t, client, jobs.SendEmailArgs{}.Kind()) + countJobs(t, client, jobs.DeliverWebhookArgs{}.Kind()); n != 0 {
		t.Fatalf("rolled-back publish left %d jobs", n)
	}
	for _, out := range []store.Queued{{Emails: []int64{1, 2}, Deliveries: []int64{3}}, {Emails: []int64{2}}} {
		if err := st.Tx(ctx, func(ctx context.Context) error { return q.Outbox(ctx, out) }); err != nil {
			t.Fatal(err)
		}
	}
	if n := countJobs(t, client, jobs.SendEmailArgs{}.Kind()); n != 2 {
		t.Fatalf("send_email jobs: %d, want 2", n)
	}
	if n := countJobs(t, client, jobs.DeliverWebhookArgs{}.Kind()); n != 1 {
		t.Fatalf("deliver_webhook jobs: %d, want 1", n)
	}
}
