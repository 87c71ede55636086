package syncengine_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
	"github.com/connectparts/portal/internal/pricetable"
)

// lostDelivery delivers invoices and trackings to the platform, which
// accepts them, and then loses the answer of the first of each, as a kill -9
// between the call and recording its outcome does.
type lostDelivery struct {
	platform.Adapter
	invoiceLost, trackingLost bool
}

func (a *lostDelivery) SendInvoice(ctx context.Context, externalID string, inv platform.Invoice) error {
	err := a.Adapter.SendInvoice(ctx, externalID, inv)
	if err == nil && !a.invoiceLost {
		a.invoiceLost = true
		return platform.NewError(platform.ErrTemporary, "vtex", "send_invoice", "A VTEX não respondeu a tempo.", nil)
	}
	return err
}

func (a *lostDelivery) SendTracking(ctx context.Context, externalID string, t platform.Tracking) error {
	err := a.Adapter.SendTracking(ctx, externalID, t)
	if err == nil && !a.trackingLost {
		a.trackingLost = true
		return platform.NewError(platform.ErrTemporary, "vtex", "send_tracking", "A VTEX não respondeu a tempo.", nil)
	}
	return err
}

// An invoice and a tracking the platform accepted, whose answers were lost,
// are not sent again on retry: the retry reads the order's
// packageAttachment and finds them there.
func TestInvoiceAndTrackingAreSentOncePerOrder(t *testing.T) {
	f := newFixture(t)
	f.product("BIGBML", 50)
	f.withPurchasing(pricetable.NewService(f.st, t.TempDir()))
	p, fake := vtexPlatform(f)
	f.mapCarrier(p, "Normal", "Correios")
	ad, err := f.svc.Registry().Adapter(f.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	wrapped := &lostDelivery{Adapter: ad}
	f.svc.Registry().Use(p.ID, wrapped)
	ids := fake.AddOrders(1, "ready-for-handling")
	if rep := f.run(p); !rep.OK() {
		t.Fatalf("import: %+v", rep)
	}
	if _, err := f.svc.PushStatuses(f.ctx, p.ID, 0); err != nil {
		t.Fatalf("start handling: %v", err)
	}
	so := f.order(p, ids[0])
	pos, err := f.st.ListPurchaseOrdersOfSalesOrder(f.ctx, so.ID)
	if err != nil || len(pos) != 1 {
		t.Fatalf("purchase orders of %s: %d %v", so.ExternalID, len(pos), err)
	}
	po := pos[0]
	inv := &model.BillingInvoice{POID: po.ID, AccessKey: "35260706929383000163550010000012341123456780", Number: 1234, Series: 1,
		IssuedAt: time.Date(2026, 7, 10, 13, 30, 0, 0, time.UTC), RecipientDocument: so.CustomerDocument, TotalCents: 19530, XML: "<nfeProc/>"}
	if err := f.st.CreateBillingInvoice(f.ctx, inv); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkInvoiced(f.ctx, so.ID, inv.ID, "NF-e de faturamento."); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err == nil {
		t.Fatal("lost invoice answer not reported for retry")
	}
	if sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || sent != 1 {
		t.Fatalf("invoice retry: sent %d, %v", sent, err)
	}
	if n := fake.Count(vtexfake.EndpointInvoice); n != 1 || len(fake.Invoices(so.ExternalID)) != 1 {
		t.Fatalf("%d invoice calls (%d invoices at VTEX), want 1", n, len(fake.Invoices(so.ExternalID)))
	}

	billed := po
	if err := f.st.ApplyPOChange(f.ctx, &billed, forceBilled(&billed, time.Now().UTC()), "faturado (teste)", nil); err != nil {
		t.Fatal(err)
	}
	sh := &model.POShipment{Carrier: "correios", TrackingCode: "AA473124829BR",
		TrackingURL: "https://rastreamento.correios.com.br/app/index.php?objeto=AA473124829BR",
		LabelKind:   "pdf", LabelPath: "po-labels/x.pdf", LabelSHA256: "00", LabelSize: 10}
	if err := f.st.CreatePOShipment(f.ctx, &billed, mustDecide(t, &billed, model.POActShip), sh, "enviado (teste)"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkShipped(f.ctx, so.ID, sh.ID, "pedido de compra enviado."); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err == nil {
		t.Fatal("lost tracking answer not reported for retry")
	}
	if sent, err := f.svc.PushStatuses(f.ctx, 0, so.ID); err != nil || sent != 1 {
		t.Fatalf("tracking retry: sent %d, %v", sent, err)
	}
	if n := fake.Count(vtexfake.EndpointTracking); n != 1 {
		t.Fatalf("%d tracking calls, want 1", n)
	}
	if pending, err := f.st.PendingStatusPushes(f.ctx, 0, so.ID); err != nil || len(pending) != 0 {
		t.Fatalf("still pending: %+v %v", pending, err)
	}
}
