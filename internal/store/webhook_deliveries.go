package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// ListDeliveries returns a page of a supplier's webhook deliveries, newest first.
func (s *Store) ListDeliveries(ctx context.Context, supplierID int64, p Page) ([]model.WebhookDelivery, int64, error) {
	return s.SearchDeliveries(ctx, DeliveryFilter{SupplierID: supplierID}, p)
}

// FindDelivery returns a delivery; with supplierID non-nil a delivery of
// another supplier is not found.
func (s *Store) FindDelivery(ctx context.Context, supplierID *int64, id int64) (*model.WebhookDelivery, error) {
	q := s.conn(ctx).Where("id = ?", id)
	if supplierID != nil {
		q = q.Where("supplier_id = ?", *supplierID)
	}
	var list []model.WebhookDelivery
	if err := q.Limit(1).Find(&list).Error; err != nil {
		return nil, translate(err, "Entrega de webhook")
	}
	if len(list) == 0 {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Entrega de webhook não encontrada.")
	}
	return &list[0], nil
}

// ListAttempts returns a delivery's attempts, oldest first.
func (s *Store) ListAttempts(ctx context.Context, deliveryID int64) ([]model.WebhookAttempt, error) {
	var out []model.WebhookAttempt
	err := s.conn(ctx).Where("delivery_id = ?", deliveryID).Order("id").Find(&out).Error
	return out, translate(err, "Tentativa de entrega")
}

// RecordWebhookAttempt logs one attempt and updates its delivery: delivered
// on a 2xx answer, failed otherwise.
func (s *Store) RecordWebhookAttempt(ctx context.Context, a *model.WebhookAttempt, delivered bool) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		a.Error, a.Response = truncate(a.Error, 500), truncate(a.Response, 500)
		if err := s.conn(ctx).Create(a).Error; err != nil {
			return translate(err, "Tentativa de entrega")
		}
		upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_attempt_at": a.AttemptedAt,
			"last_status_code": a.StatusCode, "last_error": a.Error}
		if delivered {
			upd["status"], upd["delivered_at"] = model.DeliveryDelivered, a.AttemptedAt
		} else {
			upd["status"] = model.DeliveryFailed
		}
		return translate(s.conn(ctx).Model(&model.WebhookDelivery{}).Where("id = ?", a.DeliveryID).Updates(upd).Error, "Entrega de webhook")
	})
}

// RetryDelivery queues a failed delivery of the supplier again now.
func (s *Store) RetryDelivery(ctx context.Context, supplierID, id int64) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		d, err := s.FindDelivery(ctx, &supplierID, id)
		if err != nil {
			return err
		}
		if d.Status != model.DeliveryFailed {
			return apperr.Errorf(apperr.ECONFLICT, "Só uma entrega que falhou pode ser reenviada.")
		}
		res := s.conn(ctx).Model(&model.WebhookDelivery{}).Where("id = ? AND status = ?", id, model.DeliveryFailed).Update("status", model.DeliveryPending)
		if res.Error != nil {
			return translate(res.Error, "Entrega de webhook")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ECONFLICT, "A entrega mudou enquanto isso; recarregue a página.")
		}
		if err := s.audit(ctx, "webhook.retry", "webhook_delivery", id, &supplierID, nil); err != nil {
			return err
		}
		return s.queue(ctx, Queued{Deliveries: []int64{id}})
	})
}
