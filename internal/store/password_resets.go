package store

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// CountPasswordResets counts the links asked since `since` for a user (userID
// > 0) or from an address (ip != ""): the request log is the rate limiter,
// shared by every instance.
func (s *Store) CountPasswordResets(ctx context.Context, userID int64, ip string, since time.Time) (int64, error) {
	q := s.conn(ctx).Model(&model.PasswordReset{}).Where("created_at >= ?", since.UTC())
	if userID > 0 {
		q = q.Where("user_id = ?", userID)
	} else {
		q = q.Where("requested_ip = ?", ip)
	}
	var n int64
	return n, translate(q.Count(&n).Error, "Redefinição de senha")
}

// CreatePasswordReset records a request. With an e-mail (a known, active
// user) it is a new link: the e-mail is written to the outbox in the same
// transaction and its sending job queued with it.
func (s *Store) CreatePasswordReset(ctx context.Context, r *model.PasswordReset, email *model.Email) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		r.CreatedAt = s.now()
		if err := s.conn(ctx).Create(r).Error; err != nil {
			return translate(err, "Redefinição de senha")
		}
		if email == nil { // an unknown e-mail: the request is only counted
			return nil
		}
		email.UserID, email.CreatedAt = r.UserID, r.CreatedAt
		email.Status = model.EmailHeld
		if s.publishing.Mail {
			email.Status = model.EmailPending
		}
		if err := s.conn(ctx).Create(email).Error; err != nil {
			return translate(err, "E-mail")
		}
		if err := s.audit(ctx, "user.password_reset_requested", "user", *r.UserID, nil, nil); err != nil {
			return err
		}
		if s.publishing.Mail {
			return s.queue(ctx, Queued{Emails: []int64{email.ID}})
		}
		return nil
	})
}

// UsePasswordReset spends the link whose token hashes to tokenHash: it must
// exist, be unused and unexpired. The user's password becomes hash, every
// session of the user ends and every other open link of the user is spent
// too. The returned user is the one whose password changed.
func (s *Store) UsePasswordReset(ctx context.Context, tokenHash, hash string) (int64, error) {
	var userID int64
	err := s.Tx(ctx, func(ctx context.Context) error {
		var r model.PasswordReset
		err := s.conn(ctx).Where("token_hash = ?", tokenHash).Take(&r).Error
		if err != nil {
			return translate(err, "Link de redefinição")
		}
		now := s.now()
		if r.UserID == nil || r.UsedAt != nil || !now.Before(r.ExpiresAt) {
			return errResetLinkSpent
		}
		// The UPDATE's own condition spends the link once when two requests
		// race: the second waits for the first's row locks and then matches
		// nothing (PostgreSQL), or waits for the single writer (SQLite).
		res := s.conn(ctx).Model(&model.PasswordReset{}).
			Where("id = ? AND used_at IS NULL", r.ID).Update("used_at", now)
		if res.Error != nil {
			return translate(res.Error, "Redefinição de senha")
		}
		if res.RowsAffected == 0 {
			return errResetLinkSpent
		}
		// The user's other open links stop working too.
		err = s.conn(ctx).Model(&model.PasswordReset{}).
			Where("user_id = ? AND used_at IS NULL", *r.UserID).Update("used_at", now).Error
		if err != nil {
			return translate(err, "Redefinição de senha")
		}
		userID = *r.UserID
		return s.SetPassword(ctx, userID, hash, false, "", "user.password_reset_by_link")
	})
	return userID, err
}

var errResetLinkSpent = apperr.Errorf(apperr.EINVALID, "Este link de redefinição já foi usado ou expirou. Peça um novo em \"Esqueci minha senha\".")

// PurgePasswordResets removes links older than `before` (used or expired).
func (s *Store) PurgePasswordResets(ctx context.Context, before time.Time) (int64, error) {
	res := s.conn(ctx).Where("created_at < ?", before.UTC()).Delete(&model.PasswordReset{})
	return res.RowsAffected, translate(res.Error, "Redefinição de senha")
}

// FindPasswordReset returns the link whose token hashes to tokenHash.
func (s *Store) FindPasswordReset(ctx context.Context, tokenHash string) (*model.PasswordReset, error) {
	var r model.PasswordReset
	if err := s.conn(ctx).Where("token_hash = ?", tokenHash).Take(&r).Error; err != nil {
		return nil, translate(err, "Link de redefinição")
	}
	return &r, nil
}
