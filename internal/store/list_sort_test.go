package store_test

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
)

// The order and PO lists sorted by each column (the indexes of migration
// 00033): two pages in a row are the first 50 rows of the whole list ordered
// in Go by (column, id) in the chosen direction — ties broken by id the same
// way both directions, no row repeated or skipped between pages — on both
// databases. The PO tabs count the open statuses exactly and the closed
// ones up to the cap, and a period list is ordered by its stamp.
func TestListSortsAndTabs(t *testing.T) {
	env := apptest.New(t)
	st, ctx := env.App.Store, env.Ctx
	a := env.App
	if _, err := seed.Scale(ctx, seed.Deps{Store: st, Auth: a.Auth, Stock: a.Stock, Orders: a.SyncEngine},
		seed.ScaleOptions{Orders: 1300, Suppliers: 2, Products: 200}); err != nil {
		t.Fatal(err)
	}
	var orders []model.SalesOrder
	if err := env.App.DB.Gorm.Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	var pos []model.PurchaseOrder
	if err := env.App.DB.Gorm.Find(&pos).Error; err != nil {
		t.Fatal(err)
	}

	orderKey := map[string]func(o *model.SalesOrder) any{
		"number": func(o *model.SalesOrder) any { return o.Number }, "status": func(o *model.SalesOrder) any { return string(o.Status) },
		"total_cents": func(o *model.SalesOrder) any { return o.TotalCents }, "placed_at": func(o *model.SalesOrder) any { return o.PlacedAt },
	}
	for col, key := range orderKey {
		for _, desc := range []bool{false, true} {
			want := idsSorted(orders, key, func(o *model.SalesOrder) int64 { return o.ID }, desc, 50)
			var got []int64
			for n := 1; n <= 2; n++ {
				page, _, err := st.SearchSalesOrders(ctx, store.OrderSearch{Sort: store.Sort{Column: col, Desc: desc}}, store.Page{Number: n, Size: 25})
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page {
					got = append(got, o.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("orders sort=%s%s: pages 1–2 %v, want %v", col, dirName(desc), got, want)
			}
		}
	}

	poKey := map[string]func(po *model.PurchaseOrder) any{
		"number": func(po *model.PurchaseOrder) any { return po.Number }, "status": func(po *model.PurchaseOrder) any { return string(po.Status) },
		"total_cents": func(po *model.PurchaseOrder) any { return po.TotalCents }, "created_at": func(po *model.PurchaseOrder) any { return po.CreatedAt },
		"due_at": func(po *model.PurchaseOrder) any { return po.DueAt },
	}
	for col, key := range poKey {
		for _, desc := range []bool{false, true} {
			want := idsSorted(pos, key, func(po *model.PurchaseOrder) int64 { return po.ID }, desc, 50)
			var got []int64
			for n := 1; n <= 2; n++ {
				page, _, err := st.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{Sort: store.Sort{Column: col, Desc: desc}}, store.Page{Number: n, Size: 25})
				if err != nil {
					t.Fatal(err)
				}
				for _, po := range page {
					got = append(got, po.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("purchase orders sort=%s%s: pages 1–2 %v, want %v", col, dirName(desc), got, want)
			}
		}
	}

	t.Run("tabs", func(t *testing.T) {
		exact := map[model.POStatus]int64{}
		for _, po := range pos {
			exact[po.Status]++
		}
		if exact[model.PODelivered] <= store.ListCountCap {
			t.Fatalf("the seed made %d delivered POs: not enough to reach the cap %d", exact[model.PODelivered], store.ListCountCap)
		}
		tabs, err := st.CountPurchaseOrderTabs(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range model.POStatuses {
			want := min(exact[s], store.ListCountCap+1)
			if got := tabs.ByStatus[s]; got != want {
				t.Errorf("tab %s: %d, want %d (exact %d)", s, got, want, exact[s])
			}
		}
		if tabs.Total != store.ListCountCap+1 {
			t.Errorf("total tab %d, want the cap %d+1", tabs.Total, store.ListCountCap)
		}
	})

	t.Run("period order", func(t *testing.T) {
		var newest time.Time
		for _, po := range pos {
			if po.CreatedAt.After(newest) {
				newest = po.CreatedAt
			}
		}
		from, to := newest.AddDate(0, -6, 0), newest.Add(time.Second)
		var in []model.PurchaseOrder
		for _, po := range pos {
			if !po.CreatedAt.Before(from) && po.CreatedAt.Before(to) {
				in = append(in, po)
			}
		}
		want := idsSorted(in, poKey["created_at"], func(po *model.PurchaseOrder) int64 { return po.ID }, true, 25)
		page, _, err := st.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{Period: store.POPeriod{Column: "created_at", From: &from, To: &to}},
			store.Page{Size: 25})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, po := range page {
			got = append(got, po.ID)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("period list %v, want newest created first %v", got, want)
		}
	})
}

// idsSorted returns the ids of the first n rows ordered by (key, id), both
// ascending or both descending.
func idsSorted[T any](rows []T, key func(*T) any, id func(*T) int64, desc bool, n int) []int64 {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		c := compareAny(key(&rows[i]), key(&rows[j]))
		if c == 0 {
			c = cmp.Compare(id(&rows[i]), id(&rows[j]))
		}
		if desc {
			return -c
		}
		return c
	})
	out := make([]int64, 0, n)
	for _, i := range idx[:min(n, len(idx))] {
		out = append(out, id(&rows[i]))
	}
	return out
}

func compareAny(a, b any) int {
	switch x := a.(type) {
	case string:
		return cmp.Compare(x, b.(string))
	case int64:
		return cmp.Compare(x, b.(int64))
	case time.Time:
		return x.Compare(b.(time.Time))
	}
	panic("compareAny: unknown type")
}
