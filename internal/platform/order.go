package platform

import (
	"time"

	"github.com/connectparts/portal/internal/model"
)

// Order is a sales order as a platform reports it, translated into the
// portal's terms. Money is integer centavos; quantities are integers.
type Order struct {
	Platform   string // model.PlatformVTEX, model.PlatformMercadoLivre, model.PlatformSandbox
	ExternalID string // the platform's order id (VTEX orderId, ML order id)
	// Number is the number people use to talk about the order, when the
	// platform has one besides the id (VTEX sequence, ML pack id); may be "".
	Number string

	ChannelStatus string         // the platform's own status, verbatim
	Status        model.SOStatus // mapped; model.SOUnknown when the adapter cannot tell
	// Reserve says whether the order, in this status, holds stock: true from
	// payment approval (or import, where the platform does not reserve by
	// itself) until invoicing consumes the stock; false for orders awaiting
	// payment on VTEX (VTEX reserves itself) and for cancelled orders.
	Reserve bool
	// CancelRequested is set when the customer or the marketplace asked for
	// a cancellation that is not final yet (VTEX request-cancel).
	CancelRequested bool
	CancelReason    string

	Customer Customer
	Address  Address

	// ShippingMethod is the key carrier mapping (vínculo de transportadora)
	// uses: VTEX logisticsInfo[].selectedSla, Mercado Livre logistic.type.
	ShippingMethod string
	// Logistics is who ships and with whose label: the seller (default),
	// the platform's label (Mercado Envios 2, Flex) or the platform's own
	// warehouse (Full).
	Logistics model.Logistics
	// Carrier is the platform's name for the carrier, informative only.
	Carrier        string
	TrackingNumber string
	TrackingURL    string
	// ShipmentID is the platform's shipment id when shipments are separate
	// resources (Mercado Livre); "" otherwise.
	ShipmentID string
	// Invoices are the output invoices the platform holds for the order,
	// each with the tracking added to it (VTEX packageAttachment); nil when
	// the adapter does not read them. The engine reads them before sending
	// an invoice or a tracking again (see syncengine's sendOnce).
	Invoices []OrderInvoice

	Items []Item

	ItemsCents    int64 // sum of the items as the platform reports it
	ShippingCents int64 // freight charged to the customer
	DiscountCents int64 // discounts, as a positive amount
	TotalCents    int64 // what the customer pays

	CreatedAt time.Time
	PaidAt    *time.Time
	UpdatedAt time.Time
}

// Customer is the buyer with everything a supplier needs to invoice.
type Customer struct {
	Name      string // person's full name, or company legal name
	TradeName string // company trade name (nome fantasia), when given
	Type      model.PersonType
	// Document is the CPF (11 digits) or CNPJ (14 characters; alphanumeric
	// CNPJs keep their letters), without punctuation.
	Document          string
	StateRegistration string // inscrição estadual (IE), "ISENTO" or ""
	ICMSContributor   bool
	Suframa           string // SUFRAMA registration, "" when none
	Email             string
	Phones            []string
}

// Address is the delivery address.
type Address struct {
	Recipient  string
	Street     string
	Number     string
	Complement string
	Reference  string // ponto de referência
	District   string // bairro
	CEP        string // 8 digits
	City       string
	State      string // UF, two letters
	Country    string // ISO 3166-1 alpha-2 ("BR")
	// IBGECityCode is the 7-digit IBGE municipality code when the platform
	// gives it (neither VTEX nor Mercado Livre do; the sandbox does).
	IBGECityCode string
}

// Item is one order line.
type Item struct {
	// SKU is our catalog sku: VTEX refId, Mercado Livre seller_sku (or
	// seller_custom_field). "" when the platform has none for the line.
	SKU string
	// PlatformItemID is the platform's id for the sold thing: VTEX SKU id,
	// Mercado Livre item (listing) id.
	PlatformItemID string
	VariationID    string // Mercado Livre variation id, "" otherwise
	Name           string
	Variation      string // "Tamanho: M, Cor: Preto"; "" when none
	Quantity       int64
	UnitCents      int64
	TotalCents     int64
	Gift           bool
}

// Invoice is ConnectParts' billing invoice for an order, as platforms want it.
type Invoice struct {
	Number     string // nNF
	Series     string // série
	Key        string // chave de acesso, 44 characters
	IssuedAt   time.Time
	ValueCents int64
	// Items invoiced; empty means the whole order (the adapter takes the
	// lines from the order).
	Items []InvoiceItem
	XML   []byte // the authorised nfeProc XML
	URL   string // where the DANFE or XML can be fetched, optional
}

// InvoiceItem is one invoiced line.
type InvoiceItem struct {
	SKU            string // our sku; used to find the platform id when PlatformItemID is ""
	PlatformItemID string
	Description    string
	Quantity       int64
	UnitCents      int64
}

// Tracking is the shipment of an invoiced order.
type Tracking struct {
	InvoiceNumber string
	Carrier       string
	Code          string
	URL           string
	DispatchedAt  time.Time
}
