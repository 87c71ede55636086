package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/testdb"
)

// The import's batch lookup finds exactly the platform's orders among the
// ids asked, with their lines in line order, whatever characters the
// platform's ids hold (PostgreSQL receives them as one array literal), in a
// transaction (locking them) or not.
func TestSalesOrdersByExternalIDs(t *testing.T) {
	st := store.New(testdb.MustOpen(t))
	ctx := model.WithActor(context.Background(), model.Actor{Label: "test"})
	var plats []*model.Platform
	for _, name := range []string{"Loja", "Outra loja"} {
		p := &model.Platform{Kind: model.PlatformSandbox, Name: name, SettingsSealed: "x", Enabled: true, ImportIntervalSeconds: 900, ImportFrom: model.ImportFromAwaitingPayment}
		if err := st.CreatePlatform(ctx, p); err != nil {
			t.Fatal(err)
		}
		plats = append(plats, p)
	}
	prod := &model.Product{SKU: "A", Name: "Produto", Active: true}
	if err := st.CreateProduct(ctx, prod); err != nil {
		t.Fatal(err)
	}
	loc, err := st.EnsureLocation(ctx, "CD", "Centro de distribuição", nil)
	if err != nil {
		t.Fatal(err)
	}
	line := func(n int, qty int64) model.SalesOrderItem {
		return model.SalesOrderItem{Line: n, ProductID: prod.ID, LocationID: loc.ID, SKU: "A", Name: "Linha", Quantity: qty}
	}
	odd := []string{`1500-01`, `aspas "duplas"`, `barra \ invertida`, `vírgula, {chaves}`, `NULL`, ``}
	for i, id := range odd {
		o := &model.SalesOrder{PlatformID: plats[0].ID, ExternalID: id, Number: "N-" + id, Status: model.SOReadyForHandling, PlacedAt: time.Now(),
			Items: []model.SalesOrderItem{line(1, int64(i+1)), line(2, 1)}}
		if err := st.CreateSalesOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	// The same id on the other platform is not the first platform's order.
	if err := st.CreateSalesOrder(ctx, &model.SalesOrder{PlatformID: plats[1].ID, ExternalID: "só na outra", Number: "X", Status: model.SOReadyForHandling, PlacedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	ask := append([]string{"só na outra", "inexistente"}, odd...)
	check := func(ctx context.Context, where string) {
		got, err := st.SalesOrdersByExternalIDs(ctx, plats[0].ID, ask)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if len(got) != len(odd) {
			t.Fatalf("%s: %d orders found, want %d: %v", where, len(got), len(odd), got)
		}
		for i, id := range odd {
			o := got[id]
			if o == nil || o.ExternalID != id || o.PlatformID != plats[0].ID {
				t.Fatalf("%s: order %q: %+v", where, id, o)
			}
			if len(o.Items) != 2 || o.Items[0].Line != 1 || o.Items[1].Line != 2 || o.Items[0].Quantity != int64(i+1) {
				t.Fatalf("%s: order %q lines %+v", where, id, o.Items)
			}
		}
	}
	check(ctx, "outside a transaction")
	if err := st.Tx(ctx, func(ctx context.Context) error {
		check(ctx, "in a transaction")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
