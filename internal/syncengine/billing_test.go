package syncengine_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/pricetable"
)

// TestInvoicePush: billing a sales order consumes its reservation once and
// queues the invoice action, which PushStatuses sends to the platform with
// the billing NF-e (number, series, key, issue time, value and XML).
func TestInvoicePush(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	f.withPurchasing(pricetable.NewService(f.st, t.TempDir()))
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.run(p)

	var so *model.SalesOrder
	var po model.PurchaseOrder
	for _, o := range sb.Orders() {
		if o.Status != model.SOPaymentApproved && o.Status != model.SOReadyForHandling && o.Status != model.SOHandling {
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
		if err := f.svc.MarkInvoiced(f.ctx, so.ID, inv.ID, "NF-e de faturamento."); err != nil {
			t.Fatal(err)
		}
	}
	got := f.order(p, so.ExternalID)
	if got.Status != model.SOInvoiced || !got.StockConsumed || got.Reserved {
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
	if err := f.st.ApplyPOChange(f.ctx, &billed, forceBilled(&billed, time.Now().UTC()), "faturado (teste)", nil); err != nil {
		t.Fatal(err)
	}
	sh := &model.POShipment{Carrier: "correios", TrackingCode: "AA473124829BR",
		TrackingURL: "https://rastreamento.correios.com.br/app/index.php?objeto=AA473124829BR",
		LabelKind:   "pdf", LabelPath: "po-labels/x.pdf", LabelSHA256: "00", LabelSize: 10}
	if err := f.st.CreatePOShipment(f.ctx, &billed, mustDecide(t, &billed, model.POActShip), sh, "enviado (teste)"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkShipped(f.ctx, so.ID, sh.ID, "pedido de compra enviado."); err != nil {
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
	if got := f.order(p, so.ExternalID); got.Status != model.SODispatched {
		t.Errorf("status %s", got.Status)
	}
	for _, o := range sb.Orders() {
		if o.Status == model.SOPaymentApproved {
			err := f.svc.MarkDispatched(f.ctx, f.order(p, o.ExternalID).ID, "x")
			if !apperr.Is(err, apperr.ECONFLICT) {
				t.Errorf("dispatching a paid order: %v", err)
			}
			break
		}
	}
}

// TestInvoicePushPerPurchaseOrder: a sales order with items of two
// suppliers has two POs; each billing invoice is its own push, naming its
// PO's lines (a partial invoice), and each shipment's tracking is pushed
// with the number of its own PO's invoice.
// twoSupplierOrder imports the sandbox's orders with CP-002 sold by a second
// supplier and returns one order that has a PO of each supplier.
func twoSupplierOrder(t *testing.T) (*fixture, *sandbox.Platform, *model.SalesOrder, []model.PurchaseOrder) {
	f := newFixture(t)
	other := &model.Supplier{CNPJ: "12ABC34501DE35", LegalName: "Freios & Cia", DispatchHours: 24, PriceNoticeDays: 20, Active: true}
	if err := f.st.CreateSupplier(f.ctx, other); err != nil {
		t.Fatal(err)
	}
	for i, sku := range skus {
		p := f.product(sku, 100)
		if i == 1 {
			p.SupplierID = &other.ID
			if err := f.st.UpdateProduct(f.ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.withPurchasing(pricetable.NewService(f.st, t.TempDir()))
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "40"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.run(p)

	var so *model.SalesOrder
	var pos []model.PurchaseOrder
	for _, o := range sb.Orders() {
		cand := f.order(p, o.ExternalID)
		if cand == nil || cand.Status == model.SOCancelled {
			continue
		}
		got, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, cand.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 2 {
			so, pos = cand, got
			break
		}
	}
	if so == nil {
		t.Fatal("no order with items of both suppliers; change the seed")
	}
	return f, sb, so, pos
}

func TestInvoicePushPerPurchaseOrder(t *testing.T) {
	f, sb, so, pos := twoSupplierOrder(t)
	for i := range pos {
		po := &pos[i]
		inv := &model.BillingInvoice{POID: po.ID, AccessKey: fmt.Sprintf("352607069293830001635500100000%04d1123456780", i), Number: 500 + i, Series: 1,
			IssuedAt: time.Now().UTC(), RecipientDocument: so.CustomerDocument, TotalCents: 1000 + int64(i), XML: "<nfeProc/>"}
		if err := f.st.CreateBillingInvoice(f.ctx, inv); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MarkInvoiced(f.ctx, so.ID, inv.ID, "NF-e de faturamento."); err != nil {
			t.Fatal(err)
		}
	}
	if sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || sent < 2 {
		t.Fatalf("invoice pushes: %d %v", sent, err)
	}
	invs := sb.Invoices(so.ExternalID)
	if len(invs) != 2 {
		t.Fatalf("%d invoices at the platform, want one per PO", len(invs))
	}
	for i, got := range invs {
		if got.Number != strconv.Itoa(500+i) {
			t.Errorf("invoice %d number %s", i, got.Number)
		}
		if len(got.Items) != len(pos[i].Items) {
			t.Fatalf("invoice %s names %d lines, its PO has %d", got.Number, len(got.Items), len(pos[i].Items))
		}
		for j, it := range got.Items {
			if it.SKU != pos[i].Items[j].SKU || it.Quantity != pos[i].Items[j].Quantity || it.UnitCents <= 0 {
				t.Errorf("invoice %s line %d: %+v, PO line %s × %d", got.Number, j, it, pos[i].Items[j].SKU, pos[i].Items[j].Quantity)
			}
		}
	}

	codes := []string{"AA473124829BR", "AA100000000BR"}
	for i := range pos {
		po := &pos[i]
		if err := f.st.ApplyPOChange(f.ctx, po, forceBilled(po, time.Now().UTC()), "faturado (teste)", nil); err != nil {
			t.Fatal(err)
		}
		sh := &model.POShipment{Carrier: "correios", TrackingCode: codes[i], LabelKind: "pdf", LabelPath: "po-labels/x.pdf", LabelSHA256: "00", LabelSize: 10}
		if err := f.st.CreatePOShipment(f.ctx, po, mustDecide(t, po, model.POActShip), sh, "enviado (teste)"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MarkShipped(f.ctx, so.ID, sh.ID, "enviado."); err != nil {
			t.Fatal(err)
		}
	}
	if sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || sent != 2 {
		t.Fatalf("tracking pushes: %d %v", sent, err)
	}
	trs := sb.Trackings(so.ExternalID)
	if len(trs) != 2 {
		t.Fatalf("%d trackings at the platform, want one per PO", len(trs))
	}
	for i, tr := range trs {
		if tr.Code != codes[i] || tr.InvoiceNumber != strconv.Itoa(500+i) {
			t.Errorf("tracking %d: %s on invoice %s, want %s on %d", i, tr.Code, tr.InvoiceNumber, codes[i], 500+i)
		}
	}
}

// Booking one supplier's invoice consumes only its PO's lines, as invoice
// entries; invoicing the order consumes the rest, once; and a cancellation
// after a booking releases only what is still reserved.
func TestBookingConsumesItsPurchaseOrderLines(t *testing.T) {
	for _, then := range []string{"invoiced", "cancelled"} {
		t.Run(then, func(t *testing.T) {
			f, sb, so, pos := twoSupplierOrder(t)
			if !so.Reserved {
				t.Fatal("the order holds no reservation")
			}
			booked := map[int64]bool{}
			var products []int64
			for _, it := range pos[0].Items {
				booked[it.ProductID] = true
				products = append(products, it.ProductID)
			}
			type totals struct{ physical, reserved int64 }
			before := map[string]totals{}
			for _, it := range so.Items {
				ph, r := f.stockOf(it.SKU)
				before[it.SKU] = totals{ph, r}
			}
			for range 2 { // the second call finds nothing left to consume
				if err := f.svc.ConsumeForPurchaseOrder(f.ctx, so.ID, products, "nfe:123", "entrada da NF-e nº 1"); err != nil {
					t.Fatal(err)
				}
			}
			for _, it := range so.Items {
				ph, r := f.stockOf(it.SKU)
				want := before[it.SKU]
				if booked[it.ProductID] {
					want = totals{want.physical - it.Quantity, want.reserved - it.Quantity}
				}
				if ph != want.physical || r != want.reserved {
					t.Errorf("after booking %s: physical %d reserved %d, want %d %d", it.SKU, ph, r, want.physical, want.reserved)
				}
			}
			var n int64
			if err := f.db.Gorm.Raw("SELECT COUNT(*) FROM stock_movements WHERE source = 'invoice_entry' AND reference = 'nfe:123'").Scan(&n).Error; err != nil || n != int64(len(pos[0].Items)) {
				t.Errorf("%d invoice-entry movements, want %d (%v)", n, len(pos[0].Items), err)
			}

			switch then {
			case "invoiced":
				if err := f.svc.MarkInvoiced(f.ctx, so.ID, 0, "NF-e de faturamento."); err != nil {
					t.Fatal(err)
				}
				for _, it := range so.Items {
					ph, r := f.stockOf(it.SKU)
					if ph != before[it.SKU].physical-it.Quantity || r != before[it.SKU].reserved-it.Quantity {
						t.Errorf("after invoicing %s: physical %d reserved %d, want each line consumed once", it.SKU, ph, r)
					}
				}
			case "cancelled":
				if err := sb.Cancel(context.Background(), so.ExternalID, "Cliente desistiu"); err != nil {
					t.Fatal(err)
				}
				p, err := f.st.FindPlatform(f.ctx, so.PlatformID)
				if err != nil {
					t.Fatal(err)
				}
				f.run(p)
				for _, it := range so.Items {
					ph, r := f.stockOf(it.SKU)
					wantPh := before[it.SKU].physical
					if booked[it.ProductID] {
						wantPh -= it.Quantity
					}
					if ph != wantPh || r != before[it.SKU].reserved-it.Quantity {
						t.Errorf("after cancelling %s: physical %d reserved %d", it.SKU, ph, r)
					}
				}
			}
			f.verifyLedger()
		})
	}
}

// forceBilled is a test shortcut past the fiscal steps: the bill change
// taken from the PO's current status, whatever it is.
func forceBilled(po *model.PurchaseOrder, at time.Time) model.POChange {
	ch := model.POChange{POTransition: model.POLifecycle[model.POActBill], At: at}
	ch.From = []model.POStatus{po.Status}
	return ch
}

func mustDecide(t *testing.T, po *model.PurchaseOrder, a model.POAction) model.POChange {
	t.Helper()
	ch, err := po.Decide(a, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	return ch
}
