package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// SQLite's driver prepares a statement again on every execution and matches
// every parameter against every argument, so multi-row INSERTs of bound
// parameters spend most of their time parsing SQL and binding. The loader
// sends a batch of rows as one JSON array bound to a single parameter
// instead: INSERT … SELECT value->>0, value->>1, … FROM jsonb_each(?), one
// parse per thousands of rows. Values are written as the driver would bind
// them (integers, reals, text, NULL; booleans as 0/1; times in the
// connection's _time_format), so the rows read back the same; a batch
// holding a value JSON cannot carry (bytes, NaN) goes through parameters.

// sqliteTimeFormat is the driver's "sqlite" _time_format, the one
// internal/database opens SQLite with.
const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

// sqliteJSONBatchBytes bounds the JSON of one INSERT.
const sqliteJSONBatchBytes = 4 << 20

var errNotJSON = errors.New("value not representable in JSON")

func (l *BulkLoader) insertSQLiteJSON(ctx context.Context, t BulkTable, rows [][]any) error {
	key := t.Name + "/json"
	stmt, ok := l.stmts[key]
	if !ok {
		cols := make([]string, len(t.Columns))
		for i := range t.Columns {
			cols[i] = "value->>" + strconv.Itoa(i)
		}
		var err error
		stmt, err = l.lite.PrepareContext(ctx, "INSERT INTO "+t.Name+" ("+strings.Join(t.Columns, ",")+") SELECT "+
			strings.Join(cols, ",")+" FROM jsonb_each(?)")
		if err != nil {
			return err
		}
		l.stmts[key] = stmt
	}
	buf := l.jsonBuf
	defer func() { l.jsonBuf = buf }()
	for len(rows) > 0 {
		buf = append(buf[:0], '[')
		n, odd := 0, false
		for n < len(rows) && len(buf) < sqliteJSONBatchBytes {
			mark := len(buf)
			if n > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendJSONRow(buf, rows[n]); err != nil {
				if !errors.Is(err, errNotJSON) {
					return err
				}
				buf, odd = buf[:mark], true
				break
			}
			n++
		}
		if n > 0 {
			buf = append(buf, ']')
			if _, err := stmt.ExecContext(ctx, string(buf)); err != nil {
				return err
			}
			rows = rows[n:]
		}
		if odd {
			if err := l.insertSQLiteParams(ctx, t, rows[:1]); err != nil {
				return err
			}
			rows = rows[1:]
		}
	}
	return nil
}

// appendJSONRow appends one row as a JSON array.
func appendJSONRow(buf []byte, row []any) ([]byte, error) {
	buf = append(buf, '[')
	for i, v := range row {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendJSONValue(buf, v); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}

func appendJSONValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case int:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case string:
		return appendJSONString(buf, x), nil
	case bool:
		if x {
			return append(buf, '1'), nil
		}
		return append(buf, '0'), nil
	case time.Time:
		buf = append(buf, '"')
		buf = x.AppendFormat(buf, sqliteTimeFormat)
		return append(buf, '"'), nil
	case *time.Time:
		if x == nil {
			return append(buf, "null"...), nil
		}
		return appendJSONValue(buf, *x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return buf, errNotJSON
		}
		return strconv.AppendFloat(buf, x, 'g', -1, 64), nil
	case []byte:
		return buf, errNotJSON
	}
	// what database/sql would make of it (named string types, pointers,
	// Valuers, other integer sizes)
	if vr, ok := v.(driver.Valuer); ok {
		dv, err := vr.Value()
		if err != nil {
			return buf, err
		}
		if _, again := dv.(driver.Valuer); again {
			return buf, errNotJSON
		}
		return appendJSONValue(buf, dv)
	}
	dv, err := driver.DefaultParameterConverter.ConvertValue(v)
	if err != nil {
		return buf, err
	}
	switch dv.(type) {
	case nil, int64, string, bool, time.Time, float64, []byte:
		return appendJSONValue(buf, dv)
	}
	return buf, errNotJSON
}

// appendJSONString appends s as a JSON string; invalid UTF-8 is kept as
// it is, as binding it would.
func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
		}
		start = i + 1
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

const hexDigit = "0123456789abcdef"

// sqliteRollbackJournal moves a WAL database to a rollback journal for the
// load and returns what moves it back. In WAL mode every page of the load is
// written twice, to the WAL and again by the checkpoint after the commit;
// with a rollback journal the pages a load adds past the end of the file
// are written once, to the file, and need no journal at all (a rollback
// truncates them), so a failed load still leaves nothing behind. SQLite
// leaves WAL only when no other connection has the database open: then the
// load simply runs in WAL mode.
func sqliteRollbackJournal(ctx context.Context, conn *sql.Conn) (restore func() error, err error) {
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return nil, err
	}
	if !strings.EqualFold(mode, "wal") {
		return func() error { return nil }, nil
	}
	var now string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode = TRUNCATE").Scan(&now); err != nil || !strings.EqualFold(now, "truncate") {
		return func() error { return nil }, nil
	}
	return func() error {
		var back string
		if err := conn.QueryRowContext(context.WithoutCancel(ctx), "PRAGMA journal_mode = WAL").Scan(&back); err != nil {
			return fmt.Errorf("bulk load: journal back to WAL: %w", err)
		}
		if !strings.EqualFold(back, "wal") {
			return fmt.Errorf("bulk load: journal back to WAL: still %s", back)
		}
		return nil
	}, nil
}
