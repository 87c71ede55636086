package store

import (
	"context"
	"errors"
	"sort"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// ProductUpsertResult counts what an import's upserts did; it adds up over
// the batches of one import (UpsertProductBatch).
type ProductUpsertResult struct {
	Created   int
	Updated   int
	Unchanged int

	created, updated []string // SKUs, for the audit entry
}

// auditSKUs bounds how many SKUs an import's audit entry names per kind.
const auditSKUs = 100

// UpsertProducts makes every product of ps exist with exactly the given
// fields (ID, CreatedAt and Supplier are ignored), matching by SKU. It runs
// in one transaction, writes in batches of INSERT … ON CONFLICT (sku) DO
// UPDATE, skips products that would not change, and records one audit entry
// for the whole import. Callers validate the products first (the catalog
// import does); SKUs must be distinct.
func (s *Store) UpsertProducts(ctx context.Context, ps []model.Product, imp ProductImport) (ProductUpsertResult, error) {
	var res ProductUpsertResult
	err := s.Tx(ctx, func(ctx context.Context) error {
		res = ProductUpsertResult{}
		if err := s.UpsertProductBatch(ctx, ps, &res); err != nil {
			return err
		}
		return s.FinishProductImport(ctx, imp, len(ps), &res)
	})
	return res, err
}

// UpsertProductBatch is one batch of a streamed import: UpsertProducts
// without its transaction and audit entry, adding its counts to res. The
// caller runs every batch and then FinishProductImport in one transaction
// (Tx), so the import is still all or nothing while only one batch of
// products is in memory at a time.
func (s *Store) UpsertProductBatch(ctx context.Context, ps []model.Product, res *ProductUpsertResult) error {
	skus := make([]string, len(ps))
	for i := range ps {
		skus[i] = ps[i].SKU
	}
	existing, err := s.ProductsBySKU(ctx, skus)
	if err != nil {
		return err
	}
	now := s.now()
	write := make([]model.Product, 0, len(ps))
	var release []string
	for _, p := range ps {
		p.ID, p.Supplier, p.UpdatedAt = 0, nil, now
		old, ok := existing[p.SKU]
		switch {
		case !ok:
			res.Created++
			p.CreatedAt = now
			res.created = append(res.created, p.SKU)
		case sameProduct(&old, &p):
			res.Unchanged++
			continue
		default:
			res.Updated++
			p.CreatedAt = old.CreatedAt
			res.updated = append(res.updated, p.SKU)
			if old.SupplierCode != "" && (!sameID(old.SupplierID, p.SupplierID) || old.SupplierCode != p.SupplierCode) {
				release = append(release, p.SKU)
			}
		}
		write = append(write, p)
	}
	// The unique index on (supplier_id, supplier_code) is checked row by
	// row, so two products of the batch swapping codes would collide half
	// way. Clearing the codes that change first makes any order work.
	for start := 0; start < len(release); start += lookupBatch {
		chunk := release[start:min(start+lookupBatch, len(release))]
		if err := s.conn(ctx).Model(&model.Product{}).Where("sku IN ?", chunk).Update("supplier_code", "").Error; err != nil {
			return translate(err, "Produto")
		}
	}
	upsert := clause.OnConflict{
		Columns: []clause.Column{{Name: "sku"}},
		DoUpdates: clause.AssignmentColumns([]string{
			"name", "brand", "ean", "ncm", "supplier_id", "supplier_code", "dropship", "active", "updated_at",
		}),
	}
	size := upsertBatch
	if s.dialect == database.SQLite {
		size = upsertBatchSQLite
	}
	for start := 0; start < len(write); start += size {
		batch := write[start:min(start+size, len(write))]
		if err := s.conn(ctx).Omit(clause.Associations).Clauses(upsert).Create(&batch).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return apperr.Wrap(err, apperr.ECONFLICT, "Outro produto passou a usar um dos códigos de fornecedor do arquivo durante a importação. Envie o arquivo novamente.")
			}
			return translate(err, "Produto")
		}
	}
	return nil
}

// FinishProductImport ends an import written by UpsertProductBatch: it
// refreshes the planner's statistics after a bulk load and records one audit
// entry for the whole import (rows read, counts, the first SKUs of each kind).
func (s *Store) FinishProductImport(ctx context.Context, imp ProductImport, rows int, res *ProductUpsertResult) error {
	// After a bulk load the planner's statistics describe a much smaller
	// table; cached plans for the lookups of the next import would then
	// scan it whole. Refreshing them here is cheap (a sample of rows).
	if res.Created+res.Updated >= analyzeAfter && s.dialect == database.Postgres {
		if err := s.conn(ctx).Exec("ANALYZE products").Error; err != nil {
			return translate(err, "Produto")
		}
	}
	sort.Strings(res.created)
	sort.Strings(res.updated)
	return s.audit(ctx, "product.import", "product", imp.Source, nil, map[string]any{
		"source": imp.Source, "format": imp.Format, "rows": rows,
		"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged,
		"created_skus": firstN(res.created, auditSKUs), "updated_skus": firstN(res.updated, auditSKUs),
	})
}
