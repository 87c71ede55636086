package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// lateSQL holds for a billed, unshipped PO whose ship-by deadline (billed_at
// plus the PO's dispatch hours, model.PurchaseOrder.ShipDeadline) is before
// the bound time: model.PurchaseOrder.Late in SQL, so the late POs are
// counted and paged from the partial index purchase_orders_billed_unshipped
// (migration 00034) instead of loading the whole slice into Go.
// TestLateSQLAgreesWithTheModel keeps the two equal around the deadline.
func (s *Store) lateSQL() string {
	hours := fmt.Sprintf("(CASE WHEN dispatch_hours > 0 THEN dispatch_hours ELSE %d END)", model.DefaultDispatchHours)
	if s.dialect == database.SQLite {
		return "julianday(billed_at) + " + hours + " / 24.0 < julianday(?)"
	}
	return "billed_at + make_interval(hours => " + hours + ") < ?"
}

// late narrows q to the late POs at now, of one supplier when given.
func (s *Store) late(q *gorm.DB, supplierID *int64, now time.Time) *gorm.DB {
	return s.billedNotShipped(q, supplierID).Where(s.lateSQL(), now.UTC())
}

// ListLatePurchaseOrders returns billed POs without shipment whose ship-by
// deadline (billed_at + the PO's dispatch hours) is before now, oldest
// billing first.
func (s *Store) ListLatePurchaseOrders(ctx context.Context, now time.Time) ([]model.PurchaseOrder, error) {
	var pos []model.PurchaseOrder
	err := s.late(preloadPO(s.conn(ctx)), nil, now).Order("billed_at, id").Find(&pos).Error
	return pos, translate(err, "Pedido de compra")
}

// ListLatePurchaseOrdersPage is one page of the late POs (of one supplier
// when given), oldest billing first, from offset.
func (s *Store) ListLatePurchaseOrdersPage(ctx context.Context, supplierID *int64, now time.Time, offset, size int) ([]model.PurchaseOrder, error) {
	var pos []model.PurchaseOrder
	err := s.late(preloadPO(s.conn(ctx)), supplierID, now).Order("billed_at, id").Offset(offset).Limit(size).Find(&pos).Error
	return pos, translate(err, "Pedido de compra")
}

// CountLatePurchaseOrders counts what ListLatePurchaseOrders lists, of one
// supplier when supplierID is not nil, in SQL.
func (s *Store) CountLatePurchaseOrders(ctx context.Context, supplierID *int64, now time.Time) (int64, error) {
	var n int64
	err := s.late(s.conn(ctx).Model(&model.PurchaseOrder{}), supplierID, now).Count(&n).Error
	return n, translate(err, "Pedido de compra")
}
