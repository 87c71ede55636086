package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Queued is what one Publish (or a retry) put in the outbox: e-mails whose
// sending job must be queued and webhook deliveries to attempt.
type Queued struct {
	Emails     []int64
	Deliveries []int64
}

// PublishOptions configures what Publish does beyond the in-app notification.
type PublishOptions struct {
	// BaseURL makes the links of e-mails and webhook payloads absolute
	// ("http://localhost:8080" when empty).
	BaseURL string
	// Mail says whether SMTP is configured: without it e-mails are kept
	// in the outbox as held and no job is queued.
	Mail bool
	// Queue runs in the transaction that filled the outbox (the jobs are
	// inserted there); nil: nothing is queued.
	Queue func(ctx context.Context, q Queued) error
}

// AbsoluteURL makes a portal link absolute with the public base URL.
func (s *Store) AbsoluteURL(link string) string {
	if link == "" || !strings.HasPrefix(link, "/") {
		return link
	}
	base := strings.TrimRight(s.publishing.BaseURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	return base + link
}

// Publish tells the event's audience, in the caller's transaction: the
// in-app notifications; for the kinds sent by e-mail, one e-mail per
// recipient; and one delivery to the supplier's webhook when it subscribes
// to the kind. Nothing leaves the process here: the jobs that send are
// queued in the same transaction, so a rollback leaves no trace.
func (s *Store) Publish(ctx context.Context, ev model.Event) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.Notify(ctx, ev.Audience, ev.Kind, ev.Message, ev.Link); err != nil {
			return err
		}
		var q Queued
		if model.Emailed(ev.Kind) {
			ids, err := s.queueEmails(ctx, ev)
			if err != nil {
				return err
			}
			if s.publishing.Mail {
				q.Emails = ids
			}
		}
		if ev.SupplierID != nil && ev.Kind != model.EventPing {
			wh, err := s.activeWebhook(ctx, *ev.SupplierID)
			if err != nil {
				return err
			}
			if wh != nil && wh.Subscribed(ev.Kind) {
				id, err := s.addDelivery(ctx, wh, ev)
				if err != nil {
					return err
				}
				q.Deliveries = append(q.Deliveries, id)
			}
		}
		return s.queue(ctx, q)
	})
}

func (s *Store) queue(ctx context.Context, q Queued) error {
	if s.publishing.Queue == nil || len(q.Emails)+len(q.Deliveries) == 0 {
		return nil
	}
	return s.publishing.Queue(ctx, q)
}

// audienceWhere is the users condition of an audience (active users; the
// actor of ctx excluded); ok false when the audience is empty.
func audienceWhere(ctx context.Context, aud model.Audience) (string, []any, bool) {
	var (
		or   []string
		args []any
	)
	if aud.SupplierID != nil {
		or = append(or, "supplier_id = ?")
		args = append(args, *aud.SupplierID)
	}
	if len(aud.Roles) > 0 {
		or = append(or, "(role IN ? AND supplier_id IS NULL)")
		args = append(args, aud.Roles)
	}
	if len(aud.UserIDs) > 0 {
		or = append(or, "id IN ?")
		args = append(args, aud.UserIDs)
	}
	if len(or) == 0 {
		return "", nil, false
	}
	where := "active = ? AND (" + strings.Join(or, " OR ") + ")"
	args = append([]any{true}, args...)
	if actor := actorUserID(ctx); actor != nil {
		where += " AND id <> ?"
		args = append(args, *actor)
	}
	return where, args, true
}

// queueEmails writes one e-mail per recipient with an address.
func (s *Store) queueEmails(ctx context.Context, ev model.Event) ([]int64, error) {
	where, args, ok := audienceWhere(ctx, ev.Audience)
	if !ok {
		return nil, nil
	}
	var users []model.User
	err := s.conn(ctx).Select("id", "email", "name").Where(where+" AND email <> ''", args...).Order("id").Find(&users).Error
	if err != nil || len(users) == 0 {
		return nil, translate(err, "Usuário")
	}
	status := model.EmailHeld
	if s.publishing.Mail {
		status = model.EmailPending
	}
	link, now := s.AbsoluteURL(ev.Link), s.now()
	emails := make([]model.Email, 0, len(users))
	for _, u := range users {
		subject, body := model.ComposeEmail(ev, u.Name, link)
		emails = append(emails, model.Email{UserID: &u.ID, Kind: ev.Kind, ToAddr: u.Email, Subject: subject, Body: body, Status: status, CreatedAt: now})
	}
	if err := s.conn(ctx).Create(&emails).Error; err != nil {
		return nil, translate(err, "E-mail")
	}
	ids := make([]int64, len(emails))
	for i, e := range emails {
		ids[i] = e.ID
	}
	return ids, nil
}

// EmailFilter selects outbox e-mails.
type EmailFilter struct {
	Status string
	Kind   string
}

// SearchEmails returns a page of the outbox, newest first, and the total.
func (s *Store) SearchEmails(ctx context.Context, f EmailFilter, p Page) ([]model.Email, int64, error) {
	p = p.Normalize()
	q := s.conn(ctx).Model(&model.Email{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "E-mail")
	}
	var out []model.Email
	err := q.Order("id DESC").Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "E-mail")
}

// FindEmail returns one outbox e-mail.
func (s *Store) FindEmail(ctx context.Context, id int64) (*model.Email, error) {
	var e model.Email
	if err := s.conn(ctx).First(&e, id).Error; err != nil {
		return nil, translate(err, "E-mail")
	}
	return &e, nil
}

// RecordEmailAttempt stores the result of one sending attempt: sent, or
// failed with the error.
func (s *Store) RecordEmailAttempt(ctx context.Context, id int64, sendErr error) error {
	now := s.now()
	upd := map[string]any{"attempts": gorm.Expr("attempts + 1"), "last_attempt_at": now}
	if sendErr == nil {
		upd["status"], upd["sent_at"], upd["last_error"] = model.EmailSent, now, ""
	} else {
		upd["status"], upd["last_error"] = model.EmailFailed, truncate(sendErr.Error(), 500)
	}
	return translate(s.conn(ctx).Model(&model.Email{}).Where("id = ?", id).Updates(upd).Error, "E-mail")
}

// ResendEmails queues again the e-mails held (SMTP was not configured when
// they were written) or failed: the one of id, or, with id 0, every held
// one (at most 1,000 at a time). It returns how many were queued.
func (s *Store) ResendEmails(ctx context.Context, id int64) (int, error) {
	var ids []int64
	err := s.Tx(ctx, func(ctx context.Context) error {
		q := s.conn(ctx).Model(&model.Email{})
		if id != 0 {
			q = q.Where("id = ? AND status IN ?", id, []string{model.EmailHeld, model.EmailFailed})
		} else {
			q = q.Where("status = ?", model.EmailHeld).Order("id").Limit(1000)
		}
		if err := q.Pluck("id", &ids).Error; err != nil {
			return translate(err, "E-mail")
		}
		if len(ids) == 0 {
			if id != 0 {
				return apperr.Errorf(apperr.ECONFLICT, "Só um e-mail retido ou que falhou pode ser reenviado.")
			}
			return nil
		}
		if err := s.conn(ctx).Model(&model.Email{}).Where("id IN ?", ids).
			Updates(map[string]any{"status": model.EmailPending, "last_error": ""}).Error; err != nil {
			return translate(err, "E-mail")
		}
		if err := s.audit(ctx, "email.resend", "email", id, nil, map[string]any{"count": len(ids)}); err != nil {
			return err
		}
		return s.queue(ctx, Queued{Emails: ids})
	})
	return len(ids), err
}

// PurgeOutbox deletes the e-mails sent and the webhook deliveries delivered
// (their attempts with them) before the instant; held, pending and failed
// ones stay. It returns how many of each went.
func (s *Store) PurgeOutbox(ctx context.Context, before time.Time) (emails, deliveries int64, err error) {
	err = s.Tx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Where("status = ? AND sent_at < ?", model.EmailSent, before).Delete(&model.Email{})
		if res.Error != nil {
			return translate(res.Error, "E-mail")
		}
		emails = res.RowsAffected
		old := s.conn(ctx).Model(&model.WebhookDelivery{}).Select("id").Where("status = ? AND delivered_at < ?", model.DeliveryDelivered, before)
		if err := s.conn(ctx).Where("delivery_id IN (?)", old).Delete(&model.WebhookAttempt{}).Error; err != nil {
			return translate(err, "Entrega de webhook")
		}
		res = s.conn(ctx).Where("status = ? AND delivered_at < ?", model.DeliveryDelivered, before).Delete(&model.WebhookDelivery{})
		if res.Error != nil {
			return translate(res.Error, "Entrega de webhook")
		}
		deliveries = res.RowsAffected
		return nil
	})
	return emails, deliveries, err
}

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

// ListDeliveries returns a page of a supplier's webhook deliveries, newest first.
func (s *Store) ListDeliveries(ctx context.Context, supplierID int64, p Page) ([]model.WebhookDelivery, int64, error) {
	p = p.Normalize()
	q := s.conn(ctx).Model(&model.WebhookDelivery{}).Where("supplier_id = ?", supplierID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Entrega de webhook")
	}
	var out []model.WebhookDelivery
	err := q.Order("id DESC").Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Entrega de webhook")
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
