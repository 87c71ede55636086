package syncengine

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// BlockFixes reads what model.BlockedOrder.Fixed needs for these blocked
// orders: the carrier mappings of the platforms with an unmapped_carrier
// order (once per platform), which of their unknown SKUs exist now (in
// one query) and which have an alias on their platform (one query per
// platform). The import run and the blocked queue page both ask here.
func (s *Service) BlockFixes(ctx context.Context, blocked []model.BlockedOrder) (model.BlockFixes, error) {
	f := model.BlockFixes{Mapped: map[int64]map[string]bool{}, KnownSKUs: map[string]bool{}, Aliased: map[int64]map[string]bool{}}
	var skus []string
	platformSKUs := map[int64][]string{}
	for _, b := range blocked {
		switch {
		case b.ResolvedAt != nil:
		case b.Reason == model.BlockUnknownSKU:
			skus = append(skus, b.MissingSKUs()...)
			platformSKUs[b.PlatformID] = append(platformSKUs[b.PlatformID], b.MissingSKUs()...)
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
	for pid, list := range platformSKUs {
		if f.Aliased[pid], err = s.store.AliasedSKUs(ctx, pid, list); err != nil {
			return f, err
		}
	}
	return f, nil
}
