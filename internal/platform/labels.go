package platform

import "context"

// ShipmentLabel is the label a platform issued for an order's shipment when
// the platform runs the logistics (Mercado Envios 2): the seller prints it
// instead of a carrier label of its own, and the tracking is the platform's.
type ShipmentLabel struct {
	ShipmentID     string
	TrackingNumber string
	// PDF is the label as a PDF; ZPL is the thermal-printer version as the
	// platform sends it (Mercado Livre: a ZIP holding the ZPL text).
	PDF []byte
	ZPL []byte
}

// LabelIssuer is implemented by adapters whose platform issues shipment
// labels (Mercado Livre). ShipmentLabel fetches the label of the order's
// shipment. It is an ErrTemporary error while the platform has not released
// it yet (waiting for the NF-e, buffered), ErrRejected when the order's
// shipment never gets a platform label (not Mercado Envios 2).
type LabelIssuer interface {
	ShipmentLabel(ctx context.Context, externalID string) (*ShipmentLabel, error)
}
