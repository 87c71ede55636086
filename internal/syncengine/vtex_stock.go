package syncengine

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// afterStartHandling marks the order's products for a stock push once VTEX
// accepted start-handling: the order's reservation is acknowledged now, the
// figure pushed drops its units (Available), and only a quantity update zeroes
// an acknowledged reservation — until it is sent, VTEX subtracts the units
// both ways and the storefront sells less than the portal has (never more).
func (s *Service) afterStartHandling(ctx context.Context, p *model.Platform, sp *model.StatusPush) error {
	if p.Kind != model.PlatformVTEX || sp.Action != model.ActionStartHandling {
		return nil
	}
	so, err := s.store.FindSalesOrder(ctx, sp.OrderID)
	if err != nil {
		return err
	}
	if !so.Reserved {
		return nil
	}
	ids := make([]int64, 0, len(so.Items))
	for _, it := range so.Items {
		ids = append(ids, it.ProductID)
	}
	return s.store.MarkStockChanged(ctx, ids...) // its stock hook schedules the push
}
