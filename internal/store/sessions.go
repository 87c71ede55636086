package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/model"
)

// CreateSession stores a new browser session.
func (s *Store) CreateSession(ctx context.Context, sess *model.Session) error {
	return translate(s.conn(ctx).Create(sess).Error, "Sessão")
}

// FindSession returns a session by the hash of its token.
func (s *Store) FindSession(ctx context.Context, id string) (*model.Session, error) {
	var sess model.Session
	if err := s.conn(ctx).Where("id = ?", id).First(&sess).Error; err != nil {
		return nil, translate(err, "Sessão")
	}
	return &sess, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	return translate(s.conn(ctx).Model(&model.Session{}).Where("id = ?", id).Update("last_seen_at", at).Error, "Sessão")
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return translate(s.conn(ctx).Where("id = ?", id).Delete(&model.Session{}).Error, "Sessão")
}

// DeleteUserSessions ends every session of a user except keep.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	return translate(s.conn(ctx).Where("user_id = ? AND id <> ?", userID, keep).Delete(&model.Session{}).Error, "Sessão")
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle since before idleBefore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res := s.conn(ctx).Where("expires_at < ? OR last_seen_at < ?", now, idleBefore).Delete(&model.Session{})
	return res.RowsAffected, translate(res.Error, "Sessão")
}

// Throttle is the failed-login counter of one key (an IP or an account).
type Throttle struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	WindowStart time.Time
	LockedUntil *time.Time
}

// TableName keeps GORM on the migration's table name.
func (Throttle) TableName() string { return "login_throttle" }

// FindThrottle returns the counter of key; a missing counter is a zero Throttle.
func (s *Store) FindThrottle(ctx context.Context, key string) (Throttle, error) {
	var t Throttle
	res := s.conn(ctx).Where("key = ?", key).Limit(1).Find(&t)
	if res.Error != nil {
		return t, translate(res.Error, "Controle de acesso")
	}
	if res.RowsAffected == 0 {
		return Throttle{Key: key}, nil
	}
	return t, nil
}

// SaveThrottle upserts a counter.
func (s *Store) SaveThrottle(ctx context.Context, t Throttle) error {
	err := s.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"failures", "window_start", "locked_until"}),
	}).Create(&t).Error
	return translate(err, "Controle de acesso")
}

// ClearThrottle forgets the failures of key.
func (s *Store) ClearThrottle(ctx context.Context, key string) error {
	return translate(s.conn(ctx).Where("key = ?", key).Delete(&Throttle{}).Error, "Controle de acesso")
}

// DeleteOldThrottles removes counters whose window and lock are both over.
func (s *Store) DeleteOldThrottles(ctx context.Context, before time.Time) error {
	return translate(s.conn(ctx).Where("window_start < ? AND (locked_until IS NULL OR locked_until < ?)", before, before).Delete(&Throttle{}).Error, "Controle de acesso")
}

// AuditFailedLogin records a refused login (no user change, but worth a trace).
func (s *Store) AuditFailedLogin(ctx context.Context, email, reason string) error {
	return s.audit(ctx, "auth.login_failed", "user", email, nil, map[string]string{"reason": reason})
}

// AuditEvent records an event that changes no row of its own (login, logout, token use).
func (s *Store) AuditEvent(ctx context.Context, action, entity string, entityID any, supplierID *int64, details any) error {
	return s.audit(ctx, action, entity, entityID, supplierID, details)
}
