package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// RevokeUserTokens revokes every active API token of a user (offered with a
// password change or reset) and returns how many were revoked.
func (s *Store) RevokeUserTokens(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(ctx context.Context) error {
		res := s.conn(ctx).Model(&model.APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", s.now())
		if res.Error != nil {
			return translate(res.Error, "Token")
		}
		n = res.RowsAffected
		if n == 0 {
			return nil
		}
		return s.audit(ctx, "token.revoke_all", "user", userID, nil, map[string]any{"revoked": n})
	})
	return n, err
}
