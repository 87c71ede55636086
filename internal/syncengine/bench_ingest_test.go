package syncengine_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/benchreport"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/vtex"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/internal/testdb"
)

// fetchAll is the import's network side alone, its ceiling: the feed read,
// every order fetched (syncengine.DefaultImportFetchers requests in flight, as
// the import keeps them) and the feed committed, batch after batch until the
// fake's feed is empty, through the adapter the import uses (same
// configuration, same HTTP client), with no database. It returns the orders
// fetched.
func fetchAll(tb testing.TB, ctx context.Context, ad platform.Adapter, fake *vtexfake.Server) int {
	tb.Helper()
	n := 0
	for fake.Pending() > 0 {
		batch, err := ad.Changes(ctx, "")
		if err != nil {
			tb.Fatal(err)
		}
		ids := make(chan string, len(batch.Changes))
		for _, ch := range batch.Changes {
			ids <- ch.ExternalID
		}
		close(ids)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var ferr error
		for range syncengine.DefaultImportFetchers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range ids {
					if _, err := ad.GetOrder(ctx, id); err != nil && platform.KindOf(err) != platform.ErrNotFound {
						mu.Lock()
						ferr = err
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		if ferr != nil {
			tb.Fatal(ferr)
		}
		if err := ad.Ack(ctx, batch.Changes); err != nil {
			tb.Fatal(err)
		}
		n += len(batch.Changes)
	}
	return n
}

// newFetchOnly is a fake VTEX holding the same orders as the import's
// (AddOrders numbers them the same way) and an adapter configured as the
// import's, rate limit off.
func newFetchOnly(tb testing.TB, orders int) (platform.Adapter, *vtexfake.Server) {
	tb.Helper()
	fake := vtexfake.New()
	tb.Cleanup(fake.Close)
	fake.AddOrders(orders, "ready-for-handling")
	cfg, err := vtex.ParseSettings(fake.URL, map[string]string{"account": "connectparts", "app_key": fake.AppKey, "app_token": fake.AppToken, "warehouse": "1fabf84"})
	if err != nil {
		tb.Fatal(err)
	}
	cfg.GetOrderPerMinute = -1
	ad, err := vtex.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return ad, fake
}

// BenchmarkImportVsFetch10k imports 10,000 ready-for-handling orders from the
// local fake VTEX (each reserves stock and queues start-handling; rate limit
// off) and, in the same run, fetches the same 10,000 orders from another fake
// of the same data with no database (fetchAll): the import should take at
// most 3× the fetch (issue 11 item 4), and at most 60 s (s/import, the
// target of the first import benchmark, which this one replaced). The figures go to test-output/bench-ingest.json
// (scripts/benchsections puts them in the bench report). Run alternately, fetch
// first, so both see the same machine.
func BenchmarkImportVsFetch10k(b *testing.B) {
	const orders = 10000
	var fetch, imp time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ad, ffake := newFetchOnly(b, orders)
		start := time.Now()
		if n := fetchAll(b, context.Background(), ad, ffake); n < orders {
			b.Fatalf("fetched %d orders, want ≥ %d", n, orders)
		}
		fetch += time.Since(start)

		e := newBenchEnv(b, -1)
		e.product(b, "BIGBML", 1_000_000)
		e.fake.AddOrders(orders, "ready-for-handling")
		b.StartTimer()
		start = time.Now()
		n := e.importAll(b)
		imp += time.Since(start)
		b.StopTimer()
		if n < orders {
			b.Fatalf("imported %d orders, want ≥ %d", n, orders)
		}
		if got := e.fake.Count(vtexfake.EndpointOrder); got < orders {
			b.Fatalf("%d GET order requests", got)
		}
	}
	fs, is := fetch.Seconds()/float64(b.N), imp.Seconds()/float64(b.N)
	ratio := is / fs
	b.ReportMetric(fs, "fetch-s")
	b.ReportMetric(is, "import-s")
	b.ReportMetric(ratio, "x-fetch")
	b.ReportMetric(is, "s/import")
	b.ReportMetric(orders/is, "orders/s")
	if is > 60 {
		b.Errorf("10,000 orders took %.1f s, want ≤ 60 s", is)
	}
	db := "SQLite"
	if testdb.IsPostgres() {
		db = "PostgreSQL"
	}
	if err := benchreport.Add(benchreport.OutDir(), benchreport.Record{
		Section: "import", Scenario: "10,000 VTEX orders (ready for handling) from vtexfake", Database: db, Rows: orders,
		Seconds: is, Ceiling: "raw fetch of the same orders (feed, GET order ×4 in flight, commit), no database", CeilingSeconds: fs, Target: 3,
	}); err != nil {
		b.Error(err)
	}
	if ratio > 3 {
		b.Logf("import took %.1f× the fetch (%.2f s vs %.2f s), target ≤ 3×", ratio, is, fs)
	}
}
