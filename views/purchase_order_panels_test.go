package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// The page offers each action's form only to who may take it, and only in
// the statuses the PO's lifecycle allows it from.
func TestPurchaseOrderPageOffersWhatTheLifecycleAllows(t *testing.T) {
	forms := []string{"ack-form", "backorder-form", "invoice-form", "book-form", "billing-form", "shipment-form"}
	supplier := PurchaseOrderProps{CanAnswer: true, IsSupplier: true}
	fiscal := PurchaseOrderProps{CanFiscal: true}
	viewer := PurchaseOrderProps{}
	cases := []struct {
		name   string
		p      PurchaseOrderProps
		status model.POStatus
		want   []string
	}{
		{"supplier, awaiting", supplier, model.POAwaitingSupplier, []string{"ack-form", "backorder-form", "invoice-form"}},
		{"supplier, acknowledged", supplier, model.POAcknowledged, []string{"backorder-form", "invoice-form"}},
		{"supplier, divergent", supplier, model.POInvoiceDivergent, []string{"invoice-form"}},
		{"supplier, billed", supplier, model.POBilled, []string{"shipment-form"}},
		{"supplier, supplier invoiced", supplier, model.POSupplierInvoiced, nil},
		{"fiscal, supplier invoiced", fiscal, model.POSupplierInvoiced, []string{"book-form"}},
		{"fiscal, booked", fiscal, model.POInvoiceBooked, []string{"billing-form"}},
		{"fiscal, awaiting", fiscal, model.POAwaitingSupplier, nil},
		{"viewer, booked", viewer, model.POInvoiceBooked, nil},
		{"supplier, cancelled", supplier, model.POCancelled, nil},
	}
	for _, c := range cases {
		c.p.PO = model.PurchaseOrder{Number: "PC-000001", Status: c.status, DueAt: time.Now()}
		c.p.Now = time.Now()
		var b strings.Builder
		if err := PurchaseOrderPage(c.p).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		for _, f := range forms {
			want := false
			for _, w := range c.want {
				want = want || w == f
			}
			if got := strings.Contains(b.String(), `data-testid="`+f+`"`); got != want {
				t.Errorf("%s: %s shown %v, want %v", c.name, f, got, want)
			}
		}
	}
}
