package syncengine_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/store"
)

// A Mercado Livre pack (cart) of two orders of one supplier has one
// shipment and takes one NF-e: the portal raises one PO holding both orders'
// items, sends one NF-e to invoice_data, keeps one label, and the pack's
// orders move together (one sales order, dispatched when Mercado Livre
// reports the drop-off).
func TestMercadoLivrePackRaisesOnePOOneNFeOneLabel(t *testing.T) {
	m := apptest.NewMeliDropship(t)
	at := time.Now().Add(-9 * time.Minute)
	second := m.Fake.AddOrders(1, at, time.Minute)[0]
	items := json.RawMessage(`[{"item": {"id": "MLB4440111990", "title": "Pastilha de freio CP-002", "category_id": "MLB1747",
		"variation_id": null, "seller_custom_field": null, "variation_attributes": [], "seller_sku": "CP-002"},
		"quantity": 3, "unit_price": 129.9, "full_unit_price": 129.9, "currency_id": "BRL", "sale_fee": 12, "listing_type_id": "gold_special"}]`)
	m.Fake.SetOrder(second, at, map[string]any{"order_items": items, "total_amount": json.Number("389.7"), "paid_amount": json.Number("389.7")})
	packID, ship := m.Fake.MakePack(m.OrderID, second)

	po := m.ImportMeli() // fails unless the lead order has exactly one PO
	if m.ShipmentID != ship {
		t.Fatalf("sales order shipment %s, want the pack's %s", m.ShipmentID, ship)
	}
	if _, err := m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, second); !apperr.Is(err, apperr.ENOTFOUND) {
		t.Fatalf("the pack's second order is a sales order of its own: %v", err)
	}
	_, n, err := m.App.Store.SearchSalesOrders(m.Ctx, store.OrderSearch{PlatformID: &m.Meli.ID}, store.Page{Size: 10})
	if err != nil || n != 1 {
		t.Fatalf("%d Mercado Livre sales orders, want 1 (the pack): %v", n, err)
	}
	so, err := m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if so.Number != packID || so.ItemsCents != 25980+38970 {
		t.Errorf("sales order number %s items %d cents; want pack %s, 649.50", so.Number, so.ItemsCents, packID)
	}
	var lines []string
	for _, it := range po.Items {
		lines = append(lines, fmt.Sprintf("%s×%d", it.SKU, it.Quantity))
	}
	slices.Sort(lines)
	if !slices.Equal(lines, []string{"CP-001×2", "CP-002×3"}) {
		t.Fatalf("PO %s lines %v, want both orders' items", po.Number, lines)
	}

	sup := m.Supplier.ID
	if _, err := m.App.Purchasing.UploadInvoice(m.Ctx, sup, po.Number, m.SupplierInvoiceXML(t, po, nil)); err != nil {
		t.Fatalf("supplier NF-e: %v %+v", err, apperr.Details(err))
	}
	if _, err := m.App.Purchasing.BookSupplierInvoice(m.Ctx, po.Number); err != nil {
		t.Fatalf("booking: %v", err)
	}
	if _, err := m.App.Purchasing.UploadBillingInvoice(m.Ctx, po.Number, m.BillingXML(t, po, nil)); err != nil {
		t.Fatalf("billing NF-e: %v %+v", err, apperr.Details(err))
	}
	if _, err := m.App.SyncEngine.PushStatuses(m.Ctx, 0, so.ID); err != nil {
		t.Fatalf("push: %v", err)
	}
	m.SyncMeli() // a second cycle must not send the NF-e or fetch the label again
	if got := m.Fake.Count(melifake.EndpointInvoiceData) + m.Fake.Count(melifake.EndpointFiscalDocuments); got != 1 {
		t.Errorf("%d invoice_data/fiscal_documents calls, want 1", got)
	}
	if got := m.Fake.Invoices(ship); len(got) != 1 {
		t.Errorf("the pack's shipment received %d NF-e, want 1", len(got))
	}
	labels, err := m.App.Purchasing.PlatformLabels(m.Ctx, nil, po.Number)
	if err != nil || len(labels) == 0 {
		t.Fatalf("labels on the PO: %+v %v", labels, err)
	}
	for _, l := range labels {
		if l.ShipmentID != ship {
			t.Errorf("label of shipment %s, want the pack's %s", l.ShipmentID, ship)
		}
	}
	// One label: PDF and ZPL of the one shipment, each fetched once.
	if got := m.Fake.Count(melifake.EndpointLabels); got != 2 {
		t.Errorf("%d /shipment_labels requests, want 2 (one PDF, one ZPL of the pack's shipment)", got)
	}

	m.Fake.SetShipmentState(ship, "ready_to_ship", "dropped_off")
	m.SyncMeli()
	got, err := m.App.Store.FindPurchaseOrderByNumber(m.Ctx, po.Number)
	if err != nil || got.Status != model.POShipped {
		t.Fatalf("PO after the drop-off: %s %v", got.Status, err)
	}
	if so, _ = m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID); so.Status != model.SODispatched {
		t.Errorf("pack's sales order after the drop-off: %s", so.Status)
	}
}
