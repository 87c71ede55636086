package store

import (
	"context"
	"strings"
	"time"

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
