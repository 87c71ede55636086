package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

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
	Sort   Sort // the list's chosen order; default newest first
}

// SearchEmails returns a page of the outbox, newest first, and the total.
// The outbox is purged (migration 00014) but busy days still fill it, so
// the count is capped like the other big lists.
func (s *Store) SearchEmails(ctx context.Context, f EmailFilter, p Page) ([]model.Email, int64, error) {
	p = capPage(p)
	total, err := countCapped(s.conn(ctx), s.filterEmails(ctx, f), "id DESC")
	if err != nil {
		return nil, 0, translate(err, "E-mail")
	}
	var out []model.Email
	err = s.filterEmails(ctx, f).Order(f.Sort.orderBy("id DESC")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "E-mail")
}

// EachEmail streams the outbox e-mails of the filter in the list's order.
func (s *Store) EachEmail(ctx context.Context, f EmailFilter, fn func(*model.Email) error) error {
	return eachRow(s.filterEmails(ctx, f).Order(f.Sort.orderBy("id DESC")), "E-mail", fn)
}

func (s *Store) filterEmails(ctx context.Context, f EmailFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.Email{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	return q
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
