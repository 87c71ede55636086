package syncengine_test

import (
	"testing"

	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
)

// Mercado Livre Full ships from Mercado Livre's warehouse: the order is
// imported showing its logistics, with no PO and no reservation of the
// supplier's stock.
func TestMercadoLivreFullRaisesNoPOAndReservesNothing(t *testing.T) {
	m := apptest.NewMeliDropship(t)
	// AddOrders numbers the first generated order's shipment 50000000001.
	m.Fake.SetLogisticType("50000000001", "fulfillment")
	m.Fake.SetShipmentState("50000000001", "ready_to_ship", "ready_to_pack")
	if _, err := m.App.SyncEngine.MapCarrier(m.Ctx, m.Meli.Name, "fulfillment", "Mercado Envios Full"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.App.SyncEngine.RunImport(m.Ctx, m.Meli.ID); err != nil {
		t.Fatal(err)
	}
	so, err := m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID)
	if err != nil {
		t.Fatalf("Full order not imported: %v", err)
	}
	if so.ShipmentID != "50000000001" || so.Logistics != model.LogisticsPlatformFulfils || so.ShippingMethod != "fulfillment" {
		t.Fatalf("order: shipment %s logistics %q method %s", so.ShipmentID, so.Logistics, so.ShippingMethod)
	}
	pos, err := m.App.Store.ListPurchaseOrdersOfSalesOrder(m.Ctx, so.ID)
	if err != nil || len(pos) != 0 {
		t.Fatalf("Full order has %d POs %v", len(pos), err)
	}
	if so.Reserved || so.StockConsumed {
		t.Fatalf("Full order touched supplier stock: reserved %v consumed %v", so.Reserved, so.StockConsumed)
	}
	// Mercado Livre ships and delivers it: still nothing on the supplier's stock.
	m.Fake.SetShipmentState("50000000001", "delivered", "")
	m.SyncMeli()
	if so, _ = m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID); so.Status != model.SODelivered || so.StockConsumed {
		t.Fatalf("after delivery: %s consumed %v", so.Status, so.StockConsumed)
	}
}
