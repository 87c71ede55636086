package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
)

type pinnedConnKey struct{}

// TxForBulk is Tx for a transaction that loads many rows: on PostgreSQL it
// runs on one connection taken from the pool for it, so that the bulk
// writers (PriceTableItemWriter) reach the driver's connection and COPY
// inside the transaction (pgx CopyFrom: no statement per batch, binary rows).
// On SQLite, and nested in another transaction, it is Tx.
func (s *Store) TxForBulk(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok || s.dialect != database.Postgres {
		return s.Tx(ctx, fn)
	}
	return s.db.WithContext(ctx).Connection(func(cdb *gorm.DB) error {
		conn, ok := cdb.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return errors.New("store: TxForBulk without a pinned connection")
		}
		return cdb.Transaction(func(tx *gorm.DB) error {
			ctx := context.WithValue(ctx, txKey{}, tx)
			ctx = context.WithValue(ctx, pinnedConnKey{}, conn)
			return fn(context.WithValue(ctx, txOnceKey{}, &txOnce{}))
		})
	})
}

// copyInTx copies rows into table within the transaction of ctx, when ctx
// comes from TxForBulk on PostgreSQL; ok is false otherwise (nothing done).
// The transaction's BEGIN went to the same server session, so the COPY is
// part of it and rolls back with it.
func copyInTx(ctx context.Context, table string, columns []string, src pgx.CopyFromSource) (n int64, ok bool, err error) {
	conn, _ := ctx.Value(pinnedConnKey{}).(*sql.Conn)
	if conn == nil {
		return 0, false, nil
	}
	err = conn.Raw(func(dc any) error {
		sc, isPgx := dc.(*stdlib.Conn)
		if !isPgx {
			return errors.New("store: COPY needs a pgx connection")
		}
		var cerr error
		n, cerr = sc.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, src)
		return cerr
	})
	return n, true, err
}

// pinned reports whether ctx carries TxForBulk's connection.
func pinned(ctx context.Context) bool {
	conn, _ := ctx.Value(pinnedConnKey{}).(*sql.Conn)
	return conn != nil
}
