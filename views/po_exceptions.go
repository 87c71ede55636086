package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
)

// POExceptionsProps is purchasing's exception queue of purchase orders:
// without price, without stock, and cancelled on the platform after the
// despacho. Each list holds at most one page; the totals count them all.
type POExceptionsProps struct {
	NoPrice, Backordered, Cancelled                []model.PurchaseOrder
	NoPriceTotal, BackorderedTotal, CancelledTotal int64
	Now                                            time.Time
	CanManage                                      bool
}

// unpricedCodes lists the supplier codes of a PO's items without price.
func unpricedCodes(po model.PurchaseOrder) string {
	var codes []string
	for _, it := range po.Items {
		if it.UnitPriceCents == nil {
			codes = append(codes, it.SupplierCode)
		}
	}
	if len(codes) == 0 {
		return "—"
	}
	return strings.Join(codes, ", ")
}

// isoDate shows a YYYY-MM-DD date as 25/11/2026.
func isoDate(s string) string {
	d, err := format.ParseDate(s)
	if err != nil {
		return s
	}
	return format.Date(d)
}

// daysUntil is how far a YYYY-MM-DD date is from now's day in São Paulo:
// "hoje", "em 3 dias", "há 2 dias".
func daysUntil(s string, now time.Time) string {
	d, err := format.ParseDate(s)
	if err != nil {
		return "—"
	}
	n := int(d.Sub(format.Day(now)).Round(24*time.Hour) / (24 * time.Hour))
	switch {
	case n == 0:
		return "hoje"
	case n == 1:
		return "amanhã"
	case n > 1:
		return fmt.Sprintf("em %d dias", n)
	case n == -1:
		return "ontem"
	}
	return fmt.Sprintf("há %d dias", -n)
}
