package mercadolivre

import "github.com/connectparts/portal/internal/model"

// Shipment ready_to_ship substatuses that mean the package already left the
// seller (picked up by the carrier, dropped at an agency, in Mercado Livre's
// network).
var leftSeller = map[string]bool{
	"picked_up": true, "dropped_off": true, "in_hub": true, "in_transit": true,
	"authorized_by_carrier": true,
}

// MapStatus maps a Mercado Livre order status and its shipment's
// status/substatus (x-format-new) onto the portal's codes.
//
//	order confirmed, payment_required, payment_in_process, partially_paid → awaiting_payment
//	order cancelled, invalid, pending_cancel                               → cancelled
//	order paid, partially_refunded, by shipment status:
//	  (no shipment), pending, to_be_agreed                                 → payment_approved
//	  handling                                                             → ready_for_handling
//	  ready_to_ship/invoice_pending                                        → ready_for_handling (ML waits for our NF-e)
//	  ready_to_ship/picked_up, dropped_off, in_hub, in_transit, authorized_by_carrier → dispatched
//	  ready_to_ship (other substatuses: label released after the NF-e)     → invoiced
//	  shipped, not_delivered                                               → dispatched
//	  delivered                                                            → delivered
//	  cancelled                                                            → cancelled
//
// Reserve is true for every order that is not cancelled: Mercado Livre takes
// the units off the listing when the order is confirmed (orders' date_closed:
// "se descuenta el stock del ítem"), and DOMAIN.md exempts only VTEX orders
// awaiting payment from reserving. Mercado Livre has no "handling" step the
// seller starts, so StatusHandling never comes from here. known is false for
// order statuses this table does not list.
func MapStatus(orderStatus, shipStatus, shipSubstatus string) (status model.SOStatus, reserve, known bool) {
	switch orderStatus {
	case "confirmed", "payment_required", "payment_in_process", "partially_paid":
		return model.SOAwaitingPayment, true, true
	case "cancelled", "invalid", "pending_cancel":
		return model.SOCancelled, false, true
	case "paid", "partially_refunded":
	default:
		return model.SOUnknown, false, false
	}
	switch shipStatus {
	case "", "pending", "to_be_agreed":
		return model.SOPaymentApproved, true, true
	case "handling":
		return model.SOReadyForHandling, true, true
	case "ready_to_ship":
		switch {
		case shipSubstatus == "invoice_pending":
			return model.SOReadyForHandling, true, true
		case leftSeller[shipSubstatus]:
			return model.SODispatched, true, true
		}
		return model.SOInvoiced, true, true
	case "shipped", "not_delivered":
		return model.SODispatched, true, true
	case "delivered":
		return model.SODelivered, true, true
	case "cancelled":
		return model.SOCancelled, false, true
	}
	return model.SOUnknown, true, false
}

// channelStatus is what the portal keeps as channel_status: the order status,
// then the shipment's status and substatus ("paid / ready_to_ship:invoice_pending").
func channelStatus(orderStatus, shipStatus, shipSubstatus string) string {
	s := orderStatus
	if shipStatus != "" {
		s += " / " + shipStatus
		if shipSubstatus != "" {
			s += ":" + shipSubstatus
		}
	}
	return s
}
