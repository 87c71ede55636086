package purchasing_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/store"
)

func TestDeadlineWarningWindow(t *testing.T) {
	for hours, want := range map[int]time.Duration{24: 4 * time.Hour, 48: 4 * time.Hour, 8: 2 * time.Hour, 0: 4 * time.Hour, 2: 30 * time.Minute} {
		if got := purchasing.DeadlineWarning(hours); got != want {
			t.Errorf("DeadlineWarning(%d) = %s, want %s", hours, got, want)
		}
	}
}

// A billed PO is warned once, when its ship-by deadline is 4 hours away,
// with the in-app notification, an e-mail to the supplier's users and a
// webhook delivery.
func TestWarnDeadlinesOncePerPO(t *testing.T) {
	e, po := fiscalEnv(t)
	u := &model.User{Email: "expedicao@freios.test", Name: "Expedição", Role: model.RoleSupplier, SupplierID: &e.a.ID, Active: true, PasswordHash: "x"}
	if err := e.st.CreateUser(e.ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SaveWebhook(e.ctx, &model.Webhook{SupplierID: e.a.ID, URL: "https://erp.test/h", Events: model.EventPODeadlineNear, SecretSealed: "v1:x", Active: true}, true); err != nil {
		t.Fatal(err)
	}
	e.bill(po)
	billed, err := e.st.FindPurchaseOrderByNumber(e.ctx, po.Number)
	if err != nil {
		t.Fatal(err)
	}
	deadline := *billed.ShipDeadline()
	warn := func() int {
		t.Helper()
		n, err := e.svc.WarnDeadlines(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	e.now = deadline.Add(-4*time.Hour - time.Minute)
	if n := warn(); n != 0 {
		t.Fatalf("warned %d PO(s) 4 h 1 min before the deadline", n)
	}
	e.now = deadline.Add(-4 * time.Hour)
	if n := warn(); n != 1 {
		t.Fatalf("warned %d PO(s) 4 h before the deadline, want 1", n)
	}
	e.now = deadline.Add(-time.Hour)
	if n := warn(); n != 0 {
		t.Fatalf("warned again: %d", n)
	}
	emails, _, err := e.st.SearchEmails(e.ctx, store.EmailFilter{Kind: model.EventPODeadlineNear}, store.Page{})
	if err != nil || len(emails) != 1 || emails[0].ToAddr != u.Email || !contains(emails[0].Subject, po.Number) {
		t.Fatalf("deadline e-mails: %v %+v", err, emails)
	}
	deliveries, _, err := e.st.ListDeliveries(e.ctx, e.a.ID, store.Page{})
	if err != nil || len(deliveries) != 1 || deliveries[0].Event != model.EventPODeadlineNear {
		t.Fatalf("deadline deliveries: %v %+v", err, deliveries)
	}
	notes, _, err := e.st.ListNotifications(e.ctx, u.ID, store.Page{})
	if err != nil || len(notes) == 0 || notes[0].Kind != model.EventPODeadlineNear || !contains(notes[0].Message, po.Number) {
		t.Fatalf("notifications: %v %+v", err, notes)
	}
}

// A PO already past its deadline is left to the late list, not warned.
func TestWarnDeadlinesSkipsLatePOs(t *testing.T) {
	e, po := fiscalEnv(t)
	e.bill(po)
	billed, err := e.st.FindPurchaseOrderByNumber(e.ctx, po.Number)
	if err != nil {
		t.Fatal(err)
	}
	e.now = billed.ShipDeadline().Add(time.Minute)
	if n, err := e.svc.WarnDeadlines(e.ctx); err != nil || n != 0 {
		t.Fatalf("late PO warned: %d %v", n, err)
	}
}
