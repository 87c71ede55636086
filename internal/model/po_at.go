package model

import (
	"strings"

	"github.com/connectparts/portal/internal/apperr"
)

// POAt is the `po_at` platform setting: the sales-order status at which the
// portal raises the order's purchase orders (CONTRACT.md). The stock is
// reserved from payment approval whatever it says; only the PO waits.
type POAt string

// POAt values.
const (
	// POAtReadyForHandling raises the PO once the order is ready for
	// handling, after the platform's cancellation window (DOMAIN.md step 2:
	// between "pronto para manuseio" and "preparando entrega"). The default.
	POAtReadyForHandling POAt = "ready_for_handling"
	// POAtPaymentApproved raises the PO as soon as the payment is approved,
	// while the customer may still cancel.
	POAtPaymentApproved POAt = "payment_approved"
)

// ParsePOAt validates the setting; "" means the default, ready_for_handling.
func ParsePOAt(s string) (POAt, error) {
	switch POAt(strings.TrimSpace(s)) {
	case "", POAtReadyForHandling:
		return POAtReadyForHandling, nil
	case POAtPaymentApproved:
		return POAtPaymentApproved, nil
	}
	return "", apperr.Invalid("Configuração inválida.", apperr.Detail{
		Field:   "po_at",
		Message: "Use ready_for_handling (pronto para manuseio, após a janela de cancelamento) ou payment_approved (pagamento aprovado).",
	})
}

// POAtValues lists the accepted values, default first.
var POAtValues = []POAt{POAtReadyForHandling, POAtPaymentApproved}

// Label is the setting in Portuguese.
func (a POAt) Label() string {
	switch a {
	case POAtReadyForHandling:
		return "Pronto para manuseio (após a janela de cancelamento)"
	case POAtPaymentApproved:
		return "Pagamento aprovado"
	}
	return string(a)
}

// RaisesPO reports whether a sales order in status s is due its purchase
// orders under this setting: from ready for handling on (or from payment
// approval with payment_approved) — including a later status, for an order
// first seen there. Awaiting payment, cancelled and unknown never are.
func (a POAt) RaisesPO(s SOStatus) bool {
	switch s {
	case SOReadyForHandling, SOHandling, SOInvoiced, SODispatched, SODelivered:
		return true
	case SOPaymentApproved:
		return a == POAtPaymentApproved
	}
	return false
}
