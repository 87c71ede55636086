package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
)

// ClaimThrottle counts one attempt on key, atomically across every process
// sharing the database. When the key is waiting (LockedUntil after now) the
// attempt is not counted and ok is false. Otherwise next computes the counter
// after this attempt and the counter is saved with a compare-and-swap on the
// failure count, so two instances claiming at once both count.
func (s *Store) ClaimThrottle(ctx context.Context, key string, now time.Time, next func(Throttle) Throttle) (t Throttle, ok bool, err error) {
	db := s.conn(ctx)
	seed := Throttle{Key: key, WindowStart: now}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&seed).Error; err != nil {
		return t, false, translate(err, "Controle de acesso")
	}
	for range 20 {
		if t, err = s.FindThrottle(ctx, key); err != nil {
			return t, false, err
		}
		if t.LockedUntil != nil && t.LockedUntil.After(now) {
			return t, false, nil
		}
		n := next(t)
		res := db.Model(&Throttle{}).Where("key = ? AND failures = ?", key, t.Failures).
			Updates(map[string]any{"failures": n.Failures, "window_start": n.WindowStart, "locked_until": n.LockedUntil})
		if res.Error != nil {
			return t, false, translate(res.Error, "Controle de acesso")
		}
		if res.RowsAffected == 1 {
			return n, true, nil
		}
		if res.RowsAffected == 0 && t.Failures == 0 && t.WindowStart.IsZero() {
			// The row vanished (cleared by a success): seed it again.
			if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&seed).Error; err != nil {
				return t, false, translate(err, "Controle de acesso")
			}
		}
	}
	return t, false, apperr.Errorf(apperr.ECONFLICT, "Muitas tentativas simultâneas de login. Tente novamente.")
}
