package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// WaitingPurchaseOrders returns up to limit POs of one supplier in the given
// statuses, the most urgent first: the supplier home's clocks. Billed POs
// run against the ship-by deadline (billed_at + hours), the others against
// due_at. Reads the supplier's slice of the (supplier_id, status) index.
func (s *Store) WaitingPurchaseOrders(ctx context.Context, supplierID int64, statuses []model.POStatus, limit int) ([]model.PurchaseOrder, error) {
	order := "due_at, id"
	if len(statuses) == 1 && statuses[0] == model.POBilled {
		order = "billed_at, id"
	}
	var out []model.PurchaseOrder
	err := s.conn(ctx).Model(&model.PurchaseOrder{}).
		Select("id, number, order_number, status, customer_name, total_cents, dispatch_hours, due_at, billed_at, shipped_at, created_at").
		Where("supplier_id = ? AND status IN ?", supplierID, statuses).Order(order).Limit(limit).Find(&out).Error
	return out, translate(err, "Pedido de compra")
}
