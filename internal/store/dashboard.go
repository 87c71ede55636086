package store

import (
	"context"
	"fmt"
	"time"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// The dashboard's figures (issue 13) read date slices of indexed timestamps:
// sales orders by placed_at (sales_orders_placed), POs by created_at,
// dispatched_at and shipped_at (migration 00025). None reads a whole table;
// each grows with the period shown, never with the history.

// DayCount is a number of rows on one São Paulo calendar day (YYYY-MM-DD).
type DayCount struct {
	Day string
	N   int64
}

// localDayExpr is the São Paulo calendar day, as YYYY-MM-DD, of a timestamp
// column: the day format.Day gives and the lists' date filters use.
func (s *Store) localDayExpr(col string) string {
	if s.dialect == database.SQLite {
		// Brazil has kept UTC−3 all year round since 2019.
		return "strftime('%Y-%m-%d', " + col + ", '-3 hours')"
	}
	return "to_char(" + col + " AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM-DD')"
}

// hoursExpr is the time from earlier to later, in hours (fractional).
func (s *Store) hoursExpr(later, earlier string) string {
	if s.dialect == database.SQLite {
		return "((julianday(" + later + ") - julianday(" + earlier + ")) * 24.0)"
	}
	return "(EXTRACT(EPOCH FROM (" + later + " - " + earlier + ")) / 3600.0)"
}

// onTimeSQL holds for a PO shipped within its ship-by deadline: billed_at
// plus the PO's dispatch hours (model.PurchaseOrder.ShipDeadline).
func (s *Store) onTimeSQL(table string) string {
	return fmt.Sprintf("%s <= CASE WHEN %[2]s.dispatch_hours > 0 THEN %[2]s.dispatch_hours ELSE %d END",
		s.hoursExpr(table+".shipped_at", table+".billed_at"), table, model.DefaultDispatchHours)
}

// CountSalesOrdersByDay counts the sales orders placed in [from, to) per day.
func (s *Store) CountSalesOrdersByDay(ctx context.Context, from, to time.Time) ([]DayCount, error) {
	var out []DayCount
	err := s.conn(ctx).Table("sales_orders").Select(s.localDayExpr("placed_at")+" AS day, COUNT(*) AS n").
		Where("placed_at >= ? AND placed_at < ?", from.UTC(), to.UTC()).Group(s.localDayExpr("placed_at")).Order("day").Find(&out).Error
	return out, translate(err, "Pedido de venda")
}

// CountPurchaseOrdersByDay counts the POs created in [from, to) per day.
func (s *Store) CountPurchaseOrdersByDay(ctx context.Context, from, to time.Time) ([]DayCount, error) {
	var out []DayCount
	err := s.conn(ctx).Table("purchase_orders").Select(s.localDayExpr("created_at")+" AS day, COUNT(*) AS n").
		Where("created_at >= ? AND created_at < ?", from.UTC(), to.UTC()).Group(s.localDayExpr("created_at")).Order("day").Find(&out).Error
	return out, translate(err, "Pedido de compra")
}

// LeadStamp is the step a lead time runs to, from the sales order's payment
// approval: the despacho or the supplier's shipment.
type LeadStamp string

// Lead stamps (their columns).
const (
	LeadDispatch LeadStamp = "dispatched_at"
	LeadShip     LeadStamp = "shipped_at"
)

// Valid reports whether l is a known stamp (it is written into SQL).
func (l LeadStamp) Valid() bool { return l == LeadDispatch || l == LeadShip }

// leadHoursExpr is the hours from the payment approval of the PO's sales
// order to the PO's stamp (NULL without a payment time): one expression for
// the chart and for the list filter behind each bar, so both count the same
// rows. The payment time is a scalar subquery by primary key, so PostgreSQL
// reads one sales order per PO of the slice instead of joining the table.
func (s *Store) leadHoursExpr(l LeadStamp) string {
	return s.hoursExpr("purchase_orders."+string(l),
		"(SELECT so.paid_at FROM sales_orders so WHERE so.id = purchase_orders.sales_order_id)")
}

// LeadTimeHours returns, for every PO whose stamp falls in [from, to), the
// hours from its sales order's payment approval to that stamp (orders
// without a payment time are left out).
func (s *Store) LeadTimeHours(ctx context.Context, l LeadStamp, from, to time.Time) ([]float64, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("store: lead stamp %q", l)
	}
	var rows []*float64
	col := "purchase_orders." + string(l)
	err := s.conn(ctx).Table("purchase_orders").Where(col+" >= ? AND "+col+" < ?", from.UTC(), to.UTC()).
		Pluck(s.leadHoursExpr(l), &rows).Error
	out := make([]float64, 0, len(rows))
	for _, h := range rows {
		if h != nil {
			out = append(out, *h)
		}
	}
	return out, translate(err, "Pedido de compra")
}

// SupplierDayShipping is how many POs of a supplier were shipped on a day,
// and how many of them within the ship-by deadline.
type SupplierDayShipping struct {
	SupplierID int64
	Day        string
	Shipped    int64
	OnTime     int64
}

// ShippingByDay counts, per supplier and day, the POs shipped in [from, to)
// and those shipped on time.
func (s *Store) ShippingByDay(ctx context.Context, from, to time.Time) ([]SupplierDayShipping, error) {
	var out []SupplierDayShipping
	day := s.localDayExpr("purchase_orders.shipped_at")
	err := s.conn(ctx).Table("purchase_orders").
		Select("supplier_id, "+day+" AS day, COUNT(*) AS shipped, SUM(CASE WHEN "+s.onTimeSQL("purchase_orders")+" THEN 1 ELSE 0 END) AS on_time").
		Where("purchase_orders.shipped_at >= ? AND purchase_orders.shipped_at < ? AND purchase_orders.billed_at IS NOT NULL", from.UTC(), to.UTC()).
		Group("supplier_id, " + day).Order("supplier_id, day").Find(&out).Error
	return out, translate(err, "Pedido de compra")
}

// CountFailingPushes counts the stock figures and status actions whose last
// push to a platform failed (the sync log lists them), from partial indexes.
func (s *Store) CountFailingPushes(ctx context.Context) (int64, error) {
	var stock, status int64
	if err := s.conn(ctx).Table("stock_push_state").Where("last_error <> ''").Count(&stock).Error; err != nil {
		return 0, translate(err, "Envio de estoque")
	}
	if err := s.conn(ctx).Table("status_pushes").Where("last_error <> '' AND status <> 'done'").Count(&status).Error; err != nil {
		return 0, translate(err, "Envio de status")
	}
	return stock + status, nil
}
