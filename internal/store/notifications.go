package store

import (
	"context"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// Notify stores one in-app notification for every active user of the
// audience, except the user acting in ctx (who just saw the result of the
// action on screen).
func (s *Store) Notify(ctx context.Context, aud model.Audience, kind, message, link string) error {
	where, args, ok := audienceWhere(ctx, aud)
	if !ok {
		return nil
	}
	sql := "INSERT INTO notifications (user_id, kind, message, link, created_at) " +
		"SELECT id, ?, ?, ?, ? FROM users WHERE " + where
	head := []any{kind, message, link, s.now()}
	return translate(s.conn(ctx).Exec(sql, append(head, args...)...).Error, "Notificação")
}

// CountUnreadNotifications returns how many notifications the user has not read.
func (s *Store) CountUnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.conn(ctx).Model(&model.Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, translate(err, "Notificação")
}

// ListNotifications returns a page of the user's notifications, newest first, and the total.
func (s *Store) ListNotifications(ctx context.Context, userID int64, p Page) ([]model.Notification, int64, error) {
	return s.SearchNotifications(ctx, NotificationFilter{UserID: userID}, p)
}

// MarkNotificationsRead marks the user's notifications as read: the one with
// id, or all of them when id is 0.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, id int64) error {
	q := s.conn(ctx).Model(&model.Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	return translate(q.Update("read_at", s.now()).Error, "Notificação")
}

// FindNotification returns one of the user's notifications.
func (s *Store) FindNotification(ctx context.Context, userID, id int64) (*model.Notification, error) {
	var n model.Notification
	res := s.conn(ctx).Where("id = ? AND user_id = ?", id, userID).Limit(1).Find(&n)
	if res.Error != nil {
		return nil, translate(res.Error, "Notificação")
	}
	if res.RowsAffected == 0 {
		return nil, apperr.Errorf(apperr.ENOTFOUND, "Notificação não encontrada.")
	}
	return &n, nil
}
