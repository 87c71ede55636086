package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// DeliveryFilter selects one supplier's webhook deliveries for the list and
// its export.
type DeliveryFilter struct {
	SupplierID int64
	Status     string // model.Delivery*; "" every status
	Event      string // one event; "" every event
	Sort       Sort   // default newest first
}

func (s *Store) filterDeliveries(ctx context.Context, f DeliveryFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.WebhookDelivery{}).Where("supplier_id = ?", f.SupplierID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Event != "" {
		q = q.Where("event = ?", f.Event)
	}
	return q
}

// SearchDeliveries returns a page of the filter's deliveries in its order
// and the total.
func (s *Store) SearchDeliveries(ctx context.Context, f DeliveryFilter, p Page) ([]model.WebhookDelivery, int64, error) {
	p = p.Normalize()
	// Counted up to the lists' cap, like every list of a growing table.
	total, err := countCapped(s.conn(ctx), s.filterDeliveries(ctx, f), "")
	if err != nil {
		return nil, 0, translate(err, "Entrega de webhook")
	}
	var out []model.WebhookDelivery
	err = s.filterDeliveries(ctx, f).Order(f.Sort.orderBy("id DESC")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Entrega de webhook")
}

// EachDelivery streams the filter's deliveries in the list's order.
func (s *Store) EachDelivery(ctx context.Context, f DeliveryFilter, fn func(*model.WebhookDelivery) error) error {
	return eachRow(s.filterDeliveries(ctx, f).Order(f.Sort.orderBy("id DESC")), "Entrega de webhook", fn)
}
