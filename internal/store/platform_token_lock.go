package store

import (
	"context"

	"github.com/connectparts/portal/internal/database"
)

// tokenLockClass is the first key of the PostgreSQL advisory lock that
// guards a platform's OAuth token (the second is the platform id), so that
// it never collides with another use of advisory locks.
const tokenLockClass = 771010

// WithPlatformTokenLock runs fn in a transaction that holds the platform's
// token lock, shared by every process on the database (`portal serve`,
// `portal sync`): Mercado Livre refresh tokens are single-use, so reading
// the stored token, refreshing it and saving the new one must happen under
// one lock, or two processes burn each other's refresh token.
//
// PostgreSQL: a transaction-scoped advisory lock (pg_advisory_xact_lock),
// separate from the platform row so that order imports (LockPlatform) are
// not held up by a refresh. SQLite: the store's transactions begin
// IMMEDIATE (database.Open sets _txlock), which takes the database's single
// write lock at BEGIN; a second process waits (busy_timeout) until the first
// commits. fn's ctx carries the transaction: PlatformToken and
// SavePlatformToken called with it run inside the lock.
func (s *Store) WithPlatformTokenLock(ctx context.Context, platformID int64, fn func(ctx context.Context) error) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		if s.dialect == database.Postgres {
			if err := s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?, ?)", tokenLockClass, int32(platformID)).Error; err != nil {
				return translate(err, "Plataforma")
			}
		}
		return fn(ctx)
	})
}
