package store

import (
	"context"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

// SKUAliasFilter selects aliases of one platform and/or one product.
type SKUAliasFilter struct {
	PlatformID *int64
	ProductID  *int64
}

// CreateSKUAlias points a platform SKU at the catalog product with sku
// productSKU, so that the platform's orders carrying it import as that
// product. A SKU the catalog holds names its own product and takes no alias;
// a platform SKU already aliased is a conflict (delete it first). Audited
// on the product.
func (s *Store) CreateSKUAlias(ctx context.Context, platformID int64, platformSKU, productSKU string) (*model.SKUAlias, error) {
	platformSKU, productSKU = strings.TrimSpace(platformSKU), strings.TrimSpace(productSKU)
	if platformSKU == "" {
		return nil, apperr.Invalid("Informe o SKU da plataforma.", apperr.Detail{Field: "platform_sku", Message: "Informe o SKU da plataforma."})
	}
	if productSKU == "" {
		return nil, apperr.Invalid("Informe o SKU do produto do catálogo.", apperr.Detail{Field: "sku", Message: "Informe o SKU do produto do catálogo."})
	}
	var out *model.SKUAlias
	err := s.Tx(ctx, func(ctx context.Context) error {
		p, err := s.FindPlatform(ctx, platformID)
		if err != nil {
			return err
		}
		prod, err := s.FindProductBySKU(ctx, productSKU)
		if apperr.Is(err, apperr.ENOTFOUND) {
			return apperr.Invalid("O produto "+productSKU+" não existe no catálogo.",
				apperr.Detail{Field: "sku", Message: "Nenhum produto do catálogo tem o SKU " + productSKU + "."})
		}
		if err != nil {
			return err
		}
		if _, err := s.FindProductBySKU(ctx, platformSKU); err == nil {
			return apperr.Errorf(apperr.ECONFLICT, "O SKU %s já é um produto do catálogo: os pedidos com ele são importados como esse produto.", platformSKU)
		} else if !apperr.Is(err, apperr.ENOTFOUND) {
			return err
		}
		var existing []model.SKUAlias
		if err := s.conn(ctx).Preload("Product").Where("platform_id = ? AND platform_sku = ?", platformID, platformSKU).
			Limit(1).Find(&existing).Error; err != nil {
			return translate(err, "Vínculo de SKU")
		}
		if len(existing) > 0 {
			other := ""
			if existing[0].Product != nil {
				other = existing[0].Product.SKU
			}
			return apperr.Errorf(apperr.ECONFLICT, "O SKU %s de %s já está vinculado ao produto %s: remova o vínculo antes.", platformSKU, p.Name, other)
		}
		a := model.SKUAlias{PlatformID: platformID, PlatformSKU: platformSKU, ProductID: prod.ID, CreatedAt: s.now()}
		if err := s.conn(ctx).Omit("Product", "Platform").Create(&a).Error; err != nil {
			return translate(err, "Vínculo de SKU")
		}
		if err := s.audit(ctx, "sku_alias.create", "product", prod.ID, nil, map[string]any{
			"platform": p.Name, "platform_sku": platformSKU, "sku": prod.SKU}); err != nil {
			return err
		}
		// The platform lists the product under the alias from now on: its
		// stock goes out again, under that code.
		if err := s.MarkStockChanged(ctx, prod.ID); err != nil {
			return err
		}
		a.Product, a.Platform = prod, p
		out = &a
		return nil
	})
	return out, err
}

// FindSKUAlias returns one alias with its product and platform.
func (s *Store) FindSKUAlias(ctx context.Context, id int64) (*model.SKUAlias, error) {
	var a model.SKUAlias
	if err := s.conn(ctx).Preload("Product").Preload("Platform").First(&a, id).Error; err != nil {
		return nil, translate(err, "Vínculo de SKU")
	}
	return &a, nil
}

// DeleteSKUAlias removes an alias: the platform SKU is unknown again for the
// orders imported from now on (those imported keep their product). Audited.
func (s *Store) DeleteSKUAlias(ctx context.Context, id int64) (*model.SKUAlias, error) {
	var out *model.SKUAlias
	err := s.Tx(ctx, func(ctx context.Context) error {
		a, err := s.FindSKUAlias(ctx, id)
		if err != nil {
			return err
		}
		if err := s.conn(ctx).Delete(&model.SKUAlias{}, a.ID).Error; err != nil {
			return translate(err, "Vínculo de SKU")
		}
		if err := s.MarkStockChanged(ctx, a.ProductID); err != nil {
			return err
		}
		details := map[string]any{"platform_sku": a.PlatformSKU}
		if a.Platform != nil {
			details["platform"] = a.Platform.Name
		}
		if a.Product != nil {
			details["sku"] = a.Product.SKU
		}
		out = a
		return s.audit(ctx, "sku_alias.delete", "product", a.ProductID, nil, details)
	})
	return out, err
}

// ListSKUAliases returns the aliases the filter selects, with product and
// platform, by platform then platform SKU.
func (s *Store) ListSKUAliases(ctx context.Context, f SKUAliasFilter) ([]model.SKUAlias, error) {
	q := s.conn(ctx).Preload("Product").Preload("Platform")
	if f.PlatformID != nil {
		q = q.Where("platform_id = ?", *f.PlatformID)
	}
	if f.ProductID != nil {
		q = q.Where("product_id = ?", *f.ProductID)
	}
	var out []model.SKUAlias
	err := q.Order("platform_id, platform_sku").Find(&out).Error
	return out, translate(err, "Vínculo de SKU")
}

// ProductsByPlatformSKU is ProductsBySKU as a platform's orders see the
// catalog: a SKU the catalog holds is its product; one it does not, but
// that the platform's aliases point at a product, is that product.
func (s *Store) ProductsByPlatformSKU(ctx context.Context, platformID int64, skus []string) (map[string]model.Product, error) {
	out, err := s.ProductsBySKU(ctx, skus)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, sku := range skus {
		if _, ok := out[sku]; !ok && sku != "" {
			missing = append(missing, sku)
		}
	}
	for start := 0; start < len(missing); start += lookupBatch {
		chunk := missing[start:min(start+lookupBatch, len(missing))]
		var found []model.SKUAlias
		if err := s.conn(ctx).Preload("Product").Where("platform_id = ? AND platform_sku IN ?", platformID, chunk).
			Find(&found).Error; err != nil {
			return nil, translate(err, "Vínculo de SKU")
		}
		for _, a := range found {
			if a.Product != nil {
				out[a.PlatformSKU] = *a.Product
			}
		}
	}
	return out, nil
}

// AliasedSKUs says which of a platform's skus have an alias.
func (s *Store) AliasedSKUs(ctx context.Context, platformID int64, skus []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(skus); start += lookupBatch {
		chunk := skus[start:min(start+lookupBatch, len(skus))]
		var found []string
		if err := s.conn(ctx).Model(&model.SKUAlias{}).Where("platform_id = ? AND platform_sku IN ?", platformID, chunk).
			Pluck("platform_sku", &found).Error; err != nil {
			return nil, translate(err, "Vínculo de SKU")
		}
		for _, sku := range found {
			out[sku] = true
		}
	}
	return out, nil
}

// PlatformSKUsOfProducts returns, per product, the platform SKUs that the
// platform's aliases point at it, in SKU order: the codes under which that
// platform lists those products, to which their stock is pushed.
func (s *Store) PlatformSKUsOfProducts(ctx context.Context, platformID int64, productIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	for start := 0; start < len(productIDs); start += lookupBatch {
		chunk := productIDs[start:min(start+lookupBatch, len(productIDs))]
		var found []model.SKUAlias
		if err := s.conn(ctx).Select("product_id", "platform_sku").Where("platform_id = ? AND product_id IN ?", platformID, chunk).
			Order("product_id, platform_sku").Find(&found).Error; err != nil {
			return nil, translate(err, "Vínculo de SKU")
		}
		for _, a := range found {
			out[a.ProductID] = append(out[a.ProductID], a.PlatformSKU)
		}
	}
	return out, nil
}
