package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/connectparts/portal/internal/database"
)

// BulkTable is one table a bulk load writes, with the columns given for
// every row in that order.
type BulkTable struct {
	Name    string
	Columns []string
	// Serial: the table's id column is a sequence to move past the loaded
	// ids on PostgreSQL once the load is over.
	Serial bool
}

// BulkLoader writes many rows fast inside one transaction: PostgreSQL's COPY
// (pgx CopyFrom) there, batched multi-row INSERTs of prepared statements on
// SQLite. Rows are buffered per table and the buffers are flushed together
// in the order the tables were declared, so parents always reach the
// database before the children that reference them.
type BulkLoader struct {
	dialect  database.Dialect
	tables   []BulkTable
	rows     [][][]any
	buffered int
	limit    int

	pg    pgx.Tx
	lite  *sql.Tx
	stmts map[string]*sql.Stmt
}

// BulkLoad runs fn with a loader over tables in one transaction: everything
// fn adds is committed together, or nothing when fn (or a flush) fails.
func (s *Store) BulkLoad(ctx context.Context, tables []BulkTable, fn func(l *BulkLoader) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	l := &BulkLoader{dialect: s.dialect, tables: tables, rows: make([][][]any, len(tables)), limit: 50000}
	if s.dialect == database.SQLite {
		tx, err := sqlDB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		l.lite, l.stmts = tx, map[string]*sql.Stmt{}
		if err := l.run(fn); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("bulk load: not a pgx connection")
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		l.pg = tx
		if err := l.run(fn); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		for _, t := range tables {
			if !t.Serial {
				continue
			}
			q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), 1))`, t.Name, t.Name)
			if _, err := tx.Exec(ctx, q); err != nil {
				_ = tx.Rollback(ctx)
				return fmt.Errorf("bulk load: sequence of %s: %w", t.Name, err)
			}
		}
		return tx.Commit(ctx)
	})
}

func (l *BulkLoader) run(fn func(l *BulkLoader) error) error {
	if err := fn(l); err != nil {
		return err
	}
	return l.Flush(context.Background())
}

// Add buffers one row of the table at index t (its place in the tables
// given to BulkLoad); a full buffer flushes every table.
func (l *BulkLoader) Add(ctx context.Context, t int, row ...any) error {
	if len(row) != len(l.tables[t].Columns) {
		return fmt.Errorf("bulk load: %s takes %d columns, got %d", l.tables[t].Name, len(l.tables[t].Columns), len(row))
	}
	l.rows[t] = append(l.rows[t], row)
	l.buffered++
	if l.buffered >= l.limit {
		return l.Flush(ctx)
	}
	return nil
}

// Exec runs one statement in the load's transaction (markers, fix-ups).
func (l *BulkLoader) Exec(ctx context.Context, query string, args ...any) error {
	if l.lite != nil {
		_, err := l.lite.ExecContext(ctx, query, args...)
		return err
	}
	_, err := l.pg.Exec(ctx, rebindDollar(query), args...)
	return err
}

// rebindDollar turns ? placeholders into $1, $2… for pgx.
func rebindDollar(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Flush sends every buffered row, parents first.
func (l *BulkLoader) Flush(ctx context.Context) error {
	for i, t := range l.tables {
		rows := l.rows[i]
		if len(rows) == 0 {
			continue
		}
		var err error
		if l.lite != nil {
			err = l.insertSQLite(ctx, t, rows)
		} else {
			_, err = l.pg.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, pgx.CopyFromRows(rows))
		}
		if err != nil {
			return fmt.Errorf("bulk load of %s: %w", t.Name, err)
		}
		l.rows[i] = rows[:0]
	}
	l.buffered = 0
	return nil
}

// sqliteBatchParams bounds the parameters of one SQLite INSERT: the driver
// matches every parameter against every argument, so statements of a few
// hundred parameters are the fastest.
const sqliteBatchParams = 400

func (l *BulkLoader) insertSQLite(ctx context.Context, t BulkTable, rows [][]any) error {
	per := max(1, sqliteBatchParams/len(t.Columns))
	for len(rows) > 0 {
		n := min(per, len(rows))
		stmt, err := l.sqliteStmt(ctx, t, n)
		if err != nil {
			return err
		}
		args := make([]any, 0, n*len(t.Columns))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (l *BulkLoader) sqliteStmt(ctx context.Context, t BulkTable, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", t.Name, n)
	if st, ok := l.stmts[key]; ok {
		return st, nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.Columns)), ",") + ")"
	q := "INSERT INTO " + t.Name + " (" + strings.Join(t.Columns, ",") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+",", n), ",")
	st, err := l.lite.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	l.stmts[key] = st
	return st, nil
}
