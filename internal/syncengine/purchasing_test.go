package syncengine_test

import (
	"sync"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
)

// TestImportCreatesPurchaseOrders: the import creates one PO per order that
// reached payment approved (or later), in the order's transaction, and
// importing again — or at once from two instances — creates none twice; an
// order awaiting payment gets its PO when its payment is approved.
func TestImportCreatesPurchaseOrders(t *testing.T) {
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

	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.RunImport(f.ctx, p.ID); err != nil {
				t.Errorf("run: %v", err)
			}
		}()
	}
	wg.Wait()
	f.run(p)

	due := func(s model.SOStatus) bool {
		return s != model.SOAwaitingPayment && s != model.SOCancelled && s != model.SOUnknown
	}
	var pending string
	for _, o := range sb.Orders() {
		if o.Status == model.SOCancelled {
			continue
		}
		so := f.order(p, o.ExternalID)
		pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, so.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if due(o.Status) {
			want = 1
		} else if pending == "" {
			pending = o.ExternalID
		}
		if len(pos) != want {
			t.Fatalf("order %s (%s): %d POs, want %d", o.ExternalID, o.Status, len(pos), want)
		}
		if want == 1 && pos[0].Status != model.PONoPrice {
			t.Errorf("PO without a price table: %s, want no_price", pos[0].Status)
		}
	}
	if pending == "" {
		t.Fatal("no order awaiting payment; change the seed")
	}
	if err := sb.SetStatus(pending, model.SOPaymentApproved); err != nil {
		t.Fatal(err)
	}
	f.run(p)
	so := f.order(p, pending)
	pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, so.ID)
	if err != nil || len(pos) != 1 {
		t.Fatalf("after payment: %d POs, %v", len(pos), err)
	}
	evs := f.events(so)
	if evs[len(evs)-1] != model.OrderEventPurchaseOrder && !containsKind(evs, model.OrderEventPurchaseOrder) {
		t.Errorf("timeline %v lacks the PO", evs)
	}
}

func containsKind(kinds []string, k string) bool {
	for _, v := range kinds {
		if v == k {
			return true
		}
	}
	return false
}
