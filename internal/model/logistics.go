package model

// Logistics says who ships a sales order and with whose label, as the
// platform runs it. It decides whether the order gets purchase orders, holds
// supplier stock and what its suppliers are asked for when they ship.
type Logistics string

// Logistics values.
const (
	// LogisticsSeller: ConnectParts' supplier ships with its own carrier,
	// label and tracking (VTEX, Mercado Livre ME1/custom shipping). The
	// supplier sends the label and tracking code with the shipment.
	LogisticsSeller Logistics = ""
	// LogisticsPlatformLabel: the platform's own logistics (Mercado Envios 2:
	// drop_off, xd_drop_off, cross_docking, xd_same_day, Flex self_service).
	// The platform issues the label once the billing NF-e is imported and
	// owns the tracking; the supplier prints the platform's label, which the
	// portal fetches, and the PO is shipped when the platform reports the
	// package picked up or dropped off.
	LogisticsPlatformLabel Logistics = "platform_label"
	// LogisticsPlatformFulfils: the platform ships from its own warehouse
	// (Mercado Livre Full, fulfillment). No purchase order, no reservation
	// of supplier stock.
	LogisticsPlatformFulfils Logistics = "platform_fulfils"
)

// Label is the logistics in Portuguese.
func (l Logistics) Label() string {
	switch l {
	case LogisticsSeller:
		return "Envio pelo fornecedor (etiqueta e rastreio do fornecedor)"
	case LogisticsPlatformLabel:
		return "Logística da plataforma (etiqueta e rastreio da plataforma)"
	case LogisticsPlatformFulfils:
		return "Enviado pelo armazém da plataforma (sem pedido de compra)"
	}
	return string(l)
}

// RaisesPO reports whether orders with this logistics get purchase orders
// and hold supplier stock.
func (l Logistics) RaisesPO() bool { return l != LogisticsPlatformFulfils }
