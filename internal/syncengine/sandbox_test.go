package syncengine_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/sandbox"
	"github.com/connectparts/portal/internal/syncengine"
)

var skus = []string{"CP-001", "CP-002", "CP-003"}

var carriers = map[string]string{"Normal": "Correios", "Expressa": "Jadlog", "Econômica": "Loggi"}

func sandboxOf(f *fixture, p *model.Platform) *sandbox.Platform {
	f.t.Helper()
	ad, err := f.svc.Registry().Adapter(f.ctx, p)
	if err != nil {
		f.t.Fatal(err)
	}
	return ad.(*sandbox.Platform)
}

// expectedReserved sums the quantities of the orders that hold stock.
func expectedReserved(orders []platform.Order, importable func(platform.Order) bool) map[string]int64 {
	out := map[string]int64{}
	for _, o := range orders {
		if !importable(o) || !o.Reserve {
			continue
		}
		for _, it := range o.Items {
			out[it.SKU] += it.Quantity
		}
	}
	return out
}

func (f *fixture) checkReserved(want map[string]int64, physical map[string]int64) {
	f.t.Helper()
	for _, sku := range skus {
		p, r := f.stockOf(sku)
		if r != want[sku] || p != physical[sku] {
			f.t.Errorf("%s: physical %d reserved %d, want physical %d reserved %d", sku, p, r, physical[sku], want[sku])
		}
	}
	f.verifyLedger()
}

func find(orders []platform.Order, taken map[string]bool, ok func(platform.Order) bool) platform.Order {
	for _, o := range orders {
		if !taken[o.ExternalID] && ok(o) {
			taken[o.ExternalID] = true
			return o
		}
	}
	panic("no sandbox order matches; change the seed")
}

func TestSandboxImportReservesAndFollowsStatus(t *testing.T) {
	f := newFixture(t)
	physical := map[string]int64{}
	for _, sku := range skus {
		f.product(sku, 100)
		physical[sku] = 100
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	initial := sb.Orders()
	importable := func(o platform.Order) bool { return o.Status != model.SOCancelled }

	rep := f.run(p)
	want := 0
	for _, o := range initial {
		if importable(o) {
			want++
		}
	}
	if !rep.OK() || rep.Imported != want || rep.Skipped != len(initial)-want || rep.Blocked != 0 || rep.Updated != 0 {
		t.Fatalf("first run: %+v, want %d imported and %d skipped", rep, want, len(initial)-want)
	}
	if n := f.orderCount(p); n != int64(want) {
		t.Fatalf("%d orders stored, want %d", n, want)
	}
	reserved := expectedReserved(initial, importable)
	f.checkReserved(reserved, physical)
	for _, o := range initial {
		if !importable(o) {
			continue
		}
		so := f.order(p, o.ExternalID)
		if so.Status != o.Status || so.Reserved != o.Reserve || len(so.Items) != len(o.Items) ||
			so.CustomerDocument != o.Customer.Document || so.DeliveryIBGECode != o.Address.IBGECityCode ||
			so.TotalCents != o.TotalCents || so.CarrierID == nil || so.ShippingMethod != o.ShippingMethod {
			t.Errorf("order %s stored as %+v", o.ExternalID, so)
		}
		if ev := f.events(so); len(ev) == 0 || ev[0] != model.OrderEventImported || slices.Contains(ev, model.OrderEventStockReserved) != o.Reserve {
			t.Errorf("order %s events %v (reserve %v)", o.ExternalID, ev, o.Reserve)
		}
	}

	// Nothing new: the events were acknowledged.
	if rep := f.run(p); rep.Imported+rep.Updated+rep.Blocked+rep.Skipped != 0 {
		t.Fatalf("second run: %+v", rep)
	}

	taken := map[string]bool{}
	holds := func(o platform.Order) bool { return o.Status == model.SOReadyForHandling }
	cancelled := find(initial, taken, holds)
	invoiced := find(initial, taken, holds)
	pending := find(initial, taken, func(o platform.Order) bool { return o.Status == model.SOAwaitingPayment })
	for id, s := range map[string]model.SOStatus{
		cancelled.ExternalID: model.SOCancelled,
		invoiced.ExternalID:  model.SOInvoiced,
		pending.ExternalID:   model.SOPaymentApproved,
	} {
		if err := sb.SetStatus(id, s); err != nil {
			t.Fatal(err)
		}
	}
	rep = f.run(p)
	if rep.Updated != 3 || rep.Imported != 0 {
		t.Fatalf("status run: %+v", rep)
	}
	for _, it := range cancelled.Items {
		reserved[it.SKU] -= it.Quantity
	}
	for _, it := range invoiced.Items {
		reserved[it.SKU] -= it.Quantity
		physical[it.SKU] -= it.Quantity
	}
	for _, it := range pending.Items {
		reserved[it.SKU] += it.Quantity
	}
	f.checkReserved(reserved, physical)
	if so := f.order(p, cancelled.ExternalID); so.Status != model.SOCancelled || so.Reserved || !slices.Contains(f.events(so), model.OrderEventStockReleased) {
		t.Errorf("cancelled order: %+v %v", so, f.events(so))
	}
	if so := f.order(p, invoiced.ExternalID); so.Status != model.SOInvoiced || so.Reserved || !so.StockConsumed {
		t.Errorf("invoiced order: %+v", so)
	}
	if so := f.order(p, pending.ExternalID); so.Status != model.SOPaymentApproved || !so.Reserved || so.PaidAt == nil {
		t.Errorf("approved order: %+v", so)
	}

	// A later event of an invoiced order never consumes twice.
	if err := sb.SetStatus(invoiced.ExternalID, model.SODelivered); err != nil {
		t.Fatal(err)
	}
	if rep := f.run(p); rep.Updated != 1 {
		t.Fatalf("delivered run: %+v", rep)
	}
	f.checkReserved(reserved, physical)
	if n := f.orderCount(p); n != int64(want) {
		t.Fatalf("%d orders stored, want %d", n, want)
	}
}

// ackFails acknowledges nothing the first time: the run "crashes" after
// applying every order and before the platform heard about it.
type ackFails struct {
	platform.Adapter
	failures int
}

func (a *ackFails) Ack(ctx context.Context, ch []platform.Change) error {
	if a.failures > 0 {
		a.failures--
		return platform.NewError(platform.ErrTemporary, model.PlatformSandbox, "ack", "A plataforma de demonstração não confirmou os eventos.", nil)
	}
	return a.Adapter.Ack(ctx, ch)
}

func TestReimportAfterFailedAckDoesNotDuplicate(t *testing.T) {
	f := newFixture(t)
	physical := map[string]int64{}
	for _, sku := range skus {
		f.product(sku, 50)
		physical[sku] = 50
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "3", "orders": "12"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.svc.Registry().Use(p.ID, &ackFails{Adapter: sb, failures: 1})

	rep, err := f.svc.RunImport(f.ctx, p.ID)
	if err == nil || rep.OK() || rep.Error != "A plataforma de demonstração não confirmou os eventos." {
		t.Fatalf("run with failing ack: %+v %v", rep, err)
	}
	first := rep.Imported
	if first == 0 {
		t.Fatal("nothing imported before the failed ack")
	}
	importable := func(o platform.Order) bool { return o.Status != model.SOCancelled }
	reserved := expectedReserved(sb.Orders(), importable)
	f.checkReserved(reserved, physical)

	rep = f.run(p)
	if rep.Imported != 0 || rep.Updated != 0 || rep.Skipped != len(sb.Orders()) {
		t.Fatalf("re-run: %+v", rep)
	}
	if n := f.orderCount(p); n != int64(first) {
		t.Fatalf("%d orders after the re-run, want %d", n, first)
	}
	f.checkReserved(reserved, physical)
	if len(sb.Acked()) == 0 {
		t.Fatal("the re-run did not acknowledge")
	}
}

func TestUnmappedCarrierBlocksUntilMapped(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	f.mapCarrier(p, "Normal", "Correios")
	sb := sandboxOf(f, p)
	var blocked []platform.Order
	normal := 0
	for _, o := range sb.Orders() {
		switch {
		case o.Status == model.SOCancelled:
		case o.ShippingMethod == "Normal":
			normal++
		default:
			blocked = append(blocked, o)
		}
	}
	if len(blocked) < 2 {
		t.Fatal("too few orders with another shipping method; change the seed")
	}
	rep := f.run(p)
	if rep.Imported != normal || rep.Blocked != len(blocked) {
		t.Fatalf("run: %+v, want %d imported, %d blocked", rep, normal, len(blocked))
	}
	for _, o := range blocked {
		b := f.blocked(p, o.ExternalID)
		if b.Reason != model.BlockUnmappedCarrier || b.Method != o.ShippingMethod || b.ResolvedAt != nil ||
			!strings.Contains(b.Detail, o.ShippingMethod) {
			t.Errorf("blocked %s: %+v", o.ExternalID, b)
		}
	}
	// Still unmapped: nothing imported, the blocked rows stay open.
	if rep := f.run(p); rep.Blocked+rep.Imported != 0 {
		t.Fatalf("run before mapping: %+v", rep)
	}
	if open, err := f.st.ListBlockedOrders(f.ctx, p.ID, true); err != nil || len(open) != len(blocked) {
		t.Fatalf("open blocked: %d %v", len(open), err)
	}

	// A blocked order cancelled on the platform has nothing left to wait for.
	gone := blocked[0]
	if err := sb.SetStatus(gone.ExternalID, model.SOCancelled); err != nil {
		t.Fatal(err)
	}
	if rep := f.run(p); rep.Skipped != 1 || rep.Imported+rep.Blocked != 0 {
		t.Fatalf("run after cancellation: %+v", rep)
	}
	if b := f.blocked(p, gone.ExternalID); b.ResolvedAt == nil {
		t.Fatal("cancelled blocked order still open")
	}
	blocked = blocked[1:]

	// Mapping one method imports its orders only.
	first := blocked[0].ShippingMethod
	f.mapCarrier(p, first, carriers[first])
	var rest []platform.Order
	for _, o := range blocked {
		if o.ShippingMethod != first {
			rest = append(rest, o)
		}
	}
	if rep := f.run(p); rep.Imported != len(blocked)-len(rest) || rep.Blocked != 0 {
		t.Fatalf("run after mapping %s: %+v, want %d imported", first, rep, len(blocked)-len(rest))
	}
	if open, _ := f.st.ListBlockedOrders(f.ctx, p.ID, true); len(open) != len(rest) {
		t.Fatalf("%d blocked orders open, want %d", len(open), len(rest))
	}

	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	if rep := f.run(p); rep.Imported != len(rest) || rep.Blocked != 0 {
		t.Fatalf("run after mapping every method: %+v, want %d imported", rep, len(rest))
	}
	for _, o := range blocked {
		if b := f.blocked(p, o.ExternalID); b.ResolvedAt == nil {
			t.Errorf("%s still blocked", o.ExternalID)
		}
		so := f.order(p, o.ExternalID)
		evs, _ := f.st.ListSalesOrderEvents(f.ctx, so.ID)
		if len(evs) == 0 || evs[0].Kind != model.OrderEventImported || !strings.Contains(evs[0].Message, "Estava bloqueado") {
			t.Errorf("%s events %+v", o.ExternalID, evs)
		}
	}
	if _, err := f.st.FindSalesOrderByExternalID(f.ctx, p.ID, gone.ExternalID); err == nil {
		t.Error("cancelled blocked order imported")
	}
	if open, _ := f.st.ListBlockedOrders(f.ctx, p.ID, true); len(open) != 0 {
		t.Fatalf("%d blocked orders left", len(open))
	}
	if rep := f.run(p); rep.Imported+rep.Blocked+rep.Updated != 0 {
		t.Fatalf("last run: %+v", rep)
	}
}

func TestImportFromPaymentConfirmed(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30", "import_from": "payment_confirmed"})
	if p.ImportFrom != model.ImportFromPaymentConfirmed {
		t.Fatalf("import_from %q", p.ImportFrom)
	}
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	pending := find(sb.Orders(), map[string]bool{}, func(o platform.Order) bool { return o.Status == model.SOAwaitingPayment })
	f.run(p)
	if _, err := f.st.FindSalesOrderByExternalID(f.ctx, p.ID, pending.ExternalID); err == nil {
		t.Fatal("order awaiting payment imported under payment_confirmed")
	}
	if err := sb.SetStatus(pending.ExternalID, model.SOPaymentApproved); err != nil {
		t.Fatal(err)
	}
	if rep := f.run(p); rep.Imported != 1 {
		t.Fatalf("run after approval: %+v", rep)
	}
	if so := f.order(p, pending.ExternalID); !so.Reserved || so.Status != model.SOPaymentApproved {
		t.Fatalf("approved order: %+v", so)
	}
}

// The robot and `portal sync` may overlap: both runs succeed and every order
// is imported and reserved once.
func TestOverlappingRunsImportOnce(t *testing.T) {
	f := newFixture(t)
	physical := map[string]int64{}
	for _, sku := range skus {
		f.product(sku, 100)
		physical[sku] = 100
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "5", "orders": "40"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	reps := make([]syncengine.RunReport, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = f.svc.RunImport(f.ctx, p.ID)
		}()
	}
	wg.Wait()
	imported := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		imported += reps[i].Imported
	}
	importable := func(o platform.Order) bool { return o.Status != model.SOCancelled }
	want := 0
	for _, o := range sb.Orders() {
		if importable(o) {
			want++
		}
	}
	if imported != want || f.orderCount(p) != int64(want) {
		t.Fatalf("imported %d in total, %d stored, want %d", imported, f.orderCount(p), want)
	}
	f.checkReserved(expectedReserved(sb.Orders(), importable), physical)
}

// An order that cannot be applied fails the run with its reason but does not
// hold up the other orders, and is applied by the first run after the cause
// is fixed.
func TestOrderThatCannotBeAppliedDoesNotHoldUpOthers(t *testing.T) {
	f := newFixture(t)
	for _, sku := range skus {
		f.product(sku, 100)
	}
	p := f.platform(model.PlatformSandbox, "Demo", "", map[string]string{"seed": "2", "orders": "30"})
	for m, c := range carriers {
		f.mapCarrier(p, m, c)
	}
	sb := sandboxOf(f, p)
	f.run(p)
	taken := map[string]bool{}
	holds := func(o platform.Order) bool { return o.Status == model.SOReadyForHandling }
	poison, other := find(sb.Orders(), taken, holds), find(sb.Orders(), taken, holds)

	// Someone emptied the reservations of the poison order's first item, so
	// its cancellation cannot release them.
	it := f.order(p, poison.ExternalID).Items[0]
	bals, err := f.st.StockBalances(f.ctx, it.ProductID)
	if err != nil {
		t.Fatal(err)
	}
	var emptied int64
	for _, b := range bals {
		if b.LocationID == it.LocationID {
			emptied = b.Reserved
		}
	}
	if _, err := f.stock.Release(f.ctx, it.ProductID, it.LocationID, emptied, "test"); err != nil {
		t.Fatal(err)
	}
	if err := sb.SetStatus(poison.ExternalID, model.SOCancelled); err != nil {
		t.Fatal(err)
	}
	if err := sb.SetStatus(other.ExternalID, model.SOHandling); err != nil {
		t.Fatal(err)
	}
	rep, err := f.svc.RunImport(f.ctx, p.ID)
	if err == nil || rep.OK() || rep.Updated != 1 || !strings.HasPrefix(rep.Error, "Pedido "+poison.ExternalID+": Reserva insuficiente") {
		t.Fatalf("run with a poison order: %+v %v", rep, err)
	}
	if so := f.order(p, other.ExternalID); so.Status != model.SOHandling {
		t.Fatalf("other order not updated: %s", so.Status)
	}
	if so := f.order(p, poison.ExternalID); so.Status != model.SOReadyForHandling || !so.Reserved {
		t.Fatalf("poison order half-applied: %+v", so)
	}
	// Still broken: the poison order fails again, the other is not redone.
	if rep, err := f.svc.RunImport(f.ctx, p.ID); err == nil || rep.Updated != 0 {
		t.Fatalf("second run: %+v %v", rep, err)
	}

	if _, err := f.stock.Reserve(f.ctx, it.ProductID, it.LocationID, emptied, "test"); err != nil {
		t.Fatal(err)
	}
	if rep := f.run(p); rep.Updated != 1 {
		t.Fatalf("run after the fix: %+v", rep)
	}
	if so := f.order(p, poison.ExternalID); so.Status != model.SOCancelled || so.Reserved {
		t.Fatalf("poison order after the fix: %+v", so)
	}
	f.verifyLedger()
}
