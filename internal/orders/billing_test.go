package orders_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/pricetable"
	"github.com/connectparts/portal/internal/purchasing"
)

// TestInvoicePush: billing a sales order consumes its reservation once and
// queues the invoice action, which PushStatuses sends to the platform with
// the billing NF-e (number, series, key, issue time, value and XML).
func TestInvoicePush(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	f.svc.SetPurchasing(purchasing.New(f.st, pricetable.NewService(f.st, t.TempDir()), ""))
	p := f.platform(platform.KindSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.run(p)

	var so *model.SalesOrder
	var po model.PurchaseOrder
	for _, o := range sb.Orders() {
		if o.Status != platform.StatusPaymentApproved && o.Status != platform.StatusReadyForHandling && o.Status != platform.StatusHandling {
			continue
		}
		cand := f.order(p, o.ExternalID)
		pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, cand.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pos) > 0 && cand.Reserved {
			so, po = cand, pos[0]
			break
		}
	}
	if so == nil {
		t.Fatal("no reserved order with a PO; change the seed")
	}
	physBefore := map[string]int64{}
	for _, it := range so.Items {
		physBefore[it.SKU], _ = f.stockOf(it.SKU)
	}
	inv := &model.BillingInvoice{POID: po.ID, AccessKey: "35260706929383000163550010000012341123456780", Number: 1234, Series: 1,
		IssuedAt: time.Date(2026, 7, 10, 13, 30, 0, 0, time.UTC), RecipientDocument: so.CustomerDocument, TotalCents: 19530, XML: "<nfeProc/>"}
	if err := f.st.CreateBillingInvoice(f.ctx, inv); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := f.svc.MarkInvoiced(f.ctx, so.ID, "NF-e de faturamento."); err != nil {
			t.Fatal(err)
		}
	}
	got := f.order(p, so.ExternalID)
	if got.Status != platform.StatusInvoiced || !got.StockConsumed || got.Reserved {
		t.Fatalf("order %s consumed %v reserved %v", got.Status, got.StockConsumed, got.Reserved)
	}
	for _, it := range so.Items {
		if ph, _ := f.stockOf(it.SKU); ph != physBefore[it.SKU]-it.Quantity {
			t.Errorf("%s physical %d, want %d (consumed once)", it.SKU, ph, physBefore[it.SKU]-it.Quantity)
		}
	}
	f.verifyLedger()
	sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID)
	if err != nil || sent < 1 {
		t.Fatalf("push: %d %v", sent, err)
	}
	invs := sb.Invoices(so.ExternalID)
	if len(invs) != 1 {
		t.Fatalf("%d invoices at the platform", len(invs))
	}
	if g := invs[0]; g.Number != "1234" || g.Series != "1" || g.Key != inv.AccessKey || g.ValueCents != 19530 ||
		!g.IssuedAt.Equal(inv.IssuedAt) || string(g.XML) != "<nfeProc/>" {
		t.Errorf("invoice sent %+v", g)
	}
	if sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || sent != 0 {
		t.Errorf("pushed again: %d %v", sent, err)
	}

	// Shipment: the PO billed and shipped, the tracking push queued once and
	// sent with the billing invoice's number.
	billed := po
	if err := f.st.MovePurchaseOrder(f.ctx, &billed, []model.POStatus{po.Status}, model.POBilled,
		map[string]any{"billed_at": time.Now().UTC()}, model.POEventBilled, "faturado (teste)", nil); err != nil {
		t.Fatal(err)
	}
	sh := &model.POShipment{Carrier: "correios", TrackingCode: "AA473124829BR",
		TrackingURL: "https://rastreamento.correios.com.br/app/index.php?objeto=AA473124829BR",
		LabelKind:   "pdf", LabelPath: "po-labels/x.pdf", LabelSHA256: "00", LabelSize: 10}
	if err := f.st.CreatePOShipment(f.ctx, &billed, sh, "enviado (teste)"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkShipped(f.ctx, so.ID, "pedido de compra enviado."); err != nil {
		t.Fatal(err)
	}
	sent, err = f.svc.PushStatuses(f.ctx, 0, so.ID)
	if err != nil || sent != 1 {
		t.Fatalf("tracking push: %d %v", sent, err)
	}
	trs := sb.Trackings(so.ExternalID)
	if len(trs) != 1 || trs[0].InvoiceNumber != "1234" || trs[0].Code != "AA473124829BR" || trs[0].Carrier != "Correios" ||
		trs[0].URL != sh.TrackingURL {
		t.Fatalf("trackings at the platform: %+v", trs)
	}
	if sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || sent != 0 {
		t.Errorf("tracking pushed again: %d %v", sent, err)
	}

	// Dispatch: only an invoiced order.
	if err := f.svc.MarkDispatched(f.ctx, so.ID, "logística."); err != nil {
		t.Fatal(err)
	}
	if got := f.order(p, so.ExternalID); got.Status != platform.StatusDispatched {
		t.Errorf("status %s", got.Status)
	}
	for _, o := range sb.Orders() {
		if o.Status == platform.StatusPaymentApproved {
			err := f.svc.MarkDispatched(f.ctx, f.order(p, o.ExternalID).ID, "x")
			if !apperr.Is(err, apperr.ECONFLICT) {
				t.Errorf("dispatching a paid order: %v", err)
			}
			break
		}
	}
}
