package store

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"

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
// nothing; an order the transaction locked already (LockPlatformOrders)
// costs no statement. The one-key advisory lock space does not overlap the
// two-key one of LockPlatform and the token lock.
func (s *Store) LockPlatformOrder(ctx context.Context, platformID int64, externalID string) error {
	return s.LockPlatformOrders(ctx, platformID, []string{externalID})
}

// LockPlatformOrders takes LockPlatformOrder's lock of each of externalIDs,
// in the order given (callers sort them, so that two transactions locking
// some of the same orders never wait for each other in a cycle), with one
// statement.
func (s *Store) LockPlatformOrders(ctx context.Context, platformID int64, externalIDs []string) error {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); !inTx || s.dialect != database.Postgres {
		return nil
	}
	var keys []int64
	for _, id := range externalIDs {
		k := orderLockKey(platformID, id)
		if FirstInTx(ctx, "order-lock:"+strconv.FormatInt(k, 10)) {
			keys = append(keys, k)
		}
	}
	switch len(keys) {
	case 0:
		return nil
	case 1:
		return translate(s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(?)", keys[0]).Error, "Pedido")
	}
	// The locks are taken in the order given, by the array's ordinality:
	// since PostgreSQL 9.6 a volatile function of the select list runs after
	// the ORDER BY sorted the rows.
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(k, 10))
	}
	b.WriteByte('}')
	return translate(s.conn(ctx).Exec("SELECT pg_advisory_xact_lock(t.k) FROM unnest(CAST(? AS bigint[])) WITH ORDINALITY AS t(k, i) ORDER BY t.i", b.String()).Error, "Pedido")
}

func orderLockKey(platformID int64, externalID string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte{byte(platformID >> 56), byte(platformID >> 48), byte(platformID >> 40), byte(platformID >> 32),
		byte(platformID >> 24), byte(platformID >> 16), byte(platformID >> 8), byte(platformID)})
	_, _ = h.Write([]byte(externalID))
	return int64(h.Sum64())
}
