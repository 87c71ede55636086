package store

import (
	"context"

	"gorm.io/gorm"
)

// stockList is the stock list's query: each product with its totals over
// every location, read from product_stock (kept by triggers in the
// transaction of every balance change, migration 00019) — one row per
// product, never a sum over the balances.
func (s *Store) stockList(ctx context.Context, f StockFilter) *gorm.DB {
	q := s.conn(ctx).Table("products p").
		Select("p.id AS product_id, p.sku, p.name, p.supplier_code, p.supplier_id, COALESCE(ps.physical, 0) AS physical, COALESCE(ps.reserved, 0) AS reserved")
	if f.OnlyShort {
		q = q.Joins("JOIN product_stock ps ON ps.product_id = p.id").Where("ps.physical - ps.reserved <= 0")
	} else {
		q = q.Joins("LEFT JOIN product_stock ps ON ps.product_id = p.id")
	}
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`(LOWER(p.sku) LIKE ? ESCAPE '\' OR LOWER(p.name) LIKE ? ESCAPE '\' OR LOWER(p.supplier_code) LIKE ? ESCAPE '\')`, pat, pat, pat)
	}
	if f.SupplierID != nil {
		q = q.Where("p.supplier_id = ?", *f.SupplierID)
	}
	return q
}

// ListStock returns a page of products with their stock totals, by SKU, and
// their number up to ListCountCap+1.
func (s *Store) ListStock(ctx context.Context, f StockFilter, p Page) ([]StockRow, int64, error) {
	p = capPage(p)
	total, err := countCapped(s.conn(ctx), s.stockList(ctx, f), "p.sku")
	if err != nil {
		return nil, 0, translate(err, "Estoque")
	}
	var out []StockRow
	err = s.stockList(ctx, f).Order(f.Sort.orderByTie("p.sku", "p.id")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Estoque")
}

// CountShortProducts counts the products with nothing available (of one
// supplier when given), from the partial index of product_stock.
func (s *Store) CountShortProducts(ctx context.Context, supplierID *int64) (int64, error) {
	var n int64
	q := s.conn(ctx).Table("product_stock ps").Where("ps.physical - ps.reserved <= 0")
	if supplierID != nil {
		q = q.Joins("JOIN products p ON p.id = ps.product_id").Where("p.supplier_id = ?", *supplierID)
	}
	err := q.Count(&n).Error
	return n, translate(err, "Estoque")
}

// CountProducts counts the catalog (of one supplier when given) from
// product_counts, kept by triggers on products (migration 00034): at most
// one row per supplier read, never the products table.
func (s *Store) CountProducts(ctx context.Context, supplierID *int64) (int64, error) {
	var n int64
	q := s.conn(ctx).Table("product_counts").Select("COALESCE(SUM(n), 0)")
	if supplierID != nil {
		q = q.Where("supplier_id = ?", *supplierID)
	}
	err := q.Scan(&n).Error
	return n, translate(err, "Produto")
}
