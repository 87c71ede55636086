package store

import (
	"context"

	"github.com/connectparts/portal/internal/apperr"
)

// FindExternalIDByShipment returns the external id of the platform's sales
// order with that shipment id (Mercado Livre shipments), or ENOTFOUND.
func (s *Store) FindExternalIDByShipment(ctx context.Context, platformID int64, shipmentID string) (string, error) {
	var ids []string
	err := s.conn(ctx).Raw(`SELECT external_id FROM sales_orders WHERE platform_id = ? AND shipment_id = ? LIMIT 1`,
		platformID, shipmentID).Scan(&ids).Error
	if err != nil {
		return "", translate(err, "Pedido")
	}
	if len(ids) == 0 {
		return "", apperr.Errorf(apperr.ENOTFOUND, "Nenhum pedido com o envio %s.", shipmentID)
	}
	return ids[0], nil
}
