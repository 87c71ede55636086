package store_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
)

// sqliteEnv is a test environment for a test of SQLite's query plans,
// skipped on PostgreSQL, whose plans TestListQueriesAtScale checks.
func sqliteEnv(t *testing.T) *apptest.Env {
	t.Helper()
	env := apptest.New(t)
	if env.App.DB.Dialect != database.SQLite {
		t.Skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL's plans are checked in TestListQueriesAtScale")
	}
	return env
}

// On SQLite every sorted list query of migration 00033 (and the platform
// filter) walks an index in the list's order: no full scan of the orders or
// POs and no temporary B-tree sorting them (at 300,000 orders such a sort
// took 0.3–9 s a view).
func TestSortedListPlansSQLite(t *testing.T) {
	env := sqliteEnv(t)
	db := env.App.DB
	st := env.App.Store
	now := st.Now()
	month := now.AddDate(0, 0, -30)
	calls := sortedListCalls(st, 1, &month, &now)
	platform := int64(1)
	calls["orders platform"] = func(ctx context.Context) error {
		_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{PlatformID: &platform}, store.Page{Number: 2, Size: 50})
		return err
	}
	// A status tab sorted by another column (status = ? ORDER BY total_cents)
	// of at most ListCountCap rows, as here, reads the status slice and sorts
	// it; of more it walks the sort column's index
	// (TestSortedEqualityPlansSQLite).
	delete(calls, "orders status=delivered sort=total_cents desc")
	scan := regexp.MustCompile(`SCAN (sales_orders|purchase_orders)\b( |$)(?:[^U]|$)`)
	for name, call := range calls {
		sqls, err := st.CaptureSQL(env.Ctx, call)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, sql := range sqls {
			if !strings.Contains(sql, "sales_orders") && !strings.Contains(sql, "purchase_orders") {
				continue
			}
			plan := sqlitePlan(t, db, sql)
			if strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") || strings.Contains(plan, "TEMP B-TREE FOR RIGHT PART") ||
				scan.MatchString(plan) || strings.HasSuffix(plan, "SCAN sales_orders") || strings.HasSuffix(plan, "SCAN purchase_orders") {
				t.Errorf("%s: sorts or scans the table:\n%s\n%s", name, sql, plan)
			}
		}
	}

	// The global search's product and shipment lookups are index searches,
	// never a walk of the catalog or of every shipment.
	keys := store.SearchKeys{Terms: []string{"35261290000000000184550010002990991003119833"},
		AccessKey: "35261290000000000184550010002990991003119833"}
	sqls, err := st.CaptureSQL(env.Ctx, func(ctx context.Context) error {
		if _, err := st.SearchProductsByKey(ctx, keys); err != nil {
			return err
		}
		_, err := st.SearchShipmentsByKey(ctx, keys)
		return err
	})
	if err != nil || len(sqls) != 3 {
		t.Fatalf("captured %d statements: %v", len(sqls), err)
	}
	sup := int64(1)
	supSQL, err := st.CaptureSQL(env.Ctx, func(ctx context.Context) error {
		_, err := st.SearchPurchaseOrdersByKey(ctx, store.SearchKeys{Terms: []string{"PC-000123"}, Document: "12345678909", SupplierID: &sup})
		return err
	})
	if err != nil || len(supSQL) != 1 {
		t.Fatalf("captured %v: %v", supSQL, err)
	}
	if plan := sqlitePlan(t, db, supSQL[0]); !strings.Contains(plan, "MULTI-INDEX OR") {
		t.Errorf("a supplier's PO search walks the supplier's POs instead of the key indexes:\n%s\n%s", supSQL[0], plan)
	}
	full := regexp.MustCompile(`SCAN (products|sh)\b( USING INDEX)?`)
	for _, sql := range sqls {
		if plan := sqlitePlan(t, db, sql); full.MatchString(plan) {
			t.Errorf("search walks a whole table:\n%s\n%s", sql, plan)
		}
	}
}

func sqlitePlan(t *testing.T, db *database.DB, sql string) string {
	t.Helper()
	rows, err := db.SQL.Query("EXPLAIN QUERY PLAN " + sql)
	if err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "\n")
}

// A status tab or a supplier's POs sorted by another column, with more rows
// than the list counts (walkSortOnSQLite): SQLite walks the sort column's
// index testing the status or supplier on each row, instead of sorting the
// whole slice (990,000 delivered orders sorted by number took 22 s), and the
// page is the one sorting the slice gives.
func TestSortedEqualityPlansSQLite(t *testing.T) {
	env := sqliteEnv(t)
	db := env.App.DB
	st := env.App.Store
	a := env.App
	if _, err := seed.Scale(env.Ctx, seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, Orders: a.SyncEngine},
		seed.ScaleOptions{Orders: 2500, Suppliers: 1, Products: 200}); err != nil {
		t.Fatal(err)
	}
	var sup int64
	if err := db.Gorm.Raw("SELECT supplier_id FROM purchase_orders GROUP BY supplier_id ORDER BY COUNT(*) DESC LIMIT 1").Row().Scan(&sup); err != nil {
		t.Fatal(err)
	}
	// the staff home's count of POs awaiting despacho reads the partial index
	// holding exactly them, not the status index
	var awaiting int64
	sqls, err := st.TraceSQL(env.Ctx, func(ctx context.Context) (err error) {
		awaiting, err = st.CountPurchaseOrders(ctx, store.PurchaseOrderFilter{AwaitingDispatch: true})
		return
	})
	if err != nil || len(sqls) != 1 {
		t.Fatalf("awaiting despacho: %v %q", err, sqls)
	}
	var want int64
	db.Gorm.Raw("SELECT COUNT(*) FROM purchase_orders WHERE status IN ('billed','shipped') AND dispatched_at IS NULL").Row().Scan(&want) //nolint:errcheck
	if awaiting != want || want == 0 {
		t.Errorf("awaiting despacho: %d, want %d", awaiting, want)
	}
	if plan := sqlitePlan(t, db, sqls[0]); !strings.Contains(plan, "purchase_orders_awaiting_dispatch") {
		t.Errorf("awaiting despacho count:\n%s\n%s", sqls[0], plan)
	}

	cases := map[string]struct {
		call   func(ctx context.Context) ([]int64, int64, error)
		wantOf string // the same page sorted by SQL without the walk
	}{
		"orders status=delivered sort=number desc": {
			call: func(ctx context.Context) ([]int64, int64, error) {
				items, total, err := st.SearchSalesOrders(ctx, store.OrderSearch{Status: "delivered", Sort: store.Sort{Column: "number", Desc: true}}, store.Page{Number: 2, Size: 50})
				var ids []int64
				for _, o := range items {
					ids = append(ids, o.ID)
				}
				return ids, total, err
			},
			wantOf: "SELECT id FROM sales_orders WHERE status = 'delivered' ORDER BY number DESC, id DESC LIMIT 50 OFFSET 50",
		},
		"supplier's POs sort=total desc": {
			call: func(ctx context.Context) ([]int64, int64, error) {
				items, total, err := st.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{SupplierID: &sup, Sort: store.Sort{Column: "total_cents", Desc: true}}, store.Page{Number: 2, Size: 50})
				var ids []int64
				for _, o := range items {
					ids = append(ids, o.ID)
				}
				return ids, total, err
			},
			wantOf: "SELECT id FROM purchase_orders WHERE supplier_id = " + strconv.FormatInt(sup, 10) + " ORDER BY total_cents DESC, id DESC LIMIT 50 OFFSET 50",
		},
	}
	for name, c := range cases {
		var ids []int64
		var total int64
		sqls, err := st.TraceSQL(env.Ctx, func(ctx context.Context) (err error) { ids, total, err = c.call(ctx); return })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if total <= store.ListCountCap {
			t.Fatalf("%s: %d rows, the walk needs more than %d", name, total, store.ListCountCap)
		}
		var want []int64
		if err := db.Gorm.Raw(c.wantOf).Scan(&want).Error; err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("%s: page %v, want %v", name, ids, want)
		}
		page := ""
		for _, q := range sqls { // the page's query (GORM traces it after its preloads)
			if strings.HasPrefix(q, "SELECT * FROM `sales_orders`") || strings.HasPrefix(q, "SELECT * FROM `purchase_orders`") {
				page = q
			}
		}
		if !strings.Contains(page, "+") {
			t.Errorf("%s: the page does not walk the sort index: %q", name, page)
		}
		if plan := sqlitePlan(t, db, page); strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
			t.Errorf("%s: sorts the slice:\n%s\n%s\nall: %q", name, page, plan, sqls)
		}
	}
}
