package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/store"
)

// On SQLite the global search's order lookup (number prefix OR platform id
// OR tracking code) is a union of index searches, never a scan of every
// sales order: SQLite uses the partial tracking index only when the query
// repeats its condition.
func TestGlobalOrderSearchPlanSQLite(t *testing.T) {
	env := sqliteEnv(t)
	db := env.App.DB
	st := env.App.Store
	sqls, err := st.CaptureSQL(env.Ctx, func(ctx context.Context) error {
		_, err := st.SearchSalesOrdersByKey(ctx, store.SearchKeys{Terms: []string{"SC000000014BR"}, Document: "12345678909"})
		return err
	})
	if err != nil || len(sqls) != 1 {
		t.Fatalf("captured %v, %v", sqls, err)
	}
	rows, err := db.SQL.Query("EXPLAIN QUERY PLAN " + sqls[0])
	if err != nil {
		t.Fatal(err)
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
	text := strings.Join(plan, "\n")
	if strings.Contains(text, "SCAN sales_orders") || !strings.Contains(text, "sales_orders_tracking") {
		t.Errorf("global order search scans the orders or skips the tracking index:\n%s\n%s", sqls[0], text)
	}
}
