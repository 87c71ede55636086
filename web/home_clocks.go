package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/views"
)

// supplierClocksShown is how many POs each of the home's clocks lists.
const supplierClocksShown = 5

// supplierClocks is what waits on one supplier now, per step, each PO with
// its deadline: to answer and to send the NF-e by due_at, to ship by the
// ship-by deadline. Only that supplier's POs are read.
func (s *Server) supplierClocks(c *fiber.Ctx, supplierID int64, counts map[model.POStatus]int64, now time.Time) ([]views.ClockGroup, error) {
	steps := []struct {
		title, href, testid string
		statuses            []model.POStatus
	}{
		{"Aceitar ou informar falta", "/purchase-orders?status=awaiting_supplier", "clock-answer", []model.POStatus{model.POAwaitingSupplier}},
		{"Enviar a NF-e de venda", "/purchase-orders?status=acknowledged", "clock-invoice", []model.POStatus{model.POAcknowledged, model.POInvoiceDivergent}},
		{"Enviar ao cliente", "/purchase-orders?status=billed", "clock-ship", []model.POStatus{model.POBilled}},
	}
	var out []views.ClockGroup
	for _, st := range steps {
		pos, err := s.store.WaitingPurchaseOrders(c.UserContext(), supplierID, st.statuses, supplierClocksShown)
		if err != nil {
			return nil, err
		}
		g := views.ClockGroup{Title: st.title, Href: st.href, TestID: st.testid}
		for _, s := range st.statuses {
			g.Total += counts[s]
		}
		for _, po := range pos {
			deadline := po.DueAt
			if po.Status == model.POBilled {
				if d := po.ShipDeadline(); d != nil {
					deadline = *d
				}
			}
			g.Items = append(g.Items, clockItem(po, deadline, now))
		}
		out = append(out, g)
	}
	return out, nil
}

func clockItem(po model.PurchaseOrder, deadline, now time.Time) views.ClockItem {
	it := views.ClockItem{Number: po.Number, Href: "/purchase-orders/" + po.Number, Customer: po.CustomerName, Deadline: format.DateTime(deadline)}
	if now.After(deadline) {
		it.Late, it.Clock = true, "atrasado há "+format.Duration(now.Sub(deadline))
	} else {
		it.Clock = "faltam " + format.Duration(deadline.Sub(now))
	}
	return it
}
