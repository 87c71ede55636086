package store

import (
	"context"

	"github.com/connectparts/portal/internal/model"
)

// POTabCounts is what the PO list's status tabs show: the POs still in the
// flow counted exactly (small slices of the status index), the closed ones
// (shipped, delivered, cancelled: nearly the whole table) and the total
// counted up to ListCountCap+1 ("mais de 1.000"), so that the tabs cost the
// same at a million POs as at a thousand.
type POTabCounts struct {
	ByStatus map[model.POStatus]int64
	Total    int64
}

// CountPurchaseOrderTabs counts the PO list's tabs, of one supplier when
// given.
func (s *Store) CountPurchaseOrderTabs(ctx context.Context, supplierID *int64) (POTabCounts, error) {
	open, err := s.CountOpenPurchaseOrdersByStatus(ctx, supplierID)
	if err != nil {
		return POTabCounts{}, err
	}
	out := POTabCounts{ByStatus: open}
	for _, st := range model.POStatuses {
		if _, isOpen := openSet[st]; isOpen {
			continue
		}
		n, err := s.CountPurchaseOrdersCapped(ctx, PurchaseOrderFilter{SupplierID: supplierID, Status: st})
		if err != nil {
			return POTabCounts{}, err
		}
		out.ByStatus[st] = n
	}
	if out.Total, err = s.CountPurchaseOrdersCapped(ctx, PurchaseOrderFilter{SupplierID: supplierID}); err != nil {
		return POTabCounts{}, err
	}
	return out, nil
}

var openSet = func() map[model.POStatus]struct{} {
	m := make(map[model.POStatus]struct{}, len(openPOStatuses))
	for _, st := range openPOStatuses {
		m[st] = struct{}{}
	}
	return m
}()
