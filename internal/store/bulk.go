package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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
	// Rebuild: the table's secondary indexes (and, on PostgreSQL, its
	// foreign keys) are dropped for the load and built again, inside the
	// same transaction, once every row is in: one sort per index instead of
	// an index insertion per row, and one join per foreign key instead of a
	// lookup per row. For tables the load fills (nearly) from empty.
	Rebuild bool
	// NoTriggers: the table's own triggers do not fire for the loaded rows
	// (PostgreSQL: disabled; SQLite: dropped and created again in the
	// transaction); the caller does their work in bulk with Exec.
	NoTriggers bool
}

// BulkLoader writes many rows fast inside one transaction: PostgreSQL's COPY
// (pgx CopyFrom) there, batched multi-row INSERTs of prepared statements on
// SQLite. Rows are buffered per table and the buffers are flushed together
// in the order the tables were declared, so parents always reach the
// database before the children that reference them. A full buffer is sent
// by a second goroutine while the caller fills the next one, so generating
// rows and writing them overlap; at most one flush is in flight.
type BulkLoader struct {
	dialect  database.Dialect
	tables   []BulkTable
	rows     [][][]any
	spare    [][][]any // the buffers of the previous flush, for reuse
	buffered int
	limit    int
	inflight chan error // the flush being sent, nil when none

	opts     BulkOptions
	report   BulkReport
	lastStep string

	pg    pgx.Tx
	lite  *sql.Tx
	stmts map[string]*sql.Stmt
	// jsonBuf is the reused buffer of SQLite's JSON batches
	jsonBuf []byte
}

// bulkBufferRows is how many rows a loader buffers before it sends them.
const bulkBufferRows = 50000

// BulkLoad runs fn with a loader over tables in one transaction: everything
// fn adds is committed together, or nothing when fn (or a flush) fails.
func (s *Store) BulkLoad(ctx context.Context, tables []BulkTable, fn func(l *BulkLoader) error) error {
	_, err := s.BulkLoadReport(ctx, tables, BulkOptions{}, fn)
	return err
}

// BulkLoadReport is BulkLoad telling where its time went.
func (s *Store) BulkLoadReport(ctx context.Context, tables []BulkTable, opts BulkOptions, fn func(l *BulkLoader) error) (*BulkReport, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	l := &BulkLoader{dialect: s.dialect, tables: tables, rows: make([][][]any, len(tables)), limit: bulkBufferRows, opts: opts}
	l.report.Tables = make([]BulkTableStats, len(tables))
	for i, t := range tables {
		l.report.Tables[i].Name = t.Name
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if s.dialect == database.SQLite {
		if err := l.loadSQLite(ctx, conn, fn); err != nil {
			return nil, err
		}
		return &l.report, nil
	}
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("bulk load: not a pgx connection")
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		l.pg = tx
		if err := l.loadPostgres(ctx, fn); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		l.begin(BulkStepCommit)
		start := time.Now()
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		l.phase(BulkStepCommit, "", start)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &l.report, nil
}

// tableDDL is what rebuilds one table after the load.
type tableDDL struct {
	table string
	stmts []string
}

// loadPostgres runs the load in l.pg: indexes and foreign keys of the
// Rebuild tables off, the rows, then the indexes, the foreign keys (checked
// over the whole tables) and the sequences.
func (l *BulkLoader) loadPostgres(ctx context.Context, fn func(l *BulkLoader) error) error {
	// index builds sort in memory rather than in temporary files (the
	// largest tables of a million-order load sort several million entries);
	// a server that gives more keeps its setting
	if _, err := l.pg.Exec(ctx, `SELECT set_config('maintenance_work_mem', '1GB', true)
		FROM pg_settings WHERE name = 'maintenance_work_mem' AND setting::bigint < 1048576`); err != nil {
		return err
	}
	var rebuild []tableDDL
	for _, t := range l.tables {
		if !t.Rebuild {
			continue
		}
		ddl, err := l.dropPostgresIndexes(ctx, t.Name)
		if err != nil {
			return fmt.Errorf("bulk load: indexes of %s: %w", t.Name, err)
		}
		rebuild = append(rebuild, tableDDL{t.Name, ddl})
	}
	var after []tableDDL
	for _, t := range l.tables {
		if !t.NoTriggers {
			continue
		}
		name := pgx.Identifier{t.Name}.Sanitize()
		if _, err := l.pg.Exec(ctx, "ALTER TABLE "+name+" DISABLE TRIGGER USER"); err != nil {
			return fmt.Errorf("bulk load: triggers of %s: %w", t.Name, err)
		}
		after = append(after, tableDDL{t.Name, []string{"ALTER TABLE " + name + " ENABLE TRIGGER USER"}})
	}
	// foreign keys are re-added after every index, as their checks read them
	var fks []tableDDL
	for _, t := range l.tables {
		if !t.Rebuild {
			continue
		}
		ddl, err := l.dropPostgresForeignKeys(ctx, t.Name)
		if err != nil {
			return fmt.Errorf("bulk load: foreign keys of %s: %w", t.Name, err)
		}
		fks = append(fks, tableDDL{t.Name, ddl})
	}
	if err := l.run(ctx, fn); err != nil {
		return err
	}
	if err := l.runDDL(ctx, ddlStep{BulkStepIndexes, rebuild}, ddlStep{BulkStepForeignKeys, fks}, ddlStep{BulkStepTriggers, after}); err != nil {
		return err
	}
	start := time.Now()
	for _, t := range l.tables {
		if !t.Serial {
			continue
		}
		l.begin(BulkStepSequences)
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), GREATEST((SELECT MAX(id) FROM %s), 1))`, t.Name, t.Name)
		if _, err := l.pg.Exec(ctx, q); err != nil {
			return fmt.Errorf("bulk load: sequence of %s: %w", t.Name, err)
		}
	}
	l.phase(BulkStepSequences, "", start)
	return nil
}

// dropPostgresIndexes drops the table's indexes that back no constraint
// (primary keys, unique constraints and the keys foreign keys point at stay)
// and returns the statements that create them again.
func (l *BulkLoader) dropPostgresIndexes(ctx context.Context, table string) ([]string, error) {
	rows, err := l.pg.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i WHERE i.indrelid = $1::regclass
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, table)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := l.pg.Exec(ctx, "DROP INDEX "+n); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// dropPostgresForeignKeys drops the table's foreign keys and returns the
// statements that add them again.
func (l *BulkLoader) dropPostgresForeignKeys(ctx context.Context, table string) ([]string, error) {
	rows, err := l.pg.Query(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::regclass AND contype = 'f'`, table)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, name)
		defs = append(defs, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", pgx.Identifier{table}.Sanitize(), pgx.Identifier{name}.Sanitize(), def))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := l.pg.Exec(ctx, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", pgx.Identifier{table}.Sanitize(), pgx.Identifier{n}.Sanitize())); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// loadSQLite runs the load on the database's one connection with the
// PRAGMAs of a bulk load: foreign keys off (they cannot change inside a
// transaction) and checked with foreign_key_check before the commit, a
// large page cache and temporary data in memory; the Rebuild tables'
// indexes and the NoTriggers tables' triggers are dropped and created
// again after the rows, in the transaction.
func (l *BulkLoader) loadSQLite(ctx context.Context, conn *sql.Conn, fn func(l *BulkLoader) error) (err error) {
	var cache int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return err
	}
	for _, p := range []string{"PRAGMA foreign_keys = OFF", "PRAGMA cache_size = -262144", "PRAGMA temp_store = MEMORY"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer func() {
		for _, p := range []string{"PRAGMA foreign_keys = ON", fmt.Sprintf("PRAGMA cache_size = %d", cache), "PRAGMA temp_store = DEFAULT"} {
			if _, e := conn.ExecContext(context.WithoutCancel(ctx), p); e != nil && err == nil {
				err = e
			}
		}
	}()
	restore, err := sqliteRollbackJournal(ctx, conn)
	if err != nil {
		return err
	}
	defer func() {
		if e := restore(); e != nil && err == nil {
			err = e
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	l.lite, l.stmts = tx, map[string]*sql.Stmt{}
	if err := l.sqliteLoad(ctx, fn); err != nil {
		_ = tx.Rollback()
		return err
	}
	l.begin(BulkStepCommit)
	start := time.Now()
	if err := tx.Commit(); err != nil {
		return err
	}
	l.phase(BulkStepCommit, "", start)
	return nil
}

func (l *BulkLoader) sqliteLoad(ctx context.Context, fn func(l *BulkLoader) error) error {
	var indexes, triggers []tableDDL
	for _, t := range l.tables {
		var kinds []string
		if t.Rebuild {
			kinds = append(kinds, "'index'")
		}
		if t.NoTriggers {
			kinds = append(kinds, "'trigger'")
		}
		if len(kinds) == 0 {
			continue
		}
		rows, err := l.lite.QueryContext(ctx, "SELECT type, name, sql FROM sqlite_master WHERE type IN ("+strings.Join(kinds, ",")+") AND tbl_name = ? AND sql IS NOT NULL", t.Name)
		if err != nil {
			return err
		}
		var drops []string
		ix, tr := tableDDL{table: t.Name}, tableDDL{table: t.Name}
		for rows.Next() {
			var kind, name, def string
			if err := rows.Scan(&kind, &name, &def); err != nil {
				rows.Close()
				return err
			}
			drops = append(drops, "DROP "+strings.ToUpper(kind)+` "`+name+`"`)
			if kind == "trigger" {
				tr.stmts = append(tr.stmts, def)
			} else {
				ix.stmts = append(ix.stmts, def)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		indexes, triggers = append(indexes, ix), append(triggers, tr)
		for _, q := range drops {
			if _, err := l.lite.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("bulk load: %s: %w", q, err)
			}
		}
	}
	if err := l.run(ctx, fn); err != nil {
		return err
	}
	for _, st := range l.stmts {
		_ = st.Close()
	}
	if err := l.runDDL(ctx, ddlStep{BulkStepIndexes, indexes}, ddlStep{BulkStepTriggers, triggers}); err != nil {
		return err
	}
	for _, t := range l.tables {
		l.begin(BulkStepKeyCheck)
		start := time.Now()
		rows, err := l.lite.QueryContext(ctx, `PRAGMA foreign_key_check("`+t.Name+`")`)
		if err != nil {
			return err
		}
		bad := rows.Next()
		var parent string
		if bad {
			var table string
			var rowid sql.NullInt64
			var fkid int64
			_ = rows.Scan(&table, &rowid, &parent, &fkid)
		}
		rows.Close()
		if bad {
			return fmt.Errorf("bulk load: a row of %s names a missing %s", t.Name, parent)
		}
		l.phase(BulkStepKeyCheck, t.Name, start)
	}
	return nil
}

func (l *BulkLoader) run(ctx context.Context, fn func(l *BulkLoader) error) error {
	l.begin(BulkStepRows)
	start := time.Now()
	err := fn(l)
	if werr := l.wait(); err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	if err := l.Flush(ctx); err != nil {
		return err
	}
	l.phase(BulkStepRows, "", start)
	return nil
}

// Add buffers one row of the table at index t (its place in the tables
// given to BulkLoad); a full buffer is handed to the writer.
func (l *BulkLoader) Add(ctx context.Context, t int, row ...any) error {
	if len(row) != len(l.tables[t].Columns) {
		return fmt.Errorf("bulk load: %s takes %d columns, got %d", l.tables[t].Name, len(l.tables[t].Columns), len(row))
	}
	l.rows[t] = append(l.rows[t], row)
	l.buffered++
	if l.buffered >= l.limit {
		return l.flushAsync(ctx)
	}
	return nil
}

// flushAsync starts sending the buffered rows and gives the caller fresh
// buffers, after the flush before it is over.
func (l *BulkLoader) flushAsync(ctx context.Context) error {
	if err := l.wait(); err != nil {
		return err
	}
	rows := l.rows
	if l.spare == nil {
		l.spare = make([][][]any, len(l.tables))
	}
	l.rows, l.spare = l.spare, rows
	l.buffered = 0
	done := make(chan error, 1)
	l.inflight = done
	go func() { done <- l.send(ctx, rows) }()
	return nil
}

// wait waits for the flush in flight, if any.
func (l *BulkLoader) wait() error {
	if l.inflight == nil {
		return nil
	}
	start := time.Now()
	err := <-l.inflight
	l.inflight = nil
	l.report.Waited += time.Since(start)
	return err
}

// ddlStep is one step of the work after a load (rebuilding indexes, foreign
// keys, triggers): each table's statements.
type ddlStep struct {
	name string
	ddl  []tableDDL
}

// runDDL runs the steps' statements in order, timing each table's in the
// load's report.
func (l *BulkLoader) runDDL(ctx context.Context, steps ...ddlStep) error {
	for _, step := range steps {
		for _, d := range step.ddl {
			if len(d.stmts) == 0 {
				continue
			}
			l.begin(step.name)
			start := time.Now()
			for _, q := range d.stmts {
				var err error
				if l.lite != nil {
					_, err = l.lite.ExecContext(ctx, q)
				} else {
					_, err = l.pg.Exec(ctx, q)
				}
				if err != nil {
					return fmt.Errorf("bulk load: %s: %w", q, err)
				}
			}
			l.phase(step.name, d.table, start)
		}
	}
	return nil
}

// Exec runs one statement in the load's transaction (markers, fix-ups),
// after every row added before it.
func (l *BulkLoader) Exec(ctx context.Context, query string, args ...any) error {
	if err := l.Flush(ctx); err != nil {
		return err
	}
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

// Flush sends every buffered row, parents first, and returns once they are
// written.
func (l *BulkLoader) Flush(ctx context.Context) error {
	if err := l.wait(); err != nil {
		return err
	}
	if err := l.send(ctx, l.rows); err != nil {
		return err
	}
	l.buffered = 0
	return nil
}

// send writes rows (one buffer per table) and empties the buffers, keeping
// their capacity.
func (l *BulkLoader) send(ctx context.Context, rows [][][]any) error {
	for i, t := range l.tables {
		if len(rows[i]) == 0 {
			continue
		}
		var err error
		start := time.Now()
		if l.lite != nil {
			err = l.insertSQLite(ctx, t, rows[i])
		} else {
			_, err = l.pg.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, pgx.CopyFromRows(rows[i]))
		}
		if err != nil {
			return fmt.Errorf("bulk load of %s: %w", t.Name, err)
		}
		l.report.Tables[i].Write += time.Since(start)
		l.report.Tables[i].Rows += int64(len(rows[i]))
		clear(rows[i])
		rows[i] = rows[i][:0]
	}
	return nil
}

// sqliteBatchParams bounds the parameters of one SQLite INSERT: the driver
// matches every parameter against every argument, so statements of a few
// hundred parameters are the fastest.
const sqliteBatchParams = 400

func (l *BulkLoader) insertSQLite(ctx context.Context, t BulkTable, rows [][]any) error {
	return l.insertSQLiteJSON(ctx, t, rows)
}

// insertSQLiteParams inserts rows with multi-row INSERTs of bound
// parameters, for values JSON cannot carry.
func (l *BulkLoader) insertSQLiteParams(ctx context.Context, t BulkTable, rows [][]any) error {
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
