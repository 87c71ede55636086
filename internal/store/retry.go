package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

// Retryable reports whether err is PostgreSQL aborting a transaction that
// may simply be run again: deadlock_detected (40P01) or
// serialization_failure (40001). The whole transaction was rolled back.
func Retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

// TxRetry is Tx, run again (up to attempts times in all, after a short random
// pause) when PostgreSQL aborts it as Retryable. fn must not have effects
// outside the database that a second run would repeat. Inside an outer
// transaction it is Tx: the outer transaction is the one to run again.
func (s *Store) TxRetry(ctx context.Context, attempts int, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	var err error
	for i := 1; ; i++ {
		err = s.Tx(ctx, fn)
		if err == nil || i >= attempts || !Retryable(err) {
			return err
		}
		// 5–25 ms, then 10–50 ms, …: the other transaction of the cycle
		// finishes meanwhile.
		pause := time.Duration(i) * (5*time.Millisecond + rand.N(20*time.Millisecond))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}
