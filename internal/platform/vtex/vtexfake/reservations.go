package vtexfake

import "time"

// VTEX's reservation lifecycle, as the help center documents it ("How the
// reservation works", help.vtex.com/en/tutorial/how-does-reservation-work,
// source docs/en/tutorials/shipping/inventory/how-does-reservation-work.md in
// vtexdocs/help-center-content; summarised in the fixtures' openapi/SOURCES.md):
//
//   - a sold unit is an *authorized* reservation when the order is placed,
//     *confirmed* when payment is approved and *acknowledged* when the order
//     moves from ready-for-handling to handling;
//   - VTEX never subtracts sold units from the inventory quantity by itself;
//   - an update of a SKU's quantity in a warehouse sets the acknowledged
//     reservations of that SKU to zero; authorized and confirmed reservations
//     keep being subtracted;
//   - the storefront sells quantity − authorized − confirmed − acknowledged.
//
// Where the documents are silent the fake chooses, and says so:
//   - Invoicing does not release a reservation (the help center's
//     troubleshooting page "Product remains available in stock after the order
//     has been invoiced" says the acknowledged reservation stays until the
//     store updates the inventory); the fake keeps the reservation as it was.
//   - A cancelled order's reservation is removed whatever its state; the help
//     center says so of confirmed reservations ("the order can still be
//     canceled and items can still become available again") and says nothing
//     of acknowledged ones.
//   - The expiry of authorized reservations (payment expiration + reservation
//     period) is not modelled: the fake has no clock for it.
//   - Reservations are counted per SKU over all warehouses, and the storefront
//     figure is the sum of the warehouses' quantities less them: the fake's
//     orders carry no warehouse of their own (the documents do not say how
//     VTEX picks the warehouse a reservation draws on when there are several).

// Reservation states.
const (
	ReservationAuthorized   = "authorized"
	ReservationConfirmed    = "confirmed"
	ReservationAcknowledged = "acknowledged"
)

// reservationState is the state a reservation has with the order in status:
// "" when the order holds no reservation (cancelled). Statuses come from the
// help center's status table (vtex-order-statuses.json): before payment
// approval → authorized; from payment approval until ready-for-handling →
// confirmed; from handling on → acknowledged.
func reservationState(status string) string {
	switch status {
	case "order-created", "on-order-completed", "on-order-completed-ffm", "waiting-for-authorization",
		"waiting-for-sellers-confirmation", "waiting-for-order-authorization", "payment-pending", "approve-payment":
		return ReservationAuthorized
	case "payment-approved", "window-to-change-payment", "window-to-change-seller", "waiting-ffmt-authorization",
		"waiting-for-manual-authorization", "authorize-fulfillment", "window-to-cancel", "ready-for-handling",
		"waiting-for-seller-decision", "waiting-for-mkt-authorization", "waiting-seller-handling",
		"waiting-for-fulfillment", "order-accepted":
		return ReservationConfirmed
	case "start-handling", "handling", "ready-for-invoicing", "invoice", "invoiced", "invoice-after-cancellation-deny":
		return ReservationAcknowledged
	case "canceling", "cancel", "canceled", "replaced", "order-create-error", "order-creation-error":
		return ""
	}
	return "keep" // request-cancel and the like: the reservation stays as it is
}

// reservation is one order line's hold on a SKU.
type reservation struct {
	skuID string
	qty   int64
	state string // Reservation*; "" once released or zeroed
	// ackAt is when it became acknowledged (the order entered handling).
	ackAt time.Time
}

// setStatus moves an order and its reservations. Caller holds mu.
func (o *order) setStatus(status string) {
	o.status = status
	next := reservationState(status)
	if next == "keep" {
		return
	}
	for i := range o.resv {
		r := &o.resv[i]
		switch {
		case next == "":
			r.state = ""
		case r.state == "":
			// Zeroed by a quantity update (or released): nothing comes back.
		case rank(next) > rank(r.state):
			r.state = next
			if next == ReservationAcknowledged {
				r.ackAt = time.Now()
			}
		}
	}
}

func rank(state string) int {
	switch state {
	case ReservationAuthorized:
		return 1
	case ReservationConfirmed:
		return 2
	case ReservationAcknowledged:
		return 3
	}
	return 0
}

// zeroAcknowledged applies a quantity update of skuID whose
// dateUtcOnBalanceSystem is balanceAt: its reservations acknowledged at or
// before that moment are set to zero. The Logistics API defines the field as
// "the date and time of the warehouse when the SKU was updated … useful for
// liberating handling order reservations", the request's time when null or
// empty; the help center's inventory page (es) as "el momento
// correspondiente al stock informado". Neither spells out which
// reservations it releases: the fake reads it as the moment the quantity
// counts up to, so an order that entered handling after it is not in the
// quantity yet and keeps its reservation. Caller holds mu.
func (s *Server) zeroAcknowledged(skuID string, balanceAt time.Time) {
	for _, o := range s.orders {
		for i := range o.resv {
			if r := &o.resv[i]; r.skuID == skuID && r.state == ReservationAcknowledged && !r.ackAt.After(balanceAt) {
				r.state = ""
			}
		}
	}
}

// balanceTime reads dateUtcOnBalanceSystem: ISO 8601 with an offset
// ("2024-01-31T19:12:01.025662+00:00", the PATCH example) or without one,
// taken as UTC ("2024-06-13T00:52:16", the PUT example; the field is
// "Utc"); null or empty is now. ok is false for anything else.
func balanceTime(raw *string, now time.Time) (time.Time, bool) {
	if raw == nil || *raw == "" {
		return now, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, *raw); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Reserved returns the units of a VTEX SKU id held in each reservation state.
func (s *Server) Reserved(skuID string) map[string]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int64{}
	for _, o := range s.orders {
		for _, r := range o.resv {
			if r.skuID == skuID && r.state != "" {
				out[r.state] += r.qty
			}
		}
	}
	return out
}

// Storefront is what the store sells of a VTEX SKU id now: the quantities
// written to its warehouses less every active reservation, never below zero.
func (s *Server) Storefront(skuID string) int64 {
	held := s.Reserved(skuID)
	s.mu.Lock()
	defer s.mu.Unlock()
	var q int64
	for _, st := range s.stock {
		if st.SKUID == skuID {
			q += st.Quantity
		}
	}
	return max(0, q-held[ReservationAuthorized]-held[ReservationConfirmed]-held[ReservationAcknowledged])
}
