package syncengine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/platformtest"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
	"github.com/connectparts/portal/internal/syncengine"
)

func TestAvailableFormula(t *testing.T) {
	for _, c := range []struct{ physical, reserved, handling, want int64 }{
		{10, 5, 2, 7},  // the worked example: VTEX sells 7 − 2 = 5
		{2, 5, 2, 0},   // 2 − 5 + 2 = −1 → 0
		{0, 2, 0, 0},   // overbooked: clamped, never negative
		{10, 0, 0, 10}, // nothing reserved
	} {
		if got := syncengine.Available(c.physical, c.reserved, c.handling); got != c.want {
			t.Errorf("Available(%d, %d, %d) = %d, want %d", c.physical, c.reserved, c.handling, got, c.want)
		}
	}
}

// pushedQty is the last quantity the fake received for a VTEX SKU id.
func pushedQty(t *testing.T, fake *vtexfake.Server, skuID string) int64 {
	t.Helper()
	s, ok := fake.Stock(skuID, "1fabf84")
	if !ok {
		t.Fatalf("no stock pushed for sku id %s", skuID)
	}
	return s.Quantity
}

func TestPushStockCoalescesPerSKU(t *testing.T) {
	f := newFixture(t)
	p, fake := vtexPlatform(f)
	const skus, moves = 500, 10000
	if testing.Short() {
		t.Skip("10,000 movements")
	}
	prods := make([]*model.Product, skus)
	for i := range prods {
		sku := fmt.Sprintf("CO-%03d", i)
		prods[i] = f.product(sku, 0)
		fake.SetSKU(sku, fmt.Sprint(1000+i))
	}
	loc, err := f.stock.LocationFor(f.ctx, prods[0])
	if err != nil {
		t.Fatal(err)
	}
	// 10,000 movements, 20 per SKU, in batches of 100 per transaction.
	for b := 0; b < moves/100; b++ {
		err := f.st.Tx(f.ctx, func(ctx2 context.Context) error {
			for i := 0; i < 100; i++ {
				n := b*100 + i
				if _, err := f.stock.Adjust(ctx2, prods[n%skus].ID, loc.ID, 1, model.SourceManual, "m", "entrada"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := f.svc.PushStock(f.ctx, p.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if n := fake.Count(vtexfake.EndpointInventory); n > skus || rep.Pushed != skus {
		t.Fatalf("%d SetStock calls (report %+v), want ≤ %d", n, rep, skus)
	}
	if q := pushedQty(t, fake, "1007"); q != moves/skus {
		t.Fatalf("pushed %d, want %d", q, moves/skus)
	}
	// Nothing changed: nothing is sent again.
	before := fake.Count(vtexfake.EndpointInventory)
	if rep, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil || rep.Pushed != 0 {
		t.Fatalf("second push: %+v %v", rep, err)
	}
	// A change back and forth ends where the platform already is: no call.
	if _, err := f.stock.Adjust(f.ctx, prods[1].ID, loc.ID, 1, model.SourceManual, "m", "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.stock.Adjust(f.ctx, prods[1].ID, loc.ID, -1, model.SourceManual, "m", "x"); err != nil {
		t.Fatal(err)
	}
	if rep, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil || rep.Pushed != 0 || rep.Unchanged != 1 {
		t.Fatalf("round trip push: %+v %v", rep, err)
	}
	// The daily reconciliation re-sends everything: the portal wins.
	if rep, err := f.svc.PushStock(f.ctx, p.ID, true); err != nil || rep.Pushed != skus {
		t.Fatalf("forced push: %+v %v", rep, err)
	}
	if got := fake.Count(vtexfake.EndpointInventory) - before; got != skus {
		t.Fatalf("forced push made %d calls, want %d", got, skus)
	}
}

// TestPushStockClampsAndAddsBackVTEXConfirmed: the figure sent to VTEX adds
// back only the units VTEX itself still subtracts as confirmed reservations
// (paid orders not yet in handling), never those of orders in handling, whose
// acknowledged reservations the quantity update zeroes (see Available).
func TestPushStockClampsAndAddsBackVTEXConfirmed(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10)
	over := f.product("OVER", 1)
	p, fake := vtexPlatform(f)
	fake.SetSKU("OVER", "77")
	f.mapCarrier(p, "Normal", "Correios")
	loc, err := f.stock.LocationFor(f.ctx, over)
	if err != nil {
		t.Fatal(err)
	}
	// Overbooked: 1 physical, 3 reserved → available −2, pushed 0.
	if _, err := f.stock.Reserve(f.ctx, over.ID, loc.ID, 3, "manual"); err != nil {
		t.Fatal(err)
	}
	// OrderFull is in handling (1 unit), OrderFeed ready for handling (1 unit):
	// physical 10, reserved 2 → ours 8; VTEX still subtracts OrderFeed's
	// confirmed unit, so it receives 8 + 1 = 9 and sells 9 − 1 = 8.
	f.run(p)
	if _, r := f.stockOf("BIGBML"); r != 2 {
		t.Fatalf("reserved %d, want 2", r)
	}
	if _, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil {
		t.Fatal(err)
	}
	if q := pushedQty(t, fake, "77"); q != 0 {
		t.Fatalf("overbooked SKU pushed %d, want 0", q)
	}
	if q := pushedQty(t, fake, "18"); q != 9 {
		t.Fatalf("BIGBML pushed %d, want 9 (8 available + 1 confirmed at VTEX)", q)
	}
	if got := fake.Storefront("18"); got != 8 {
		t.Fatalf("storefront sells %d, want 8", got)
	}
	// Start handling of OrderFeed is sent: its reservation is acknowledged,
	// the next update zeroes it, so its unit is no longer added back: 8.
	if n, err := f.svc.PushStatuses(f.ctx, p.ID, 0); err != nil || n != 1 {
		t.Fatalf("status push: %d %v", n, err)
	}
	if st := fake.Status(vtexfake.OrderFeed); st != "handling" {
		t.Fatalf("VTEX status %q, want handling", st)
	}
	if got := fake.Storefront("18"); got != 8 {
		t.Fatalf("storefront sells %d after start-handling, want 8", got)
	}
	if _, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil {
		t.Fatal(err)
	}
	if q := pushedQty(t, fake, "18"); q != 8 {
		t.Fatalf("BIGBML pushed %d, want 8", q)
	}
	if got := fake.Storefront("18"); got != 8 {
		t.Fatalf("storefront sells %d, want 8", got)
	}
	// Invoicing OrderFull consumes its unit: physical 9, reserved 1
	// (OrderFeed, in handling) → 8, pushed as is.
	fake.SetStatus(vtexfake.OrderFull, "invoiced")
	fake.Enqueue(event(vtexfake.OrderFull, "invoiced", "2026-01-05T16:00:00Z"))
	f.run(p)
	if _, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil {
		t.Fatal(err)
	}
	if q := pushedQty(t, fake, "18"); q != 8 {
		t.Fatalf("after invoicing BIGBML pushed %d, want 8", q)
	}
	if got := fake.Storefront("18"); got != 8 {
		t.Fatalf("storefront sells %d, want 8", got)
	}
	f.verifyLedger()
}

func TestPushStockFailureIsKeptAndRetried(t *testing.T) {
	f := newFixture(t)
	prod := f.product("BIGBML", 4)
	p, fake := vtexPlatform(f)
	fake.Fail(vtexfake.EndpointInventory, platformtest.Fault{Status: 500})
	rep, err := f.svc.PushStock(f.ctx, p.ID, false)
	if err == nil || rep.Pushed != 0 || rep.Error == "" {
		t.Fatalf("push against a 500: %+v %v", rep, err)
	}
	st, err := f.st.FindStockPushState(f.ctx, p.ID, prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Dirty || st.Attempts != 1 || st.LastErrorKind != string(platform.ErrTemporary) || !strings.Contains(st.LastError, "VTEX") {
		t.Fatalf("failed push state: %+v", st)
	}
	run, err := f.st.FindSyncRun(f.ctx, rep.RunID)
	if err != nil || run.Status != model.SyncFailed || run.Kind != model.SyncKindStockPush || run.ErrorMessage == "" {
		t.Fatalf("sync run: %+v %v", run, err)
	}
	t.Logf("recorded error: %s", run.ErrorMessage)

	fake.ClearFaults()
	if rep, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil || rep.Pushed != 1 {
		t.Fatalf("retry: %+v %v", rep, err)
	}
	if q := pushedQty(t, fake, "18"); q != 4 {
		t.Fatalf("pushed %d, want 4", q)
	}
	st, _ = f.st.FindStockPushState(f.ctx, p.ID, prod.ID)
	if st.Dirty || st.Attempts != 0 || st.LastError != "" || st.PushedAvailable == nil || *st.PushedAvailable != 4 {
		t.Fatalf("state after retry: %+v", st)
	}

	// A SKU VTEX does not know is refused for good: recorded, not retried forever.
	unknown := f.product("NAOEXISTE", 2)
	if rep, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil || rep.Refused != 1 {
		t.Fatalf("unknown SKU: %+v %v", rep, err)
	}
	st, _ = f.st.FindStockPushState(f.ctx, p.ID, unknown.ID)
	if st.Dirty || st.LastErrorKind != string(platform.ErrNotFound) {
		t.Fatalf("unknown SKU state: %+v", st)
	}
}

func TestStatusPushesStartHandlingAndCancel(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	f.run(p)

	// The platform is down: the action stays pending with the reason.
	fake.Fail(vtexfake.EndpointStartHandling, platformtest.Fault{Status: 429, RetryAfter: "1", Times: 10})
	if n, err := f.svc.PushStatuses(f.ctx, p.ID, 0); err == nil || n != 0 {
		t.Fatalf("push against 429: %d %v", n, err)
	}
	pending, err := f.st.PendingStatusPushes(f.ctx, p.ID, 0)
	if err != nil || len(pending) != 1 || pending[0].Action != model.ActionStartHandling || pending[0].LastError == "" {
		t.Fatalf("pending after failure: %+v %v", pending, err)
	}
	fake.ClearFaults()
	if n, err := f.svc.PushStatuses(f.ctx, p.ID, 0); err != nil || n != 1 {
		t.Fatalf("retry: %d %v", n, err)
	}
	if st := fake.Status(vtexfake.OrderFeed); st != "handling" {
		t.Fatalf("VTEX status %q", st)
	}

	// Staff cancel: one cancellation reaches VTEX, once.
	so := f.order(p, vtexfake.OrderFeed)
	if err := f.svc.QueueCancel(f.ctx, so.ID, "Sem estoque no fornecedor"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.QueueCancel(f.ctx, so.ID, "de novo"); err != nil {
		t.Fatal(err)
	}
	if n, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || n != 1 {
		t.Fatalf("cancel push: %d %v", n, err)
	}
	if c := fake.Cancellations(vtexfake.OrderFeed); len(c) != 1 {
		t.Fatalf("cancellations %v", c)
	}
}

func TestRunCycleImportsPushesAndReportsErrors(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 10)
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	rep, err := f.svc.RunCycle(f.ctx, p.ID)
	if err != nil || !rep.OK() || rep.Import.Imported != 2 || rep.Stock.Pushed != 1 || rep.StatusesSent != 1 {
		t.Fatalf("cycle: %+v %v", rep, err)
	}
	// Garbage, then an expired token: each failure is recorded in Portuguese
	// and the next cycle loses nothing.
	fake.AddOrders(3, "ready-for-handling")
	for _, fault := range []platformtest.Fault{platformtest.Garbage(), {Status: 401}} {
		fake.Fail(vtexfake.EndpointOrder, fault)
		rep, err := f.svc.RunCycle(f.ctx, p.ID)
		if err == nil || rep.OK() || rep.Import.Error == "" {
			t.Fatalf("cycle with %+v: %+v %v", fault, rep, err)
		}
		t.Logf("%d: %s", fault.Status, rep.Import.Error)
		fake.ClearFaults()
		fake.ExpireInflight() // the feed hands uncommitted events out again
	}
	rep, err = f.svc.RunCycle(f.ctx, p.ID)
	if err != nil || rep.Import.Imported != 3 || rep.StatusesSent != 3 {
		t.Fatalf("recovery cycle: %+v %v", rep, err)
	}
	if n := f.orderCount(p); n != 5 {
		t.Fatalf("%d orders, want 5", n)
	}
}

// A platform that does not answer in time: the push records a Portuguese
// reason, keeps the product for retry and succeeds once the platform is back.
func TestPushStockTimeoutIsRetried(t *testing.T) {
	f := newFixture(t)
	prod := f.product("BIGBML", 3)
	p, fake := vtexPlatform(f)
	cfg, err := vtex.ParseSettings(fake.URL, map[string]string{
		"account": "connectparts", "app_key": fake.AppKey, "app_token": fake.AppToken, "warehouse": "1fabf84",
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 100 * time.Millisecond
	ad, err := vtex.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Registry().Use(p.ID, ad)
	fake.Fail(vtexfake.EndpointInventory, platformtest.Fault{Delay: 2 * time.Second})
	rep, err := f.svc.PushStock(f.ctx, p.ID, false)
	if err == nil || rep.Error == "" {
		t.Fatalf("push against a slow platform: %+v %v", rep, err)
	}
	t.Logf("recorded error: %s", rep.Error)
	st, err := f.st.FindStockPushState(f.ctx, p.ID, prod.ID)
	if err != nil || !st.Dirty || st.LastError == "" || !platform.ErrorKind(st.LastErrorKind).Retryable() {
		t.Fatalf("state: %+v %v", st, err)
	}
	fake.ClearFaults()
	if rep, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil || rep.Pushed != 1 {
		t.Fatalf("retry: %+v %v", rep, err)
	}
}
