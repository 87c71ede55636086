package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// BlockedCause is one cause shared by open blocked orders: a platform's
// shipping method without a carrier, or an SKU missing from the catalog, with
// how many orders it holds back. One fix per cause unblocks all of them.
type BlockedCause struct {
	PlatformID   int64
	PlatformName string
	Reason       model.BlockReason
	Method       string // unmapped_carrier
	SKU          string `gorm:"column:sku"` // unknown_sku
	Orders       int64  // open blocked orders with this cause
}

// BlockedCauseFilter narrows the causes listed.
type BlockedCauseFilter struct {
	PlatformID *int64
	Reason     model.BlockReason // "" for every reason
}

// MaxBlockedCauses bounds how many causes one list returns: each is one form,
// and a page of more forms than that helps nobody.
const MaxBlockedCauses = 200

// ListBlockedCauses groups the open blocked orders by cause (platform,
// reason, method or SKU), the cause holding most orders first. Only the open
// orders are read (the blocked_orders_open partial index); the resolved
// history is not.
func (s *Store) ListBlockedCauses(ctx context.Context, f BlockedCauseFilter) ([]BlockedCause, error) {
	q := s.conn(ctx).Table("blocked_orders b").Joins("JOIN platforms p ON p.id = b.platform_id").
		Where("b.resolved_at IS NULL")
	if f.PlatformID != nil {
		q = q.Where("b.platform_id = ?", *f.PlatformID)
	}
	if f.Reason != "" {
		q = q.Where("b.reason = ?", f.Reason)
	}
	// A carrier cause is its method; an SKU cause is each SKU an order was
	// blocked for (an order missing two SKUs is under both).
	q = q.Joins("LEFT JOIN blocked_order_skus s ON b.reason = ? AND s.platform_id = b.platform_id AND s.external_id = b.external_id", model.BlockUnknownSKU)
	var out []BlockedCause
	err := q.Select("b.platform_id, p.name AS platform_name, b.reason, "+
		"CASE WHEN b.reason = ? THEN '' ELSE b.method END AS method, "+
		"CASE WHEN b.reason = ? THEN COALESCE(s.sku, b.sku) ELSE '' END AS sku, COUNT(*) AS orders",
		model.BlockUnknownSKU, model.BlockUnknownSKU).
		Group("1, 2, 3, 4, 5").
		Order("orders DESC, 1, 4, 5").Limit(MaxBlockedCauses).Scan(&out).Error
	if err != nil {
		return nil, translate(err, "Pedido bloqueado")
	}
	return out, nil
}
