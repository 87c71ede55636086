package web_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// The home pages count the purchase orders that wait on the user: the
// supplier's own (never another's), and every supplier's for staff.
func TestHomeCountsPurchaseOrderWork(t *testing.T) {
	f := newPOFixture(t)
	e := f.env
	e.User("fiscal@connectparts.test", model.RoleFiscal, nil)

	sa := e.Login("a@freios.test")
	a := sa.Get("/")
	if got := a.Text("[data-testid=work-awaiting]"); got != "2" {
		t.Fatalf("supplier A awaiting: %q", got)
	}
	b := e.Login("b@paulista.test").Get("/")
	if got := b.Text("[data-testid=work-awaiting]"); got != "0" {
		t.Fatalf("supplier B sees another supplier's POs: %q", got)
	}
	if res := sa.Submit("/purchase-orders/"+f.po1+"/acknowledge", nil); res.Status != 303 {
		t.Fatalf("ack: %d", res.Status)
	}
	a = sa.Get("/")
	if aw, inv := a.Text("[data-testid=work-awaiting]"), a.Text("[data-testid=work-to-invoice]"); aw != "1" || inv != "1" {
		t.Fatalf("after ack: awaiting %q, to invoice %q", aw, inv)
	}
	staff := e.Login("fiscal@connectparts.test").Get("/")
	if got := staff.Text("[data-testid=work-awaiting]"); got != "1" {
		t.Fatalf("staff awaiting: %q", got)
	}
	if got := staff.Text("[data-testid=work-to-dispatch]"); got != "0" {
		t.Fatalf("staff to dispatch: %q", got)
	}

	// A PO billed two days ago and not shipped is late: counted for its
	// supplier and for staff, not for the other supplier.
	po := mustPO(t, f, f.po2)
	// A test shortcut past the fiscal steps: the bill change from the PO's current status.
	billed := model.POChange{POTransition: model.POLifecycle[model.POActBill], At: time.Now().UTC().Add(-48 * time.Hour)}
	billed.From = []model.POStatus{po.Status}
	if err := e.App.Store.ApplyPOChange(e.Ctx, po, billed, "faturado (teste)", nil); err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]string{"a@freios.test": "1", "b@paulista.test": "0", "fiscal@connectparts.test": "1"} {
		if got := e.Login(user).Get("/").Text("[data-testid=work-late]"); got != want {
			t.Errorf("%s late: %q, want %s", user, got, want)
		}
	}
}
