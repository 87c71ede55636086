package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// NotificationFilter selects one user's notifications for the list and its
// export.
type NotificationFilter struct {
	UserID int64
	Unread *bool  // true: unread only; false: read only
	Query  string // words of the message
	Sort   Sort
}

func (s *Store) filterNotifications(ctx context.Context, f NotificationFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.Notification{}).Where("user_id = ?", f.UserID)
	if f.Unread != nil {
		if *f.Unread {
			q = q.Where("read_at IS NULL")
		} else {
			q = q.Where("read_at IS NOT NULL")
		}
	}
	if f.Query != "" {
		q = q.Where(`LOWER(message) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	return q
}

// SearchNotifications returns a page of the filter's notifications in its
// order (newest first by default) and the total.
func (s *Store) SearchNotifications(ctx context.Context, f NotificationFilter, p Page) ([]model.Notification, int64, error) {
	p = p.Normalize()
	// Counted up to the lists' cap, like every list of a growing table.
	total, err := countCapped(s.conn(ctx), s.filterNotifications(ctx, f), "")
	if err != nil {
		return nil, 0, translate(err, "Notificação")
	}
	var out []model.Notification
	err = s.filterNotifications(ctx, f).Order(f.Sort.orderBy("id DESC")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Notificação")
}

// EachNotification streams the filter's notifications in the list's order.
func (s *Store) EachNotification(ctx context.Context, f NotificationFilter, fn func(*model.Notification) error) error {
	return eachRow(s.filterNotifications(ctx, f).Order(f.Sort.orderBy("id DESC")), "Notificação", fn)
}
