package store

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// ScorecardRows returns the POs of one supplier created in [from, to), with
// the stamps a scorecard reads: a slice of the (supplier_id, created_at)
// index (migration 00025), one supplier and one period, never the table.
func (s *Store) ScorecardRows(ctx context.Context, supplierID int64, from, to time.Time) ([]model.ScorecardPO, error) {
	var out []model.ScorecardPO
	err := s.conn(ctx).Table("purchase_orders").
		Select("id, status, created_at, acknowledged_at, backordered_at, invoiced_at, billed_at, shipped_at, dispatch_hours, "+
			// the literal kind, not a parameter: the partial index
			// purchase_order_events_divergent (00040) answers it
			"EXISTS (SELECT 1 FROM purchase_order_events e WHERE e.po_id = purchase_orders.id AND e.kind = '"+model.POEventDivergent+"') AS divergent").
		Where("supplier_id = ? AND created_at >= ? AND created_at < ?", supplierID, from.UTC(), to.UTC()).
		Order("created_at, id").Find(&out).Error
	return out, translate(err, "Pedido de compra")
}
