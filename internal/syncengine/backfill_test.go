package syncengine_test

import (
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// TestBackfillImportsPaidOrdersThePortalLacks: connecting a VTEX store
// imports its orders paid or ready for handling (List orders) that the portal
// does not have; orders already imported, unpaid or in handling are not
// fetched.
func TestBackfillImportsPaidOrdersThePortalLacks(t *testing.T) {
	f := newFixture(t)
	f.product("PECA", 50)
	f.product("BIGBML", 10)
	p, fake := vtexPlatform(f)
	fake.SetSKU("PECA", "501")
	f.mapCarrier(p, "Normal", "Correios")
	items := []vtexfake.Item{{RefID: "PECA", Quantity: 1, Price: 1000}}
	known, _ := fake.AddOrder("payment-approved", items)
	f.run(p) // the feed brings the examples and `known`
	f.order(p, known)
	paid, _ := fake.AddOrder("payment-approved", items)
	ready, _ := fake.AddOrder("ready-for-handling", items)
	unpaid, _ := fake.AddOrder("payment-pending", items)
	handling, _ := fake.AddOrder("handling", items)
	before := fake.Count(vtexfake.EndpointOrder)

	rep, err := f.svc.Backfill(f.ctx, p.ID, 7)
	if err != nil {
		t.Fatal(err)
	}
	// OrderFeed (ready) was imported by the feed run too.
	if rep.Imported != 2 || rep.Listed != 4 || rep.Skipped != 2 {
		t.Fatalf("report %+v, want 4 listed, 2 imported, 2 skipped", rep)
	}
	if o := f.order(p, paid); o.Status != model.SOPaymentApproved || !o.Reserved {
		t.Errorf("backfilled paid order: %s reserved %v", o.Status, o.Reserved)
	}
	if o := f.order(p, ready); o.Status != model.SOReadyForHandling || !o.Reserved {
		t.Errorf("backfilled ready order: %s reserved %v", o.Status, o.Reserved)
	}
	for _, id := range []string{unpaid, handling} {
		if _, err := f.st.FindSalesOrderByExternalID(f.ctx, p.ID, id); err == nil {
			t.Errorf("order %s backfilled though not paid-and-ready", id)
		}
	}
	if n := fake.Count(vtexfake.EndpointOrder) - before; n != 2 {
		t.Errorf("%d Get order calls, want 2 (only the orders the portal lacks)", n)
	}
	if _, err := f.svc.Backfill(f.ctx, p.ID, 0); err == nil {
		t.Error("a window of 0 days accepted")
	}
}
