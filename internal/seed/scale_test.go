package seed_test

import (
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
)

func scaleDeps(env *apptest.Env) seed.Deps {
	a := env.App
	return seed.Deps{Store: a.Store, Auth: a.Auth, Stock: a.Stock, Orders: a.SyncEngine}
}

// The scale seed writes a consistent dataset (every PO status, a ledger whose
// balances are its sums), and a second run writes nothing.
func TestScaleSeed(t *testing.T) {
	env := apptest.New(t)
	st := env.App.Store
	res, err := seed.Scale(env.Ctx, scaleDeps(env), seed.ScaleOptions{Orders: 3000, Suppliers: 4, Products: 400})
	if err != nil {
		t.Fatal(err)
	}
	if res.Already || res.Orders != 3000 || res.POs < 2000 {
		t.Fatalf("result %+v", res)
	}
	orders, _, err := st.SearchSalesOrders(env.Ctx, store.OrderSearch{}, store.Page{Size: 1})
	if err != nil || len(orders) != 1 {
		t.Fatalf("orders %v %v", orders, err)
	}
	counts, err := st.CountPurchaseOrdersByStatus(env.Ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pos int64
	for _, s := range model.POStatuses {
		if counts[s] == 0 {
			t.Errorf("no PO %s", s)
		}
		pos += counts[s]
	}
	if pos != int64(res.POs) {
		t.Errorf("%d POs counted, seed reported %d", pos, res.POs)
	}
	bad, err := st.VerifyLedger(env.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Fatalf("%d balances differ from the ledger, first %+v", len(bad), bad[0])
	}
	// the products' maintained figures, filled by the seed with the triggers off
	if kept, err := st.CountProducts(env.Ctx, nil); err != nil || kept != 400 {
		t.Errorf("product_counts: %d products, want 400 (%v)", kept, err)
	}
	if hits, _, err := st.ListProducts(env.Ctx, store.ProductFilter{Query: "ESC-000123"}, store.Page{Size: 5}); err != nil || len(hits) != 1 {
		t.Errorf("catalog search after the seed: %d hits (%v)", len(hits), err)
	}
	// a PO reached through the store has its items and events
	po, err := st.FindPurchaseOrderByNumber(env.Ctx, "PC-000001")
	if err != nil {
		t.Fatal(err)
	}
	if len(po.Items) == 0 {
		t.Error("PO without items")
	}
	if ev, err := st.ListPurchaseOrderEvents(env.Ctx, po.ID); err != nil || len(ev) == 0 {
		t.Errorf("PO events %v %v", ev, err)
	}

	again, err := seed.Scale(env.Ctx, scaleDeps(env), seed.ScaleOptions{Orders: 3000, Suppliers: 4, Products: 400})
	if err != nil || !again.Already {
		t.Fatalf("second run: %+v %v", again, err)
	}
	if n, _ := st.CountPurchaseOrdersByStatus(env.Ctx, nil); n[model.PODelivered] != counts[model.PODelivered] {
		t.Error("second run changed the POs")
	}
}

// The scale seed never mixes with the demo data.
func TestScaleSeedRefusesDemo(t *testing.T) {
	env := apptest.New(t)
	if _, err := seed.Demo(env.Ctx, seed.Deps{Store: env.App.Store, Auth: env.App.Auth, Stock: env.App.Stock}); err != nil {
		t.Fatal(err)
	}
	_, err := seed.Scale(env.Ctx, scaleDeps(env), seed.ScaleOptions{Orders: 10, Suppliers: 2, Products: 10})
	if !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("scale over demo: %v", err)
	}
}
