package model_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// The documented lifecycle (README, DOMAIN.md), written out independently of
// model.POLifecycle: for a PO not despachado and without a cancellation
// exception, the status each allowed (action, status) pair reaches. Every
// pair not listed is a conflict.
var (
	aw, ack, bo, np = model.POAwaitingSupplier, model.POAcknowledged, model.POBackordered, model.PONoPrice
	div, inv, bk    = model.POInvoiceDivergent, model.POSupplierInvoiced, model.POInvoiceBooked
	bil, shp, dlv   = model.POBilled, model.POShipped, model.PODelivered
	cnc             = model.POCancelled
)

var documented = map[model.POAction]map[model.POStatus]model.POStatus{
	model.POActAcknowledge:       {aw: ack},
	model.POActBackorder:         {aw: bo, ack: bo},
	model.POActAcceptInvoice:     {aw: inv, ack: inv, div: inv},
	model.POActDivergentInvoice:  {aw: div, ack: div, div: div},
	model.POActBook:              {inv: bk},
	model.POActBill:              {bk: bil},
	model.POActDispatch:          {bil: bil, shp: shp}, // the status stays; dispatched_at is set
	model.POActShip:              {bil: shp},
	model.POActDeliver:           {shp: dlv},
	model.POActCancel:            {aw: cnc, ack: cnc, bo: cnc, np: cnc, div: cnc, inv: cnc, bk: cnc, bil: cnc},
	model.POActCancelBackordered: {bo: cnc},
	model.POActReprice:           {np: aw},
	model.POActResume:            {bo: ack},
	// The status stays; the exception is flagged once, never on a cancelled PO.
	model.POActFlagCancelException: {aw: aw, ack: ack, bo: bo, np: np, div: div, inv: inv, bk: bk, bil: bil, shp: shp, dlv: dlv},
	model.POActResolveException:    {}, // nothing to resolve without a pending exception
}

func TestPOLifecycleEveryPair(t *testing.T) {
	if len(documented) != len(model.POActions) || len(model.POLifecycle) != len(model.POActions) {
		t.Fatalf("documented %d actions, lifecycle %d, POActions %d", len(documented), len(model.POLifecycle), len(model.POActions))
	}
	now := time.Date(2026, 11, 25, 17, 5, 0, 0, time.UTC)
	for _, a := range model.POActions {
		for _, s := range model.POStatuses {
			po := &model.PurchaseOrder{Number: "PC-000001", Status: s}
			before := *po
			want, allowed := documented[a][s]
			ch, err := po.Decide(a, now)
			switch {
			case allowed && err != nil:
				t.Errorf("%s from %s: %v, want → %s", a, s, err, want)
			case allowed:
				if po.Can(a) != true {
					t.Errorf("%s from %s: Can false, Decide allowed", a, s)
				}
				ch.Apply(po)
				if po.Status != want {
					t.Errorf("%s from %s reached %s, want %s", a, s, po.Status, want)
				}
				if ch.Event == "" {
					t.Errorf("%s records no event", a)
				}
			default:
				if !apperr.Is(err, apperr.ECONFLICT) {
					t.Errorf("%s from %s: %v, want ECONFLICT", a, s, err)
				}
				if po.Can(a) {
					t.Errorf("%s from %s: Can true, Decide refused", a, s)
				}
				if !reflect.DeepEqual(*po, before) {
					t.Errorf("%s from %s changed the PO: %+v", a, s, *po)
				}
			}
		}
	}
}

// The guards beyond the status: despachado, the cancellation exception.
func TestPOLifecycleGuards(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 5, 0, 0, time.UTC)
	at := now.Add(-time.Hour)
	dispatched := func(s model.POStatus) *model.PurchaseOrder {
		return &model.PurchaseOrder{Number: "PC-1", Status: s, DispatchedAt: &at}
	}
	flagged := func(s model.POStatus) *model.PurchaseOrder {
		return &model.PurchaseOrder{Number: "PC-1", Status: s, DispatchedAt: &at, CancelExceptionAt: &at}
	}
	resolved := func(s model.POStatus) *model.PurchaseOrder {
		po := flagged(s)
		po.ExceptionResolvedAt = &at
		return po
	}
	cases := []struct {
		name string
		po   *model.PurchaseOrder
		a    model.POAction
		ok   bool
	}{
		{"billed despachado is not cancelled", dispatched(bil), model.POActCancel, false},
		{"billed despachado is not despachado twice", dispatched(bil), model.POActDispatch, false},
		{"shipped despachado is not despachado twice", dispatched(shp), model.POActDispatch, false},
		{"billed despachado still ships", dispatched(bil), model.POActShip, true},
		{"billed despachado is flagged", dispatched(bil), model.POActFlagCancelException, true},
		{"flagged once", flagged(bil), model.POActFlagCancelException, false},
		{"pending exception resolved", flagged(shp), model.POActResolveException, true},
		{"pending exception on a delivered PO resolved", flagged(dlv), model.POActResolveException, true},
		{"resolved exception not resolved again", resolved(shp), model.POActResolveException, false},
		{"resolved exception not flagged again", resolved(shp), model.POActFlagCancelException, false},
	}
	for _, c := range cases {
		before := *c.po
		ch, err := c.po.Decide(c.a, now)
		if c.ok != (err == nil) {
			t.Errorf("%s: %v, want allowed %v", c.name, err, c.ok)
			continue
		}
		if !c.ok {
			if !apperr.Is(err, apperr.ECONFLICT) || !reflect.DeepEqual(*c.po, before) {
				t.Errorf("%s: %v, PO %+v", c.name, err, *c.po)
			}
			continue
		}
		ch.Apply(c.po)
		if want := documented[c.a][before.Status]; c.a != model.POActResolveException && c.po.Status != want {
			t.Errorf("%s: status %s, want %s", c.name, c.po.Status, want)
		}
		if c.a == model.POActResolveException && (c.po.Status != before.Status || c.po.ExceptionResolvedAt == nil) {
			t.Errorf("%s: %+v", c.name, *c.po)
		}
	}
}

// What each action records and which clock it moves, as the documents say.
func TestPOLifecycleRecordsAndClocks(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 5, 0, 0, time.UTC)
	po := &model.PurchaseOrder{Number: "PC-1", Status: model.POInvoiceBooked, DispatchHours: 24}
	if po.ShipDeadline() != nil {
		t.Fatal("ship-by clock before billing")
	}
	ch, err := po.Decide(model.POActBill, now)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Clock != model.POClockShipStart || ch.Event != model.POEventBilled || ch.Columns()["billed_at"] != now {
		t.Fatalf("bill change %+v", ch)
	}
	ch.Apply(po)
	if d := po.ShipDeadline(); d == nil || !d.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("ship-by %v", d)
	}
	ch, _ = po.Decide(model.POActShip, now.Add(time.Hour))
	if ch.Clock != model.POClockShipStop || ch.Event != model.POEventShipped {
		t.Fatalf("ship change %+v", ch)
	}
	ch.Apply(po)
	if po.ShippedAt == nil || po.Late(now.Add(48*time.Hour)) {
		t.Fatalf("shipped PO late: %+v", po)
	}
	// Who: supplier actions are the supplier's; staff actions carry the
	// permission the role policy grants.
	for a, want := range map[model.POAction]model.Permission{
		model.POActBook: model.PermFiscalPurchaseOrders, model.POActBill: model.PermFiscalPurchaseOrders,
		model.POActDispatch: model.PermDispatchOrders, model.POActReprice: model.PermManagePurchaseOrders,
		model.POActResume: model.PermManagePurchaseOrders, model.POActCancelBackordered: model.PermManagePurchaseOrders,
		model.POActResolveException: model.PermManagePurchaseOrders,
	} {
		if by := model.POLifecycle[a].By; len(by) == 0 || by[0].Permission != want {
			t.Errorf("%s by %+v, want %s", a, by, want)
		}
	}
	for _, a := range []model.POAction{model.POActAcknowledge, model.POActBackorder, model.POActAcceptInvoice, model.POActDivergentInvoice, model.POActShip} {
		if by := model.POLifecycle[a].By; len(by) != 1 || !by[0].Supplier {
			t.Errorf("%s by %+v, want the supplier", a, by)
		}
	}
}

func TestPOStatusHelpersFollowTheLifecycle(t *testing.T) {
	for _, s := range model.POStatuses {
		if got, want := s.AcceptsInvoice(), s == aw || s == ack || s == div; got != want {
			t.Errorf("%s AcceptsInvoice %v", s, got)
		}
		if got, want := s.Exception(), s == np || s == bo; got != want {
			t.Errorf("%s Exception %v", s, got)
		}
		if got, want := s.Cancellable(), s != shp && s != dlv && s != cnc; got != want {
			t.Errorf("%s Cancellable %v", s, got)
		}
	}
}
