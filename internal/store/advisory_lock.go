package store

import (
	"context"

	"github.com/connectparts/portal/internal/database"
)

// Advisory lock namespaces: the high 32 bits of a lock key name what is locked.
const (
	LockPlatformToken int64 = 0x4d4c_544b << 32 // "MLTK": refreshing a platform's OAuth token
)

// WithAdvisoryLock runs fn while holding the lock key across every process
// sharing the database. On PostgreSQL it is a transaction-level advisory lock
// and fn runs in that transaction; a SQLite file is served by one process,
// whose callers already serialise, so fn just runs.
func (s *Store) WithAdvisoryLock(ctx context.Context, key int64, fn func(ctx context.Context) error) error {
	if s.dialect != database.Postgres {
		return fn(ctx)
	}
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", key).Error; err != nil {
			return translate(err, "Bloqueio")
		}
		return fn(ctx)
	})
}
