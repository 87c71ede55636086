package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// RepricePurchaseOrder stores the new prices of a PO without price and
// persists its reprice change (model.POActReprice, decided by the caller,
// with due_at) with the new total, in one transaction (ECONFLICT when the PO
// left no_price meanwhile).
func (s *Store) RepricePurchaseOrder(ctx context.Context, po *model.PurchaseOrder, ch model.POChange, message string, details any) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		var total int64
		for _, it := range po.Items {
			if it.TotalCents != nil {
				total += *it.TotalCents
			}
		}
		if err := s.ApplyPOChange(ctx, po, ch.With("total_cents", total), message, details); err != nil {
			return err
		}
		for _, it := range po.Items {
			err := s.conn(ctx).Model(&model.PurchaseOrderItem{}).Where("id = ? AND po_id = ?", it.ID, po.ID).
				Updates(map[string]any{"unit_price_cents": it.UnitPriceCents, "total_cents": it.TotalCents, "price_table_id": it.PriceTableID}).Error
			if err != nil {
				return translate(err, "Item do pedido de compra")
			}
		}
		po.TotalCents = total
		return nil
	})
}
