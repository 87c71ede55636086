package syncengine_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// TestVTEXStorefrontSellsPortalAvailable walks one SKU through orders at
// every stage — placed unpaid, paid, window to cancel, ready for handling,
// handling, invoiced, cancelled — with vtexfake keeping VTEX's reservations as
// the help center documents them (authorized → confirmed → acknowledged; a
// quantity update zeroes the acknowledged ones). At every stage, once the
// portal has imported, pushed statuses and pushed stock, what the storefront
// sells equals the portal's available less only the units VTEX holds for its
// own unpaid orders (authorized reservations), which the portal does not
// reserve.
func TestVTEXStorefrontSellsPortalAvailable(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10) // the examples' orders, already in the feed
	f.product("PECA", 20)
	p, fake := vtexPlatform(f)
	fake.SetSKU("PECA", "501")
	f.mapCarrier(p, "Normal", "Correios")

	var ids []string
	at := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	// settle is the portal doing its work: import what VTEX reports (an event
	// per order: the fake's start-handling, like ChangeStatus, moves the
	// order; events repeat harmlessly), send the queued statuses, import
	// again, push the stock.
	settle := func() {
		t.Helper()
		for _, id := range ids {
			at = at.Add(time.Second)
			fake.Enqueue(event(id, fake.Status(id), at.Format(time.RFC3339)))
		}
		f.run(p)
		if _, err := f.svc.PushStatuses(f.ctx, p.ID, 0); err != nil {
			t.Fatalf("status push: %v", err)
		}
		for _, id := range ids {
			at = at.Add(time.Second)
			fake.Enqueue(event(id, fake.Status(id), at.Format(time.RFC3339)))
		}
		f.run(p)
		if _, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil {
			t.Fatalf("stock push: %v", err)
		}
	}
	add := func(status string, qty int64) string {
		id, _ := fake.AddOrder(status, []vtexfake.Item{{RefID: "PECA", Quantity: qty, Price: 1000}})
		ids = append(ids, id)
		return id
	}
	var a, b string
	steps := []struct {
		stage string
		act   func()
		// want: what the storefront sells, worked out by hand from the
		// reservation rules; unpaid: units of VTEX's unpaid orders.
		want, unpaid int64
	}{
		{"no orders", func() {}, 20, 0},
		{"placed unpaid (A, 2)", func() { a = add("payment-pending", 2) }, 18, 2},
		{"paid (B, 3)", func() { b = add("payment-approved", 3) }, 15, 2},
		{"window to cancel (C, 1)", func() { add("window-to-cancel", 1) }, 14, 2},
		// D reaches ready-for-handling; the portal starts handling at once,
		// so D's reservation is acknowledged and zeroed by the next update.
		{"ready → handling (D, 2)", func() { add("ready-for-handling", 2) }, 12, 2},
		{"handling from the start (E, 1)", func() { add("handling", 1) }, 11, 2},
		{"invoiced (D)", func() { fake.ChangeStatus(ids[3], "invoiced") }, 11, 2},
		{"cancelled (B)", func() { fake.ChangeStatus(b, "canceled") }, 14, 2},
		{"unpaid order paid (A)", func() { fake.ChangeStatus(a, "payment-approved") }, 14, 0},
		{"invoiced from handling (E)", func() { fake.ChangeStatus(ids[4], "invoiced") }, 14, 0},
	}
	for _, s := range steps {
		s.act()
		settle()
		physical, reserved := f.stockOf("PECA")
		available := physical - reserved
		unpaid := fake.Reserved("501")[vtexfake.ReservationAuthorized]
		got := fake.Storefront("501")
		if unpaid != s.unpaid {
			t.Errorf("%s: VTEX holds %d units for unpaid orders, want %d", s.stage, unpaid, s.unpaid)
		}
		if got != s.want || got != available-unpaid {
			st, _ := fake.Stock("501", "1fabf84")
			t.Errorf("%s: storefront sells %d, want %d = portal available %d (physical %d − reserved %d) − unpaid %d; pushed %d, reservations %v",
				s.stage, got, s.want, available, physical, reserved, unpaid, st.Quantity, fake.Reserved("501"))
		}
	}
	// D and E were invoiced: their units left the portal's physical stock.
	if physical, reserved := f.stockOf("PECA"); physical != 17 || reserved != 3 {
		t.Errorf("PECA physical %d reserved %d, want 17 and 3 (A 2 + C 1)", physical, reserved)
	}
	if o := f.order(p, ids[3]); o.Status != model.SOInvoiced {
		t.Errorf("D is %s in the portal, want invoiced", o.Status)
	}
	f.verifyLedger()
}
