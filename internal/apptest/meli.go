package apptest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/syncengine"
)

// MeliDropship is NewDropship's supplier and catalog also sold on Mercado
// Livre (melifake): one paid order of 2 × CP-001 shipped by Mercado Envios
// drop-off, its shipment waiting for the NF-e (ready_to_ship/
// invoice_pending), and the drop_off method mapped.
type MeliDropship struct {
	*Dropship
	Fake       *melifake.Server
	Meli       *model.Platform
	OrderID    string // the Mercado Livre order id
	ShipmentID string
}

// NewMeliDropship starts it. The fake closes when the test ends.
func NewMeliDropship(tb testing.TB) *MeliDropship {
	tb.Helper()
	d := NewDropship(tb)
	fake := melifake.New()
	tb.Cleanup(fake.Close)
	at := time.Now().Add(-10 * time.Minute)
	id := fake.AddOrders(1, at, time.Minute)[0]
	items := json.RawMessage(`[{"item": {"id": "MLB4440111989", "title": "Pastilha de freio CP-001", "category_id": "MLB1747",
		"variation_id": null, "seller_custom_field": null, "variation_attributes": [], "seller_sku": "CP-001"},
		"quantity": 2, "unit_price": 129.9, "full_unit_price": 129.9, "currency_id": "BRL", "sale_fee": 12, "listing_type_id": "gold_special"}]`)
	fake.SetOrder(id, at, map[string]any{"order_items": items, "total_amount": json.Number("259.8"), "paid_amount": json.Number("259.8")})
	fake.SetBuyerDocument(id, "52998224725") // a valid CPF: the billing NF-e is issued to it
	p, err := d.App.SyncEngine.AddPlatform(d.Ctx, syncengine.NewPlatform{Kind: model.PlatformMercadoLivre, Name: "Mercado Livre", BaseURL: fake.URL,
		Settings: map[string]string{"client_id": melifake.ClientID, "client_secret": melifake.ClientSecret,
			"refresh_token": melifake.InitialRefresh, "seller_id": melifake.SellerID}})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.App.SyncEngine.MapCarrier(d.Ctx, p.Name, "drop_off", "Mercado Envios"); err != nil {
		tb.Fatal(err)
	}
	return &MeliDropship{Dropship: d, Fake: fake, Meli: p, OrderID: id}
}

// ImportMeli runs the Mercado Livre import and returns the supplier's PO of
// the order.
func (m *MeliDropship) ImportMeli() model.PurchaseOrder {
	m.T.Helper()
	if _, err := m.App.SyncEngine.RunImport(m.Ctx, m.Meli.ID); err != nil {
		m.T.Fatal(err)
	}
	so, err := m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID)
	if err != nil {
		m.T.Fatalf("Mercado Livre order not imported: %v", err)
	}
	m.ShipmentID = so.ShipmentID
	pos, err := m.App.Store.ListPurchaseOrdersOfSalesOrder(m.Ctx, so.ID)
	if err != nil || len(pos) != 1 {
		m.T.Fatalf("Mercado Livre order %s: %d POs, %v", m.OrderID, len(pos), err)
	}
	po, err := m.App.Store.FindPurchaseOrderByNumber(m.Ctx, pos[0].Number)
	if err != nil {
		m.T.Fatal(err)
	}
	return *po
}

// SyncMeli runs a full Mercado Livre cycle (import, stock, statuses).
func (m *MeliDropship) SyncMeli() {
	m.T.Helper()
	if _, err := m.App.SyncEngine.RunCycle(m.Ctx, m.Meli.ID); err != nil {
		m.T.Fatal(err)
	}
}
