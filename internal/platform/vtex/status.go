package vtex

import "github.com/connectparts/portal/internal/platform"

type mapping struct {
	status  platform.Status
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
	"order-created":                    {platform.StatusAwaitingPayment, false},
	"order-completed":                  {platform.StatusAwaitingPayment, false},
	"on-order-completed":               {platform.StatusAwaitingPayment, false},
	"on-order-completed-ffm":           {platform.StatusAwaitingPayment, false},
	"waiting-for-sellers-confirmation": {platform.StatusAwaitingPayment, false},
	"waiting-for-authorization":        {platform.StatusAwaitingPayment, false},
	"waiting-for-order-authorization":  {platform.StatusAwaitingPayment, false},
	"payment-pending":                  {platform.StatusAwaitingPayment, false},
	"approve-payment":                  {platform.StatusAwaitingPayment, false},

	// Paid, not yet released for handling (cancellation and change windows,
	// fulfilment authorisations).
	"payment-approved":                 {platform.StatusPaymentApproved, true},
	"window-to-change-payment":         {platform.StatusPaymentApproved, true},
	"window-to-change-seller":          {platform.StatusPaymentApproved, true},
	"waiting-for-seller-decision":      {platform.StatusPaymentApproved, true},
	"waiting-ffmt-authorization":       {platform.StatusPaymentApproved, true},
	"waiting-for-manual-authorization": {platform.StatusPaymentApproved, true},
	"authorize-fulfillment":            {platform.StatusPaymentApproved, true},
	"window-to-cancel":                 {platform.StatusPaymentApproved, true},
	"waiting-for-mkt-authorization":    {platform.StatusPaymentApproved, true},
	"waiting-seller-handling":          {platform.StatusPaymentApproved, true},
	"waiting-for-fulfillment":          {platform.StatusPaymentApproved, true},
	"order-accepted":                   {platform.StatusPaymentApproved, true},

	"ready-for-handling": {platform.StatusReadyForHandling, true},

	"start-handling":      {platform.StatusHandling, true},
	"handling":            {platform.StatusHandling, true},
	"ready-for-invoicing": {platform.StatusHandling, true},

	// "invoice" is VTEX checking the invoice we sent.
	"invoice":                         {platform.StatusInvoiced, true},
	"invoiced":                        {platform.StatusInvoiced, true},
	"invoice-after-cancellation-deny": {platform.StatusInvoiced, true},

	"canceling": {platform.StatusCancelled, false},
	"cancel":    {platform.StatusCancelled, false},
	"canceled":  {platform.StatusCancelled, false},
	// The order was replaced by another one (change order): this one is gone.
	"replaced": {platform.StatusCancelled, false},
	// The order failed to be created; it will never be fulfilled.
	"order-create-error":   {platform.StatusCancelled, false},
	"order-creation-error": {platform.StatusCancelled, false},
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
func MapStatus(vtexStatus string) (status platform.Status, reserve, known bool) {
	if m, ok := statusTable[vtexStatus]; ok {
		return m.status, m.reserve, true
	}
	if cancelRequests[vtexStatus] {
		return platform.StatusUnknown, true, false
	}
	return platform.StatusUnknown, false, false
}
