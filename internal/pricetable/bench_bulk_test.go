package pricetable_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/connectparts/portal/internal/benchreport"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// itemRow is one stored price-table item, as the bulk load writes it again.
type itemRow struct {
	product, price   int64
	line, minQty     int32
	code, ean, descr string
}

// storedItems reads back the items of a table, in file order.
func storedItems(tb testing.TB, e *env, tableID int64) []itemRow {
	tb.Helper()
	rows, err := e.db.SQL.Query(rebind(e, "SELECT product_id, price_cents, line, min_qty, supplier_code, ean, description FROM price_table_items WHERE table_id = ? ORDER BY line"), tableID)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []itemRow
	for rows.Next() {
		var r itemRow
		if err := rows.Scan(&r.product, &r.price, &r.line, &r.minQty, &r.code, &r.ean, &r.descr); err != nil {
			tb.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func rebind(e *env, q string) string {
	if e.db.Dialect != database.Postgres {
		return q
	}
	n := 0
	var b []byte
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b = append(b, fmt.Sprintf("$%d", n)...)
			continue
		}
		b = append(b, q[i])
	}
	return string(b)
}

var bulkColumns = []string{"table_id", "product_id", "line", "supplier_code", "price_cents", "min_qty", "ean", "description"}

// bulkLoad writes rows as items of table tableID the fastest way the
// database offers, and returns how long the load itself took: on PostgreSQL
// COPY through the driver (pgx CopyFrom, what psql \copy sends) in one
// transaction; on SQLite the sqlite3 command-line tool's .import of the rows
// as CSV, when it is installed (the CSV is written beforehand, untimed; the
// tool's start is timed), else one transaction of prepared single-row
// INSERTs (note says which).
func bulkLoad(tb testing.TB, e *env, tableID int64, rows []itemRow) (time.Duration, string) {
	tb.Helper()
	ctx := context.Background()
	if e.db.Dialect == database.Postgres {
		conn, err := e.db.SQL.Conn(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		err = conn.Raw(func(dc any) error {
			pc := dc.(*stdlib.Conn).Conn()
			tx, err := pc.Begin(ctx)
			if err != nil {
				return err
			}
			_, err = tx.CopyFrom(ctx, pgx.Identifier{"price_table_items"}, bulkColumns, pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				r := rows[i]
				return []any{tableID, r.product, r.line, r.code, r.price, r.minQty, r.ean, r.descr}, nil
			}))
			if err != nil {
				_ = tx.Rollback(ctx)
				return err
			}
			return tx.Commit(ctx)
		})
		if err != nil {
			tb.Fatal(err)
		}
		return time.Since(start), "COPY through the driver (pgx CopyFrom), one transaction"
	}
	var path string
	if err := e.db.SQL.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path); err != nil {
		tb.Fatal(err)
	}
	if cli, err := exec.LookPath("sqlite3"); err == nil {
		csvPath := filepath.Join(tb.TempDir(), "items.csv")
		f, err := os.Create(csvPath)
		if err != nil {
			tb.Fatal(err)
		}
		w := csv.NewWriter(bufio.NewWriter(f))
		for _, r := range rows {
			_ = w.Write([]string{strconv.FormatInt(tableID, 10), strconv.FormatInt(r.product, 10), strconv.Itoa(int(r.line)), r.code,
				strconv.FormatInt(r.price, 10), strconv.Itoa(int(r.minQty)), r.ean, r.descr})
		}
		w.Flush()
		if err := errors.Join(w.Error(), f.Close()); err != nil {
			tb.Fatal(err)
		}
		// The CSV's columns are the table's, in order: .import appends every
		// line to it (.import wraps the load in one transaction).
		script := fmt.Sprintf(".bail on\n.timeout 15000\n.import --csv %s price_table_items\n", csvPath)
		cmd := exec.Command(cli, path)
		cmd.Stdin = strings.NewReader(script)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("sqlite3 .import: %v\n%s", err, out)
		}
		return time.Since(start), "sqlite3 command-line .import of the rows as CSV, one transaction"
	}
	start := time.Now()
	tx, err := e.db.SQL.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	stmt, err := tx.Prepare("INSERT INTO price_table_items (" + strings.Join(bulkColumns, ", ") + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if _, err := stmt.Exec(tableID, r.product, r.line, r.code, r.price, r.minQty, r.ean, r.descr); err != nil {
			tb.Fatal(err)
		}
	}
	if err := errors.Join(stmt.Close(), tx.Commit()); err != nil {
		tb.Fatal(err)
	}
	return time.Since(start), "no sqlite3 tool: one transaction of prepared single-row INSERTs"
}

// BenchmarkPriceTableVsBulkLoad100k submits a 100,000-line CSV (parsed,
// validated, stored with its file) and, in the same run, bulk-loads the very
// rows it stored into another table with the database's own bulk path
// (bulkLoad): the submission should take at most 3× the bulk load (issue 11
// item 4). The figures go to test-output/bench-ingest.json.
func BenchmarkPriceTableVsBulkLoad100k(b *testing.B) {
	const lines = 100_000
	e := newEnv(b)
	sup := e.supplier(0, "Paulista Autopeças")
	e.products(sup, "B", benchCatalog)
	path := writeTable(b, lines, 0)
	if _, err := e.svc.SubmitFile(e.ctx, sup.ID, openFile(b, writeTable(b, 10, 1)), "2026-11-05"); err != nil {
		b.Fatal(err)
	}
	var submit, bulk time.Duration
	var how string
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := openFile(b, path)
		b.StartTimer()
		start := time.Now()
		t, err := e.svc.SubmitFile(e.ctx, sup.ID, f, "2026-12-01")
		submit += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		rows := storedItems(b, e, t.ID)
		if len(rows) != lines {
			b.Fatalf("stored %d lines, want %d", len(rows), lines)
		}
		target := &model.PriceTable{SupplierID: sup.ID, State: model.PriceTableDraft, FileName: "bulk.csv"}
		if err := e.store.CreatePriceTable(e.ctx, target); err != nil {
			b.Fatal(err)
		}
		d, h := bulkLoad(b, e, target.ID, rows)
		bulk, how = bulk+d, h
		if got := storedItems(b, e, target.ID); len(got) != lines || got[lines-1] != rows[lines-1] {
			b.Fatalf("bulk load stored %d rows", len(got))
		}
	}
	ss, bs := submit.Seconds()/float64(b.N), bulk.Seconds()/float64(b.N)
	b.ReportMetric(ss, "submit-s")
	b.ReportMetric(bs, "bulk-s")
	b.ReportMetric(ss/bs, "x-bulk")
	if err := benchreport.Add(benchreport.OutDir(), benchreport.Record{
		Section: "price_table", Scenario: "100,000-line price table (CSV, Windows-1252) submitted", Database: dialect(), Rows: lines,
		Seconds: ss, Ceiling: how, CeilingSeconds: bs, Target: 3,
	}); err != nil {
		b.Error(err)
	}
}
