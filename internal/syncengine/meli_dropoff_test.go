package syncengine_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/apptest"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
	"github.com/connectparts/portal/internal/purchasing"
)

// A Mercado Envios drop-off order through the whole flow: imported ready
// for handling with its PO; the supplier's NF-e booked and the billing NF-e
// accepted by invoice_data; Mercado Livre's label (PDF and ZPL) kept on the
// PO; the supplier is not asked for a label of its own; Mercado Livre
// reports the drop-off on the shipment only (the order is not updated) and
// the next cycle ships the PO with Mercado Livre's tracking.
func TestMercadoLivreDropOffShipsWithMercadoLivresLabel(t *testing.T) {
	m := apptest.NewMeliDropship(t)
	po := m.ImportMeli()
	so, err := m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if so.Logistics != model.LogisticsPlatformLabel || so.Status != model.SOReadyForHandling || !so.Reserved || so.ShippingMethod != "drop_off" {
		t.Fatalf("order: %s %s reserved %v method %s", so.Logistics, so.Status, so.Reserved, so.ShippingMethod)
	}
	sup := m.Supplier.ID
	if _, err := m.App.Purchasing.UploadInvoice(m.Ctx, sup, po.Number, m.SupplierInvoiceXML(t, po, nil)); err != nil {
		t.Fatalf("supplier NF-e: %v", err)
	}
	if _, err := m.App.Purchasing.BookSupplierInvoice(m.Ctx, po.Number); err != nil {
		t.Fatalf("booking: %v", err)
	}
	if _, err := m.App.Purchasing.UploadBillingInvoice(m.Ctx, po.Number, m.BillingXML(t, po, nil)); err != nil {
		t.Fatalf("billing NF-e: %v %+v", err, apperr.Details(err))
	}
	if labels, _ := m.App.Purchasing.PlatformLabels(m.Ctx, nil, po.Number); len(labels) != 0 {
		t.Fatalf("label before the NF-e reached Mercado Livre: %+v", labels)
	}
	if _, err := m.App.SyncEngine.PushStatuses(m.Ctx, 0, so.ID); err != nil {
		t.Fatalf("push: %v", err)
	}
	if got := m.Fake.Invoices(m.ShipmentID); len(got) != 1 {
		t.Fatalf("invoice_data received %d NF-e", len(got))
	}
	l, file, err := m.App.Purchasing.PlatformLabel(m.Ctx, &sup, po.Number, model.LabelFormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(file)
	file.Close()
	if err != nil || !bytes.Equal(data, melifake.LabelPDF(m.ShipmentID)) || l.Kind != "pdf" {
		t.Fatalf("stored PDF label (%s, %d bytes) is not Mercado Livre's: %v", l.Kind, len(data), err)
	}
	if z, _, err := m.App.Purchasing.PlatformLabel(m.Ctx, &sup, po.Number, model.LabelFormatZPL); err != nil || z.Kind != "zip" {
		t.Fatalf("ZPL label: %+v %v", z, err)
	}
	_, _, err = m.App.Purchasing.Ship(m.Ctx, sup, po.Number, purchasing.ShipmentInput{Carrier: "correios", TrackingCode: "AA473124829BR", Label: data})
	if !apperr.Is(err, apperr.ECONFLICT) {
		t.Fatalf("supplier's own shipment of a Mercado Envios PO: %v, want ECONFLICT", err)
	}

	// Mercado Livre moves the shipment, not the order.
	m.Fake.SetShipmentState(m.ShipmentID, "ready_to_ship", "dropped_off")
	m.SyncMeli()
	got, err := m.App.Store.FindPurchaseOrderByNumber(m.Ctx, po.Number)
	if err != nil || got.Status != model.POShipped {
		t.Fatalf("PO after the drop-off: %s %v", got.Status, err)
	}
	sh, err := m.App.Store.FindPOShipment(m.Ctx, got.ID)
	if err != nil || sh.Carrier != purchasing.PlatformCarrier || sh.TrackingCode != "ME"+m.ShipmentID || sh.LabelSHA256 != l.SHA256 {
		t.Fatalf("shipment: %+v %v", sh, err)
	}
	if so, _ = m.App.Store.FindSalesOrderByExternalID(m.Ctx, m.Meli.ID, m.OrderID); so.Status != model.SODispatched {
		t.Errorf("sales order after the drop-off: %s", so.Status)
	}
}
