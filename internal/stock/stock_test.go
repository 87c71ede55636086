package stock_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

type fixture struct {
	ctx  context.Context
	st   *store.Store
	svc  *stock.Service
	prod *model.Product
	loc  *model.StockLocation
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{ctx: model.WithActor(context.Background(), model.Actor{Label: "test"}), st: store.New(testdb.MustOpen(t))}
	f.svc = stock.New(f.st)
	sup := &model.Supplier{CNPJ: "11222333000181", LegalName: "Paulista", DispatchHours: 24, PriceNoticeDays: 20, Active: true}
	if err := f.st.CreateSupplier(f.ctx, sup); err != nil {
		t.Fatal(err)
	}
	f.prod = &model.Product{SKU: "CP-001", Name: "Pastilha de freio", SupplierID: &sup.ID, SupplierCode: "PF-1", Dropship: true, Active: true}
	if err := f.st.CreateProduct(f.ctx, f.prod); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.loc, err = f.svc.LocationFor(f.ctx, f.prod); err != nil {
		t.Fatal(err)
	}
	if f.loc.SupplierID == nil || *f.loc.SupplierID != sup.ID {
		t.Fatalf("dropship product should live at its supplier's location: %+v", f.loc)
	}
	return f
}

func (f *fixture) totals(t *testing.T) (physical, reserved, available int64) {
	t.Helper()
	tot, err := f.svc.Of(f.ctx, f.prod.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tot.Physical, tot.Reserved, tot.Available()
}

// The worked example of the Eccosys manual (DOMAIN.md).
func TestReserveInvoiceCancel(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 10, model.SourceSpreadsheet, "feed:1", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reserve(f.ctx, f.prod.ID, f.loc.ID, 5, "order:A"); err != nil {
		t.Fatal(err)
	}
	if p, r, a := f.totals(t); p != 10 || r != 5 || a != 5 {
		t.Fatalf("after order: physical %d reserved %d available %d", p, r, a)
	}
	if _, err := f.svc.Consume(f.ctx, f.prod.ID, f.loc.ID, 5, "order:A"); err != nil {
		t.Fatal(err)
	}
	if p, r, a := f.totals(t); p != 5 || r != 0 || a != 5 {
		t.Fatalf("after invoicing: physical %d reserved %d available %d", p, r, a)
	}
	if _, err := f.svc.Reserve(f.ctx, f.prod.ID, f.loc.ID, 3, "order:B"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Release(f.ctx, f.prod.ID, f.loc.ID, 3, "order:B"); err != nil {
		t.Fatal(err)
	}
	if p, r, a := f.totals(t); p != 5 || r != 0 || a != 5 {
		t.Fatalf("after cancelling: physical %d reserved %d available %d", p, r, a)
	}
	// Releasing more than is reserved is refused and changes nothing.
	if _, err := f.svc.Release(f.ctx, f.prod.ID, f.loc.ID, 1, "order:C"); !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("over-release: %v", err)
	}
	moves, total, err := f.st.ListMovements(f.ctx, f.prod.ID, store.Page{Size: 50})
	if err != nil || total != 5 {
		t.Fatalf("ledger lines = %d, %v", total, err)
	}
	if moves[0].Reference != "order:B" || moves[0].ReservedDelta != -3 || moves[0].Actor != "test" {
		t.Fatalf("newest movement: %+v", moves[0])
	}
	if m, err := f.svc.Verify(f.ctx); err != nil || len(m) != 0 {
		t.Fatalf("ledger mismatch: %+v %v", m, err)
	}
}

func TestCountSetsPhysicalKeepsReservation(t *testing.T) {
	f := newFixture(t)
	f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 8, model.SourceInventory, "inv:1", "contagem") //nolint:errcheck
	f.svc.Reserve(f.ctx, f.prod.ID, f.loc.ID, 2, "order:A")                                //nolint:errcheck
	mv, err := f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 6, model.SourceInventory, "inv:2", "recontagem")
	if err != nil || mv.PhysicalDelta != -2 || mv.PhysicalAfter != 6 || mv.ReservedAfter != 2 {
		t.Fatalf("count: %+v %v", mv, err)
	}
	// The same count again changes nothing and writes no line.
	if mv, err := f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 6, model.SourceInventory, "inv:3", ""); err != nil || mv != nil {
		t.Fatalf("no-op count: %+v %v", mv, err)
	}
	if _, err := f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, -1, model.SourceInventory, "", ""); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("negative count: %v", err)
	}
	if _, err := f.svc.Adjust(f.ctx, f.prod.ID, f.loc.ID, 3, model.SourceManual, "", ""); !apperr.Is(err, apperr.EINVALID) {
		t.Fatalf("manual entry without a reason: %v", err)
	}
}

// 50 orders for one SKU at once: no reservation is lost, and the balance
// equals the ledger, on SQLite and PostgreSQL alike.
func TestConcurrentReservationsLoseNothing(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 100, model.SourceSpreadsheet, "feed", ""); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := f.svc.Reserve(f.ctx, f.prod.ID, f.loc.ID, 1, fmt.Sprintf("order:%d", i)); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if p, r, a := f.totals(t); p != 100 || r != 50 || a != 50 {
		t.Fatalf("physical %d reserved %d available %d", p, r, a)
	}
	if _, total, _ := f.st.ListMovements(f.ctx, f.prod.ID, store.Page{Size: 1}); total != 51 {
		t.Fatalf("ledger lines = %d, want 51", total)
	}
	if m, err := f.svc.Verify(f.ctx); err != nil || len(m) != 0 {
		t.Fatalf("ledger mismatch: %+v %v", m, err)
	}
}

func TestStockListAndChangesQueue(t *testing.T) {
	f := newFixture(t)
	f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 4, model.SourceSpreadsheet, "feed", "") //nolint:errcheck
	f.svc.Reserve(f.ctx, f.prod.ID, f.loc.ID, 4, "order:A")                         //nolint:errcheck
	rows, total, err := f.st.ListStock(f.ctx, store.StockFilter{OnlyShort: true}, store.Page{Size: 10})
	if err != nil || total != 1 || rows[0].SKU != "CP-001" || rows[0].Available() != 0 {
		t.Fatalf("short list: %+v %d %v", rows, total, err)
	}
	rows, total, err = f.st.ListStock(f.ctx, store.StockFilter{Query: "pastilha"}, store.Page{Size: 10})
	if err != nil || total != 1 || rows[0].Physical != 4 || rows[0].Reserved != 4 {
		t.Fatalf("search: %+v %d %v", rows, total, err)
	}
}

// A feed longer than one statement batch: every changed line is one movement,
// unchanged lines write none, reservations are kept, the balances equal the
// ledger, and a second product's changes in the same batch apply in order.
func TestFeedAppliesManyLinesInBatches(t *testing.T) {
	f := newFixture(t)
	sup, err := f.st.FindSupplier(f.ctx, *f.prod.SupplierID)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1234
	lines := []stock.FeedLine{{Line: 1, SupplierCode: "PF-1", Quantity: 7}}
	for i := 2; i <= n; i++ {
		p := &model.Product{SKU: fmt.Sprintf("CP-%04d", i), Name: "Peça", SupplierID: &sup.ID, SupplierCode: fmt.Sprintf("C-%04d", i), Dropship: true, Active: true}
		if err := f.st.CreateProduct(f.ctx, p); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, stock.FeedLine{Line: i, SupplierCode: p.SupplierCode, Quantity: int64(i % 5)})
	}
	if _, err := f.svc.Count(f.ctx, f.prod.ID, f.loc.ID, 3, model.SourceSpreadsheet, "feed:0", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reserve(f.ctx, f.prod.ID, f.loc.ID, 2, "order:A"); err != nil {
		t.Fatal(err)
	}
	rep, err := f.svc.ApplyFeed(f.ctx, sup, lines, nil, "feed:1")
	if err != nil || !rep.OK() || rep.Applied != n {
		t.Fatalf("feed: %+v %v", rep, err)
	}
	if got := rep.Summary(); !strings.HasPrefix(got, "Estoque atualizado: 1.234 linha(s) aplicada(s)") {
		t.Fatalf("summary: %q", got)
	}
	zeros := (n - 1) / 5 // lines 2..n with i%5 == 0 set 0 on a new balance: no change
	if want := n - zeros; rep.Changed != want {
		t.Fatalf("changed = %d, want %d", rep.Changed, want)
	}
	if p, r, a := f.totals(t); p != 7 || r != 2 || a != 5 {
		t.Fatalf("physical %d reserved %d available %d", p, r, a)
	}
	mvs, _, err := f.st.ListMovements(f.ctx, f.prod.ID, store.Page{Size: 1})
	if err != nil || len(mvs) != 1 || mvs[0].Reference != "feed:1" || mvs[0].PhysicalDelta != 4 || mvs[0].PhysicalAfter != 7 || mvs[0].ReservedAfter != 2 {
		t.Fatalf("feed movement: %+v %v", mvs, err)
	}
	// The same feed again changes nothing.
	if rep, err := f.svc.ApplyFeed(f.ctx, sup, lines, nil, "feed:2"); err != nil || rep.Changed != 0 {
		t.Fatalf("same feed again: %+v %v", rep, err)
	}
	if m, err := f.svc.Verify(f.ctx); err != nil || len(m) != 0 {
		t.Fatalf("ledger mismatch: %+v %v", m, err)
	}

	// Several changes to one balance in one call apply in order, and one
	// that would make a reservation negative rolls every one of them back.
	mvs2, err := f.st.ApplyStockChanges(f.ctx, []store.StockChange{
		{ProductID: f.prod.ID, LocationID: f.loc.ID, Source: model.SourceOrder, ReservedDelta: 1, Reference: "order:B"},
		{ProductID: f.prod.ID, LocationID: f.loc.ID, Source: model.SourceOrder, PhysicalDelta: -3, ReservedDelta: -3, Reference: "order:A+B"},
	})
	if err != nil || mvs2[0].ReservedAfter != 3 || mvs2[1].PhysicalAfter != 4 || mvs2[1].ReservedAfter != 0 {
		t.Fatalf("changes in order: %+v %v", mvs2, err)
	}
	_, err = f.st.ApplyStockChanges(f.ctx, []store.StockChange{
		{ProductID: f.prod.ID, LocationID: f.loc.ID, Source: model.SourceInventory, Set: new(int64(9)), Reference: "inv"},
		{ProductID: f.prod.ID, LocationID: f.loc.ID, Source: model.SourceOrder, ReservedDelta: -1, Reference: "order:C"},
	})
	if !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("releasing more than reserved: %v", err)
	}
	if p, r, _ := f.totals(t); p != 4 || r != 0 {
		t.Fatalf("a refused batch changed stock: physical %d reserved %d", p, r)
	}
	if m, err := f.svc.Verify(f.ctx); err != nil || len(m) != 0 {
		t.Fatalf("ledger mismatch: %+v %v", m, err)
	}
}
