package store

import (
	"context"
	"hash/fnv"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
)

// LockPlatformOrder serialises the transactions that apply one platform
// order: on PostgreSQL a transaction-scoped advisory lock on a 64-bit hash
// of (platform, external id), held until the transaction in ctx ends, so
// that two appliers of the same order (the robot, `portal sync`, the import
// job of a notification) see each other's work instead of both inserting
// it. Different orders of one platform are applied side by side: with the
// platform-wide lock (LockPlatform) 200 notified orders queued behind one
// another, each waiting for the whole transaction of the one before. (Two
// orders whose hashes collide only wait for each other.) SQLite
// transactions are serialised already. Outside a transaction it does
// nothing. The one-key advisory lock space does not overlap the two-key one
// of LockPlatform and the token lock.
func (s *Store) LockPlatformOrder(ctx context.Context, platformID int64, externalID string) error {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); !inTx || s.dialect != database.Postgres {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte{byte(platformID >> 56), byte(platformID >> 48), byte(platformID >> 40), byte(platformID >> 32),
		byte(platformID >> 24), byte(platformID >> 16), byte(platformID >> 8), byte(platformID)})
	_, _ = h.Write([]byte(externalID))
	return translate(s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", int64(h.Sum64())).Error, "Pedido")
}
