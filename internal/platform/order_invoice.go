package platform

// OrderInvoice is one invoice a platform holds for an order.
type OrderInvoice struct {
	Number         string
	TrackingNumber string // "" until a tracking is added to the invoice
}

// HasInvoice reports whether the order holds the invoice numbered number.
func (o *Order) HasInvoice(number string) bool {
	_, ok := o.invoice(number)
	return ok
}

// HasTracking reports whether the invoice numbered number carries the
// tracking code.
func (o *Order) HasTracking(number, code string) bool {
	inv, ok := o.invoice(number)
	return ok && code != "" && inv.TrackingNumber == code
}

func (o *Order) invoice(number string) (OrderInvoice, bool) {
	for _, inv := range o.Invoices {
		if number != "" && inv.Number == number {
			return inv, true
		}
	}
	return OrderInvoice{}, false
}
