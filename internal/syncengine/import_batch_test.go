package syncengine_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// importScenario imports, through a platform applying batch orders per
// transaction (0: the default, ApplyBatch), orders of every kind a batch meets (new ones reserving stock
// and queueing start-handling, awaiting payment, blocked for an unknown SKU,
// several lines), then a second feed moving some of them (handling,
// cancelled: released), and returns what the database holds afterwards,
// without ids or times.
func importScenario(t *testing.T, batch int) []string {
	t.Helper()
	e := newBenchEnv(t, -1)
	if batch > 0 {
		e.svc.SetApplyBatch(batch)
	}
	e.product(t, "BIGBML", 10_000)
	e.product(t, "FILTRO-1", 10_000)
	var ids []string
	for i := range 130 {
		switch {
		case i%13 == 5:
			id, _ := e.fake.AddOrder("ready-for-handling", []vtexfake.Item{{RefID: "NAO-EXISTE", Quantity: 1, Price: 1000}})
			ids = append(ids, id)
		case i%7 == 3:
			id, _ := e.fake.AddOrder("payment-pending", []vtexfake.Item{{RefID: "BIGBML", Quantity: 2, Price: 1500}})
			ids = append(ids, id)
		case i%5 == 0:
			id, _ := e.fake.AddOrder("ready-for-handling", []vtexfake.Item{{RefID: "FILTRO-1", Quantity: 3, Price: 990}, {RefID: "BIGBML", Quantity: 1, Price: 1500}})
			ids = append(ids, id)
		default:
			ids = append(ids, e.fake.AddOrders(1, "ready-for-handling")...)
		}
	}
	e.importAll(t)
	for i, id := range ids {
		switch i % 4 {
		case 1:
			e.fake.ChangeStatus(id, "canceled")
		case 2:
			e.fake.ChangeStatus(id, "handling")
		}
	}
	e.importAll(t)

	var out []string
	dump := func(label, query string) {
		t.Helper()
		rows, err := e.db.SQL.Query(query)
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString(label)
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, " | %v", v)
			}
			out = append(out, b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	dump("order", `SELECT external_id, status, channel_status, reserved, stock_consumed, carrier_id FROM sales_orders ORDER BY external_id`)
	dump("item", `SELECT o.external_id, i.line, i.sku, i.quantity, i.location_id, i.consumed FROM sales_order_items i JOIN sales_orders o ON o.id = i.order_id ORDER BY o.external_id, i.line`)
	dump("event", `SELECT o.external_id, e.kind, e.message FROM sales_order_events e JOIN sales_orders o ON o.id = e.order_id ORDER BY o.external_id, e.id`)
	dump("balance", `SELECT p.sku, b.location_id, b.physical, b.reserved FROM stock_balances b JOIN products p ON p.id = b.product_id ORDER BY p.sku, b.location_id`)
	dump("movement", `SELECT m.reference, p.sku, m.source, m.physical_delta, m.reserved_delta, m.physical_after, m.reserved_after FROM stock_movements m JOIN products p ON p.id = m.product_id ORDER BY m.reference, p.sku, m.id`)
	dump("blocked", `SELECT external_id, reason, detail, sku, resolved_at IS NULL FROM blocked_orders ORDER BY external_id`)
	dump("push", `SELECT o.external_id, sp.action, sp.status FROM status_pushes sp JOIN sales_orders o ON o.id = sp.order_id ORDER BY o.external_id, sp.action`)
	dump("job", `SELECT kind, COUNT(*) FROM river_job GROUP BY kind ORDER BY kind`)
	dump("dirty", `SELECT p.sku FROM stock_changes c JOIN products p ON p.id = c.product_id ORDER BY p.sku`)
	if bad, err := e.stock.Verify(e.ctx); err != nil || len(bad) > 0 {
		t.Fatalf("ledger: %v %+v", err, bad)
	}
	return out
}

// Importing in batches (ApplyBatch orders per transaction, their stock,
// events and jobs written at its end) leaves the database exactly as
// importing one order per transaction does: the same orders, lines,
// timelines, balances, ledger lines, blocked orders, status pushes and jobs.
func TestBatchedImportEqualsOneOrderPerTransaction(t *testing.T) {
	one := importScenario(t, 1)
	batched := importScenario(t, 0)
	if len(one) < 400 {
		t.Fatalf("scenario too small: %d rows", len(one))
	}
	for _, want := range []string{"order", "event", "movement", "blocked", "push", "job | push_status", "job | push_stock"} {
		if !slices.ContainsFunc(one, func(r string) bool { return strings.HasPrefix(r, want) }) {
			t.Fatalf("the scenario has no %q row", want)
		}
	}
	if !slices.Equal(one, batched) {
		for i := range max(len(one), len(batched)) {
			var a, b string
			if i < len(one) {
				a = one[i]
			}
			if i < len(batched) {
				b = batched[i]
			}
			if a != b {
				t.Fatalf("row %d differs:\none order per transaction: %s\nbatched:                    %s", i, a, b)
			}
		}
	}
}
