package syncengine_test

import (
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// A platform that lists a catalog product under another SKU: its orders
// block as unknown SKU until the platform SKU is pointed at the product,
// then import as that product, in a batch (read-ahead) and one by one.
func TestSKUAliasUnblocksAndImportsAsProduct(t *testing.T) {
	for _, tc := range []struct {
		name  string
		batch int
	}{{"batched", 0}, {"one by one", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.batch > 0 {
				f.svc.SetApplyBatch(tc.batch)
			}
			p, _ := vtexPlatform(f)
			f.mapCarrier(p, "Normal", "Correios")
			prod := f.product("CP-BIELA-01", 4)

			if rep := f.run(p); rep.Blocked != 2 || rep.Imported != 0 {
				t.Fatalf("run before alias: %+v", rep)
			}
			b := f.blocked(p, vtexfake.OrderFull)
			fixes, err := f.svc.BlockFixes(f.ctx, []model.BlockedOrder{*b})
			if err != nil {
				t.Fatal(err)
			}
			if b.Fixed(fixes) {
				t.Fatal("blocked order fixed before the alias")
			}

			if _, err := f.st.CreateSKUAlias(f.ctx, p.ID, "BIGBML", prod.SKU); err != nil {
				t.Fatal(err)
			}
			if fixes, err = f.svc.BlockFixes(f.ctx, []model.BlockedOrder{*b}); err != nil || !b.Fixed(fixes) {
				t.Fatalf("blocked order not fixed by the alias (err %v)", err)
			}

			if rep := f.run(p); rep.Imported != 2 || rep.Blocked != 0 {
				t.Fatalf("run after alias: %+v", rep)
			}
			so := f.order(p, vtexfake.OrderFull)
			if len(so.Items) == 0 {
				t.Fatal("imported order has no items")
			}
			for _, it := range so.Items {
				// The line keeps the platform's SKU (the platform matches its
				// invoice items by it) and points at our product.
				if it.ProductID != prod.ID || it.SKU != "BIGBML" {
					t.Fatalf("item %+v, want product %d with platform SKU BIGBML", it, prod.ID)
				}
			}
			if b := f.blocked(p, vtexfake.OrderFull); b.ResolvedAt == nil {
				t.Fatal("blocked order not resolved")
			}
			if _, r := f.stockOf(prod.SKU); r != 2 {
				t.Fatalf("reserved %d of the aliased product, want 2", r)
			}
		})
	}
}

// The platform lists the product under the alias: once it exists the
// product's stock goes out under the alias (and no longer under its own SKU,
// which the platform does not know); once it is removed, under its own SKU
// again.
func TestSKUAliasStockPushedUnderPlatformSKU(t *testing.T) {
	f := newFixture(t)
	p, fake := vtexPlatform(f)
	prod := f.product("CP-BIELA-01", 7)
	fake.SetSKU("BIGBML", "2001")
	fake.SetSKU("CP-BIELA-01", "2002")

	a, err := f.st.CreateSKUAlias(f.ctx, p.ID, "BIGBML", prod.SKU)
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := f.svc.PushStock(f.ctx, p.ID, false); err != nil || rep.Pushed != 1 {
		t.Fatalf("push after alias: %+v %v", rep, err)
	}
	if q := pushedQty(t, fake, "2001"); q != 7 {
		t.Fatalf("pushed %d under the alias, want 7", q)
	}
	if _, ok := fake.Stock("2002", "1fabf84"); ok {
		t.Fatal("stock pushed under the product's own SKU, which the platform lists under the alias")
	}

	if _, err := f.st.DeleteSKUAlias(f.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if rep, err := f.svc.PushStock(f.ctx, p.ID, true); err != nil || rep.Pushed != 1 {
		t.Fatalf("push after removal: %+v %v", rep, err)
	}
	if q := pushedQty(t, fake, "2002"); q != 7 {
		t.Fatalf("pushed %d under the own SKU after removal, want 7", q)
	}
}
