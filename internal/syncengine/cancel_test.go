package syncengine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/pricetable"
)

// TestPlatformCancellationFollowsPurchaseOrders: the import seeing a sales
// order cancelled on the platform cancels its open PO (the supplier told, the
// reservation released as before); a PO already despachado is flagged for
// staff instead; importing again changes nothing; the platform's delivery
// marks a shipped PO delivered.
func TestPlatformCancellationFollowsPurchaseOrders(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	tables := pricetable.NewService(f.st, t.TempDir())
	var csv strings.Builder
	csv.WriteString("codigo;preco\r\n")
	for _, sku := range skus {
		csv.WriteString("F-" + sku + ";10,00\r\n")
	}
	today := time.Now().In(format.Location).Format("2006-01-02")
	if _, err := tables.SubmitFile(f.ctx, f.sup.ID, pricetable.File{Name: "t.csv", Size: int64(csv.Len()), Body: strings.NewReader(csv.String())}, today); err != nil {
		t.Fatal(err)
	}
	f.withPurchasing(tables)
	for _, u := range []*model.User{
		{Email: "f@paulista.example", Role: model.RoleSupplier, SupplierID: &f.sup.ID},
		{Email: "log@connectparts.example", Role: model.RoleLogistics},
	} {
		u.Name, u.PasswordHash, u.Active = u.Email, "x", true
		if err := f.st.CreateUser(f.ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.run(p)

	taken := map[string]bool{}
	// Orders with a PO under the default po_at (ready_for_handling).
	open := func(o platform.Order) bool {
		return o.Status == model.SOReadyForHandling || o.Status == model.SOHandling
	}
	before := find(sb.Orders(), taken, open)
	after := find(sb.Orders(), taken, open)
	shipped := find(sb.Orders(), taken, open)
	poOf := func(id string) *model.PurchaseOrder {
		t.Helper()
		pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, f.order(p, id).ID)
		if err != nil || len(pos) != 1 {
			t.Fatalf("order %s: %d POs %v", id, len(pos), err)
		}
		return &pos[0]
	}
	poBefore, poAfter, poShipped := poOf(before.ExternalID), poOf(after.ExternalID), poOf(shipped.ExternalID)
	if poBefore.Status != model.POAwaitingSupplier {
		t.Fatalf("PO %s", poBefore.Status)
	}
	// One despachado (billed, dispatched), one shipped by the supplier.
	now := time.Now().UTC()
	if err := f.db.Gorm.Exec("UPDATE purchase_orders SET status = 'billed', billed_at = ?, dispatched_at = ? WHERE id = ?", now, now, poAfter.ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := f.db.Gorm.Exec("UPDATE purchase_orders SET status = 'shipped', shipped_at = ? WHERE id = ?", now, poShipped.ID).Error; err != nil {
		t.Fatal(err)
	}
	count := func(q string) int64 {
		t.Helper()
		var n int64
		if err := f.db.Gorm.Raw("SELECT COUNT(*) FROM " + q).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	reservedBefore := map[string]int64{}
	for _, sku := range skus {
		_, reservedBefore[sku] = f.stockOf(sku)
	}

	if err := sb.Cancel(context.Background(), before.ExternalID, "Cliente desistiu"); err != nil {
		t.Fatal(err)
	}
	if err := sb.SetStatus(after.ExternalID, model.SOCancelled); err != nil {
		t.Fatal(err)
	}
	if err := sb.SetStatus(shipped.ExternalID, model.SODelivered); err != nil {
		t.Fatal(err)
	}
	f.run(p)

	got := poOf(before.ExternalID)
	if got.Status != model.POCancelled || got.CancelledAt == nil || got.CancelReason != "Cliente desistiu" {
		t.Fatalf("PO of the cancelled order: %s %q", got.Status, got.CancelReason)
	}
	if n := count("notifications WHERE kind = 'purchase_order.cancelled'"); n != 1 {
		t.Errorf("supplier told %d times, want 1", n)
	}
	so := f.order(p, before.ExternalID)
	if so.Reserved || !containsKind(f.events(so), model.OrderEventStockReleased) || !containsKind(f.events(so), model.OrderEventPurchaseOrder) {
		t.Errorf("sales order: reserved %v, timeline %v", so.Reserved, f.events(so))
	}
	// Released by the two cancellations, consumed by the delivery.
	released := map[string]int64{}
	for _, o := range []platform.Order{before, after, shipped} {
		for _, it := range o.Items {
			released[it.SKU] += it.Quantity
		}
	}
	for _, sku := range skus {
		if _, r := f.stockOf(sku); r != reservedBefore[sku]-released[sku] {
			t.Errorf("%s reserved %d, want %d", sku, r, reservedBefore[sku]-released[sku])
		}
	}
	f.verifyLedger()

	got = poOf(after.ExternalID)
	if got.Status != model.POBilled || got.CancelledAt != nil || !got.CancelExceptionPending() {
		t.Fatalf("despachado PO: %s cancelled %v exception %v", got.Status, got.CancelledAt, got.CancelExceptionAt)
	}
	if n := count("notifications WHERE kind = 'purchase_order.cancel_exception'"); n != 1 {
		t.Errorf("staff told %d times, want 1", n)
	}
	if got := poOf(shipped.ExternalID); got.Status != model.PODelivered || got.DeliveredAt == nil {
		t.Errorf("delivered: %s", got.Status)
	}

	// The platform sends the same orders again: nothing more happens.
	events, notes := count("purchase_order_events"), count("notifications")
	if err := sb.SetStatus(before.ExternalID, model.SOCancelled); err != nil {
		t.Fatal(err)
	}
	if err := sb.SetStatus(after.ExternalID, model.SOCancelled); err != nil {
		t.Fatal(err)
	}
	f.run(p)
	if count("purchase_order_events") != events || count("notifications") != notes {
		t.Errorf("repeated import: %d events, %d notifications more", count("purchase_order_events")-events, count("notifications")-notes)
	}
	f.verifyLedger()
}
