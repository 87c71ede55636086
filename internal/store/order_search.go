package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
)

// orderPageOrder is how the order pages list: newest placed first.
const orderPageOrder = "placed_at DESC, id DESC"

// searchOrders builds the query of OrderSearch (without order or limit).
// Every search term is a prefix or exact match on an indexed, normalised
// column (migration 00019): the order number and the platform's id (lower
// case, prefix), the customer's CPF/CNPJ (normalised, prefix), the NF-e key
// of a PO's supplier or billing invoice (exact) and a tracking code (exact).
func (s *Store) searchOrders(ctx context.Context, f OrderSearch) *gorm.DB {
	q := s.conn(ctx).Model(&model.SalesOrder{})
	if f.Status != "" {
		q = q.Where(noIndex(f.walkSort, "status")+" = ?", f.Status)
	}
	if f.PlatformID != nil {
		q = q.Where(noIndex(f.walkSort, "platform_id")+" = ?", *f.PlatformID)
	}
	if f.PlacedFrom != nil {
		q = q.Where("placed_at >= ?", f.PlacedFrom.UTC())
	}
	if f.PlacedTo != nil {
		q = q.Where("placed_at < ?", f.PlacedTo.UTC())
	}
	if v := strings.TrimSpace(f.Query); v != "" {
		sql, args := s.orderSearchIDs(v)
		q = q.Where("id IN ("+sql+")", args...)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if cond, args, ok := f.Sort.keyset("id"); ok {
		q = q.Where(cond, args...)
	}
	return q
}

// orderSearchIDs is the union of the ids of the orders a search term finds.
func (s *Store) orderSearchIDs(v string) (string, []any) {
	var parts []string
	var args []any
	add := func(sql string, a ...any) {
		parts = append(parts, sql)
		args = append(args, a...)
	}
	low := strings.ToLower(v)
	c, a := s.prefixMatch("LOWER(number)", low)
	add("SELECT id FROM sales_orders WHERE "+c, a...)
	c, a = s.prefixMatch("LOWER(external_id)", low)
	add("SELECT id FROM sales_orders WHERE "+c, a...)
	if doc := cnpj.Normalize(v); len(doc) >= 3 && strings.ContainsAny(doc, "0123456789") {
		c, a = s.prefixMatch("customer_document", doc)
		add("SELECT id FROM sales_orders WHERE customer_document <> '' AND "+c, a...)
		if len(doc) == 44 {
			add("SELECT po.sales_order_id FROM billing_invoices bi JOIN purchase_orders po ON po.id = bi.po_id WHERE bi.access_key = ?", doc)
			add("SELECT po.sales_order_id FROM supplier_invoices si JOIN purchase_orders po ON po.id = si.po_id WHERE si.access_key = ?", doc)
		}
	}
	if code := strings.ToUpper(strings.ReplaceAll(v, " ", "")); len(code) >= 8 {
		add("SELECT id FROM sales_orders WHERE tracking_number <> '' AND tracking_number = ?", code)
		add("SELECT po.sales_order_id FROM po_shipments sh JOIN purchase_orders po ON po.id = sh.po_id WHERE sh.tracking_code = ?", code)
	}
	return strings.Join(parts, " UNION "), args
}

// SearchSalesOrders returns a page of orders and their number up to
// ListCountCap+1 (more: "mais de 1.000"). The pages list newest placed
// first; with BeforeID set (the API) the order is by id, newest first, so
// that the cursor is stable, or by f.Sort continued from f.Sort.After.
func (s *Store) SearchSalesOrders(ctx context.Context, f OrderSearch, p Page) ([]model.SalesOrder, int64, error) {
	order := orderPageOrder
	if f.BeforeID > 0 {
		order = "id DESC"
		p = p.Normalize()
	} else {
		p = capPage(p)
	}
	total, err := countCapped(s.conn(ctx), s.searchOrders(ctx, f), order)
	if err != nil {
		return nil, 0, translate(err, "Pedido de venda")
	}
	f.walkSort = s.walkSortOnSQLite(f.Sort, total, f.Status != "" || f.PlatformID != nil)
	q := s.searchOrders(ctx, f).Limit(p.Size)
	if f.BeforeID == 0 {
		q = q.Order(f.Sort.orderBy(order)).Offset(p.offset())
	} else {
		q = q.Order(f.Sort.orderBy(order))
	}
	if f.WithItems {
		q = q.Preload("Items", func(db *gorm.DB) *gorm.DB { return db.Order("line") })
	}
	var out []model.SalesOrder
	err = q.Find(&out).Error
	return out, total, translate(err, "Pedido de venda")
}
