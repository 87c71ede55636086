package model

// The sales order's status follows its platform (the import applies the
// platform's status); the portal itself moves it only at billing (invoiced)
// and at the despacho (dispatched), in syncengine.SalesOrders. The groups of
// statuses those rules read live here, once.

// PaymentApproved reports whether the order's payment is approved: payment
// approved or any later status but cancelled. Such an order is due its
// purchase orders (an order first seen in a later status too).
func (s SOStatus) PaymentApproved() bool {
	switch s {
	case SOPaymentApproved, SOReadyForHandling, SOHandling, SOInvoiced, SODispatched, SODelivered:
		return true
	}
	return false
}

// Invoiced reports whether the order is invoiced or past it (dispatched,
// delivered): its stock is consumed, and billing another of its POs leaves
// the status as it is.
func (s SOStatus) Invoiced() bool {
	return s == SOInvoiced || s == SODispatched || s == SODelivered
}

// Dispatched reports whether the order is despachado or past it (delivered).
func (s SOStatus) Dispatched() bool { return s == SODispatched || s == SODelivered }
