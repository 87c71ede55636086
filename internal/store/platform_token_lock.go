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
// not held up by a refresh. SQLite: the transaction's first statement is a
// write to the platform row, which takes the database's single write lock
// before anything is read; a second process waits there (busy_timeout) until
// the first commits, and then reads what it stored. (database.Open asks for
// _txlock=immediate, but glebarez/go-sqlite v1.23.0 ignores _txlock when
// _time_format is also given — its parser returns early — so transactions
// begin DEFERRED and the explicit write is needed.) fn's ctx carries the
// transaction: PlatformToken and SavePlatformToken called with it run inside
// the lock.
func (s *Store) WithPlatformTokenLock(ctx context.Context, platformID int64, fn func(ctx context.Context) error) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		var err error
		if s.dialect == database.Postgres {
			err = s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?, ?)", tokenLockClass, int32(platformID)).Error
		} else {
			err = s.conn(ctx).Exec("UPDATE platforms SET token_sealed = token_sealed WHERE id = ?", platformID).Error
		}
		if err != nil {
			return translate(err, "Plataforma")
		}
		return fn(ctx)
	})
}
