package store_test

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
)

// sortedListCalls are the order and PO list queries of migration 00033 for
// TestListQueriesAtScale's plan check: every sortable column of both lists
// in both directions (the page's first and second page, the API's keyset
// continuation), the PO tabs' counts, and the PO list filtered by a period
// (ordered by the period's stamp). sup is a supplier with POs.
func sortedListCalls(st *store.Store, sup int64, from, to *time.Time) map[string]func(ctx context.Context) error {
	calls := map[string]func(ctx context.Context) error{}
	for _, col := range []string{"number", "customer_name", "status", "total_cents", "placed_at"} {
		for _, desc := range []bool{false, true} {
			s := store.Sort{Column: col, Desc: desc}
			calls["orders sort="+col+dirName(desc)] = func(ctx context.Context) error {
				_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{Sort: s}, store.Page{Number: 2})
				return err
			}
		}
	}
	calls["orders status=delivered sort=total_cents desc"] = func(ctx context.Context) error {
		_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{Status: model.SODelivered, Sort: store.Sort{Column: "total_cents", Desc: true}}, store.Page{})
		return err
	}
	for _, col := range []string{"status", "total_cents", "number"} {
		after := store.Sort{Column: col, Desc: true, After: &store.SortKey{Value: keysetValue(col), ID: 5000}}
		calls["api orders keyset sort="+col] = func(ctx context.Context) error {
			_, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{BeforeID: 1<<63 - 1, Sort: after, WithItems: true}, store.Page{Size: 51})
			return err
		}
	}
	for _, col := range []string{"number", "order_number", "customer_name", "status", "total_cents", "created_at", "due_at", "billed_at"} {
		for _, desc := range []bool{false, true} {
			s := store.Sort{Column: col, Desc: desc}
			calls["purchase orders sort="+col+dirName(desc)] = func(ctx context.Context) error {
				_, _, err := st.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{Sort: s}, store.Page{Number: 2})
				return err
			}
		}
	}
	for _, col := range []string{"status", "total_cents"} {
		after := store.Sort{Column: col, After: &store.SortKey{Value: keysetValue(col), ID: 5000}}
		calls["api purchase orders keyset sort="+col] = func(ctx context.Context) error {
			_, _, err := st.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{BeforeID: 1<<63 - 1, Sort: after}, store.Page{Size: 51})
			return err
		}
	}
	calls["purchase order tabs"] = func(ctx context.Context) error {
		if _, err := st.CountPurchaseOrderTabs(ctx, nil); err != nil {
			return err
		}
		_, err := st.CountPurchaseOrderTabs(ctx, &sup)
		return err
	}
	for _, col := range store.POPeriodColumns {
		f := store.PurchaseOrderFilter{Period: store.POPeriod{Column: col, From: from, To: to}}
		calls["purchase orders period "+col] = func(ctx context.Context) error {
			_, _, err := st.ListPurchaseOrders(ctx, f, store.Page{Number: 2})
			return err
		}
	}
	return calls
}

func dirName(desc bool) string {
	if desc {
		return " desc"
	}
	return " asc"
}

// keysetValue is a plausible cursor value of a sort column (the plan does
// not depend on it).
func keysetValue(col string) any {
	switch col {
	case "total_cents":
		return int64(15000)
	case "status":
		return "delivered"
	}
	return "5000"
}
