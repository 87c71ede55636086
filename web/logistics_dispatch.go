package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handleDispatchQueue is the logistics queue of billed POs not despachado.
func (s *Server) handleDispatchQueue(c *fiber.Ctx) error {
	page := pageFromQuery(c)
	f := store.PurchaseOrderFilter{AwaitingDispatch: true, Sort: sortFromQuery(c, poSortColumns)}
	if fm, ok := exportFormat(c); ok {
		return s.exportPurchaseOrders(c, fm, f, currentUser(c))
	}
	rows, total, err := s.store.ListPurchaseOrders(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	return s.render(c, views.DispatchQueuePage(views.DispatchQueueProps{Rows: rows, Pager: pager(c, page, total), Now: s.store.Now()}))
}

// handleDispatchSubmit marks despachado the PO of ?number= (one click) or
// every checked one (numbers), all or nothing.
func (s *Server) handleDispatchSubmit(c *fiber.Ctx) error {
	var numbers []string
	if n := copyString(c.Query("number")); n != "" {
		numbers = []string{n}
	} else {
		for _, v := range c.Request().PostArgs().PeekMulti("numbers") {
			numbers = append(numbers, string(v))
		}
	}
	back := "/logistics/dispatch"
	if ref := copyString(c.Get(fiber.HeaderReferer)); strings.Contains(ref, "/purchase-orders/") && len(numbers) == 1 {
		back = "/purchase-orders/" + numbers[0]
	}
	if b, ok := inboxBack(c); ok {
		back = b
	}
	pos, err := s.purchasing.Dispatch(c.UserContext(), numbers)
	switch {
	case isUserError(err):
		return redirectWith(c, back, "error", apperr.Message(err))
	case err != nil:
		return err
	}
	return redirectWith(c, back, "success", format.Plural(len(pos), "pedido marcado como despachado.", "pedidos marcados como despachados."))
}
