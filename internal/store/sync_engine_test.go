package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/stock"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// An order's transaction (the platform lock, then the stock of its items in
// the order's item order) and a stock push draining the change queue at the
// same time must not deadlock on PostgreSQL — in a burst of paid orders the
// import lost an order's transaction to "deadlock detected" and the rest of
// its batch waited for the platform to deliver them again. The drain skips
// the products a transaction in flight is changing (they stay queued for the
// next drain), and the platform lock does not block the drain's foreign-key
// checks.
func TestDrainStockChangesDoesNotDeadlockWithAnOrder(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("SQLite serialises writers: no lock order to get wrong")
	}
	db := testdb.MustOpen(t)
	st := store.New(db)
	stk := stock.New(st)
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	plat := &model.Platform{Kind: model.PlatformSandbox, Name: "Loja", SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
	if err := st.CreatePlatform(ctx, plat); err != nil {
		t.Fatal(err)
	}
	type item struct{ product, location int64 }
	var items []item
	for _, sku := range []string{"DL-A", "DL-B"} {
		p := &model.Product{SKU: sku, Name: "Produto " + sku, Active: true}
		if err := st.CreateProduct(ctx, p); err != nil {
			t.Fatal(err)
		}
		loc, err := stk.LocationFor(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, item{p.ID, loc.ID})
	}
	a, b := items[0], items[1]
	// Queued in the order B, A: the drain meets B first.
	for _, it := range []item{b, a} {
		if _, err := stk.Count(ctx, it.product, it.location, 100, model.SourceInventory, "inv", ""); err != nil {
			t.Fatal(err)
		}
	}

	drained := make(chan error, 1)
	err := st.Tx(ctx, func(ctx context.Context) error {
		if err := st.LockPlatform(ctx, plat.ID); err != nil {
			return err
		}
		if _, err := stk.Adjust(ctx, a.product, a.location, -1, model.SourceManual, "pedido", "A"); err != nil {
			return err
		}
		go func() {
			_, err := st.DrainStockChanges(context.Background())
			drained <- err
		}()
		// Until the drain has finished or waits for a lock.
		deadline := time.Now().Add(10 * time.Second)
		for waiting := 0; waiting == 0 && len(drained) == 0; {
			if time.Now().After(deadline) {
				t.Fatal("the drain neither finished nor waited for a lock")
			}
			time.Sleep(5 * time.Millisecond)
			if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
				return err
			}
		}
		_, err := stk.Adjust(ctx, b.product, b.location, -1, model.SourceManual, "pedido", "B")
		return err
	})
	if err != nil {
		t.Fatalf("order transaction: %v", err)
	}
	if err := <-drained; err != nil {
		t.Fatalf("drain: %v", err)
	}
	// Nothing lost: whatever the first drain skipped, the next one takes.
	if _, err := st.DrainStockChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if dirty, _, err := st.CountDirtyStock(ctx, plat.ID); err != nil || dirty != 2 {
		t.Fatalf("dirty products %d (%v), want 2", dirty, err)
	}
}
