package mercadolivre_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/mercadolivre"
	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
)

var _ platform.LabelIssuer = (*mercadolivre.Client)(nil)

func nfeInvoice() platform.Invoice {
	return platform.Invoice{Number: "1234", Series: "1", Key: "35220411222333000181550010000012341000012345", XML: []byte(nfe), ValueCents: 5000}
}

// Drop-off (Mercado Envios 2): no label while the shipment waits for the
// NF-e; the NF-e imported by invoice_data releases it; the label comes as a
// PDF and a ZIP of ZPL, with Mercado Livre's tracking; the order is then
// invoiced, and dispatched once Mercado Livre reports the drop-off.
func TestDropOffLabelAfterInvoiceData(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	o, err := c.GetOrder(ctx, melifake.OrderPack)
	if err != nil {
		t.Fatal(err)
	}
	if o.Logistics != model.LogisticsPlatformLabel || o.Status != model.SOReadyForHandling || !o.Reserve {
		t.Fatalf("drop-off order: %s %s reserve %v", o.Logistics, o.Status, o.Reserve)
	}
	if _, err := c.ShipmentLabel(ctx, melifake.OrderPack); platform.KindOf(err) != platform.ErrTemporary {
		t.Fatalf("label before the NF-e: %v, want temporary", err)
	}
	if err := c.SendInvoice(ctx, melifake.OrderPack, nfeInvoice()); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.FiscalDocuments("2000003508553677")); n != 0 {
		t.Errorf("drop-off NF-e also sent to fiscal_documents (%d)", n)
	}
	l, err := c.ShipmentLabel(ctx, melifake.OrderPack)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(l.PDF, melifake.LabelPDF("41297142475")) || l.TrackingNumber != "ME41297142475" || l.ShipmentID != "41297142475" {
		t.Fatalf("label: shipment %s tracking %s, PDF %d bytes", l.ShipmentID, l.TrackingNumber, len(l.PDF))
	}
	zr, err := zip.NewReader(bytes.NewReader(l.ZPL), int64(len(l.ZPL)))
	if err != nil || len(zr.File) != 1 {
		t.Fatalf("zpl2 is not a ZIP of one file: %v", err)
	}
	rc, _ := zr.File[0].Open()
	zpl, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(zpl, melifake.LabelZPL("41297142475")) {
		t.Errorf("ZPL %q", zpl)
	}
	if o, _ = c.GetOrder(ctx, melifake.OrderPack); o.Status != model.SOInvoiced || o.TrackingNumber != "ME41297142475" {
		t.Errorf("after the label: %s (%s), tracking %q", o.Status, o.ChannelStatus, o.TrackingNumber)
	}
	fake.SetShipmentState("41297142475", "ready_to_ship", "dropped_off")
	if o, _ = c.GetOrder(ctx, melifake.OrderPack); o.Status != model.SODispatched {
		t.Errorf("dropped off: %s (%s)", o.Status, o.ChannelStatus)
	}
}

// Flex: Mercado Livre does not wait for the NF-e, so ready_to_ship is not
// invoiced; the NF-e goes to the pack's fiscal documents, not invoice_data.
func TestFlexInvoiceGoesToPackFiscalDocuments(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	fake.SetLogisticType("41297142475", "self_service")
	fake.SetShipmentState("41297142475", "ready_to_ship", "ready_to_print")
	o, err := c.GetOrder(ctx, melifake.OrderPack)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != model.SOReadyForHandling || o.Logistics != model.LogisticsPlatformLabel || o.ShippingMethod != "self_service" {
		t.Fatalf("Flex ready_to_ship: %s %s %s", o.Status, o.Logistics, o.ShippingMethod)
	}
	if err := c.SendInvoice(ctx, melifake.OrderPack, nfeInvoice()); err != nil {
		t.Fatal(err)
	}
	docs := fake.FiscalDocuments("2000003508553677") // the pack, not the order
	if len(docs) != 1 || string(docs[0]) != nfe || fake.Count(melifake.EndpointInvoiceData) != 0 {
		t.Fatalf("fiscal documents %d, invoice_data calls %d", len(docs), fake.Count(melifake.EndpointInvoiceData))
	}
}

// Full: Mercado Livre ships from its warehouse: no reservation, shown as
// such, and no NF-e of ours.
func TestFullIsTheWarehouseOfMercadoLivre(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	fake.SetLogisticType("41297142475", "fulfillment")
	fake.SetShipmentState("41297142475", "ready_to_ship", "ready_to_pack")
	o, err := c.GetOrder(ctx, melifake.OrderPack)
	if err != nil {
		t.Fatal(err)
	}
	if o.Logistics != model.LogisticsPlatformFulfils || o.Reserve || o.ShippingMethod != "fulfillment" {
		t.Fatalf("Full: %s reserve %v method %s", o.Logistics, o.Reserve, o.ShippingMethod)
	}
	if err := c.SendInvoice(ctx, melifake.OrderPack, nfeInvoice()); platform.KindOf(err) != platform.ErrRejected {
		t.Errorf("NF-e for Full: %v, want rejected", err)
	}
	if _, err := c.ShipmentLabel(ctx, melifake.OrderPack); platform.KindOf(err) != platform.ErrRejected {
		t.Errorf("label for Full: %v, want rejected", err)
	}
}
