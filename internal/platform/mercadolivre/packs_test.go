package mercadolivre_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
)

// A pack of two orders reads as one order, whichever of them is asked for:
// the lead (lowest) order id, the pack id as number, both orders' items and
// amounts, the pack's one shipment.
func TestGetOrderOfAPackReturnsTheWholePack(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	ids := fake.AddOrders(2, now.Add(-time.Hour), time.Second)
	fake.SetOrder(ids[1], now.Add(-time.Hour), map[string]any{"total_amount": json.Number("70.5")})
	packID, ship := fake.MakePack(ids...)
	for _, id := range []string{ids[1], ids[0]} {
		o, err := c.GetOrder(ctx, id)
		if err != nil {
			t.Fatalf("GetOrder(%s): %v", id, err)
		}
		if o.ExternalID != ids[0] || o.Number != packID || o.ShipmentID != ship {
			t.Errorf("GetOrder(%s): external %s number %s shipment %s; want %s %s %s", id, o.ExternalID, o.Number, o.ShipmentID, ids[0], packID, ship)
		}
		if len(o.Items) != 2 || o.ItemsCents != 5000+7050 || o.Status != model.SOReadyForHandling {
			t.Errorf("GetOrder(%s): %d items, items %d cents, status %s", id, len(o.Items), o.ItemsCents, o.Status)
		}
	}
	if n := fake.Count(melifake.EndpointPack); n != 2 {
		t.Errorf("GET /packs: %d requests, want 2", n)
	}
}

// The pack's status wins when it is cancelled; otherwise an order still
// awaiting payment holds the whole pack back, and an order cancelled alone
// does not cancel the others.
func TestPackStatus(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	ids := fake.AddOrders(2, now.Add(-time.Hour), time.Second)
	packID, _ := fake.MakePack(ids...)
	steps := []struct {
		second, pack string
		want         model.SOStatus
	}{
		{"payment_in_process", "released", model.SOAwaitingPayment},
		{"cancelled", "released", model.SOReadyForHandling},
		{"paid", "cancelled", model.SOCancelled},
	}
	for _, st := range steps {
		fake.SetOrder(ids[1], now, map[string]any{"status": st.second})
		fake.SetPackStatus(packID, st.pack)
		o, err := c.GetOrder(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if o.Status != st.want {
			t.Errorf("second order %s, pack %s: status %s, want %s", st.second, st.pack, o.Status, st.want)
		}
	}
}

// An order whose pack Mercado Livre does not know (404) is read alone.
func TestOrderWithUnknownPackIsReadAlone(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ids := fake.AddOrders(1, now.Add(-time.Hour), time.Second)
	fake.SetOrder(ids[0], now, map[string]any{"pack_id": json.Number("2000000000000001")})
	o, err := c.GetOrder(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if o.ExternalID != ids[0] || o.Number != "2000000000000001" || len(o.Items) != 1 {
		t.Errorf("got %s %s %d items", o.ExternalID, o.Number, len(o.Items))
	}
}
