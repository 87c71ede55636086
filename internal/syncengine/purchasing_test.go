package syncengine_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/syncengine"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/pricetable"
)

// TestImportCreatesPurchaseOrders: under the default po_at
// (ready_for_handling) the import creates one PO per order that reached
// ready for handling (or later), in the order's transaction, and importing
// again — or at once from two instances — creates none twice. An order whose
// payment was approved holds its stock reserved but gets no PO until it is
// ready for handling (after the platform's cancellation window).
func TestImportCreatesPurchaseOrders(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	f.withPurchasing(pricetable.NewService(f.st, t.TempDir()))
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	if p.POAt != model.POAtReadyForHandling {
		t.Fatalf("default po_at %q", p.POAt)
	}
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

	var awaiting, approved string
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
		switch o.Status {
		case model.SOAwaitingPayment:
			if awaiting == "" {
				awaiting = o.ExternalID
			}
		case model.SOPaymentApproved:
			if !so.Reserved {
				t.Errorf("order %s (payment approved) holds no reservation", o.ExternalID)
			}
			if approved == "" {
				approved = o.ExternalID
			}
		default:
			want = 1
		}
		if len(pos) != want {
			t.Fatalf("order %s (%s): %d POs, want %d", o.ExternalID, o.Status, len(pos), want)
		}
		if want == 1 && pos[0].Status != model.PONoPrice {
			t.Errorf("PO without a price table: %s, want no_price", pos[0].Status)
		}
	}
	if awaiting == "" || approved == "" {
		t.Fatalf("seed lacks an order awaiting payment (%q) or payment approved (%q); change the seed", awaiting, approved)
	}
	countPOs := func(id string) int {
		t.Helper()
		pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, f.order(p, id).ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(pos)
	}
	// Payment approved: reserved, still no PO (the customer may cancel).
	if err := sb.SetStatus(awaiting, model.SOPaymentApproved); err != nil {
		t.Fatal(err)
	}
	f.run(p)
	if so := f.order(p, awaiting); !so.Reserved || countPOs(awaiting) != 0 {
		t.Fatalf("after payment: reserved %v, %d POs; want reserved and no PO", so.Reserved, countPOs(awaiting))
	}
	// Ready for handling: the PO.
	for _, id := range []string{awaiting, approved} {
		if err := sb.SetStatus(id, model.SOReadyForHandling); err != nil {
			t.Fatal(err)
		}
	}
	f.run(p)
	for _, id := range []string{awaiting, approved} {
		if n := countPOs(id); n != 1 {
			t.Fatalf("order %s ready for handling: %d POs, want 1", id, n)
		}
		if evs := f.events(f.order(p, id)); !containsKind(evs, model.OrderEventPurchaseOrder) {
			t.Errorf("timeline %v lacks the PO", evs)
		}
	}
}

// TestPOAtPaymentApproved: with po_at = payment_approved the PO is raised as
// soon as the payment is approved.
func TestPOAtPaymentApproved(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	f.withPurchasing(pricetable.NewService(f.st, t.TempDir()))
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30", "po_at": "payment_approved"})
	if p.POAt != model.POAtPaymentApproved {
		t.Fatalf("po_at %q", p.POAt)
	}
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.run(p)
	seen := 0
	for _, o := range sb.Orders() {
		if o.Status != model.SOPaymentApproved {
			continue
		}
		seen++
		pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, f.order(p, o.ExternalID).ID)
		if err != nil || len(pos) != 1 {
			t.Fatalf("order %s (payment approved, po_at payment_approved): %d POs %v", o.ExternalID, len(pos), err)
		}
	}
	if seen == 0 {
		t.Fatal("no order in payment approved; change the seed")
	}
}

// TestPOAtValidated: po_at is checked for every kind, with a Portuguese
// message on the po_at field, and the platform page's change keeps it.
func TestPOAtValidated(t *testing.T) {
	f := newFixture(t)
	for _, kind := range []string{model.PlatformSandbox, model.PlatformVTEX, model.PlatformMercadoLivre} {
		err := syncengine.ValidateSettings(kind, "", map[string]string{"po_at": "sempre"})
		found := false
		for _, d := range apperr.Details(err) {
			if d.Field == "po_at" && strings.Contains(d.Message, "ready_for_handling") {
				found = true
			}
		}
		if !apperr.Is(err, apperr.EINVALID) || !found {
			t.Errorf("%s: po_at sempre accepted or unnamed: %v %v", kind, err, apperr.Details(err))
		}
	}
	if _, err := f.svc.AddPlatform(f.ctx, syncengine.NewPlatform{Kind: model.PlatformSandbox, Name: "X",
		Settings: map[string]string{"po_at": "x"}}); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("AddPlatform po_at x: %v", err)
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2"})
	ch := syncengine.PlatformChange{Enabled: true, ImportInterval: time.Minute, POAt: "payment_approved"}
	if _, err := f.svc.UpdatePlatform(f.ctx, p.ID, ch); err != nil {
		t.Fatal(err)
	}
	got, err := f.st.FindPlatform(f.ctx, p.ID)
	if err != nil || got.POAt != model.POAtPaymentApproved {
		t.Fatalf("after update: %q %v", got.POAt, err)
	}
	ch.POAt = "amanha"
	if _, err := f.svc.UpdatePlatform(f.ctx, p.ID, ch); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("update po_at amanha: %v", err)
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
