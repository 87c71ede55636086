package purchasing_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
)

// users gives each supplier a user and ConnectParts a logistics and a
// purchasing user, so notifications can be counted.
func (e *env) users() {
	e.t.Helper()
	for i, u := range []*model.User{
		{Email: "a@freios.example", Role: model.RoleSupplier, SupplierID: &e.a.ID},
		{Email: "b@paulista.example", Role: model.RoleSupplier, SupplierID: &e.b.ID},
		{Email: "log@connectparts.example", Role: model.RoleLogistics},
		{Email: "compras@connectparts.example", Role: model.RolePurchasing},
	} {
		u.Name, u.PasswordHash, u.Active = "Usuário "+string(rune('A'+i)), "x", true
		if err := e.st.CreateUser(e.ctx, u); err != nil {
			e.t.Fatal(err)
		}
	}
}

// notes counts the notifications of a kind sent to a supplier's users (sup
// non-nil) or to staff.
func (e *env) notes(kind string, sup *model.Supplier) int64 {
	e.t.Helper()
	q := "notifications n JOIN users u ON u.id = n.user_id WHERE n.kind = '" + kind + "' AND "
	if sup != nil {
		q += "u.supplier_id = " + itoa(sup.ID)
	} else {
		q += "u.supplier_id IS NULL"
	}
	return e.count(q)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (e *env) reload(po *model.PurchaseOrder) *model.PurchaseOrder {
	e.t.Helper()
	got, err := e.st.FindPurchaseOrderByNumber(e.ctx, po.Number)
	if err != nil {
		e.t.Fatal(err)
	}
	return got
}

func (e *env) eventKinds(po *model.PurchaseOrder) []string {
	e.t.Helper()
	evs, err := e.st.ListPurchaseOrderEvents(e.ctx, po.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, ev := range evs {
		out = append(out, ev.Kind)
	}
	return out
}

// TestCancelForOrderBeforeDispatch: every open PO of the cancelled sales
// order is cancelled with the platform's reason; the supplier who received
// the PO is told, the one whose PO had no price is not; a second call
// changes nothing.
func TestCancelForOrderBeforeDispatch(t *testing.T) {
	e := newEnv(t)
	e.users()
	e.table(e.a, "2026-07-10", "PF-100;89,90", "DF-200;0,33") // B has no table: its PO is no_price
	so := e.order(model.SOPaymentApproved, "SKU-PF", 1, "SKU-B1", 1)
	e.create(so)
	poA, poB := e.poOf(so, e.a), e.poOf(so, e.b)
	if _, err := e.svc.Acknowledge(e.ctx, e.a.ID, poA.Number); err != nil {
		t.Fatal(err)
	}

	changed, err := e.svc.CancelForOrder(e.ctx, so.ID, "Cliente desistiu da compra")
	if err != nil || len(changed) != 2 {
		t.Fatalf("cancel: %d changed, %v", len(changed), err)
	}
	for _, po := range []*model.PurchaseOrder{poA, poB} {
		got := e.reload(po)
		if got.Status != model.POCancelled || got.CancelledAt == nil || got.CancelReason != "Cliente desistiu da compra" {
			t.Errorf("%s: %s at %v reason %q", po.Number, got.Status, got.CancelledAt, got.CancelReason)
		}
		if k := e.eventKinds(po); k[len(k)-1] != model.POEventCancelled {
			t.Errorf("%s history %v", po.Number, k)
		}
	}
	if n := e.notes(model.EventPOCancelled, e.a); n != 1 {
		t.Errorf("supplier A told %d times, want 1", n)
	}
	if n := e.notes(model.EventPOCancelled, e.b); n != 0 {
		t.Errorf("supplier B told about a PO it never received: %d", n)
	}
	// The supplier can do nothing with it any more.
	_, err = e.svc.Backorder(e.ctx, e.a.ID, poA.Number, "2026-07-20", "x")
	wantCode(t, err, apperr.ECONFLICT)

	// Again (a repeated import): nothing changes, nobody is told twice.
	events := e.count("purchase_order_events")
	changed, err = e.svc.CancelForOrder(e.ctx, so.ID, "de novo")
	if err != nil || len(changed) != 0 {
		t.Fatalf("second cancel: %d changed, %v", len(changed), err)
	}
	if n := e.count("purchase_order_events"); n != events {
		t.Errorf("second cancel wrote %d events", n-events)
	}
	if n := e.notes(model.EventPOCancelled, e.a); n != 1 {
		t.Errorf("supplier A told %d times after a repeat", n)
	}
	if got := e.reload(poA); got.CancelReason != "Cliente desistiu da compra" {
		t.Errorf("reason overwritten: %q", got.CancelReason)
	}
}

// TestCancelAfterDispatch: a billed PO not yet despachado is cancelled; one
// despachado is not — it becomes the staff exception, staff are told once,
// and it leaves the queue when resolved with a note.
func TestCancelAfterDispatch(t *testing.T) {
	e, po := fiscalEnv(t)
	e.users()
	e.bill(po)
	if _, err := e.svc.Dispatch(e.ctx, []string{po.Number}); err != nil {
		t.Fatal(err)
	}
	// Another order, billed but not despachado.
	so2 := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3)
	e.create(so2)
	po2 := e.poOf(so2, e.a)
	if _, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po2.Number, []byte(e.nfeFor(po2).XML(t))); err != nil {
		t.Fatal(err)
	}
	e.bill(po2)

	if _, err := e.svc.CancelForOrder(e.ctx, po2.SalesOrderID, "Cancelado pelo cliente"); err != nil {
		t.Fatal(err)
	}
	if got := e.reload(po2); got.Status != model.POCancelled {
		t.Errorf("billed, not despachado: %s, want cancelled", got.Status)
	}

	staffBefore := e.notes("purchase_order.cancel_exception", nil)
	for range 2 {
		if _, err := e.svc.CancelForOrder(e.ctx, po.SalesOrderID, "Cancelado pelo cliente"); err != nil {
			t.Fatal(err)
		}
	}
	got := e.reload(po)
	if got.Status != model.POBilled || got.CancelledAt != nil || !got.CancelExceptionPending() || got.CancelExceptionReason != "Cancelado pelo cliente" {
		t.Fatalf("despachado PO: %s cancelled %v exception %v", got.Status, got.CancelledAt, got.CancelExceptionAt)
	}
	// Logistics and purchasing (two staff users), once each.
	if n := e.notes("purchase_order.cancel_exception", nil) - staffBefore; n != 2 {
		t.Errorf("staff told %d times, want 2 (logistics and purchasing, once)", n)
	}
	if n := e.notes(model.EventPOCancelled, e.a); n != 1 { // po2 only
		t.Errorf("supplier told %d cancellations, want 1", n)
	}
	queue, _, err := e.st.ListPurchaseOrders(e.ctx, storeCancelExceptions(), pageAll())
	if err != nil || len(queue) != 1 || queue[0].ID != po.ID {
		t.Fatalf("queue %v %v", queue, err)
	}

	_, err = e.svc.ResolveCancelException(e.ctx, po.Number, "  ")
	wantCode(t, err, apperr.EINVALID)
	_, err = e.svc.ResolveCancelException(e.ctx, po2.Number, "nada")
	wantCode(t, err, apperr.ECONFLICT)
	if _, err := e.svc.ResolveCancelException(e.ctx, po.Number, "Devolução combinada com o fornecedor"); err != nil {
		t.Fatal(err)
	}
	got = e.reload(po)
	if got.ExceptionResolvedAt == nil || got.ExceptionResolution != "Devolução combinada com o fornecedor" || got.Status != model.POBilled {
		t.Fatalf("resolved: %+v", got)
	}
	_, err = e.svc.ResolveCancelException(e.ctx, po.Number, "de novo")
	wantCode(t, err, apperr.ECONFLICT)
	if queue, _, _ := e.st.ListPurchaseOrders(e.ctx, storeCancelExceptions(), pageAll()); len(queue) != 0 {
		t.Fatalf("resolved PO still queued: %d", len(queue))
	}
	if n := e.count("audit_log WHERE action = 'purchase_order.exception_resolved'"); n != 1 {
		t.Errorf("audit: %d", n)
	}
}

// TestDeliverForOrder: the platform's delivery moves shipped POs to
// delivered and leaves the others.
func TestDeliverForOrder(t *testing.T) {
	e := invoiceEnv(t)
	po := e.newPO()
	if err := e.db.Gorm.Exec("UPDATE purchase_orders SET status = 'shipped' WHERE id = ?", po.ID).Error; err != nil {
		t.Fatal(err)
	}
	other := e.newPO()
	if _, err := e.svc.DeliverForOrder(e.ctx, other.SalesOrderID); err != nil {
		t.Fatal(err)
	}
	if got := e.reload(other); got.Status != model.POAwaitingSupplier {
		t.Errorf("not shipped: %s", got.Status)
	}
	changed, err := e.svc.DeliverForOrder(e.ctx, po.SalesOrderID)
	if err != nil || len(changed) != 1 {
		t.Fatalf("deliver: %d %v", len(changed), err)
	}
	if got := e.reload(po); got.Status != model.PODelivered || got.DeliveredAt == nil {
		t.Fatalf("delivered: %s %v", got.Status, got.DeliveredAt)
	}
	if changed, _ := e.svc.DeliverForOrder(e.ctx, po.SalesOrderID); len(changed) != 0 {
		t.Error("delivered twice")
	}
}

// TestReprice: still without a price → 422 naming the code, nothing
// changed; once the table exists → priced by it, awaiting the supplier,
// deadline from now, the supplier told for the first time.
func TestReprice(t *testing.T) {
	e := newEnv(t)
	e.users()
	e.table(e.a, "2026-07-10", "PF-100;89,90")
	so := e.order(model.SOPaymentApproved, "SKU-B1", 2)
	e.create(so)
	po := e.poOf(so, e.b)
	if po.Status != model.PONoPrice || e.notes(model.EventPOCreated, e.b) != 0 {
		t.Fatalf("setup: %s", po.Status)
	}
	e.now = e.now.Add(3 * time.Hour)
	_, err := e.svc.Reprice(e.ctx, po.Number)
	wantCode(t, err, apperr.EINVALID)
	if !contains(apperr.Message(err), "B-1") || len(apperr.Details(err)) != 1 {
		t.Errorf("422: %q %v", apperr.Message(err), apperr.Details(err))
	}
	if got := e.reload(po); got.Status != model.PONoPrice || got.Items[0].UnitPriceCents != nil {
		t.Fatalf("changed by a failed reprice: %s", got.Status)
	}

	tb := e.table(e.b, "2026-07-10", "B-1;12,50") // B's first table: in force at once
	got, err := e.svc.Reprice(e.ctx, po.Number)
	if err != nil {
		t.Fatalf("reprice: %v %v", err, apperr.Details(err))
	}
	got = e.reload(po)
	it := got.Items[0]
	if got.Status != model.POAwaitingSupplier || got.TotalCents != 2500 || it.UnitPriceCents == nil || *it.UnitPriceCents != 1250 ||
		*it.TotalCents != 2500 || *it.PriceTableID != tb.ID {
		t.Fatalf("repriced: %s total %d item %+v", got.Status, got.TotalCents, it)
	}
	if !got.DueAt.Equal(e.now.Add(24*time.Hour)) || !got.PricedAt.Equal(e.now) {
		t.Errorf("due %v priced %v, want from %v", got.DueAt, got.PricedAt, e.now)
	}
	if n := e.notes(model.EventPOCreated, e.b); n != 1 {
		t.Errorf("supplier told %d times", n)
	}
	_, err = e.svc.Reprice(e.ctx, po.Number)
	wantCode(t, err, apperr.ECONFLICT)
	// The supplier can now answer.
	if _, err := e.svc.Acknowledge(e.ctx, e.b.ID, po.Number); err != nil {
		t.Fatal(err)
	}
}

// TestBackorderContinue: the PO goes back to acknowledged with the promised
// date kept, the deadline counted from it, the supplier told.
func TestBackorderContinue(t *testing.T) {
	e := invoiceEnv(t)
	e.users()
	po := e.newPO()
	_, err := e.svc.ResumeBackorder(e.ctx, po.Number)
	wantCode(t, err, apperr.ECONFLICT) // not backordered
	if _, err := e.svc.Backorder(e.ctx, e.a.ID, po.Number, "2026-07-20", "Aguardando importação"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ResumeBackorder(e.ctx, po.Number); err != nil {
		t.Fatal(err)
	}
	got := e.reload(po)
	if got.Status != model.POAcknowledged || got.BackorderAvailableOn != "2026-07-20" || got.BackorderReason != "Aguardando importação" {
		t.Fatalf("continued: %s %q %q", got.Status, got.BackorderAvailableOn, got.BackorderReason)
	}
	if want := at("2026-07-20 00:00").Add(24 * time.Hour); !got.DueAt.Equal(want) {
		t.Errorf("due %v, want %v", got.DueAt, want)
	}
	evs, _ := e.st.ListPurchaseOrderEvents(e.ctx, po.ID)
	if last := evs[len(evs)-1]; last.Kind != model.POEventResumed || !contains(last.Message, "20/07/2026") {
		t.Errorf("history: %+v", last)
	}
	if n := e.notes("purchase_order.resumed", e.a); n != 1 {
		t.Errorf("supplier told %d times", n)
	}
	_, err = e.svc.ResumeBackorder(e.ctx, po.Number)
	wantCode(t, err, apperr.ECONFLICT)
	_, err = e.svc.CancelBackordered(e.ctx, po.Number, "cliente desistiu")
	wantCode(t, err, apperr.ECONFLICT)
	// The supplier goes on: its invoice is accepted.
	if res, err := e.svc.UploadInvoice(e.ctx, e.a.ID, po.Number, []byte(e.nfeFor(po).XML(t))); err != nil || !res.Accepted() {
		t.Fatalf("invoice after continuing: %v", err)
	}
}

// TestBackorderCancel: the PO and the sales order's other open PO are
// cancelled, both suppliers told, and the cancellation is queued once for
// the platform with the reason.
func TestBackorderCancel(t *testing.T) {
	e := newEnv(t)
	e.users()
	e.withSalesOrders()
	e.table(e.a, "2026-07-10", "PF-100;89,90")
	e.table(e.b, "2026-07-10", "B-1;12,50")
	so := e.order(model.SOHandling, "SKU-PF", 1, "SKU-B1", 1)
	e.create(so)
	poA, poB := e.poOf(so, e.a), e.poOf(so, e.b)
	if _, err := e.svc.Backorder(e.ctx, e.a.ID, poA.Number, "2026-08-30", "Fábrica parada"); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.CancelBackordered(e.ctx, poA.Number, " ")
	wantCode(t, err, apperr.EINVALID)
	_, err = e.svc.CancelBackordered(e.ctx, poB.Number, "não está sem estoque")
	wantCode(t, err, apperr.ECONFLICT)
	if pushes, _ := e.st.PendingStatusPushes(e.ctx, 0, so.ID); len(pushes) != 0 {
		t.Fatalf("refused actions queued %d pushes", len(pushes))
	}

	if _, err := e.svc.CancelBackordered(e.ctx, poA.Number, "Cliente não quis aguardar"); err != nil {
		t.Fatal(err)
	}
	for _, po := range []*model.PurchaseOrder{poA, poB} {
		if got := e.reload(po); got.Status != model.POCancelled || got.CancelReason != "Cliente não quis aguardar" {
			t.Errorf("%s: %s %q", po.Number, got.Status, got.CancelReason)
		}
	}
	if e.notes(model.EventPOCancelled, e.a) != 1 || e.notes(model.EventPOCancelled, e.b) != 1 {
		t.Errorf("suppliers told: A %d, B %d", e.notes(model.EventPOCancelled, e.a), e.notes(model.EventPOCancelled, e.b))
	}
	pushes, err := e.st.PendingStatusPushes(e.ctx, 0, so.ID)
	if err != nil || len(pushes) != 1 || pushes[0].Action != model.ActionCancel || pushes[0].Reason != "Cliente não quis aguardar" {
		t.Fatalf("status pushes: %+v %v", pushes, err)
	}
	_, err = e.svc.CancelBackordered(e.ctx, poA.Number, "de novo")
	wantCode(t, err, apperr.ECONFLICT)
	if pushes, _ := e.st.PendingStatusPushes(e.ctx, 0, so.ID); len(pushes) != 1 {
		t.Errorf("%d pushes after a refused second cancel", len(pushes))
	}
}

// TestRepriceManualPrice: a line without a price in force takes the price
// purchasing types, only with a justification, kept in history and audit;
// a line with a table price refuses one.
func TestRepriceManualPrice(t *testing.T) {
	e := newEnv(t)
	e.users()
	e.table(e.a, "2026-07-10", "PF-100;89,90") // DF-200 has no price
	so := e.order(model.SOPaymentApproved, "SKU-PF", 1, "SKU-DF", 3)
	e.create(so)
	po := e.poOf(so, e.a)
	line := func(code string) int {
		for _, it := range po.Items {
			if it.SupplierCode == code {
				return it.Line
			}
		}
		t.Fatalf("no line %s", code)
		return 0
	}
	pf, df := line("PF-100"), line("DF-200")
	for _, bad := range [][]purchasing.ManualPrice{
		{{Line: df, UnitCents: 150}},                                // no justification
		{{Line: df, UnitCents: 0, Justification: "cotação"}},        // not positive
		{{Line: pf, UnitCents: 100, Justification: "mais barato"}},  // PF-100 has a table price; DF-200 still missing
		{{Line: 99, UnitCents: 100, Justification: "linha errada"}}, // no such line
	} {
		_, err := e.svc.Reprice(e.ctx, po.Number, bad...)
		wantCode(t, err, apperr.EINVALID)
	}
	if got := e.reload(po); got.Status != model.PONoPrice {
		t.Fatalf("refused reprices changed the PO: %s", got.Status)
	}
	if _, err := e.svc.Reprice(e.ctx, po.Number, purchasing.ManualPrice{Line: df, UnitCents: 150, Justification: "Cotação por e-mail de 10/07"}); err != nil {
		t.Fatalf("manual price: %v %v", err, apperr.Details(err))
	}
	got := e.reload(po)
	for _, it := range got.Items {
		switch it.SupplierCode {
		case "DF-200":
			if *it.UnitPriceCents != 150 || *it.TotalCents != 450 || it.PriceTableID != nil {
				t.Errorf("manual line: %+v", it)
			}
		case "PF-100":
			if *it.UnitPriceCents != 8990 || it.PriceTableID == nil {
				t.Errorf("table line: %+v", it)
			}
		}
	}
	if got.Status != model.POAwaitingSupplier || got.TotalCents != 8990+450 {
		t.Fatalf("repriced: %s %d", got.Status, got.TotalCents)
	}
	evs, _ := e.st.ListPurchaseOrderEvents(e.ctx, po.ID)
	if last := evs[len(evs)-1]; last.Kind != model.POEventRepriced || !contains(last.Message, "Cotação por e-mail de 10/07") {
		t.Errorf("history: %q", last.Message)
	}
	if n := e.count("audit_log WHERE action = 'purchase_order.repriced' AND details LIKE '%Cotação por e-mail%'"); n != 1 {
		t.Errorf("audit rows with the justification: %d", n)
	}
}
