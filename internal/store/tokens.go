package store

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// CreateToken stores a new API token (hash only).
func (s *Store) CreateToken(ctx context.Context, t *model.APIToken) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(t).Error; err != nil {
			return translate(err, "Token")
		}
		return s.audit(ctx, "token.create", "api_token", t.ID, nil, map[string]any{"user_id": t.UserID, "label": t.Label, "prefix": t.Prefix})
	})
}

// FindTokenByHash returns a live token and its (active) user.
func (s *Store) FindTokenByHash(ctx context.Context, hash string) (*model.APIToken, *model.User, error) {
	var t model.APIToken
	if err := s.conn(ctx).Where("token_hash = ? AND revoked_at IS NULL", hash).First(&t).Error; err != nil {
		return nil, nil, translate(err, "Token")
	}
	u, err := s.FindUser(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	return &t, u, nil
}

// TouchToken records the last use of a token.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return translate(s.conn(ctx).Model(&model.APIToken{}).Where("id = ?", id).Update("last_used_at", at).Error, "Token")
}

// ListTokens returns a user's tokens, newest first.
func (s *Store) ListTokens(ctx context.Context, userID int64) ([]model.APIToken, error) {
	var out []model.APIToken
	err := s.conn(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").Find(&out).Error
	return out, translate(err, "Token")
}

// RevokeToken revokes one of a user's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&model.APIToken{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).Update("revoked_at", s.now())
		if res.Error != nil {
			return translate(res.Error, "Token")
		}
		if res.RowsAffected == 0 {
			return apperr.Errorf(apperr.ENOTFOUND, "Token não encontrado ou já revogado.")
		}
		return s.audit(ctx, "token.revoke", "api_token", tokenID, nil, map[string]any{"user_id": userID})
	})
}
