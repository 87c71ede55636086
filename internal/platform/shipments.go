package platform

import "context"

// ShipmentWatcher is implemented by adapters whose platform moves shipments
// without touching the order (Mercado Livre: a drop-off or pick-up changes
// the shipment, not the order's last_updated, so an orders search by update
// date does not see it). The engine asks it, each import cycle, for the
// shipments of the orders still open and re-reads the orders whose
// shipment moved.
type ShipmentWatcher interface {
	// ShipmentStates returns, for each shipment id it could read, the
	// shipment's state as the order's ChannelStatus ends with it
	// ("ready_to_ship:dropped_off", "shipped").
	ShipmentStates(ctx context.Context, shipmentIDs []string) (map[string]string, error)
}
