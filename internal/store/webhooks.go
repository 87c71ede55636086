package store

import (
	"context"
	"encoding/json"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// activeWebhook returns the supplier's webhook when it is active, or nil.
func (s *Store) activeWebhook(ctx context.Context, supplierID int64) (*model.Webhook, error) {
	wh, err := s.FindWebhookOfSupplier(ctx, supplierID)
	switch {
	case apperr.Is(err, apperr.ENOTFOUND):
		return nil, nil
	case err != nil:
		return nil, err
	case !wh.Active:
		return nil, nil
	}
	return wh, nil
}

func (s *Store) addDelivery(ctx context.Context, wh *model.Webhook, ev model.Event) (int64, error) {
	data := []byte("{}")
	if ev.Data != nil {
		var err error
		if data, err = json.Marshal(ev.Data); err != nil {
			return 0, apperr.Wrap(err, apperr.EINTERNAL, "dados do evento inválidos")
		}
	}
	d := model.WebhookDelivery{
		WebhookID: wh.ID, SupplierID: wh.SupplierID, Event: ev.Kind, Message: ev.Message,
		Link: s.AbsoluteURL(ev.Link), Data: string(data), Status: model.DeliveryPending, CreatedAt: s.now(),
	}
	if err := s.conn(ctx).Create(&d).Error; err != nil {
		return 0, translate(err, "Entrega de webhook")
	}
	return d.ID, nil
}

// QueuePing queues the test event to the supplier's webhook.
func (s *Store) QueuePing(ctx context.Context, supplierID int64) (int64, error) {
	var id int64
	err := s.Tx(ctx, func(ctx context.Context) error {
		wh, err := s.FindWebhookOfSupplier(ctx, supplierID)
		if err != nil {
			return err
		}
		id, err = s.addDelivery(ctx, wh, model.Event{
			Kind: model.EventPing, Message: "Evento de teste do Portal ConnectParts.", Link: "/webhooks",
			Data: map[string]any{"webhook_id": wh.ID},
		})
		if err != nil {
			return err
		}
		return s.queue(ctx, Queued{Deliveries: []int64{id}})
	})
	return id, err
}

// FindWebhookOfSupplier returns the supplier's webhook (404 when none).
func (s *Store) FindWebhookOfSupplier(ctx context.Context, supplierID int64) (*model.Webhook, error) {
	var list []model.Webhook
	if err := s.conn(ctx).Where("supplier_id = ?", supplierID).Limit(1).Find(&list).Error; err != nil {
		return nil, translate(err, "Webhook")
	}
	if len(list) == 0 {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Nenhum webhook cadastrado.")
	}
	return &list[0], nil
}

// FindWebhook returns a webhook by id.
func (s *Store) FindWebhook(ctx context.Context, id int64) (*model.Webhook, error) {
	var w model.Webhook
	if err := s.conn(ctx).First(&w, id).Error; err != nil {
		return nil, translate(err, "Webhook")
	}
	return &w, nil
}

// ListWebhooks returns every supplier's webhook, with its supplier.
func (s *Store) ListWebhooks(ctx context.Context) ([]model.Webhook, error) {
	var out []model.Webhook
	err := s.conn(ctx).Preload("Supplier").Order("supplier_id").Find(&out).Error
	return out, translate(err, "Webhook")
}

// SaveWebhook creates or updates the supplier's webhook; rotated says the
// secret was (re)generated. The audit entry never carries the secret.
func (s *Store) SaveWebhook(ctx context.Context, w *model.Webhook, rotated bool) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		now := s.now()
		w.UpdatedAt = now
		if rotated {
			w.SecretRotatedAt = now
		}
		action := "webhook.update"
		if w.ID == 0 {
			w.CreatedAt, action = now, "webhook.create"
			if err := s.conn(ctx).Omit(clause.Associations).Create(w).Error; err != nil {
				return translate(err, "Webhook")
			}
		} else if err := s.conn(ctx).Omit(clause.Associations).Save(w).Error; err != nil {
			return translate(err, "Webhook")
		}
		if rotated && action == "webhook.update" {
			action = "webhook.rotate_secret"
		}
		return s.audit(ctx, action, "webhook", w.ID, &w.SupplierID, map[string]any{"url": w.URL, "events": w.EventList(), "active": w.Active})
	})
}

// DeleteWebhook removes the supplier's webhook with its delivery log.
func (s *Store) DeleteWebhook(ctx context.Context, supplierID int64) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		w, err := s.FindWebhookOfSupplier(ctx, supplierID)
		if err != nil {
			return err
		}
		// Explicit: SQLite connections may not enforce ON DELETE CASCADE.
		sub := s.conn(ctx).Model(&model.WebhookDelivery{}).Select("id").Where("webhook_id = ?", w.ID)
		if err := s.conn(ctx).Where("delivery_id IN (?)", sub).Delete(&model.WebhookAttempt{}).Error; err != nil {
			return translate(err, "Webhook")
		}
		if err := s.conn(ctx).Where("webhook_id = ?", w.ID).Delete(&model.WebhookDelivery{}).Error; err != nil {
			return translate(err, "Webhook")
		}
		if err := s.conn(ctx).Delete(&model.Webhook{}, w.ID).Error; err != nil {
			return translate(err, "Webhook")
		}
		return s.audit(ctx, "webhook.delete", "webhook", w.ID, &supplierID, map[string]any{"url": w.URL})
	})
}
