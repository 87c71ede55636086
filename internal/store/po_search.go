package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// poSearch narrows q to the POs whose number or sales order number starts
// with v (lower case, indexed by migration 00019); bare digits also find
// the PO of that number ("123" finds PC-000123).
func (s *Store) poSearch(q *gorm.DB, v string) *gorm.DB {
	low := strings.ToLower(v)
	c1, a1 := s.prefixMatch("LOWER(number)", low)
	c2, a2 := s.prefixMatch("LOWER(order_number)", low)
	cond, args := c1+" OR "+c2, append(a1, a2...)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
		cond += " OR LOWER(number) = ?"
		args = append(args, strings.ToLower(fmt.Sprintf("PC-%06d", n)))
	}
	return q.Where("("+cond+")", args...)
}

// CountOpenPurchaseOrdersByStatus counts the POs still in the flow (neither
// shipped, delivered nor cancelled) per status, of one supplier when given:
// the home pages' queues, read from the small slices of the status index.
func (s *Store) CountOpenPurchaseOrdersByStatus(ctx context.Context, supplierID *int64) (map[model.POStatus]int64, error) {
	var rows []struct {
		Status model.POStatus
		N      int64
	}
	err := s.filterPurchaseOrders(ctx, PurchaseOrderFilter{SupplierID: supplierID}).
		Where("status IN ?", openPOStatuses).Select("status, COUNT(*) AS n").Group("status").Find(&rows).Error
	out := map[model.POStatus]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, translate(err, "Pedido de compra")
}

var openPOStatuses = []model.POStatus{model.POAwaitingSupplier, model.POAcknowledged, model.POBackordered, model.PONoPrice,
	model.POInvoiceDivergent, model.POSupplierInvoiced, model.POInvoiceBooked, model.POBilled}

// CountPurchaseOrders counts the POs of a filter exactly: for the home
// page's queues, small slices served by partial indexes (AwaitingDispatch,
// CancelException), never the whole table.
func (s *Store) CountPurchaseOrders(ctx context.Context, f PurchaseOrderFilter) (int64, error) {
	var n int64
	q := s.filterPurchaseOrders(ctx, f)
	if s.dialect == database.SQLite && f.AwaitingDispatch && f.SupplierID == nil && f.Status == "" {
		// SQLite's planner prefers the status index (8,000 billed or shipped
		// POs looked up one by one at 1,000,000 orders: 15 ms) to the
		// partial index holding exactly these rows (0.3 ms)
		q = q.Table("purchase_orders INDEXED BY purchase_orders_awaiting_dispatch")
	}
	err := q.Count(&n).Error
	return n, translate(err, "Pedido de compra")
}
