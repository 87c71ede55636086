package store

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/connectparts/portal/internal/model"
)

// SavePOPlatformLabel stores (or replaces) a platform label of a PO.
// Audited.
func (s *Store) SavePOPlatformLabel(ctx context.Context, l *model.POPlatformLabel) error {
	return s.Tx(ctx, func(ctx context.Context) error {
		l.FetchedAt = s.now()
		err := s.conn(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "po_id"}, {Name: "format"}},
			DoUpdates: clause.AssignmentColumns([]string{"shipment_id", "kind", "path", "sha256", "size", "fetched_at"}),
		}).Create(l).Error
		if err != nil {
			return translate(err, "Etiqueta da plataforma")
		}
		return s.audit(ctx, "purchase_order.platform_label", "purchase_order", l.POID, nil, map[string]any{
			"format": l.Format, "shipment_id": l.ShipmentID, "sha256": l.SHA256, "size": l.Size,
		})
	})
}

// ListPOPlatformLabels returns a PO's platform labels, PDF first.
func (s *Store) ListPOPlatformLabels(ctx context.Context, poID int64) ([]model.POPlatformLabel, error) {
	var out []model.POPlatformLabel
	err := s.conn(ctx).Where("po_id = ?", poID).Order("format").Find(&out).Error
	return out, translate(err, "Etiqueta da plataforma")
}

// FindPOPlatformLabel returns one platform label of a PO (ENOTFOUND when none).
func (s *Store) FindPOPlatformLabel(ctx context.Context, poID int64, format string) (*model.POPlatformLabel, error) {
	var l model.POPlatformLabel
	if err := s.conn(ctx).Where("po_id = ? AND format = ?", poID, format).First(&l).Error; err != nil {
		return nil, translate(err, "Etiqueta da plataforma")
	}
	return &l, nil
}

// FindPurchaseOrderByID returns a PO with its supplier and items.
func (s *Store) FindPurchaseOrderByID(ctx context.Context, id int64) (*model.PurchaseOrder, error) {
	var po model.PurchaseOrder
	if err := preloadPO(s.conn(ctx)).Where("id = ?", id).First(&po).Error; err != nil {
		return nil, translate(err, "Pedido de compra")
	}
	return &po, nil
}

// OpenPlatformShipments returns the sales orders of a platform whose
// shipment the platform runs (logistics platform_label or
// platform_fulfils) and that are not
// delivered or cancelled: id, external id, shipment id and channel status,
// for the engine's per-cycle shipment reading.
func (s *Store) OpenPlatformShipments(ctx context.Context, platformID int64) ([]model.SalesOrder, error) {
	var out []model.SalesOrder
	err := s.conn(ctx).Select("id", "external_id", "shipment_id", "channel_status").
		Where("platform_id = ? AND logistics IN ? AND shipment_id <> '' AND status NOT IN ?", platformID,
			[]model.Logistics{model.LogisticsPlatformLabel, model.LogisticsPlatformFulfils},
			[]model.SOStatus{model.SODelivered, model.SOCancelled}).
		Order("id").Find(&out).Error
	return out, translate(err, "Pedido de venda")
}
