package purchasing_test

import (
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
)

// TestCreateOncePerSupplier: one PO per supplier of the order's dropship
// items, with the customer's data and the prices in force, whatever the
// number of calls — in sequence or at once.
func TestCreateOncePerSupplier(t *testing.T) {
	e := newEnv(t)
	ta := e.table(e.a, "2026-07-10", "PF-100;89,90", "DF-200;0,33")
	so := e.order(model.SOPaymentApproved, "SKU-PF", 2, "SKU-DF", 3, "SKU-B1", 1, "SKU-CD", 5)

	created := e.create(so)
	if len(created) != 2 {
		t.Fatalf("created %d POs, want 2 (one per supplier, none for own stock)", len(created))
	}
	if again := e.create(so); len(again) != 0 {
		t.Fatalf("second call created %d POs", len(again))
	}

	po := e.poOf(so, e.a)
	if po.Status != model.POAwaitingSupplier || len(po.Items) != 2 {
		t.Fatalf("PO of A: %s with %d items", po.Status, len(po.Items))
	}
	if po.TotalCents != 2*8990+3*33 {
		t.Errorf("total %d", po.TotalCents)
	}
	for _, it := range po.Items {
		if it.UnitPriceCents == nil || it.PriceTableID == nil || *it.PriceTableID != ta.ID {
			t.Errorf("item %s not priced by table %d: %+v", it.SupplierCode, ta.ID, it)
		}
	}
	if po.CustomerName != "Maria da Silva" || po.DeliveryIBGECode != "3550308" || po.CustomerDocument != "52998224725" || po.OrderNumber != so.Number {
		t.Errorf("customer and delivery not copied: %+v", po)
	}
	evs, err := e.st.ListPurchaseOrderEvents(e.ctx, po.ID)
	if err != nil || len(evs) == 0 || !contains(evs[0].Message, "pedido de venda "+so.Number+": 2 itens, total R$ 180,79") {
		t.Errorf("creation event: %+v %v", evs, err)
	}
	if !po.DueAt.Equal(po.CreatedAt.Add(24 * time.Hour)) {
		t.Errorf("due %v, created %v: want the supplier's 24 h", po.DueAt, po.CreatedAt)
	}
	if want := "Informar o pedido de compra " + po.Number + " em xPed."; len(po.FiscalNote) == 0 || !contains(po.FiscalNote, want) {
		t.Errorf("fiscal note %q", po.FiscalNote)
	}

	// Several instances at once on a fresh order: still one PO per supplier.
	so2 := e.order(model.SOHandling, "SKU-PF", 1, "SKU-B1", 1)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := e.st.Tx(e.ctx, func(ctx2 ctxT) error {
				_, err := e.svc.CreateForOrder(ctx2, so2.ID)
				return err
			})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent create: %v", err)
		}
	}
	if n := len(e.pos(so2)); n != 2 {
		t.Fatalf("%d POs after concurrent creation, want 2", n)
	}
}

// TestPriceFrozen: the PO keeps the price of the table in force when it was
// created; a later table prices only later POs.
func TestPriceFrozen(t *testing.T) {
	e := newEnv(t)
	t1 := e.table(e.a, "2026-07-10", "PF-100;89,90", "DF-200;0,33")
	so := e.order(model.SOReadyForHandling, "SKU-PF", 1)
	e.create(so)
	t2 := e.table(e.a, "2026-08-01", "PF-100;95,00", "DF-200;0,40")
	e.now = at("2026-08-02 10:00")

	po := e.poOf(so, e.a)
	if p := po.Items[0]; *p.UnitPriceCents != 8990 || *p.PriceTableID != t1.ID {
		t.Fatalf("old PO repriced: %d from table %d", *p.UnitPriceCents, *p.PriceTableID)
	}
	so2 := e.order(model.SOPaymentApproved, "SKU-PF", 1)
	e.create(so2)
	if p := e.poOf(so2, e.a).Items[0]; *p.UnitPriceCents != 9500 || *p.PriceTableID != t2.ID {
		t.Fatalf("new PO: %d from table %d, want 9500 from %d", *p.UnitPriceCents, *p.PriceTableID, t2.ID)
	}
}

// TestNoPrice: an item without a price in force leaves its PO in the
// exceptions queue, never priced at zero, and the supplier cannot act on it.
func TestNoPrice(t *testing.T) {
	e := newEnv(t)
	e.table(e.a, "2026-07-10", "PF-100;89,90") // DF-200 missing; B has no table at all
	so := e.order(model.SOPaymentApproved, "SKU-PF", 1, "SKU-DF", 1, "SKU-B1", 2)
	e.create(so)
	for _, sup := range []*model.Supplier{e.a, e.b} {
		po := e.poOf(so, sup)
		if po.Status != model.PONoPrice {
			t.Errorf("%s: status %s, want no_price", sup.LegalName, po.Status)
		}
		for _, it := range po.Items {
			if it.SupplierCode != "PF-100" && (it.UnitPriceCents != nil || it.TotalCents != nil) {
				t.Errorf("%s priced without a table: %v", it.SupplierCode, *it.UnitPriceCents)
			}
		}
	}
	po := e.poOf(so, e.b)
	_, err := e.svc.Acknowledge(e.ctx, e.b.ID, po.Number)
	wantCode(t, err, apperr.ECONFLICT)
}

// TestAcknowledgeAndBackorder: the state rules of the supplier's answers.
func TestAcknowledgeAndBackorder(t *testing.T) {
	e := newEnv(t)
	e.table(e.a, "2026-07-10", "PF-100;89,90", "DF-200;0,33")
	so := e.order(model.SOPaymentApproved, "SKU-PF", 1)
	e.create(so)
	po := e.poOf(so, e.a)

	_, err := e.svc.Acknowledge(e.ctx, e.b.ID, po.Number)
	wantCode(t, err, apperr.ENOTFOUND) // another supplier's PO
	if _, err := e.svc.Acknowledge(e.ctx, e.a.ID, po.Number); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Acknowledge(e.ctx, e.a.ID, po.Number)
	wantCode(t, err, apperr.ECONFLICT)

	for _, c := range []struct{ date, reason string }{{"", "sem estoque"}, {"2026-07-09", "sem estoque"}, {"10/07/2026x", "x"}, {"2026-07-20", " "}} {
		_, err := e.svc.Backorder(e.ctx, e.a.ID, po.Number, c.date, c.reason)
		wantCode(t, err, apperr.EINVALID)
	}
	got, err := e.svc.Backorder(e.ctx, e.a.ID, po.Number, "2026-07-20", "Aguardando importação")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != model.POBackordered || got.BackorderAvailableOn != "2026-07-20" {
		t.Fatalf("backorder: %+v", got)
	}
	_, err = e.svc.Backorder(e.ctx, e.a.ID, po.Number, "2026-07-21", "de novo")
	wantCode(t, err, apperr.ECONFLICT)
	_, err = e.svc.Acknowledge(e.ctx, e.a.ID, po.Number)
	wantCode(t, err, apperr.ECONFLICT)
	evs, err := e.st.ListPurchaseOrderEvents(e.ctx, po.ID)
	if err != nil || len(evs) != 3 {
		t.Fatalf("history: %d events, %v", len(evs), err)
	}
	_ = purchasing.DefaultFiscalNote
}

// TestFiscalNoteSetting: the configured text, with the PO number in it.
func TestFiscalNoteSetting(t *testing.T) {
	e := newEnv(t)
	if err := e.st.SetSetting(e.ctx, purchasing.SettingFiscalNote, "Venda à ordem — pedido {pedido}."); err != nil {
		t.Fatal(err)
	}
	so := e.order(model.SOPaymentApproved, "SKU-B1", 1)
	e.create(so)
	po := e.poOf(so, e.b)
	if po.FiscalNote != "Venda à ordem — pedido "+po.Number+"." {
		t.Fatalf("fiscal note %q", po.FiscalNote)
	}
}
