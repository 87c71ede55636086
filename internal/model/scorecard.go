package model

import "time"

// ScorecardPO is what a supplier scorecard reads of one purchase order: its
// stamps and whether a divergent NF-e was ever uploaded for it.
type ScorecardPO struct {
	ID             int64
	Status         POStatus
	CreatedAt      time.Time
	AcknowledgedAt *time.Time
	BackorderedAt  *time.Time
	InvoicedAt     *time.Time
	BilledAt       *time.Time
	ShippedAt      *time.Time
	DispatchHours  int
	Divergent      bool // an NF-e upload of this PO diverged from it
}

func (r ScorecardPO) po() PurchaseOrder {
	return PurchaseOrder{Status: r.Status, BilledAt: r.BilledAt, ShippedAt: r.ShippedAt, DispatchHours: r.DispatchHours}
}

// OnTime reports whether the PO was shipped within its ship-by deadline;
// ok is false when it was not shipped (or never billed).
func (r ScorecardPO) OnTime() (onTime, ok bool) {
	po := r.po()
	d := po.ShipDeadline()
	if d == nil || r.ShippedAt == nil {
		return false, false
	}
	return !r.ShippedAt.After(*d), true
}

// Scorecard is how a supplier served the POs created in a period.
type Scorecard struct {
	POs int // created in the period

	Acknowledged int           // answered with an acceptance
	AckTotal     time.Duration // sum of creation → acceptance

	Invoiced     int           // with the sale NF-e accepted
	InvoiceTotal time.Duration // sum of creation → NF-e accepted

	Shipped     int           // shipped after ConnectParts' billing
	OnTime      int           // of Shipped, within the ship-by deadline
	MarginTotal time.Duration // sum of deadline − shipment (negative: late)

	LateNow     int // billed, not shipped and past the deadline now
	Backordered int // answered "sem estoque"
	Divergent   int // with a divergent NF-e upload
	NFeSent     int // with any NF-e upload (accepted or divergent)
}

// ComputeScorecard sums the rows at now.
func ComputeScorecard(rows []ScorecardPO, now time.Time) Scorecard {
	var s Scorecard
	for _, r := range rows {
		s.POs++
		if r.AcknowledgedAt != nil {
			s.Acknowledged++
			s.AckTotal += r.AcknowledgedAt.Sub(r.CreatedAt)
		}
		if r.InvoicedAt != nil {
			s.Invoiced++
			s.InvoiceTotal += r.InvoicedAt.Sub(r.CreatedAt)
		}
		if r.InvoicedAt != nil || r.Divergent {
			s.NFeSent++
		}
		if r.Divergent {
			s.Divergent++
		}
		if r.BackorderedAt != nil {
			s.Backordered++
		}
		if onTime, ok := r.OnTime(); ok {
			s.Shipped++
			if onTime {
				s.OnTime++
			}
			po := r.po()
			s.MarginTotal += po.ShipDeadline().Sub(*r.ShippedAt)
		} else if po := r.po(); po.Late(now) {
			s.LateNow++
		}
	}
	return s
}

// Mean is total/n, false when n is 0.
func Mean(total time.Duration, n int) (time.Duration, bool) {
	if n == 0 {
		return 0, false
	}
	return total / time.Duration(n), true
}

// Rate is part/whole in percent, false when whole is 0.
func Rate(part, whole int) (float64, bool) {
	if whole == 0 {
		return 0, false
	}
	return 100 * float64(part) / float64(whole), true
}

// ScorecardWeek is one bar of the scorecard's chart: the POs created in
// [From, To) and how their shipments kept the deadline.
type ScorecardWeek struct {
	From, To time.Time
	Scorecard
}

// ScorecardWeeks splits the rows into 7-day periods from from (the last
// one ends at to, shorter when the period is not whole weeks).
func ScorecardWeeks(rows []ScorecardPO, from, to, now time.Time) []ScorecardWeek {
	var out []ScorecardWeek
	for start := from; start.Before(to); start = start.AddDate(0, 0, 7) {
		end := start.AddDate(0, 0, 7)
		if end.After(to) {
			end = to
		}
		var in []ScorecardPO
		for _, r := range rows {
			if !r.CreatedAt.Before(start) && r.CreatedAt.Before(end) {
				in = append(in, r)
			}
		}
		out = append(out, ScorecardWeek{From: start, To: end, Scorecard: ComputeScorecard(in, now)})
	}
	return out
}
