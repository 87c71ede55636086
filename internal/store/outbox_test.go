package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

type outboxCounts struct{ emails, deliveries int64 }

func countOutbox(t *testing.T, st *store.Store, ctx context.Context, supplierID int64) outboxCounts {
	t.Helper()
	var c outboxCounts
	var err error
	if _, c.emails, err = st.SearchEmails(ctx, store.EmailFilter{}, store.Page{}); err != nil {
		t.Fatal(err)
	}
	if _, c.deliveries, err = st.ListDeliveries(ctx, supplierID, store.Page{}); err != nil {
		t.Fatal(err)
	}
	return c
}

// Publish writes the in-app notification, one e-mail per recipient and the
// webhook delivery in the caller's transaction, and queues their jobs there;
// when that transaction rolls back, nothing of it is left.
func TestPublishWritesOutboxInTheCallersTransaction(t *testing.T) {
	f := newProductFixture(t)
	st, ctx := f.st, f.ctx
	var users []*model.User
	for i, email := range []string{"ana@freios.test", "bia@freios.test"} {
		u := &model.User{Email: email, Name: []string{"Ana", "Bia"}[i], Role: model.RoleSupplier, SupplierID: &f.a.ID, Active: true, PasswordHash: "x"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	inactive := &model.User{Email: "ex@freios.test", Name: "Ex", Role: model.RoleSupplier, SupplierID: &f.a.ID, Active: false, PasswordHash: "x"}
	other := &model.User{Email: "outro@b.test", Name: "Outro", Role: model.RoleSupplier, SupplierID: &f.b.ID, Active: true, PasswordHash: "x"}
	for _, u := range []*model.User{inactive, other} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	wh := &model.Webhook{SupplierID: f.a.ID, URL: "https://erp.freios.test/hook", Events: model.EventPOCreated, SecretSealed: "v1:x", Active: true}
	if err := st.SaveWebhook(ctx, wh, true); err != nil {
		t.Fatal(err)
	}
	var queued []store.Queued
	st = store.NewWith(f.db, store.Options{Publishing: store.PublishOptions{BaseURL: "https://portal.connectparts.test", Mail: true, Queue: func(ctx context.Context, q store.Queued) error {
		if _, ok := store.SQLTx(ctx); !ok {
			t.Error("jobs queued outside the publishing transaction")
		}
		queued = append(queued, q)
		return nil
	}}})
	ev := model.Event{
		Kind: model.EventPOCreated, Audience: model.Audience{SupplierID: &f.a.ID}, SupplierID: &f.a.ID,
		Message: "Novo pedido de compra PC-000007.", Link: "/purchase-orders/PC-000007",
		Data: map[string]any{"purchase_order": map[string]any{"number": "PC-000007"}},
	}

	// Rolled back: nothing stays.
	boom := errors.New("boom")
	err := st.Tx(ctx, func(ctx context.Context) error {
		if err := st.Publish(ctx, ev); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("tx: %v", err)
	}
	if c := countOutbox(t, st, ctx, f.a.ID); c.emails != 0 || c.deliveries != 0 {
		t.Fatalf("after rollback: %+v", c)
	}
	if n, _ := st.CountUnreadNotifications(ctx, users[0].ID); n != 0 {
		t.Fatalf("after rollback: %d notifications", n)
	}

	// Committed: a notification and an e-mail per active user of the
	// supplier, one delivery, all queued in the transaction.
	queued = nil
	if err := st.Tx(ctx, func(ctx context.Context) error { return st.Publish(ctx, ev) }); err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if n, _ := st.CountUnreadNotifications(ctx, u.ID); n != 1 {
			t.Errorf("%s: %d notifications, want 1", u.Email, n)
		}
	}
	emails, _, err := st.SearchEmails(ctx, store.EmailFilter{Kind: model.EventPOCreated}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(emails) != 2 {
		t.Fatalf("e-mails: %d, want 2 (active users of the supplier only)", len(emails))
	}
	for _, e := range emails {
		if e.Status != model.EmailPending || !strings.Contains(e.Subject, "PC-000007") ||
			!strings.Contains(e.Body, "https://portal.connectparts.test/purchase-orders/PC-000007") || !strings.HasSuffix(e.ToAddr, "@freios.test") {
			t.Errorf("e-mail: %+v", e)
		}
	}
	deliveries, _, err := st.ListDeliveries(ctx, f.a.ID, store.Page{})
	if err != nil || len(deliveries) != 1 {
		t.Fatalf("deliveries: %v %d", err, len(deliveries))
	}
	if d := deliveries[0]; d.Link != "https://portal.connectparts.test/purchase-orders/PC-000007" || !strings.Contains(d.Data, `"PC-000007"`) || d.Status != model.DeliveryPending {
		t.Errorf("delivery: %+v", d)
	}
	if len(queued) != 1 || len(queued[0].Emails) != 2 || len(queued[0].Deliveries) != 1 || queued[0].Deliveries[0] != deliveries[0].ID {
		t.Fatalf("queued: %+v", queued)
	}

	// An event the webhook does not subscribe to: no delivery. Without SMTP
	// the e-mails are held and no job is queued for them.
	st = store.NewWith(f.db, store.Options{Publishing: store.PublishOptions{Queue: func(ctx context.Context, q store.Queued) error { queued = append(queued, q); return nil }}})
	queued = nil
	ev.Kind = model.EventPOBilled
	if err := st.Publish(ctx, ev); err != nil {
		t.Fatal(err)
	}
	held, _, _ := st.SearchEmails(ctx, store.EmailFilter{Status: model.EmailHeld}, store.Page{})
	if len(held) != 2 || !strings.Contains(held[0].Body, "http://localhost:8080/purchase-orders/PC-000007") {
		t.Fatalf("held e-mails: %+v", held)
	}
	if c := countOutbox(t, st, ctx, f.a.ID); c.deliveries != 1 {
		t.Fatalf("deliveries after an unsubscribed event: %d", c.deliveries)
	}
	if len(queued) != 0 {
		t.Fatalf("queued without SMTP or subscription: %+v", queued)
	}
}

// The purge removes sent e-mails and delivered deliveries (with their
// attempts) older than the instant, and nothing that still needs attention.
func TestPurgeOutboxKeepsWhatNeedsAttention(t *testing.T) {
	f := newProductFixture(t)
	st, ctx := f.st, f.ctx
	u := &model.User{Email: "ana@freios.test", Name: "Ana", Role: model.RoleSupplier, SupplierID: &f.a.ID, Active: true, PasswordHash: "x"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	wh := &model.Webhook{SupplierID: f.a.ID, URL: "https://erp.freios.test/hook", Events: model.EventPOCreated, SecretSealed: "v1:x", Active: true}
	if err := st.SaveWebhook(ctx, wh, true); err != nil {
		t.Fatal(err)
	}
	st = store.NewWith(f.db, store.Options{Publishing: store.PublishOptions{Mail: true, Queue: func(context.Context, store.Queued) error { return nil }}})
	ev := model.Event{Kind: model.EventPOCreated, Audience: model.Audience{SupplierID: &f.a.ID}, SupplierID: &f.a.ID, Message: "Novo pedido.", Link: "/purchase-orders/PC-1"}
	for range 2 {
		if err := st.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	emails, _, _ := st.SearchEmails(ctx, store.EmailFilter{}, store.Page{})
	deliveries, _, _ := st.ListDeliveries(ctx, f.a.ID, store.Page{})
	if len(emails) != 2 || len(deliveries) != 2 {
		t.Fatalf("%d e-mails, %d deliveries", len(emails), len(deliveries))
	}
	// One of each done (sent, delivered), the other failed.
	if err := st.RecordEmailAttempt(ctx, emails[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordEmailAttempt(ctx, emails[1].ID, errors.New("550 caixa cheia")); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordWebhookAttempt(ctx, &model.WebhookAttempt{DeliveryID: deliveries[0].ID, AttemptedAt: st.Now(), StatusCode: 200}, true); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordWebhookAttempt(ctx, &model.WebhookAttempt{DeliveryID: deliveries[1].ID, AttemptedAt: st.Now(), StatusCode: 500}, false); err != nil {
		t.Fatal(err)
	}

	if e, d, err := st.PurgeOutbox(ctx, st.Now().Add(-time.Hour)); err != nil || e != 0 || d != 0 {
		t.Fatalf("purge of nothing old: %d %d %v", e, d, err)
	}
	e, d, err := st.PurgeOutbox(ctx, st.Now().Add(time.Hour))
	if err != nil || e != 1 || d != 1 {
		t.Fatalf("purge: %d e-mails, %d deliveries, %v; want 1 1", e, d, err)
	}
	if c := countOutbox(t, st, ctx, f.a.ID); c.emails != 1 || c.deliveries != 1 {
		t.Fatalf("left %+v, want the failed e-mail and delivery", c)
	}
	if left, _ := st.ListAttempts(ctx, deliveries[0].ID); len(left) != 0 {
		t.Errorf("%d attempts of a purged delivery left", len(left))
	}
	if left, _ := st.ListAttempts(ctx, deliveries[1].ID); len(left) != 1 {
		t.Errorf("the failed delivery lost its attempts: %d", len(left))
	}
}
