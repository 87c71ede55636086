package model

import (
	"strings"

	"github.com/connectparts/portal/internal/apperr"
)

// The sales-order vocabulary the domain shares with the platform adapters:
// the portal's status codes, person types, the import_from setting and the
// platform kinds. Adapters translate the platforms' own words into these.

// SOStatus is a sales-order status code of the portal (CONTRACT.md). Adapters map
// the platform's own status (kept as Order.ChannelStatus) onto it.
type SOStatus string

// Sales-order status codes, in the order an order normally goes through them.
const (
	SOAwaitingPayment  SOStatus = "awaiting_payment"
	SOPaymentApproved  SOStatus = "payment_approved"
	SOReadyForHandling SOStatus = "ready_for_handling"
	SOHandling         SOStatus = "handling"
	SOInvoiced         SOStatus = "invoiced"
	SODispatched       SOStatus = "dispatched"
	SODelivered        SOStatus = "delivered"
	SOCancelled        SOStatus = "cancelled"
)

// SOUnknown is the Status of an order whose channel status the adapter
// cannot map (an unknown or transitional platform status). The engine keeps the
// status it already has for such an order, or blocks its import with the
// channel status as the reason.
const SOUnknown SOStatus = ""

// SOStatuses lists every known status code, in flow order.
var SOStatuses = []SOStatus{
	SOAwaitingPayment, SOPaymentApproved, SOReadyForHandling, SOHandling,
	SOInvoiced, SODispatched, SODelivered, SOCancelled,
}

// Label is the Portuguese name of the status, as the pages show it.
func (s SOStatus) Label() string {
	switch s {
	case SOAwaitingPayment:
		return "Aguardando pagamento"
	case SOPaymentApproved:
		return "Pagamento aprovado"
	case SOReadyForHandling:
		return "Pronto para manuseio"
	case SOHandling:
		return "Preparando entrega"
	case SOInvoiced:
		return "Faturado"
	case SODispatched:
		return "Despachado"
	case SODelivered:
		return "Entregue"
	case SOCancelled:
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
func (f ImportFrom) Allows(s SOStatus) bool {
	switch s {
	case SOUnknown, SOCancelled:
		return false
	case SOAwaitingPayment:
		return f != ImportFromPaymentConfirmed
	}
	return true
}

// Platform kinds (the adapters' identifiers), as accepted by `portal platform add --kind`.
const (
	PlatformVTEX         = "vtex"
	PlatformMercadoLivre = "mercadolivre"
	PlatformSandbox      = "sandbox"
)

// PlatformName is the name of a platform kind in user messages.
func PlatformName(kind string) string {
	switch kind {
	case PlatformVTEX:
		return "VTEX"
	case PlatformMercadoLivre:
		return "Mercado Livre"
	case PlatformSandbox:
		return "plataforma de demonstração"
	}
	return kind
}
