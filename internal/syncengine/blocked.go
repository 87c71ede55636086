package syncengine

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// BlockFixes reads what model.BlockedOrder.Fixed needs for these blocked
// orders: the carrier mappings of the platforms with an unmapped_carrier
// order (once per platform) and which of their unknown SKUs exist now (in
// one query). The import run and the blocked queue page both ask here.
func (s *Service) BlockFixes(ctx context.Context, blocked []model.BlockedOrder) (model.BlockFixes, error) {
	f := model.BlockFixes{Mapped: map[int64]map[string]bool{}, KnownSKUs: map[string]bool{}}
	var skus []string
	for _, b := range blocked {
		switch {
		case b.ResolvedAt != nil:
		case b.Reason == model.BlockUnknownSKU:
			skus = append(skus, b.SKU)
		case b.Reason == model.BlockUnmappedCarrier && f.Mapped[b.PlatformID] == nil:
			mappings, err := s.store.ListCarrierMappings(ctx, b.PlatformID)
			if err != nil {
				return f, err
			}
			f.Mapped[b.PlatformID] = map[string]bool{}
			for _, m := range mappings {
				f.Mapped[b.PlatformID][m.Method] = true
			}
		}
	}
	products, err := s.store.ProductsBySKU(ctx, skus)
	if err != nil {
		return f, err
	}
	for sku := range products {
		f.KnownSKUs[sku] = true
	}
	return f, nil
}
