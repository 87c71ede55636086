package store

import (
	"context"
	"errors"
	"strings"
	"unicode"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// ProductFilter narrows the catalog list.
type ProductFilter struct {
	Query      string // any part of the SKU, name, EAN or supplier code
	SupplierID *int64
	Active     *bool
	Dropship   *bool
	Sort       Sort // the list's chosen order; default by name
}

// productSearch is the condition of the search box on PostgreSQL:
// search_text is the generated column LOWER(sku, name, EAN and supplier
// code), which the migration indexes with pg_trgm.
const productSearch = `search_text LIKE ? ESCAPE '\'`

// productSearchSQLite is the same search on SQLite, whose LOWER and LIKE
// fold only ASCII letters: "cerâmica" would miss "CERÂMICA", common in
// catalogs. A GLOB pattern with both cases of every letter folds them all.
const productSearchSQLite = `(sku || ' ' || name || ' ' || ean || ' ' || supplier_code) GLOB ?`

// searchCondition returns the condition matching any part of SKU, name, EAN
// or supplier code, case-insensitively, in the store's dialect.
func (s *Store) searchCondition(ctx context.Context, q string) (string, []any) {
	if s.dialect == database.SQLite {
		return s.searchConditionSQLite(ctx, q)
	}
	return productSearch, []any{likePattern(q)}
}

// caseFoldGlob builds a GLOB pattern matching q anywhere, in any letter case:
// "óleo 5w" becomes "*[óÓ][lL][eE][oO] 5[wW]*".
func caseFoldGlob(q string) string {
	var b strings.Builder
	b.WriteByte('*')
	for _, r := range strings.TrimSpace(q) {
		lo, up := unicode.ToLower(r), unicode.ToUpper(r)
		switch {
		case lo != up:
			b.WriteByte('[')
			b.WriteRune(lo)
			b.WriteRune(up)
			b.WriteByte(']')
		case r == '*' || r == '?' || r == '[':
			b.WriteByte('[')
			b.WriteRune(r)
			b.WriteByte(']')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('*')
	return b.String()
}

// upsertBatch is how many products go in one INSERT … ON CONFLICT statement
// on PostgreSQL: 500 rows of 12 columns stay far below its limit of 65 535
// bind parameters. The SQLite driver matches each parameter against every
// argument (quadratic), so there smaller statements are faster.
const (
	upsertBatch       = 500
	upsertBatchSQLite = 100
)

// lookupBatch is how many keys go in one IN (…) list.
const lookupBatch = 500

// analyzeAfter is the number of written rows from which an upsert refreshes
// PostgreSQL's statistics of the table.
const analyzeAfter = 1000

// FindProduct returns one product with its supplier.
func (s *Store) FindProduct(ctx context.Context, id int64) (*model.Product, error) {
	var p model.Product
	if err := s.conn(ctx).Preload("Supplier").First(&p, id).Error; err != nil {
		return nil, translate(err, "Produto")
	}
	return &p, nil
}

// FindProductBySKU returns the product with that SKU (exact, case-sensitive).
func (s *Store) FindProductBySKU(ctx context.Context, sku string) (*model.Product, error) {
	var p model.Product
	if err := s.conn(ctx).Preload("Supplier").Where("sku = ?", sku).First(&p).Error; err != nil {
		return nil, translate(err, "Produto")
	}
	return &p, nil
}

// FindProductBySupplierCode returns the product a supplier knows by code.
func (s *Store) FindProductBySupplierCode(ctx context.Context, supplierID int64, code string) (*model.Product, error) {
	var p model.Product
	// "supplier_code <> ''" lets the planner use the partial unique index.
	err := s.conn(ctx).Preload("Supplier").Where("supplier_id = ? AND supplier_code = ? AND supplier_code <> ''", supplierID, code).First(&p).Error
	if err != nil {
		return nil, translate(err, "Produto")
	}
	return &p, nil
}

// ListProducts returns a page of products ordered by name, with their
// suppliers, and the total.
func (s *Store) ListProducts(ctx context.Context, f ProductFilter, p Page) ([]model.Product, int64, error) {
	p = capPage(p)
	q := s.filterProducts(ctx, f)
	total, err := countCapped(s.conn(ctx), q, "")
	if err != nil {
		return nil, 0, translate(err, "Produto")
	}
	order := s.productOrder(f.Sort)
	if f.Query != "" && s.dialect == database.Postgres {
		ids, ok, err := s.searchProductIDs(ctx, f, p, order, total)
		if err != nil {
			return nil, 0, translate(err, "Produto")
		}
		if ok {
			var out []model.Product
			if len(ids) > 0 {
				err = s.conn(ctx).Preload("Supplier").Where("id IN ?", ids).Order(order).Find(&out).Error
			}
			return out, total, translate(err, "Produto")
		}
	}
	var out []model.Product
	err = s.filterProducts(ctx, f).Preload("Supplier").Order(order).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Produto")
}

// productOrder is the catalog list's ORDER BY: by name unless another
// column was chosen. PostgreSQL sorts by name_key, the stored LOWER(name)
// that its search index products_name_search holds.
func (s *Store) productOrder(so Sort) string {
	if s.dialect == database.Postgres {
		switch so.Column {
		case "":
			return "name_key, id"
		case "LOWER(name)":
			so.Column = "name_key"
		}
	}
	return so.orderBy("LOWER(name), id")
}

// searchWindow is how many products, in name order, the catalog search on
// PostgreSQL walks for a common word before it gives up on the walk.
var searchWindow = 20000

// searchProductIDs finds the ids of a page of a catalog search on
// PostgreSQL; ok is false when the planner's own plan is as good. Which plan
// is fast depends on how many products match and where they fall in the
// list's order, which the planner cannot know: "freio" is in one product of
// ten, all of them under "Disco de freio…" and "Pastilha de freio…", and the
// planner, expecting them evenly spread, walks the name index fetching
// 11,000 rows (20 ms) before it has a page. So: up to ListCountCap matches
// (the capped count says so) are collected from the trigram index and
// sorted; more, in name order, are looked for in the first searchWindow
// products read from products_name_search alone (an index-only scan, a
// fifth of a microsecond a product), and collected and sorted only when
// that window holds too few of them.
func (s *Store) searchProductIDs(ctx context.Context, f ProductFilter, p Page, order string, matches int64) ([]int64, bool, error) {
	var ids []int64
	if matches > ListCountCap {
		if !strings.HasPrefix(order, "name_key") {
			return nil, false, nil
		}
		window := s.conn(ctx).Model(&model.Product{}).Select("id, name_key, search_text, supplier_id, active, dropship").
			Order(order).Limit(searchWindow)
		q := s.narrowProducts(ctx, s.conn(ctx).Table("(?) AS products", window), f)
		if err := q.Order(order).Limit(p.Size).Offset(p.offset()).Pluck("id", &ids).Error; err != nil {
			return nil, false, err
		}
		if len(ids) == p.Size {
			return ids, true, nil
		}
		ids = ids[:0]
	}
	// MATERIALIZED: the matches first, whatever the planner expects of them
	err := s.conn(ctx).Raw("WITH m AS MATERIALIZED (?) SELECT id FROM m ORDER BY "+order+" LIMIT ? OFFSET ?",
		s.filterProducts(ctx, f).Select("*"), p.Size, p.offset()).Scan(&ids).Error
	return ids, true, err
}

// filterProducts is the catalog list's query for f.
func (s *Store) filterProducts(ctx context.Context, f ProductFilter) *gorm.DB {
	return s.narrowProducts(ctx, s.conn(ctx).Model(&model.Product{}), f)
}

// narrowProducts adds the conditions of f to q, a query of products.
func (s *Store) narrowProducts(ctx context.Context, q *gorm.DB, f ProductFilter) *gorm.DB {
	if f.Query != "" {
		cond, args := s.searchCondition(ctx, f.Query)
		q = q.Where(cond, args...)
	}
	if f.SupplierID != nil {
		q = q.Where("supplier_id = ?", *f.SupplierID)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if f.Dropship != nil {
		q = q.Where("dropship = ?", *f.Dropship)
	}
	return q
}

// ProductsBySKU returns the existing products among skus, by SKU.
func (s *Store) ProductsBySKU(ctx context.Context, skus []string) (map[string]model.Product, error) {
	out := make(map[string]model.Product, len(skus))
	for start := 0; start < len(skus); start += lookupBatch {
		var found []model.Product
		chunk := skus[start:min(start+lookupBatch, len(skus))]
		if err := s.conn(ctx).Where("sku IN ?", chunk).Find(&found).Error; err != nil {
			return nil, translate(err, "Produto")
		}
		for _, p := range found {
			out[p.SKU] = p
		}
	}
	return out, nil
}

// ProductsBySupplierCode returns the supplier's products among codes, by
// supplier code.
func (s *Store) ProductsBySupplierCode(ctx context.Context, supplierID int64, codes []string) (map[string]model.Product, error) {
	out := make(map[string]model.Product, len(codes))
	for start := 0; start < len(codes); start += lookupBatch {
		var found []model.Product
		chunk := codes[start:min(start+lookupBatch, len(codes))]
		err := s.conn(ctx).Where("supplier_id = ? AND supplier_code IN ? AND supplier_code <> ''", supplierID, chunk).Find(&found).Error
		if err != nil {
			return nil, translate(err, "Produto")
		}
		for _, p := range found {
			out[p.SupplierCode] = p
		}
	}
	return out, nil
}

// CreateProduct inserts a product. A taken SKU, or a supplier code the
// supplier already uses for another product, is a conflict on that field.
func (s *Store) CreateProduct(ctx context.Context, p *model.Product) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		if _, err := s.FindProductBySKU(ctx, p.SKU); err == nil {
			return conflictOn("sku", "Já existe um produto com o SKU "+p.SKU+".")
		} else if !apperr.Is(err, apperr.ENOTFOUND) {
			return err
		}
		if err := s.checkSupplierCode(ctx, p); err != nil {
			return err
		}
		now := s.now()
		p.CreatedAt, p.UpdatedAt = now, now
		if err := s.conn(ctx).Omit(clause.Associations).Create(p).Error; err != nil {
			return productWriteError(err)
		}
		return s.audit(ctx, "product.create", "product", p.ID, p.SupplierID, productAudit(p))
	})
}

// UpdateProduct saves every editable field of a product; the SKU identifies
// the product (the VTEX refId) and never changes.
func (s *Store) UpdateProduct(ctx context.Context, p *model.Product) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		before, err := s.FindProduct(ctx, p.ID)
		if err != nil {
			return err
		}
		p.SKU, p.CreatedAt = before.SKU, before.CreatedAt
		if err := s.checkSupplierCode(ctx, p); err != nil {
			return err
		}
		p.UpdatedAt = s.now()
		res := s.conn(ctx).Model(&model.Product{}).Where("id = ?", p.ID).Updates(map[string]any{
			"name": p.Name, "brand": p.Brand, "ean": p.EAN, "ncm": p.NCM,
			"supplier_id": p.SupplierID, "supplier_code": p.SupplierCode,
			"dropship": p.Dropship, "active": p.Active, "updated_at": p.UpdatedAt,
		})
		if res.Error != nil {
			return productWriteError(res.Error)
		}
		return s.audit(ctx, "product.update", "product", p.ID, p.SupplierID,
			map[string]any{"before": productAudit(before), "after": productAudit(p)})
	})
}

// checkSupplierCode refuses a supplier code that another product of the same
// supplier already has (the unique index would, with a vaguer message).
func (s *Store) checkSupplierCode(ctx context.Context, p *model.Product) error {
	if p.SupplierID == nil || p.SupplierCode == "" {
		return nil
	}
	other, err := s.FindProductBySupplierCode(ctx, *p.SupplierID, p.SupplierCode)
	switch {
	case apperr.Is(err, apperr.ENOTFOUND):
		return nil
	case err != nil:
		return err
	case other.ID == p.ID:
		return nil
	}
	return conflictOn("supplier_code", "O fornecedor já usa o código "+p.SupplierCode+" para o produto de SKU "+other.SKU+".")
}

func conflictOn(field, msg string) error {
	return &apperr.Error{Code: apperr.ECONFLICT, Message: msg, Details: []apperr.Detail{{Field: field, Message: msg}}}
}

func productWriteError(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		// Someone else took the SKU or the supplier code between our check and the write.
		return apperr.Wrap(err, apperr.ECONFLICT, "Outro usuário acabou de cadastrar um produto com este SKU ou código de fornecedor. Recarregue e confira.")
	}
	return translate(err, "Produto")
}

// productAudit is what the audit log keeps of a product.
func productAudit(p *model.Product) map[string]any {
	return map[string]any{
		"sku": p.SKU, "name": p.Name, "brand": p.Brand, "ean": p.EAN, "ncm": p.NCM,
		"supplier_id": p.SupplierID, "supplier_code": p.SupplierCode, "dropship": p.Dropship, "active": p.Active,
	}
}

// ProductImport describes where an upsert's rows came from, for its audit entry.
type ProductImport struct {
	Source string // file name, or "API"
	Format string // "CSV (UTF-8, separador ;)", "XLSX", "JSON"
}

// sameProduct reports whether b would leave a unchanged.
func sameProduct(a, b *model.Product) bool {
	return a.Name == b.Name && a.Brand == b.Brand && a.EAN == b.EAN && a.NCM == b.NCM &&
		sameID(a.SupplierID, b.SupplierID) && a.SupplierCode == b.SupplierCode &&
		a.Dropship == b.Dropship && a.Active == b.Active
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
