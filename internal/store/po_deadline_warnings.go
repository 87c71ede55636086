package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// BilledUnwarnedPOs returns the billed POs not shipped whose deadline
// warning was not sent yet.
func (s *Store) BilledUnwarnedPOs(ctx context.Context) ([]model.PurchaseOrder, error) {
	var out []model.PurchaseOrder
	err := s.conn(ctx).Where("status = ? AND shipped_at IS NULL AND billed_at IS NOT NULL AND deadline_warned_at IS NULL", model.POBilled).
		Order("id").Find(&out).Error
	return out, translate(err, "Pedido de compra")
}

// MarkDeadlineWarned records that a PO's deadline warning is being sent;
// false when it was already (by another instance), so the warning goes out
// once. Call it in the transaction that publishes the warning.
func (s *Store) MarkDeadlineWarned(ctx context.Context, poID int64) (bool, error) {
	res := s.conn(ctx).Model(&model.PurchaseOrder{}).Where("id = ? AND deadline_warned_at IS NULL", poID).
		Update("deadline_warned_at", s.now())
	if res.Error != nil {
		return false, translate(res.Error, "Pedido de compra")
	}
	return res.RowsAffected == 1, nil
}
