package platform

import (
	"strings"
	"time"

	"github.com/connectparts/portal/internal/apperr"
)

// Status is a sales-order status code of the portal (CONTRACT.md). Adapters map
// the platform's own status (kept as Order.ChannelStatus) onto it.
type Status string

// Sales-order status codes, in the order an order normally goes through them.
const (
	StatusAwaitingPayment  Status = "awaiting_payment"
	StatusPaymentApproved  Status = "payment_approved"
	StatusReadyForHandling Status = "ready_for_handling"
	StatusHandling         Status = "handling"
	StatusInvoiced         Status = "invoiced"
	StatusDispatched       Status = "dispatched"
	StatusDelivered        Status = "delivered"
	StatusCancelled        Status = "cancelled"
)

// StatusUnknown is the Status of an order whose channel status the adapter
// cannot map (an unknown or transitional platform status). The engine keeps the
// status it already has for such an order, or blocks its import with the
// channel status as the reason.
const StatusUnknown Status = ""

// Statuses lists every known status code, in flow order.
var Statuses = []Status{
	StatusAwaitingPayment, StatusPaymentApproved, StatusReadyForHandling, StatusHandling,
	StatusInvoiced, StatusDispatched, StatusDelivered, StatusCancelled,
}

// Label is the Portuguese name of the status, as the pages show it.
func (s Status) Label() string {
	switch s {
	case StatusAwaitingPayment:
		return "Aguardando pagamento"
	case StatusPaymentApproved:
		return "Pagamento aprovado"
	case StatusReadyForHandling:
		return "Pronto para manuseio"
	case StatusHandling:
		return "Preparando entrega"
	case StatusInvoiced:
		return "Faturado"
	case StatusDispatched:
		return "Despachado"
	case StatusDelivered:
		return "Entregue"
	case StatusCancelled:
		return "Cancelado"
	}
	return "Status desconhecido"
}

// PersonType tells an individual (pessoa física) from a company (pessoa jurídica).
type PersonType string

// Person types.
const (
	PersonIndividual PersonType = "PF"
	PersonCompany    PersonType = "PJ"
)

// Order is a sales order as a platform reports it, translated into the
// portal's terms. Money is integer centavos; quantities are integers.
type Order struct {
	Platform   string // KindVTEX, KindMercadoLivre, KindSandbox
	ExternalID string // the platform's order id (VTEX orderId, ML order id)
	// Number is the number people use to talk about the order, when the
	// platform has one besides the id (VTEX sequence, ML pack id); may be "".
	Number string

	ChannelStatus string // the platform's own status, verbatim
	Status        Status // mapped; StatusUnknown when the adapter cannot tell
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
	// Carrier is the platform's name for the carrier, informative only.
	Carrier        string
	TrackingNumber string
	TrackingURL    string
	// ShipmentID is the platform's shipment id when shipments are separate
	// resources (Mercado Livre); "" otherwise.
	ShipmentID string

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
	Type      PersonType
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

// ImportFrom is the `import_from` platform setting: the first channel status
// at which orders are imported.
type ImportFrom string

// ImportFrom values (CONTRACT.md).
const (
	ImportFromAwaitingPayment  ImportFrom = "awaiting_payment"
	ImportFromPaymentConfirmed ImportFrom = "payment_confirmed"
)

// ParseImportFrom validates the setting; "" means the default, awaiting_payment.
func ParseImportFrom(s string) (ImportFrom, error) {
	switch ImportFrom(strings.TrimSpace(s)) {
	case "", ImportFromAwaitingPayment:
		return ImportFromAwaitingPayment, nil
	case ImportFromPaymentConfirmed:
		return ImportFromPaymentConfirmed, nil
	}
	return "", apperr.Invalid("Configuração inválida.", apperr.Detail{
		Field:   "import_from",
		Message: "Use awaiting_payment (aguardando pagamento) ou payment_confirmed (pagamento confirmado).",
	})
}

// Allows reports whether a new order in status s is imported under this
// setting. Cancelled and unmapped orders are never imported; orders the portal
// already knows are updated whatever this setting says (that is the engine's
// business, not this function's).
func (f ImportFrom) Allows(s Status) bool {
	switch s {
	case StatusUnknown, StatusCancelled:
		return false
	case StatusAwaitingPayment:
		return f != ImportFromPaymentConfirmed
	}
	return true
}
