package syncengine_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/internal/testdb"
)

type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *database.DB
	st    *store.Store
	stock *stock.Service
	svc   *syncengine.Service
	box   *secret.Box
	sup   *model.Supplier
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.MustOpen(t)
	st := store.New(db)
	keys, err := secret.Derive(strings.Repeat("segredo-de-teste-", 3))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.NewBox(keys.Data)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		t: t, db: db, box: box, ctx: model.WithActor(context.Background(), model.Actor{Label: "test"}), st: st, stock: stock.New(st),
	}
	f.svc = syncengine.New(syncengine.Options{Store: st, Stock: f.stock, Box: box, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f.sup = &model.Supplier{CNPJ: "11222333000181", LegalName: "Paulista Autopeças", DispatchHours: 24, PriceNoticeDays: 20, Active: true}
	if err := st.CreateSupplier(f.ctx, f.sup); err != nil {
		t.Fatal(err)
	}
	return f
}

// product creates a dropship product of the supplier with physical stock.
func (f *fixture) product(sku string, physical int64) *model.Product {
	f.t.Helper()
	p := &model.Product{SKU: sku, Name: "Produto " + sku, SupplierID: &f.sup.ID, SupplierCode: "F-" + sku, Dropship: true, Active: true}
	if err := f.st.CreateProduct(f.ctx, p); err != nil {
		f.t.Fatal(err)
	}
	loc, err := f.stock.LocationFor(f.ctx, p)
	if err != nil {
		f.t.Fatal(err)
	}
	if physical > 0 {
		if _, err := f.stock.Count(f.ctx, p.ID, loc.ID, physical, model.SourceInventory, "inv:test", ""); err != nil {
			f.t.Fatal(err)
		}
	}
	return p
}

// stockOf returns a product's physical and reserved totals.
func (f *fixture) stockOf(sku string) (physical, reserved int64) {
	f.t.Helper()
	p, err := f.st.FindProductBySKU(f.ctx, sku)
	if err != nil {
		f.t.Fatal(err)
	}
	tot, err := f.stock.Of(f.ctx, p.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return tot.Physical, tot.Reserved
}

func (f *fixture) platform(kind, name, baseURL string, settings map[string]string) *model.Platform {
	f.t.Helper()
	p, err := f.svc.AddPlatform(f.ctx, syncengine.NewPlatform{Kind: kind, Name: name, BaseURL: baseURL, Settings: settings})
	if err != nil {
		f.t.Fatalf("add platform: %v", err)
	}
	return p
}

func (f *fixture) mapCarrier(p *model.Platform, method, carrier string) {
	f.t.Helper()
	if _, err := f.svc.MapCarrier(f.ctx, p.Name, method, carrier); err != nil {
		f.t.Fatalf("map carrier: %v", err)
	}
}

// run imports and fails the test when the run fails.
func (f *fixture) run(p *model.Platform) syncengine.RunReport {
	f.t.Helper()
	rep, err := f.svc.RunImport(f.ctx, p.ID)
	if err != nil {
		f.t.Fatalf("run import: %v (%+v)", err, rep)
	}
	return rep
}

func (f *fixture) order(p *model.Platform, externalID string) *model.SalesOrder {
	f.t.Helper()
	o, err := f.st.FindSalesOrderByExternalID(f.ctx, p.ID, externalID)
	if err != nil {
		f.t.Fatalf("order %s: %v", externalID, err)
	}
	return o
}

func (f *fixture) orderCount(p *model.Platform) int64 {
	f.t.Helper()
	_, n, err := f.st.SearchSalesOrders(f.ctx, store.OrderSearch{PlatformID: &p.ID}, store.Page{Size: 1})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *fixture) events(o *model.SalesOrder) []string {
	f.t.Helper()
	evs, err := f.st.ListSalesOrderEvents(f.ctx, o.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// verifyLedger fails when any stock balance differs from its ledger.
func (f *fixture) verifyLedger() {
	f.t.Helper()
	bad, err := f.stock.Verify(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(bad) > 0 {
		f.t.Fatalf("ledger mismatches: %+v", bad)
	}
}

func (f *fixture) blocked(p *model.Platform, externalID string) *model.BlockedOrder {
	f.t.Helper()
	b, err := f.st.FindBlockedOrder(f.ctx, p.ID, externalID)
	if err != nil {
		f.t.Fatalf("blocked %s: %v", externalID, err)
	}
	return b
}

func orderPlatform(kind, name string, settings map[string]string) syncengine.NewPlatform {
	return syncengine.NewPlatform{Kind: kind, Name: name, Settings: settings}
}

// withPurchasing rebuilds the engine with purchase order creation (as the
// application wires it) and returns the purchasing service.
func (f *fixture) withPurchasing(tables purchasing.Pricer) *purchasing.Service {
	so := syncengine.NewSalesOrders(f.st, f.stock, nil)
	po := purchasing.New(purchasing.Options{Store: f.st, Prices: tables, SalesOrders: so})
	f.svc = syncengine.New(syncengine.Options{Store: f.st, Stock: f.stock, Box: f.box,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Purchasing: po, SalesOrders: so})
	return po
}
