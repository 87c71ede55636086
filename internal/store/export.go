package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/model"
)

// Exports of the lists (format=csv|xlsx): every row of the filtered list,
// read through a database cursor one row at a time and handed to fn as it
// comes, so a million-row export never holds the rows in memory. fn must not
// query the store (SQLite has one connection, held by the cursor).

// eachRow runs q as a cursor and calls fn with every row.
func eachRow[T any](q *gorm.DB, entity string, fn func(*T) error) error {
	rows, err := q.Rows()
	if err != nil {
		return translate(err, entity)
	}
	defer rows.Close()
	var v T
	for rows.Next() {
		v = *new(T)
		if err := q.ScanRows(rows, &v); err != nil {
			return translate(err, entity)
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return translate(rows.Err(), entity)
}

// poExportColumns are the columns of a PO that the export of the PO list
// writes, and those the privacy rule reads (model.PurchaseOrder.ClosedAt):
// a day of POs is thousands of rows, and reflection over all 50 columns of
// each was four fifths of the export's time.
const poExportColumns = "purchase_orders.id, purchase_orders.number, purchase_orders.supplier_id, purchase_orders.order_number, " +
	"purchase_orders.customer_name, purchase_orders.status, purchase_orders.total_cents, purchase_orders.created_at, " +
	"purchase_orders.due_at, purchase_orders.shipped_at, purchase_orders.delivered_at, purchase_orders.cancelled_at"

// EachPurchaseOrder streams the POs of the filter in the list's order, with
// the fields of poExportColumns only.
func (s *Store) EachPurchaseOrder(ctx context.Context, f PurchaseOrderFilter, fn func(*model.PurchaseOrder) error) error {
	q := s.filterPurchaseOrders(ctx, f).Select(poExportColumns).Order(f.Sort.orderBy(f.listOrder()))
	rows, err := q.Rows()
	if err != nil {
		return translate(err, "Pedido de compra")
	}
	defer rows.Close()
	for rows.Next() {
		var po model.PurchaseOrder
		if err := rows.Scan(&po.ID, &po.Number, &po.SupplierID, &po.OrderNumber, &po.CustomerName, &po.Status, &po.TotalCents,
			&po.CreatedAt, &po.DueAt, &po.ShippedAt, &po.DeliveredAt, &po.CancelledAt); err != nil {
			return translate(err, "Pedido de compra")
		}
		if err := fn(&po); err != nil {
			return err
		}
	}
	return translate(rows.Err(), "Pedido de compra")
}

// EachSupplier streams the suppliers of the filter.
func (s *Store) EachSupplier(ctx context.Context, f SupplierFilter, fn func(*model.Supplier) error) error {
	return eachRow(s.filterSuppliers(ctx, f).Order(f.Sort.orderBy("LOWER(legal_name), id")), "Fornecedor", fn)
}

// EachAuditEntry streams the audit entries of the filter, newest first.
func (s *Store) EachAuditEntry(ctx context.Context, f AuditFilter, fn func(*model.AuditEntry) error) error {
	return eachRow(s.filterAudit(ctx, f).Order(f.Sort.orderBy("at DESC, id DESC")), "Auditoria", fn)
}

// EachSyncRun streams the sync runs of the filter, newest first.
func (s *Store) EachSyncRun(ctx context.Context, f SyncRunFilter, fn func(*model.SyncRun) error) error {
	return eachRow(s.filterSyncRuns(ctx, f).Order(f.Sort.orderBy("id DESC")), "Execução de sincronização", fn)
}

// EachSalesOrder streams the sales orders of the filter in the list's order.
func (s *Store) EachSalesOrder(ctx context.Context, f OrderSearch, fn func(*model.SalesOrder) error) error {
	return eachRow(s.searchOrders(ctx, f).Order(f.Sort.orderBy("placed_at DESC, id DESC")), "Pedido de venda", fn)
}

// EachProduct streams the products of the filter in the list's order.
func (s *Store) EachProduct(ctx context.Context, f ProductFilter, fn func(*model.Product) error) error {
	return eachRow(s.filterProducts(ctx, f).Order(s.productOrder(f.Sort)), "Produto", fn)
}

// EachStockRow streams the stock list of the filter in the list's order.
func (s *Store) EachStockRow(ctx context.Context, f StockFilter, fn func(*StockRow) error) error {
	return eachRow(s.stockList(ctx, f).Order(f.Sort.orderByTie("p.sku", "p.id")), "Estoque", fn)
}

// EachPriceTable streams the price tables of the filter with their status
// at now, in the list's order.
func (s *Store) EachPriceTable(ctx context.Context, f PriceTableFilter, now time.Time, fn func(*model.PriceTable) error) error {
	return eachRow(filterPriceTables(s.priceTables(ctx, now), f, now).Order(f.Sort.orderByTie("t.id DESC", "t.id")), "Tabela de preços", fn)
}
