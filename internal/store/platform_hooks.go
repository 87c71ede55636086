package store

import (
	"context"
	"time"
)

// SavePlatformHook records the outcome of registering a platform's
// notification hook: the sealed secret and URL sent, when the platform
// accepted it (nil when it refused) and its reason ("" when accepted).
func (s *Store) SavePlatformHook(ctx context.Context, platformID int64, secretSealed, url string, registeredAt *time.Time, reason string) error {
	err := s.conn(ctx).Exec(`UPDATE platforms SET hook_secret_sealed = ?, hook_url = ?, hook_registered_at = ?,
		hook_error = ?, updated_at = ? WHERE id = ?`,
		secretSealed, url, utcPtr(registeredAt), reason, s.now(), platformID).Error
	if err == nil {
		err = s.audit(ctx, "platform.hook", "platform", platformID, nil, map[string]any{"url": url, "registered": registeredAt != nil, "error": reason})
	}
	return translate(err, "Plataforma")
}

// PlatformNotified records that a notification came from the platform at at.
// Floods write at most once a second per platform.
func (s *Store) PlatformNotified(ctx context.Context, platformID int64, at time.Time) error {
	at = at.UTC()
	err := s.conn(ctx).Exec(`UPDATE platforms SET last_notification_at = ?
		WHERE id = ? AND (last_notification_at IS NULL OR last_notification_at < ?)`,
		at, platformID, at.Add(-time.Second)).Error
	return translate(err, "Plataforma")
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
