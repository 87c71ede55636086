package vtex

import "github.com/connectparts/portal/internal/model"

type mapping struct {
	status  model.SOStatus
	reserve bool
}

// statusTable maps VTEX workflow statuses (the API "status" of an order and the
// "state" of feed events; values from the help-center status table, the List
// orders f_status values and the feed FromWorkflow list) onto the portal's
// codes.
//
// Reserve follows DOMAIN.md: importing an order reserves stock, except VTEX
// orders awaiting payment or in payment analysis ("Aguardando Pagamento",
// "Pagamento em Análise": payment-pending, approve-payment and the states
// before them), which VTEX reserves by itself; cancelled orders hold nothing.
var statusTable = map[string]mapping{
	// Before payment approval.
	"order-created":                    {model.SOAwaitingPayment, false},
	"order-completed":                  {model.SOAwaitingPayment, false},
	"on-order-completed":               {model.SOAwaitingPayment, false},
	"on-order-completed-ffm":           {model.SOAwaitingPayment, false},
	"waiting-for-sellers-confirmation": {model.SOAwaitingPayment, false},
	"waiting-for-authorization":        {model.SOAwaitingPayment, false},
	"waiting-for-order-authorization":  {model.SOAwaitingPayment, false},
	"payment-pending":                  {model.SOAwaitingPayment, false},
	"approve-payment":                  {model.SOAwaitingPayment, false},

	// Paid, not yet released for handling (cancellation and change windows,
	// fulfilment authorisations).
	"payment-approved":                 {model.SOPaymentApproved, true},
	"window-to-change-payment":         {model.SOPaymentApproved, true},
	"window-to-change-seller":          {model.SOPaymentApproved, true},
	"waiting-for-seller-decision":      {model.SOPaymentApproved, true},
	"waiting-ffmt-authorization":       {model.SOPaymentApproved, true},
	"waiting-for-manual-authorization": {model.SOPaymentApproved, true},
	"authorize-fulfillment":            {model.SOPaymentApproved, true},
	"window-to-cancel":                 {model.SOPaymentApproved, true},
	"waiting-for-mkt-authorization":    {model.SOPaymentApproved, true},
	"waiting-seller-handling":          {model.SOPaymentApproved, true},
	"waiting-for-fulfillment":          {model.SOPaymentApproved, true},
	"order-accepted":                   {model.SOPaymentApproved, true},

	"ready-for-handling": {model.SOReadyForHandling, true},

	"start-handling":      {model.SOHandling, true},
	"handling":            {model.SOHandling, true},
	"ready-for-invoicing": {model.SOHandling, true},

	// "invoice" is VTEX checking the invoice we sent.
	"invoice":                         {model.SOInvoiced, true},
	"invoiced":                        {model.SOInvoiced, true},
	"invoice-after-cancellation-deny": {model.SOInvoiced, true},

	"canceling": {model.SOCancelled, false},
	"cancel":    {model.SOCancelled, false},
	"canceled":  {model.SOCancelled, false},
	// The order was replaced by another one (change order): this one is gone.
	"replaced": {model.SOCancelled, false},
	// The order failed to be created; it will never be fulfilled.
	"order-create-error":   {model.SOCancelled, false},
	"order-creation-error": {model.SOCancelled, false},
}

// cancelRequests are statuses in which a cancellation was asked for but may
// still be declined by the seller: the order keeps its stock and the portal
// keeps the status it had (StatusUnknown) with CancelRequested set.
var cancelRequests = map[string]bool{
	"request-cancel":         true,
	"cancellation-requested": true,
}

// MapStatus maps a VTEX workflow status. known is false for statuses the table
// does not list (then status is StatusUnknown and reserve false) and for
// cancellation requests (status StatusUnknown, reserve true).
func MapStatus(vtexStatus string) (status model.SOStatus, reserve, known bool) {
	if m, ok := statusTable[vtexStatus]; ok {
		return m.status, m.reserve, true
	}
	if cancelRequests[vtexStatus] {
		return model.SOUnknown, true, false
	}
	return model.SOUnknown, false, false
}
