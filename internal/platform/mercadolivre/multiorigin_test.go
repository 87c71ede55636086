package mercadolivre_test

import (
	"context"
	"testing"

	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/mercadolivre"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
)

// A seller with multi-origin stock (warehouse_management): the quantity goes
// to the user product's seller warehouse with the version read (x-version),
// never to available_quantity; a stale version (409) is read again and
// written; the other store keeps its quantity.
func TestMultiOriginStockThroughUserProducts(t *testing.T) {
	c, fake, _, _ := newClient(t, func(cfg *mercadolivre.Config) { cfg.StoreID = "CP-SP" })
	fake.SetWarehouseManagement("CP-SP", "OUTRO-CD")
	ctx := context.Background()
	if err := c.SetStock(ctx, "KIT-ADESIVO-3M-75", 7); err != nil {
		t.Fatal(err)
	}
	fake.ConflictNextStockWrites(1)
	if err := c.SetStock(ctx, "KIT-ADESIVO-3M-75", 4); err != nil {
		t.Fatalf("after a conflict: %v", err)
	}
	q, writes := fake.UserProductStock("CP-SP")
	other, _ := fake.UserProductStock("OUTRO-CD")
	if q != 4 || other != 0 || len(writes) != 2 {
		t.Fatalf("store CP-SP %d, other %d, writes %+v", q, other, writes)
	}
	if n := len(fake.StockWrites()); n != 0 {
		t.Errorf("%d available_quantity writes for a multi-origin seller", n)
	}
	if fake.Count(melifake.EndpointUserProductPut) != 3 || fake.Count(melifake.EndpointUserProduct) != 3 {
		t.Errorf("puts %d, gets %d: want read before every write and a re-read after the 409",
			fake.Count(melifake.EndpointUserProductPut), fake.Count(melifake.EndpointUserProduct))
	}
}

// Several seller warehouses and no store_id setting: refused with the reason.
func TestMultiOriginNeedsTheStore(t *testing.T) {
	c, fake, _, _ := newClient(t)
	fake.SetWarehouseManagement("A", "B")
	if err := c.SetStock(context.Background(), "KIT-ADESIVO-3M-75", 1); platform.KindOf(err) != platform.ErrRejected {
		t.Fatalf("two stores, no store_id: %v", err)
	}
}
