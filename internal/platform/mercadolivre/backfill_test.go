package mercadolivre_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/platform/mercadolivre"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
)

// backfiller is the interface the engine's backfill declares
// (platform.Backfiller, on the VTEX/hooks branch); asserted here locally.
type backfiller interface {
	BackfillOrders(ctx context.Context, since time.Time) ([]string, error)
}

// BackfillOrders reads every page of the orders search by creation date and
// keeps the paid orders created in the window only.
func TestBackfillOrdersPaidSinceByCreationDate(t *testing.T) {
	c, fake, _, _ := newClient(t, func(cfg *mercadolivre.Config) { cfg.PageSize = 2 })
	var _ backfiller = c
	since := now.Add(-7 * 24 * time.Hour)
	old := fake.AddOrders(2, since.Add(-48*time.Hour), time.Hour) // created before the window
	ids := fake.AddOrders(5, since.Add(time.Hour), time.Hour)
	fake.SetOrder(ids[2], now, map[string]any{"status": "cancelled"})
	got, err := c.BackfillOrders(context.Background(), since)
	if err != nil {
		t.Fatal(err)
	}
	// The example pack order (created 2022-04-08, paid) is in the window too.
	want := []string{ids[0], ids[1], ids[3], ids[4], melifake.OrderPack}
	if !slices.Equal(got, want) {
		t.Fatalf("backfill %v, want %v (not %v, created before, nor the cancelled %s)", got, want, old, ids[2])
	}
	if n := fake.Count(melifake.EndpointOrdersSearch); n < 2 {
		t.Errorf("%d search pages read, want every page of 2", n)
	}
}
