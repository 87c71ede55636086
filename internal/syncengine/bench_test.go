package syncengine_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/jobs"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
	"github.com/connectparts/portal/internal/secret"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/internal/testdb"
)

// benchEnv is a migrated database, the orders service and a VTEX platform
// pointed at a local fake, for the benchmarks (testing.TB, unlike fixture).
type benchEnv struct {
	ctx   context.Context
	db    *database.DB
	st    *store.Store
	stock *stock.Service
	svc   *syncengine.Service
	fake  *vtexfake.Server
	p     *model.Platform
	sup   *model.Supplier
}

// newBenchEnv connects a VTEX platform whose GetOrder limit is perMinute
// (<0: unlimited; 0: VTEX's documented 6,000/min).
func newBenchEnv(tb testing.TB, perMinute int) *benchEnv {
	tb.Helper()
	db := testdb.MustOpen(tb)
	st := store.New(db)
	keys, err := secret.Derive(strings.Repeat("segredo-de-teste-", 3))
	if err != nil {
		tb.Fatal(err)
	}
	box, err := secret.NewBox(keys.Data)
	if err != nil {
		tb.Fatal(err)
	}
	// As in the application: every stock change and start-handling inserts
	// its River job in the same transaction (insert-only client).
	client, err := jobs.New(db, jobs.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	q := &jobs.Queue{Client: client, Store: st}
	st = store.NewWith(db, store.Options{StockHook: q.StockChanged})
	e := &benchEnv{ctx: model.WithActor(context.Background(), model.Actor{Label: "bench"}), db: db, st: st, stock: stock.New(st)}
	e.svc = syncengine.New(syncengine.Options{Store: st, Stock: e.stock, Box: box, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Queue: q})
	e.sup = &model.Supplier{CNPJ: "11222333000181", LegalName: "Paulista Autopeças", DispatchHours: 24, PriceNoticeDays: 20, Active: true}
	if err := st.CreateSupplier(e.ctx, e.sup); err != nil {
		tb.Fatal(err)
	}
	e.fake = vtexfake.New()
	tb.Cleanup(e.fake.Close)
	settings := map[string]string{"account": "connectparts", "app_key": e.fake.AppKey, "app_token": e.fake.AppToken, "warehouse": "1fabf84"}
	e.p, err = e.svc.AddPlatform(e.ctx, syncengine.NewPlatform{Kind: model.PlatformVTEX, Name: "Loja VTEX", BaseURL: e.fake.URL, Settings: settings})
	if err != nil {
		tb.Fatal(err)
	}
	cfg, err := vtex.ParseSettings(e.fake.URL, settings)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.GetOrderPerMinute = perMinute
	ad, err := vtex.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	e.svc.Registry().Use(e.p.ID, ad)
	if _, err := e.svc.MapCarrier(e.ctx, e.p.Name, "Normal", "Correios"); err != nil {
		tb.Fatal(err)
	}
	return e
}

func (e *benchEnv) product(tb testing.TB, sku string, physical int64) *model.Product {
	tb.Helper()
	p := &model.Product{SKU: sku, Name: "Produto " + sku, SupplierID: &e.sup.ID, SupplierCode: "F-" + sku, Dropship: true, Active: true}
	if err := e.st.CreateProduct(e.ctx, p); err != nil {
		tb.Fatal(err)
	}
	if physical > 0 {
		loc, err := e.stock.LocationFor(e.ctx, p)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := e.stock.Count(e.ctx, p.ID, loc.ID, physical, model.SourceInventory, "inv", ""); err != nil {
			tb.Fatal(err)
		}
	}
	return p
}

// importAll runs imports until the fake's feed is empty and returns how
// many orders were imported.
func (e *benchEnv) importAll(tb testing.TB) int {
	tb.Helper()
	n := 0
	for e.fake.Pending() > 0 {
		rep, err := e.svc.RunImport(e.ctx, e.p.ID)
		if err != nil {
			tb.Fatalf("import: %v (%+v)", err, rep)
		}
		n += rep.Imported
	}
	return n
}

// BenchmarkImportVTEXRateLimited imports 1,000 orders with VTEX's real
// get-order limit (6,000 per minute = 100/s, burst 100): the import should
// run at that ceiling, within 10 %: ≈ 9–10 s. The full 10,000 would take
// ≈ 100 s; the rate, not the size, is what this measures.
func BenchmarkImportVTEXRateLimited(b *testing.B) {
	const orders = 1000
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := newBenchEnv(b, 0)
		e.product(b, "BIGBML", 1_000_000)
		e.fake.AddOrders(orders, "ready-for-handling")
		start := time.Now()
		b.StartTimer()
		e.importAll(b)
		b.StopTimer()
		total += time.Since(start)
	}
	secs := total.Seconds() / float64(b.N)
	ceiling := float64(vtex.DefaultGetOrderPerMinute) / 60
	// The bucket starts full (burst): the first DefaultGetOrderBurst GETs are free.
	ideal := float64(orders+2-vtex.DefaultGetOrderBurst) / ceiling
	rate := float64(orders+2-vtex.DefaultGetOrderBurst) / secs
	b.ReportMetric(secs, "s/import")
	b.ReportMetric(rate, "GET/s")
	b.ReportMetric(100*rate/ceiling, "%ceiling")
	if secs > ideal*1.10 {
		b.Errorf("%d orders took %.1f s at %.0f GET/s, want ≤ %.1f s (within 10 %% of %.0f/s)", orders, secs, rate, ideal*1.10, ceiling)
	}
}

// BenchmarkStockPush10kMovements makes 10,000 stock movements over 500 SKUs
// and pushes once: ≤ 500 SetStock calls per platform per cycle.
func BenchmarkStockPush10kMovements(b *testing.B) {
	const skus, moves = 500, 10000
	var pushes int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := newBenchEnv(b, -1)
		prods := make([]*model.Product, skus)
		for j := range prods {
			sku := fmt.Sprintf("CO-%03d", j)
			prods[j] = e.product(b, sku, 0)
			e.fake.SetSKU(sku, fmt.Sprint(1000+j))
		}
		loc, err := e.stock.LocationFor(e.ctx, prods[0])
		if err != nil {
			b.Fatal(err)
		}
		before := e.fake.Count(vtexfake.EndpointInventory)
		b.StartTimer()
		for k := 0; k < moves; k += 100 {
			err := e.st.Tx(e.ctx, func(ctx context.Context) error {
				for j := k; j < k+100; j++ {
					if _, err := e.stock.Adjust(ctx, prods[j%skus].ID, loc.ID, 1, model.SourceManual, "m", "entrada"); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if _, err := e.svc.PushStock(e.ctx, e.p.ID, false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pushes = e.fake.Count(vtexfake.EndpointInventory) - before
		if pushes > skus {
			b.Fatalf("%d pushes for %d SKUs", pushes, skus)
		}
	}
	b.ReportMetric(float64(pushes), "pushes/cycle")
}
