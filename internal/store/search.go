package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// SearchKeys is what the global search box looks up, already normalised by
// the caller: Terms are the text as typed (and upper-cased), matched exactly
// or as a prefix of a number/SKU; Document is a CPF/CNPJ without punctuation
// (letters of an alphanumeric CNPJ kept); AccessKey a 44-digit NF-e key.
// Only exact and prefix matches on indexed columns: never LIKE '%q%'.
type SearchKeys struct {
	Terms     []string
	Document  string
	AccessKey string
	// SupplierID narrows every lookup to one supplier's rows (a supplier
	// user); nil: staff, every supplier.
	SupplierID *int64
	Limit      int
}

func (k SearchKeys) limit() int {
	if k.Limit <= 0 || k.Limit > 50 {
		return 20
	}
	return k.Limit
}

// prefix adds "col starts with one of terms" to the condition list, in a
// form that uses the column's index: GLOB on SQLite (case-sensitive, BINARY
// index), LIKE with text_pattern_ops indexes on PostgreSQL.
func (s *Store) prefix(col string, terms []string) (string, []any) {
	var parts []string
	var args []any
	for _, t := range terms {
		if s.dialect == database.SQLite {
			parts = append(parts, col+" GLOB ?")
			args = append(args, globEscape(t)+"*")
		} else {
			parts = append(parts, col+` LIKE ? ESCAPE '\'`)
			args = append(args, strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(t)+"%")
		}
	}
	return strings.Join(parts, " OR "), args
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '*' || r == '?' || r == '[' {
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// where joins conditions with OR into one parenthesised condition.
type orCond struct {
	parts []string
	args  []any
}

func (o *orCond) add(cond string, args ...any) {
	if cond == "" {
		return
	}
	o.parts = append(o.parts, "("+cond+")")
	o.args = append(o.args, args...)
}

func (o *orCond) addAll(cond string, args []any) { o.add(cond, args...) }

func (o *orCond) apply(q *gorm.DB) *gorm.DB {
	return q.Where("("+strings.Join(o.parts, " OR ")+")", o.args...)
}

// SearchSalesOrdersByKey finds sales orders by number (exact or prefix),
// platform order id, tracking code or customer CPF/CNPJ. Staff only: the
// caller never passes a supplier's keys here.
func (s *Store) SearchSalesOrdersByKey(ctx context.Context, k SearchKeys) ([]model.SalesOrder, error) {
	var c orCond
	if len(k.Terms) > 0 {
		c.addAll(s.prefix("number", k.Terms))
		c.add("external_id IN ?", k.Terms)
		// the tracking index is partial: its condition written out lets
		// SQLite's planner use it (and so the OR as a union of index
		// searches instead of a scan of every order)
		c.add("tracking_number IN ? AND tracking_number <> ''", k.Terms)
	}
	if k.Document != "" {
		c.add("customer_document = ?", k.Document)
	}
	if len(c.parts) == 0 {
		return nil, nil
	}
	var out []model.SalesOrder
	err := c.apply(s.conn(ctx).Model(&model.SalesOrder{})).Order("id DESC").Limit(k.limit()).Find(&out).Error
	return out, translate(err, "Pedido de venda")
}

// SearchPurchaseOrdersByKey finds POs by PO number (exact or prefix), the
// sales order's number or customer CPF/CNPJ; only k.SupplierID's when set.
func (s *Store) SearchPurchaseOrdersByKey(ctx context.Context, k SearchKeys) ([]model.PurchaseOrder, error) {
	var c orCond
	if len(k.Terms) > 0 {
		c.addAll(s.prefix("number", k.Terms))
		c.add("order_number IN ?", k.Terms)
	}
	if k.Document != "" {
		c.add("customer_document = ?", k.Document)
	}
	if len(c.parts) == 0 {
		return nil, nil
	}
	q := c.apply(s.conn(ctx).Model(&model.PurchaseOrder{}))
	if k.SupplierID != nil {
		q = q.Where(s.narrowing("supplier_id")+" = ?", *k.SupplierID)
	}
	var out []model.PurchaseOrder
	err := q.Order("id DESC").Limit(k.limit()).Find(&out).Error
	return out, translate(err, "Pedido de compra")
}

// SearchProductsByKey finds products by SKU (exact or prefix), supplier
// code or EAN; only k.SupplierID's when set.
func (s *Store) SearchProductsByKey(ctx context.Context, k SearchKeys) ([]model.Product, error) {
	if len(k.Terms) == 0 {
		return nil, nil
	}
	var c orCond
	c.addAll(s.prefix("sku", k.Terms))
	// the supplier code and EAN indexes are partial: their conditions
	// written out let SQLite use them (a union of index searches) instead of
	// walking the whole catalog in SKU order
	c.add("supplier_code IN ? AND supplier_code <> ''", k.Terms)
	c.add("ean IN ? AND ean <> ''", k.Terms)
	q := c.apply(s.conn(ctx).Model(&model.Product{}))
	if k.SupplierID != nil {
		q = q.Where(s.narrowing("supplier_id")+" = ?", *k.SupplierID)
	}
	var out []model.Product
	err := q.Order("sku").Limit(k.limit()).Find(&out).Error
	return out, translate(err, "Produto")
}

// SearchSuppliersByKey finds suppliers by CNPJ (staff).
func (s *Store) SearchSuppliersByKey(ctx context.Context, k SearchKeys) ([]model.Supplier, error) {
	if k.Document == "" {
		return nil, nil
	}
	var out []model.Supplier
	err := s.conn(ctx).Where("cnpj = ?", k.Document).Limit(k.limit()).Find(&out).Error
	return out, translate(err, "Fornecedor")
}

// InvoiceHit is an NF-e found by its access key: a supplier's sale invoice
// (Billing false) or ConnectParts' billing invoice of a PO.
type InvoiceHit struct {
	PONumber  string
	AccessKey string
	Number    int
	Billing   bool
}

// SearchInvoicesByKey finds the supplier and billing invoices with the
// access key; only those of k.SupplierID's POs when set.
func (s *Store) SearchInvoicesByKey(ctx context.Context, k SearchKeys) ([]InvoiceHit, error) {
	if k.AccessKey == "" {
		return nil, nil
	}
	var out []InvoiceHit
	for _, t := range []struct {
		table   string
		billing bool
	}{{"supplier_invoices", false}, {"billing_invoices", true}} {
		q := s.conn(ctx).Table(t.table+" i").
			Select("p.number AS po_number, i.access_key, i.number").
			Joins("JOIN purchase_orders p ON p.id = i.po_id").
			Where("i.access_key = ?", k.AccessKey)
		if k.SupplierID != nil {
			q = q.Where("p.supplier_id = ?", *k.SupplierID)
		}
		var rows []InvoiceHit
		if err := q.Limit(k.limit()).Scan(&rows).Error; err != nil {
			return nil, translate(err, "NF-e")
		}
		for i := range rows {
			rows[i].Billing = t.billing
		}
		out = append(out, rows...)
	}
	return out, nil
}

// ShipmentHit is a PO shipment found by tracking code or shipment NF-e key.
type ShipmentHit struct {
	PONumber     string
	Carrier      string
	TrackingCode string
}

// SearchShipmentsByKey finds PO shipments by tracking code or by the key of
// their NF-e de remessa; only k.SupplierID's when set. Each key is its own
// index search: as one OR, SQLite scanned every shipment newest first.
func (s *Store) SearchShipmentsByKey(ctx context.Context, k SearchKeys) ([]ShipmentHit, error) {
	var conds []orCond
	if len(k.Terms) > 0 {
		var c orCond
		c.add("sh.tracking_code IN ?", k.Terms)
		conds = append(conds, c)
	}
	if k.AccessKey != "" {
		var c orCond
		c.add("sh.invoice_key = ?", k.AccessKey)
		conds = append(conds, c)
	}
	var out []ShipmentHit
	seen := map[ShipmentHit]bool{}
	for _, c := range conds {
		q := c.apply(s.conn(ctx).Table("po_shipments sh").
			Select("p.number AS po_number, sh.carrier, sh.tracking_code").
			Joins("JOIN purchase_orders p ON p.id = sh.po_id"))
		if k.SupplierID != nil {
			q = q.Where("p.supplier_id = ?", *k.SupplierID)
		}
		var rows []ShipmentHit
		if err := q.Order("sh.id DESC").Limit(k.limit()).Find(&rows).Error; err != nil {
			return nil, translate(err, "Envio")
		}
		for _, r := range rows {
			if !seen[r] && len(out) < k.limit() {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// narrowing writes a column that only narrows what the search's key
// indexes found: on SQLite as +col, which keeps the planner from walking
// the column's index instead (a supplier's whole PO slice, 0.1 s at 300,000
// orders, where the keys are a few index probes).
func (s *Store) narrowing(col string) string {
	if s.dialect == database.SQLite {
		return "+" + col
	}
	return col
}
