package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm"

	"github.com/jackc/pgx/v5"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// itemColumns are the columns written by PriceTableItemWriter, in order.
const itemColumns = "table_id, product_id, line, supplier_code, price_cents, min_qty, ean, description"

const itemFields = 8

// Rows per INSERT statement. PostgreSQL receives each column of a batch as
// one array parameter (INSERT … SELECT FROM unnest(…)): eight parameters
// whatever the batch size, nothing to parse per row. SQLite gets multi-row
// VALUES; its pure-Go driver binds parameters in time quadratic in their
// number per statement, so its statements stay small (32 rows: 15 % less CPU than 64 for 100,000 items, measured; 8–32 are alike).
var itemBatchRows = map[database.Dialect]int{database.Postgres: 5000, database.SQLite: 32}

const pgInsertItems = "INSERT INTO price_table_items (" + itemColumns + ") " +
	"SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::text[], $5::bigint[], $6::integer[], $7::text[], $8::text[])"

// PriceTableItemWriter writes a table's items in batches, inside the store
// transaction of its context.
type PriceTableItemWriter struct {
	tx      *sql.Tx
	dialect database.Dialect
	batch   int
	full    *sql.Stmt // nil when copying
	copy    bool      // PostgreSQL in TxForBulk: COPY each batch
	rows    int
	written int

	args []any    // SQLite: the VALUES parameters of the batch
	bg   *bgExec  // SQLite: the goroutine running the full batches; nil until the first
	cols struct { // PostgreSQL: the batch, column by column
		table, product, price []int64
		line, minQty          []int32
		code, ean, desc       []string
	}
}

// NewPriceTableItemWriter prepares the batch insert. ctx must carry a store
// transaction (see Tx); in one of TxForBulk on PostgreSQL the batches are
// copied (COPY) instead. Close releases the statement.
func (s *Store) NewPriceTableItemWriter(ctx context.Context) (*PriceTableItemWriter, error) {
	tx, ok := SQLTx(ctx)
	if !ok {
		return nil, fmt.Errorf("store: NewPriceTableItemWriter needs a transaction")
	}
	w := &PriceTableItemWriter{tx: tx, dialect: s.dialect, batch: itemBatchRows[s.dialect]}
	if s.dialect == database.Postgres && pinned(ctx) {
		w.copy, w.batch = true, itemCopyRows
		return w, nil
	}
	query := pgInsertItems
	if s.dialect == database.SQLite {
		w.args = make([]any, 0, w.batch*itemFields)
		query = sqliteInsertItems(w.batch)
	}
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, translate(err, "Item da tabela de preços")
	}
	w.full = stmt
	return w, nil
}

func sqliteInsertItems(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", itemFields), ",") + ")"
	return "INSERT INTO price_table_items (" + itemColumns + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// Add queues one item, writing a batch when it is full.
func (w *PriceTableItemWriter) Add(ctx context.Context, it *model.PriceTableItem) error {
	if w.dialect == database.SQLite {
		w.args = append(w.args, it.TableID, it.ProductID, it.Line, it.SupplierCode, it.PriceCents, it.MinQty, it.EAN, it.Description)
	} else {
		c := &w.cols
		c.table, c.product, c.price = append(c.table, it.TableID), append(c.product, it.ProductID), append(c.price, it.PriceCents)
		c.line, c.minQty = append(c.line, int32(it.Line)), append(c.minQty, int32(it.MinQty))
		c.code, c.ean, c.desc = append(c.code, it.SupplierCode), append(c.ean, it.EAN), append(c.desc, it.Description)
	}
	w.rows++
	if w.rows == w.batch {
		return w.exec(ctx, w.full)
	}
	return nil
}

func (w *PriceTableItemWriter) exec(ctx context.Context, stmt *sql.Stmt) error {
	var err error
	switch {
	case w.copy:
		err = w.copyBatch(ctx)
	case w.dialect != database.SQLite:
		c := &w.cols
		_, err = stmt.ExecContext(ctx, c.table, c.product, c.line, c.code, c.price, c.minQty, c.ean, c.desc)
		c.table, c.product, c.price, c.line, c.minQty = c.table[:0], c.product[:0], c.price[:0], c.line[:0], c.minQty[:0]
		c.code, c.ean, c.desc = c.code[:0], c.ean[:0], c.desc[:0]
	case stmt != nil:
		// A full batch: run by the background goroutine while the caller
		// reads and checks the next lines (two cores instead of one).
		if w.bg == nil {
			w.bg = startBgExec(ctx, stmt)
		}
		if err = w.bg.send(w.args); err == nil {
			w.args = make([]any, 0, cap(w.args))
		}
	default:
		_, err = w.tx.ExecContext(ctx, sqliteInsertItems(w.rows), w.args...)
	}
	if err != nil {
		return translate(err, "Item da tabela de preços")
	}
	w.written += w.rows
	w.args, w.rows = w.args[:0], 0
	return nil
}

// Flush writes the queued items and returns how many were written in all.
func (w *PriceTableItemWriter) Flush(ctx context.Context) (int, error) {
	if err := w.bg.wait(); err != nil {
		return w.written, translate(err, "Item da tabela de preços")
	}
	if w.rows == 0 {
		return w.written, nil
	}
	stmt := w.full
	if w.dialect == database.SQLite {
		stmt = nil // a shorter VALUES list than the prepared one
	}
	err := w.exec(ctx, stmt)
	return w.written, err
}

// Close waits for the background batches and releases the prepared
// statement.
func (w *PriceTableItemWriter) Close() error {
	bgErr := w.bg.wait()
	if w.full == nil {
		return bgErr
	}
	return errors.Join(bgErr, w.full.Close())
}

// bgExec runs a prepared statement with each batch of arguments it is sent,
// in order, on a goroutine of its own, until one fails.
type bgExec struct {
	batches chan []any
	done    chan struct{}
	mu      sync.Mutex
	err     error // the first failure
	closed  bool
}

func startBgExec(ctx context.Context, stmt *sql.Stmt) *bgExec {
	b := &bgExec{batches: make(chan []any, 4), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for args := range b.batches {
			if b.failed() != nil {
				continue
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				b.mu.Lock()
				b.err = err
				b.mu.Unlock()
			}
		}
	}()
	return b
}

func (b *bgExec) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// send queues a batch (waiting while four are queued); it returns the
// failure of an earlier batch, if any.
func (b *bgExec) send(args []any) error {
	if err := b.failed(); err != nil {
		return err
	}
	b.batches <- args
	return nil
}

// wait returns once every batch sent ran, with the first failure; nil b
// waits for nothing.
func (b *bgExec) wait() error {
	if b == nil {
		return nil
	}
	if !b.closed {
		b.closed = true
		close(b.batches)
	}
	<-b.done
	return b.failed()
}

// itemCopyRows is how many items one COPY carries.
const itemCopyRows = 20000

var itemColumnList = []string{"table_id", "product_id", "line", "supplier_code", "price_cents", "min_qty", "ean", "description"}

// copyBatch copies the batch (PostgreSQL, in TxForBulk) and empties it.
func (w *PriceTableItemWriter) copyBatch(ctx context.Context) error {
	c := &w.cols
	row := make([]any, itemFields)
	_, _, err := copyInTx(ctx, "price_table_items", itemColumnList, pgx.CopyFromSlice(len(c.table), func(i int) ([]any, error) {
		row[0], row[1], row[2], row[3] = c.table[i], c.product[i], c.line[i], c.code[i]
		row[4], row[5], row[6], row[7] = c.price[i], c.minQty[i], c.ean[i], c.desc[i]
		return row, nil
	}))
	c.table, c.product, c.price, c.line, c.minQty = c.table[:0], c.product[:0], c.price[:0], c.line[:0], c.minQty[:0]
	c.code, c.ean, c.desc = c.code[:0], c.ean[:0], c.desc[:0]
	return err
}

// PriceItemRow is an item of a table with its catalog product.
type PriceItemRow struct {
	model.PriceTableItem
	SKU  string
	Name string
}

// PriceItemFilter narrows and orders a table's items: Query searches code,
// description, SKU or product name; Sort is one of the items tab's columns
// (the web layer's whitelist), file order by default.
type PriceItemFilter struct {
	Query string
	Sort  Sort
}

// priceItems is the query of a table's items with their catalog product,
// filtered by f.
func (s *Store) priceItems(ctx context.Context, tableID int64, f PriceItemFilter) *gorm.DB {
	q := s.conn(ctx).Table("price_table_items AS i").Joins("LEFT JOIN products p ON p.id = i.product_id").Where("i.table_id = ?", tableID)
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`(LOWER(i.supplier_code) LIKE ? ESCAPE '\' OR LOWER(i.description) LIKE ? ESCAPE '\' OR LOWER(p.sku) LIKE ? ESCAPE '\' OR LOWER(p.name) LIKE ? ESCAPE '\')`, pat, pat, pat, pat)
	}
	return q
}

// ListPriceTableItems returns a page of a table's items in f's order (file
// order by default), and the total.
func (s *Store) ListPriceTableItems(ctx context.Context, tableID int64, f PriceItemFilter, p Page) ([]PriceItemRow, int64, error) {
	p = p.Normalize()
	var total int64
	if err := s.priceItems(ctx, tableID, f).Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Item da tabela de preços")
	}
	var out []PriceItemRow
	err := s.priceItems(ctx, tableID, f).Select("i.*, COALESCE(p.sku, '') AS sku, COALESCE(p.name, '') AS name").
		Order(f.Sort.orderByTie("i.line", "i.line")).Limit(p.Size).Offset(p.offset()).Scan(&out).Error
	return out, total, translate(err, "Item da tabela de preços")
}

// EachPriceTableItem calls fn for every item of a table of f, in f's order,
// streaming the rows (exports).
func (s *Store) EachPriceTableItem(ctx context.Context, tableID int64, f PriceItemFilter, fn func(*PriceItemRow) error) error {
	rows, err := s.priceItems(ctx, tableID, f).Select(`i.line, i.supplier_code, i.price_cents, i.min_qty, i.ean, i.description,
 COALESCE(p.sku, ''), COALESCE(p.name, '')`).Order(f.Sort.orderByTie("i.line", "i.line")).Rows()
	if err != nil {
		return translate(err, "Item da tabela de preços")
	}
	defer rows.Close()
	var r PriceItemRow
	for rows.Next() {
		if err := rows.Scan(&r.Line, &r.SupplierCode, &r.PriceCents, &r.MinQty, &r.EAN, &r.Description, &r.SKU, &r.Name); err != nil {
			return translate(err, "Item da tabela de preços")
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return translate(rows.Err(), "Item da tabela de preços")
}
