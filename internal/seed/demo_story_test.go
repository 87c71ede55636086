package seed_test

import (
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/config"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/seed"
	"github.com/connectparts/portal/internal/store"
)

// The demo tells a true story relative to when it is seeded: orders placed
// from yesterday to a few hours ago, each PO raised after its order was
// paid and within a couple of hours, every later step after the one before
// and none in the future; one PO billed yesterday is late now; no product
// shows a negative available stock.
func TestDemoTellsATrueStoryRelativeToNow(t *testing.T) {
	dataDir := t.TempDir()
	env := apptest.New(t, apptest.Options{Config: func(c *config.Config) { c.DataDir = dataDir }})
	a := env.App
	st := a.Store
	seeded := st.Now()
	if _, err := seed.Demo(env.Ctx, seed.Deps{Store: st, Auth: a.Auth, Stock: a.Stock, PriceTables: a.PriceTables,
		Orders: a.SyncEngine, Purchasing: a.Purchasing}); err != nil {
		t.Fatal(err)
	}
	after := st.Now()
	if after.Before(seeded) || after.Sub(time.Now().UTC()) > time.Second || time.Now().UTC().Sub(after) > time.Second {
		t.Fatalf("the store's clock was not given back: %s (real %s)", after, time.Now().UTC())
	}

	orders, n, err := st.SearchSalesOrders(env.Ctx, store.OrderSearch{}, store.Page{Size: 100})
	if err != nil || n == 0 || int(n) != len(orders) {
		t.Fatalf("demo orders: %d listed of %d: %v", len(orders), n, err)
	}
	byID := map[int64]model.SalesOrder{}
	var oldest, newest time.Time
	for _, o := range orders {
		byID[o.ID] = o
		if oldest.IsZero() || o.PlacedAt.Before(oldest) {
			oldest = o.PlacedAt
		}
		if o.PlacedAt.After(newest) {
			newest = o.PlacedAt
		}
		if o.PlacedAt.After(seeded) || o.PaidAt != nil && o.PaidAt.Before(o.PlacedAt) {
			t.Errorf("order %s placed %s, paid %v (seeded %s)", o.Number, o.PlacedAt, o.PaidAt, seeded)
		}
	}
	if age := seeded.Sub(oldest); age > 36*time.Hour || age < 24*time.Hour {
		t.Errorf("oldest order placed %s before the seed, want yesterday (24 h to 36 h)", age)
	}
	if age := seeded.Sub(newest); age > 6*time.Hour {
		t.Errorf("newest order placed %s before the seed, want a few hours", age)
	}

	pos, total, err := st.ListPurchaseOrders(env.Ctx, store.PurchaseOrderFilter{}, store.Page{Size: 100})
	if err != nil || total == 0 {
		t.Fatalf("demo POs: %d: %v", total, err)
	}
	late := 0
	for _, po := range pos {
		so, ok := byID[po.SalesOrderID]
		if !ok {
			t.Fatalf("PO %s: sales order %d not listed", po.Number, po.SalesOrderID)
		}
		if so.PaidAt == nil || !po.CreatedAt.After(*so.PaidAt) || po.CreatedAt.Sub(so.PlacedAt) > 3*time.Hour {
			t.Errorf("PO %s created %s; its order %s placed %s, paid %v: want the PO after the payment, within 3 h",
				po.Number, po.CreatedAt, so.Number, so.PlacedAt, so.PaidAt)
		}
		// Each step after the one before it, none after the seed.
		prev, prevName := po.CreatedAt, "criado"
		for _, s := range []struct {
			name string
			at   *time.Time
		}{{"aceito", po.AcknowledgedAt}, {"NF-e", po.InvoicedAt}, {"entrada", po.BookedAt}, {"faturado", po.BilledAt},
			{"despachado", po.DispatchedAt}, {"enviado", po.ShippedAt}} {
			if s.at == nil {
				continue
			}
			if s.at.Before(prev) || s.at.After(seeded) {
				t.Errorf("PO %s: %s at %s, before %s (%s) or after the seed (%s)", po.Number, s.name, *s.at, prevName, prev, seeded)
			}
			prev, prevName = *s.at, s.name
		}
		events, err := st.ListPurchaseOrderEvents(env.Ctx, po.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, ev := range events {
			if ev.At.Before(po.CreatedAt) || ev.At.After(seeded) || i > 0 && ev.At.Before(events[i-1].At) {
				t.Errorf("PO %s history: %q at %s out of the story (created %s, seeded %s)", po.Number, ev.Message, ev.At, po.CreatedAt, seeded)
			}
		}
		if po.Late(seeded) {
			late++
			if d := po.ShipDeadline(); seeded.Sub(*po.BilledAt) < 24*time.Hour || seeded.Sub(*d) > 12*time.Hour {
				t.Errorf("late PO %s billed %s, due %s: want billed yesterday, late by hours", po.Number, po.BilledAt, d)
			}
		}
	}
	if late != 1 {
		t.Errorf("%d late POs, want the one billed yesterday", late)
	}

	rows, _, err := st.ListStock(env.Ctx, store.StockFilter{}, store.Page{Size: 100})
	if err != nil || len(rows) == 0 {
		t.Fatalf("stock: %d rows: %v", len(rows), err)
	}
	for _, r := range rows {
		if r.Available() < 0 {
			t.Errorf("%s: physical %d, reserved %d: negative available stock", r.SKU, r.Physical, r.Reserved)
		}
	}
}
