package store

import (
	"time"

	"gorm.io/gorm"
)

// POPeriod narrows the PO list to the POs whose Column (created_at,
// dispatched_at or shipped_at) falls in [From, To); either bound may be nil.
type POPeriod struct {
	Column   string
	From, To *time.Time
}

// POPeriodColumns are the stamps a period may apply to, each indexed
// (migration 00025).
var POPeriodColumns = []string{"created_at", "dispatched_at", "shipped_at"}

func validPeriodColumn(c string) bool {
	for _, v := range POPeriodColumns {
		if v == c {
			return true
		}
	}
	return false
}

// POLead narrows the list to the POs whose time from their sales order's
// payment approval to Stamp is in [MinHours, MaxHours) (nil: unbounded):
// a bar of the dashboard's lead-time histogram.
type POLead struct {
	Stamp              LeadStamp
	MinHours, MaxHours *float64
}

// POShipped narrows the list to shipped POs: all, those shipped within the
// ship-by deadline, or those shipped after it.
type POShipped string

// Shipped filters.
const (
	POShippedAny    POShipped = "any"
	POShippedOnTime POShipped = "on_time"
	POShippedLate   POShipped = "late"
)

// filterPOPeriod applies the period, lead and shipped filters of f to q (a
// query of purchase_orders, columns unqualified or qualified by the table).
func (s *Store) filterPOPeriod(q *gorm.DB, f PurchaseOrderFilter) *gorm.DB {
	if p := f.Period; validPeriodColumn(p.Column) {
		col := "purchase_orders." + p.Column
		if p.From != nil {
			q = q.Where(col+" >= ?", p.From.UTC())
		}
		if p.To != nil {
			q = q.Where(col+" < ?", p.To.UTC())
		}
	}
	if l := f.Lead; l != nil && l.Stamp.Valid() {
		expr := s.leadHoursExpr(l.Stamp)
		q = q.Where(expr + " IS NOT NULL")
		if l.MinHours != nil {
			q = q.Where(expr+" >= ?", *l.MinHours)
		}
		if l.MaxHours != nil {
			q = q.Where(expr+" < ?", *l.MaxHours)
		}
	}
	switch f.Shipped {
	case POShippedAny:
		q = q.Where("purchase_orders.shipped_at IS NOT NULL AND purchase_orders.billed_at IS NOT NULL")
	case POShippedOnTime:
		q = q.Where("purchase_orders.shipped_at IS NOT NULL AND purchase_orders.billed_at IS NOT NULL AND " + s.onTimeSQL("purchase_orders"))
	case POShippedLate:
		q = q.Where("purchase_orders.shipped_at IS NOT NULL AND purchase_orders.billed_at IS NOT NULL AND NOT (" + s.onTimeSQL("purchase_orders") + ")")
	}
	return q
}

// listOrder is the PO list's default order: newest first by id, or, with a
// period chosen (and no API cursor), newest first by the period's stamp, so
// that the stamp's index serves both the range and the order (by id, the
// planner walks the whole id index backwards to reach an old month, or
// sorts the month's rows).
func (f PurchaseOrderFilter) listOrder() string {
	if validPeriodColumn(f.Period.Column) && f.BeforeID == 0 {
		return "purchase_orders." + f.Period.Column + " DESC, purchase_orders.id DESC"
	}
	return "id DESC"
}
