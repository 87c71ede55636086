package views

import (
	"testing"

	"github.com/connectparts/portal/internal/model"
)

// The inbox's empty row spans every column the table shows.
func TestPurchaseOrderListColumns(t *testing.T) {
	for _, c := range []struct {
		p    PurchaseOrderListProps
		want int
	}{
		{PurchaseOrderListProps{IsSupplier: true}, 7},
		{PurchaseOrderListProps{}, 8},
		{PurchaseOrderListProps{CanFiscal: true}, 8},
		{PurchaseOrderListProps{CanFiscal: true, Status: string(model.POSupplierInvoiced)}, 9},
	} {
		if got := c.p.columns(); got != c.want {
			t.Errorf("%+v: %d columns, want %d", c.p, got, c.want)
		}
	}
}
