package store

import (
	"context"
	"encoding/json"

	"github.com/connectparts/portal/internal/model"
)

// CountPurchaseOrdersCapped counts the POs of f up to ListCountCap+1 (the
// exceptions inbox's counters: a status slice of the status index, never an
// exact count over the whole table).
func (s *Store) CountPurchaseOrdersCapped(ctx context.Context, f PurchaseOrderFilter) (int64, error) {
	f.BeforeID = 0
	n, err := countCapped(s.conn(ctx), s.filterPurchaseOrders(ctx, f), "id DESC")
	return n, translate(err, "Pedido de compra")
}

// InvoiceDivergences returns, for each PO given, the checks of its latest
// supplier invoice that diverged (the match shown on the PO's fiscal panel).
func (s *Store) InvoiceDivergences(ctx context.Context, poIDs []int64) (map[int64][]model.InvoiceCheck, error) {
	out := map[int64][]model.InvoiceCheck{}
	if len(poIDs) == 0 {
		return out, nil
	}
	var rows []model.SupplierInvoice
	err := s.conn(ctx).Select("id, po_id, report").
		Where("id IN (SELECT MAX(id) FROM supplier_invoices WHERE po_id IN ? AND status = ? GROUP BY po_id)", poIDs, model.InvoiceDivergent).
		Find(&rows).Error
	if err != nil {
		return nil, translate(err, "NF-e do fornecedor")
	}
	for _, r := range rows {
		var checks []model.InvoiceCheck
		if r.Report != "" {
			if err := json.Unmarshal([]byte(r.Report), &checks); err != nil {
				return nil, err
			}
		}
		out[r.POID] = checks
	}
	return out, nil
}
