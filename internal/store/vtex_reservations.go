package store

import "context"

// ConfirmedAtVTEX returns, per product, the units the portal reserves for the
// platform's orders that VTEX itself still holds as *confirmed* reservations:
// orders paid and not yet in handling (payment approved, window to cancel,
// ready for handling) whose start-handling the portal has not yet seen VTEX
// accept. VTEX keeps subtracting those units from the quantity it is sent, so
// the stock push adds them back (syncengine.Available). Once start-handling
// is done the reservation is *acknowledged* and the next quantity update zeroes
// it, so the order no longer counts.
func (s *Store) ConfirmedAtVTEX(ctx context.Context, platformID int64, productIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProductID int64
		Quantity  int64
	}
	err := s.conn(ctx).Raw(`
		SELECT i.product_id, SUM(i.quantity) AS quantity
		FROM sales_order_items i JOIN sales_orders o ON o.id = i.order_id
		WHERE o.platform_id = ? AND o.status IN ('payment_approved', 'ready_for_handling')
		  AND o.reserved AND NOT o.stock_consumed
		  AND NOT EXISTS (SELECT 1 FROM status_pushes sp
		                  WHERE sp.order_id = o.id AND sp.action = 'start_handling' AND sp.status = 'done')
		  AND i.product_id IN ?
		GROUP BY i.product_id`, platformID, productIDs).Scan(&rows).Error
	for _, r := range rows {
		out[r.ProductID] = r.Quantity
	}
	return out, translate(err, "Estoque")
}
