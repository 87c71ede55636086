package syncengine_test

import (
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// TestImportOrderFetchesTheNotifiedOrder: the job a notification queues
// fetches the order from VTEX (the portal does not have it yet) and applies
// it; an order VTEX does not have is skipped, not an error.
func TestImportOrderFetchesTheNotifiedOrder(t *testing.T) {
	f := newFixture(t)
	f.product("PECA", 5)
	p, fake := vtexPlatform(f)
	fake.SetSKU("PECA", "501")
	f.mapCarrier(p, "Normal", "Correios")
	id, _ := fake.AddOrder("ready-for-handling", []vtexfake.Item{{RefID: "PECA", Quantity: 2, Price: 1500}})
	if err := f.svc.ImportOrder(f.ctx, p.ID, id); err != nil {
		t.Fatal(err)
	}
	o := f.order(p, id)
	if o.Status != model.SOReadyForHandling || !o.Reserved {
		t.Fatalf("imported order: %s reserved %v", o.Status, o.Reserved)
	}
	if _, r := f.stockOf("PECA"); r != 2 {
		t.Fatalf("reserved %d, want 2", r)
	}
	if n := fake.Count(vtexfake.EndpointOrder); n != 1 {
		t.Fatalf("%d Get order calls, want 1", n)
	}
	// Imported again: idempotent.
	if err := f.svc.ImportOrder(f.ctx, p.ID, id); err != nil {
		t.Fatal(err)
	}
	if _, r := f.stockOf("PECA"); r != 2 {
		t.Fatalf("reserved %d after a repeat, want 2", r)
	}
	if err := f.svc.ImportOrder(f.ctx, p.ID, "0000000000000-01"); err != nil {
		t.Fatalf("unknown order: %v", err)
	}
}
