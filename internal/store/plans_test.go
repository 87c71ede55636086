package store_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// One order's search keys, read from the seeded data.
type orderKeys struct {
	order                          model.SalesOrder
	number, external, doc          string
	billingKey, supplierKey, track string
}

func shippedOrderKeys(t *testing.T, env *apptest.Env) orderKeys {
	t.Helper()
	st, ctx := env.App.Store, env.Ctx
	pos, _, err := st.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{Status: model.POShipped}, store.Page{Size: 1})
	if err != nil || len(pos) == 0 {
		t.Fatalf("no shipped PO: %v", err)
	}
	po := pos[0]
	so, err := st.FindSalesOrder(ctx, po.SalesOrderID)
	if err != nil {
		t.Fatal(err)
	}
	k := orderKeys{order: *so, number: so.Number, external: so.ExternalID, doc: so.CustomerDocument}
	sh, err := st.FindPOShipment(ctx, po.ID)
	if err != nil {
		t.Fatal(err)
	}
	k.track = sh.TrackingCode
	bi, err := st.FindBillingInvoice(ctx, po.ID)
	if err != nil {
		t.Fatal(err)
	}
	k.billingKey = bi.AccessKey
	si, err := st.ListSupplierInvoices(ctx, po.ID)
	if err != nil || len(si) == 0 {
		t.Fatalf("supplier invoices %v %v", si, err)
	}
	k.supplierKey = si[0].AccessKey
	return k
}

// The order search finds an order by each of its keys, as typed by people
// (formatted document, lower-case tracking code, prefix of the number), on
// both databases; on PostgreSQL, at a size where the planner cares, every
// list and search query of the big tables uses an index and never reads
// sales_orders, purchase_orders or stock_movements sequentially.
func TestListQueriesAtScale(t *testing.T) {
	env := apptest.New(t)
	st := env.App.Store
	onPG := os.Getenv(testdb.EnvVar) != ""
	n := 3000
	if onPG {
		n = 30000
	}
	a := env.App
	if _, err := seed.Scale(env.Ctx, seed.Deps{Store: st, Auth: a.Auth, Stock: a.Stock, Orders: a.SyncEngine},
		seed.ScaleOptions{Orders: n, Suppliers: 10, Products: 3000}); err != nil {
		t.Fatal(err)
	}
	k := shippedOrderKeys(t, env)
	doc := k.doc
	if len(doc) == 11 {
		doc = doc[:3] + "." + doc[3:6] + "." + doc[6:9] + "-" + doc[9:]
	}
	searches := map[string]string{
		"number":        k.number,
		"number prefix": k.number[:len(k.number)-1],
		"platform id":   strings.ToLower(k.external),
		"document":      doc,
		"billing key":   k.billingKey,
		"supplier key":  k.supplierKey,
		"tracking":      strings.ToLower(k.track),
	}
	for name, q := range searches {
		got, _, err := st.SearchSalesOrders(env.Ctx, store.OrderSearch{Query: q}, store.Page{Size: 25})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		found := false
		for _, o := range got {
			found = found || o.ID == k.order.ID
		}
		if !found {
			t.Errorf("search by %s %q: order %s not among %d results", name, q, k.number, len(got))
		}
	}
	if got, _, _ := st.SearchSalesOrders(env.Ctx, store.OrderSearch{Query: "nada-disso"}, store.Page{}); len(got) != 0 {
		t.Errorf("search for nothing found %d", len(got))
	}
	// A list over more rows than the cap says so instead of counting them all.
	if _, total, _ := st.SearchSalesOrders(env.Ctx, store.OrderSearch{}, store.Page{Number: 99999}); total != store.ListCountCap+1 {
		t.Errorf("order list total %d, want the cap %d+1", total, store.ListCountCap)
	}

	t.Run("plans", func(t *testing.T) {
		if !onPG {
			t.Skip("EXPLAIN plans are checked on PostgreSQL: set " + testdb.EnvVar + " (make test does)")
		}
		sup := k.order.ID // any supplier id works for the plan; take the PO's
		pos, _, _ := st.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{Status: model.POShipped}, store.Page{Size: 1})
		sup = pos[0].SupplierID
		prod := int64(1)
		calls := map[string]func(ctx context.Context) error{}
		for name, q := range searches {
			calls["orders ?q= "+name] = func(ctx context.Context) error {
				_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{Query: q}, store.Page{})
				return err
			}
		}
		for _, s := range []model.SOStatus{"", model.SODelivered, model.SOAwaitingPayment} {
			calls["orders status="+string(s)] = func(ctx context.Context) error {
				_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{Status: s}, store.Page{Number: 3})
				return err
			}
		}
		calls["api orders"] = func(ctx context.Context) error {
			_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{BeforeID: k.order.ID, WithItems: true}, store.Page{Size: 51})
			return err
		}
		for name, f := range map[string]store.PurchaseOrderFilter{
			"staff": {}, "supplier inbox": {SupplierID: &sup}, "supplier awaiting": {SupplierID: &sup, Status: model.POAwaitingSupplier},
			"search": {Query: "PC-0001"}, "search digits": {Query: "123"}, "api cursor": {SupplierID: &sup, BeforeID: 5000},
			"awaiting dispatch": {AwaitingDispatch: true}, "delivered": {Status: model.PODelivered},
		} {
			calls["purchase orders "+name] = func(ctx context.Context) error {
				_, _, err := st.ListPurchaseOrders(ctx, f, store.Page{})
				return err
			}
		}
		calls["home counters"] = func(ctx context.Context) error {
			if _, err := st.CountOpenPurchaseOrdersByStatus(ctx, nil); err != nil {
				return err
			}
			if _, err := st.CountOpenPurchaseOrdersByStatus(ctx, &sup); err != nil {
				return err
			}
			if _, err := st.CountPurchaseOrders(ctx, store.PurchaseOrderFilter{AwaitingDispatch: true}); err != nil {
				return err
			}
			_, err := st.CountLatePurchaseOrders(ctx, nil, st.Now())
			return err
		}
		// The dashboard's and scorecard's date slices (migration 00025).
		now := st.Now()
		month := now.AddDate(0, 0, -30)
		calls["dashboard charts"] = func(ctx context.Context) error {
			if _, err := st.CountSalesOrdersByDay(ctx, month, now); err != nil {
				return err
			}
			if _, err := st.CountPurchaseOrdersByDay(ctx, month, now); err != nil {
				return err
			}
			for _, l := range []store.LeadStamp{store.LeadDispatch, store.LeadShip} {
				if _, err := st.LeadTimeHours(ctx, l, month, now); err != nil {
					return err
				}
			}
			if _, err := st.ShippingByDay(ctx, month, now); err != nil {
				return err
			}
			_, err := st.CountFailingPushes(ctx)
			return err
		}
		min, max := 24.0, 48.0
		for name, f := range map[string]store.PurchaseOrderFilter{
			"created period":    {Period: store.POPeriod{Column: "created_at", From: &month, To: &now}},
			"lead bar":          {Period: store.POPeriod{Column: "dispatched_at", From: &month, To: &now}, Lead: &store.POLead{Stamp: store.LeadDispatch, MinHours: &min, MaxHours: &max}},
			"on-time bar":       {SupplierID: &sup, Period: store.POPeriod{Column: "shipped_at", From: &month, To: &now}, Shipped: store.POShippedAny},
			"scorecard shipped": {SupplierID: &sup, Period: store.POPeriod{Column: "created_at", From: &month, To: &now}, Shipped: store.POShippedOnTime},
		} {
			calls["purchase orders "+name] = func(ctx context.Context) error {
				_, _, err := st.ListPurchaseOrders(ctx, f, store.Page{})
				return err
			}
		}
		calls["scorecard"] = func(ctx context.Context) error {
			_, err := st.ScorecardRows(ctx, sup, month, now)
			return err
		}
		calls["supplier clocks"] = func(ctx context.Context) error {
			_, err := st.WaitingPurchaseOrders(ctx, sup, []model.POStatus{model.POAcknowledged, model.POInvoiceDivergent}, 5)
			return err
		}
		// The late shipments, counted and paged from the billed-unshipped
		// slice (migration 00034).
		calls["late shipments"] = func(ctx context.Context) error {
			if _, err := st.ListLatePurchaseOrdersPage(ctx, nil, now, 25, 25); err != nil {
				return err
			}
			if _, err := st.ListLatePurchaseOrdersPage(ctx, &sup, now, 0, 5); err != nil {
				return err
			}
			_, err := st.CountLatePurchaseOrders(ctx, &sup, now)
			return err
		}
		calls["exceptions inbox"] = func(ctx context.Context) error {
			for _, f := range []store.PurchaseOrderFilter{{Status: model.PONoPrice}, {Status: model.POInvoiceDivergent},
				{Status: model.POBackordered, SupplierID: &sup}, {CancelException: true, BeforeID: 5000}} {
				if _, err := st.CountPurchaseOrdersCapped(ctx, f); err != nil {
					return err
				}
				if _, _, err := st.ListPurchaseOrders(ctx, f, store.Page{Size: 25}); err != nil {
					return err
				}
			}
			return nil // ListFailedPushes scans (no dry run): its plan is not captured here
		}
		calls["po detail"] = func(ctx context.Context) error {
			_, err := st.FindPurchaseOrderByNumber(ctx, pos[0].Number)
			return err
		}
		calls["stock movements"] = func(ctx context.Context) error {
			_, _, err := st.ListMovements(ctx, prod, store.Page{})
			return err
		}
		calls["stock list"] = func(ctx context.Context) error {
			if _, _, err := st.ListStock(ctx, store.StockFilter{}, store.Page{Number: 2}); err != nil {
				return err
			}
			_, err := st.CountShortProducts(ctx, nil)
			return err
		}
		for name, call := range sortedListCalls(st, sup, &month, &now) {
			calls[name] = call
		}
		plans := 0
		defer func() { t.Logf("%d plans of %d store calls checked", plans, len(calls)) }()
		seq := regexp.MustCompile(`Seq Scan on (sales_orders|purchase_orders|stock_movements)\b`)
		big := regexp.MustCompile(`\b(sales_orders|purchase_orders|stock_movements)\b`)
		for name, call := range calls {
			sqls, err := st.CaptureSQL(env.Ctx, call)
			if err != nil && !apperr.Is(err, apperr.ENOTFOUND) { // a dry run finds no row
				t.Fatalf("%s: %v", name, err)
			}
			checked := 0
			for _, sql := range sqls {
				if !big.MatchString(sql) {
					continue
				}
				plan, err := st.Explain(env.Ctx, sql)
				if err != nil {
					t.Fatalf("%s: %v\n%s", name, err, sql)
				}
				checked++
				plans++
				if seq.MatchString(plan) || !strings.Contains(plan, "Index") {
					t.Errorf("%s: plan without an index or with a sequential scan of a big table:\n%s\n%s", name, sql, plan)
				}
			}
			if checked == 0 && name != "stock list" { // the stock list reads products and product_stock only
				t.Errorf("%s: no query of a big table captured (%d statements)", name, len(sqls))
			}
		}
	})
}
