package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/store"
)

// On SQLite every sorted list query of migration 00033 (and the platform
// filter) walks an index in the list's order: no full scan of the orders or
// POs and no temporary B-tree sorting them (at 300,000 orders such a sort
// took 0.3–9 s a view).
func TestSortedListPlansSQLite(t *testing.T) {
	env := apptest.New(t)
	db := env.App.DB
	if db.Dialect != database.SQLite {
		t.Skip("SQLite's EXPLAIN QUERY PLAN; PostgreSQL's plans are checked in TestListQueriesAtScale")
	}
	st := env.App.Store
	now := st.Now()
	month := now.AddDate(0, 0, -30)
	calls := sortedListCalls(st, 1, &month, &now)
	platform := int64(1)
	calls["orders platform"] = func(ctx context.Context) error {
		_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{PlatformID: &platform}, store.Page{Number: 2})
		return err
	}
	// Known limit: a status tab sorted by another column (status = ? ORDER BY
	// total_cents) reads the status slice and sorts it on SQLite, which has
	// no statistics to prefer the sort column's index; PostgreSQL walks it.
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
