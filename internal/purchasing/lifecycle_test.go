package purchasing_test

import (
	"reflect"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
)

// force puts a PO in a status directly (a test shortcut past the steps that
// lead there), so every status can be tried against the services.
func (e *env) force(po *model.PurchaseOrder, s model.POStatus) *model.PurchaseOrder {
	e.t.Helper()
	ch := model.POChange{POTransition: model.POTransition{From: []model.POStatus{po.Status}, To: s, Event: "test_forced"}, At: e.now.UTC()}
	if err := e.st.ApplyPOChange(e.ctx, po, ch, "status forçado (teste)", nil); err != nil {
		e.t.Fatal(err)
	}
	return e.reload(po)
}

// TestPOLifecycleThroughServices walks every status against the services'
// actions on a real database: where the lifecycle refuses the pair, the
// service answers ECONFLICT (409) and the PO, its history and its audit are
// unchanged; where it allows it (for the actions that need no more setup),
// the PO reaches the documented status.
func TestPOLifecycleThroughServices(t *testing.T) {
	e := invoiceEnv(t)
	e.withSalesOrders()
	actions := []struct {
		a    model.POAction
		call func(number string) error
		// reach: the service reaches the documented status with no more setup.
		reach bool
	}{
		{model.POActAcknowledge, func(n string) error { _, err := e.svc.Acknowledge(e.ctx, e.a.ID, n); return err }, true},
		{model.POActBackorder, func(n string) error {
			_, err := e.svc.Backorder(e.ctx, e.a.ID, n, "2026-07-20", "fábrica parada")
			return err
		}, true},
		{model.POActAcceptInvoice, func(n string) error {
			_, err := e.svc.UploadInvoice(e.ctx, e.a.ID, n, []byte("<nfeProc/>"))
			return err
		}, false},
		{model.POActBook, func(n string) error { _, err := e.svc.BookSupplierInvoice(e.ctx, n); return err }, false},
		{model.POActBill, func(n string) error { _, err := e.svc.UploadBillingInvoice(e.ctx, n, []byte("<nfeProc/>")); return err }, false},
		{model.POActDispatch, func(n string) error { _, err := e.svc.Dispatch(e.ctx, []string{n}); return err }, false},
		{model.POActShip, func(n string) error {
			_, _, err := e.svc.Ship(e.ctx, e.a.ID, n, purchasing.ShipmentInput{})
			return err
		}, false},
		{model.POActReprice, func(n string) error { _, err := e.svc.Reprice(e.ctx, n); return err }, true},
		{model.POActResume, func(n string) error { _, err := e.svc.ResumeBackorder(e.ctx, n); return err }, true},
		{model.POActCancelBackordered, func(n string) error {
			_, err := e.svc.CancelBackordered(e.ctx, n, "cliente desistiu")
			return err
		}, false},
		{model.POActResolveException, func(n string) error {
			_, err := e.svc.ResolveCancelException(e.ctx, n, "devolução combinada")
			return err
		}, false},
	}
	refused, reached := 0, 0
	for _, s := range model.POStatuses {
		for _, act := range actions {
			po := e.force(e.newPO(), s)
			allowed := po.Can(act.a)
			if allowed && !act.reach {
				continue // walked by the action's own tests (fiscal, shipment, exceptions)
			}
			before := e.reload(po)
			events := len(e.eventKinds(po))
			audits := e.count("audit_log WHERE entity_id = '" + po.Number + "'")
			err := act.call(po.Number)
			after := e.reload(po)
			if !allowed {
				refused++
				if !apperr.Is(err, apperr.ECONFLICT) {
					t.Errorf("%s on %s: %v (%s), want ECONFLICT", act.a, s, err, apperr.Code(err))
				}
				if !reflect.DeepEqual(before, after) || len(e.eventKinds(po)) != events ||
					e.count("audit_log WHERE entity_id = '"+po.Number+"'") != audits {
					t.Errorf("%s on %s changed the PO: %+v → %+v", act.a, s, before, after)
				}
				continue
			}
			reached++
			if err != nil {
				t.Errorf("%s on %s: %v %v", act.a, s, err, apperr.Details(err))
				continue
			}
			want := model.POLifecycle[act.a].To
			if after.Status != want {
				t.Errorf("%s on %s reached %s, want %s", act.a, s, after.Status, want)
			}
			if kinds := e.eventKinds(po); kinds[len(kinds)-1] != model.POLifecycle[act.a].Event {
				t.Errorf("%s on %s recorded %v", act.a, s, kinds)
			}
		}
	}
	if refused != 107 || reached != 5 {
		t.Fatalf("walked %d refused and %d allowed pairs", refused, reached)
	}
}
