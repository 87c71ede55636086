package store

import (
	"context"

	"gorm.io/gorm"
)

// blockedDefaultOrder is the blocked queue's order: open first, then oldest.
const blockedDefaultOrder = "CASE WHEN b.resolved_at IS NULL THEN 0 ELSE 1 END, b.first_seen_at, b.platform_id, b.external_id"

// blockedOrder is the queue's ORDER BY for a chosen sort; blocked orders
// are keyed by platform and order id (no id column), the ties.
func blockedOrder(s Sort) string {
	if s.Column == "" {
		return blockedDefaultOrder
	}
	return s.orderByTie("", "b.platform_id") + ", b.external_id"
}

// filterBlocked is the blocked queue of the filter, joined with platforms
// (b, p).
func (s *Store) filterBlocked(ctx context.Context, f BlockedFilter) *gorm.DB {
	q := s.conn(ctx).Table("blocked_orders b").Joins("JOIN platforms p ON p.id = b.platform_id")
	if f.PlatformID != nil {
		q = q.Where("b.platform_id = ?", *f.PlatformID)
	}
	if f.OpenOnly {
		q = q.Where("b.resolved_at IS NULL")
	}
	if f.Reason != "" {
		q = q.Where("b.reason = ?", f.Reason)
	}
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`LOWER(b.external_id) LIKE ? ESCAPE '\' OR LOWER(b.sku) LIKE ? ESCAPE '\' OR LOWER(b.method) LIKE ? ESCAPE '\'`+
			` OR EXISTS (SELECT 1 FROM blocked_order_skus s WHERE s.platform_id = b.platform_id AND s.external_id = b.external_id AND LOWER(s.sku) LIKE ? ESCAPE '\')`,
			pat, pat, pat, pat)
	}
	return q
}

// EachBlocked streams the blocked queue of the filter in the list's order.
func (s *Store) EachBlocked(ctx context.Context, f BlockedFilter, fn func(*BlockedRow) error) error {
	q := s.filterBlocked(ctx, f).Select("b.*, p.name AS platform_name, p.kind AS platform_kind").
		Order(blockedOrder(f.Sort))
	return eachRow(q, "Pedido bloqueado", fn)
}
