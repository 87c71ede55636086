package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/cnpj"
	"github.com/connectparts/portal/internal/model"
)

// SupplierFilter narrows the supplier list.
type SupplierFilter struct {
	Query  string // CNPJ, legal or trade name
	Active *bool
	Sort   Sort // the list's chosen order; default by legal name
}

// FindSupplier returns one supplier.
func (s *Store) FindSupplier(ctx context.Context, id int64) (*model.Supplier, error) {
	var sup model.Supplier
	if err := s.conn(ctx).First(&sup, id).Error; err != nil {
		return nil, translate(err, "Fornecedor")
	}
	return &sup, nil
}

// FindSupplierByCNPJ returns the supplier with a normalized CNPJ.
func (s *Store) FindSupplierByCNPJ(ctx context.Context, cnpj string) (*model.Supplier, error) {
	var sup model.Supplier
	if err := s.conn(ctx).Where("cnpj = ?", cnpj).First(&sup).Error; err != nil {
		return nil, translate(err, "Fornecedor")
	}
	return &sup, nil
}

// ListSuppliers returns a page of suppliers ordered by name, and the total.
func (s *Store) ListSuppliers(ctx context.Context, f SupplierFilter, p Page) ([]model.Supplier, int64, error) {
	p = p.Normalize()
	q := s.filterSuppliers(ctx, f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "Fornecedor")
	}
	var out []model.Supplier
	err := q.Order(f.Sort.orderBy("LOWER(legal_name), id")).Limit(p.Size).Offset(p.offset()).Find(&out).Error
	return out, total, translate(err, "Fornecedor")
}

func (s *Store) filterSuppliers(ctx context.Context, f SupplierFilter) *gorm.DB {
	q := s.conn(ctx).Model(&model.Supplier{})
	if f.Query != "" {
		pat := likePattern(f.Query)
		q = q.Where(`LOWER(legal_name) LIKE ? ESCAPE '\' OR LOWER(trade_name) LIKE ? ESCAPE '\' OR LOWER(cnpj) LIKE ? ESCAPE '\'`, pat, pat, likePattern(cnpj.Normalize(f.Query)))
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	return q
}

// AllSuppliers returns every active supplier (for select boxes).
func (s *Store) AllSuppliers(ctx context.Context) ([]model.Supplier, error) {
	var out []model.Supplier
	err := s.conn(ctx).Where("active = ?", true).Order("LOWER(legal_name)").Find(&out).Error
	return out, translate(err, "Fornecedor")
}

// SupplierNames returns every supplier's display name (trade name, else
// legal name) by id, reading only those columns.
func (s *Store) SupplierNames(ctx context.Context) (map[int64]string, error) {
	var rows []model.Supplier
	if err := s.conn(ctx).Select("id, legal_name, trade_name").Find(&rows).Error; err != nil {
		return nil, translate(err, "Fornecedor")
	}
	out := make(map[int64]string, len(rows))
	for i := range rows {
		out[rows[i].ID] = rows[i].DisplayName()
	}
	return out, nil
}

// CreateSupplier inserts a supplier; a duplicate CNPJ is a conflict.
func (s *Store) CreateSupplier(ctx context.Context, sup *model.Supplier) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(sup).Error; err != nil {
			err = translate(err, "Fornecedor")
			if apperr.Is(err, apperr.ECONFLICT) {
				return apperr.Errorf(apperr.ECONFLICT, "Já existe um fornecedor com o CNPJ %s.", sup.CNPJ)
			}
			return err
		}
		return s.audit(ctx, "supplier.create", "supplier", sup.ID, &sup.ID, sup)
	})
}

// UpdateSupplier saves every editable field of a supplier.
func (s *Store) UpdateSupplier(ctx context.Context, sup *model.Supplier) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		before, err := s.FindSupplier(ctx, sup.ID)
		if err != nil {
			return err
		}
		sup.CreatedAt = before.CreatedAt
		sup.CNPJ = before.CNPJ // the CNPJ identifies the supplier and never changes
		res := s.conn(ctx).Model(&model.Supplier{}).Where("id = ?", sup.ID).Updates(map[string]any{
			"legal_name": sup.LegalName, "trade_name": sup.TradeName, "email": sup.Email,
			"dispatch_hours": sup.DispatchHours, "price_notice_days": sup.PriceNoticeDays,
			"active": sup.Active, "updated_at": s.now(),
		})
		if res.Error != nil {
			return translate(res.Error, "Fornecedor")
		}
		return s.audit(ctx, "supplier.update", "supplier", sup.ID, &sup.ID, map[string]any{"before": before, "after": sup})
	})
}
