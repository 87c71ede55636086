package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/purchasing"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/tabular"
	"github.com/connectparts/portal/views"
)

const poExceptionsURL = "/purchase-orders/exceptions"

// handlePOExceptions is purchasing's exception queue: POs without price,
// without stock, and cancelled on the platform after the despacho.
func (s *Server) handlePOExceptions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	page := store.Page{Size: 200}
	p := views.POExceptionsProps{Now: s.store.Now(), CanManage: currentUser(c).Can(model.PermManagePurchaseOrders)}
	var err error
	if p.NoPrice, p.NoPriceTotal, err = s.store.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{Status: model.PONoPrice}, page); err != nil {
		return err
	}
	if p.Backordered, p.BackorderedTotal, err = s.store.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{Status: model.POBackordered}, page); err != nil {
		return err
	}
	if p.Cancelled, p.CancelledTotal, err = s.store.ListPurchaseOrders(ctx, store.PurchaseOrderFilter{CancelException: true}, page); err != nil {
		return err
	}
	return s.render(c, views.POExceptionsPage(p))
}

// poActionBack is where a queue action returns: the queue when the button
// was there, otherwise the PO page.
func poActionBack(c *fiber.Ctx) string {
	if back, ok := inboxBack(c); ok {
		return back
	}
	if ref := copyString(c.Get(fiber.HeaderReferer)); strings.Contains(ref, poExceptionsURL) {
		return poExceptionsURL
	}
	return poURL(c)
}

// poActionDone redirects after a queue action: the error (422/409 in the
// API) as a flash, or the success message.
func poActionDone(c *fiber.Ctx, err error, success string) error {
	back := poActionBack(c)
	switch {
	case isUserError(err):
		return redirectWith(c, back, "error", apperr.Message(err))
	case err != nil:
		return err
	}
	return redirectWith(c, back, "success", success)
}

// handlePurchaseOrderReprice is purchasing's "Reprecificar"; the PO page's
// form may carry manual prices (price_<line>, "12,50") with one justification.
func (s *Server) handlePurchaseOrderReprice(c *fiber.Ctx) error {
	var manual []purchasing.ManualPrice
	var bad []string
	justification := copyString(c.FormValue("justification"))
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		line, ok := strings.CutPrefix(string(k), "price_")
		n, err := strconv.Atoi(line)
		if !ok || err != nil || strings.TrimSpace(string(v)) == "" {
			return
		}
		cents, err := tabular.ParseCentavos(string(v))
		if err != nil {
			bad = append(bad, "Linha "+line+": "+err.Error()+".")
			return
		}
		manual = append(manual, purchasing.ManualPrice{Line: n, UnitCents: cents, Justification: justification})
	})
	if len(bad) > 0 {
		return redirectWith(c, poActionBack(c), "error", "Preço manual inválido. "+strings.Join(bad, " "))
	}
	po, err := s.purchasing.Reprice(c.UserContext(), copyString(c.Params("number")), manual...)
	if apperr.Is(err, apperr.EINVALID) {
		var parts []string
		for _, d := range apperr.Details(err) {
			parts = append(parts, d.Message)
		}
		return redirectWith(c, poActionBack(c), "error", apperr.Message(err)+" "+strings.Join(parts, " "))
	}
	msg := ""
	if err == nil {
		msg = "Pedido " + po.Number + " reprecificado e enviado ao fornecedor."
	}
	return poActionDone(c, err, msg)
}

// handlePurchaseOrderContinue is purchasing's "Continuar" on a PO without stock.
func (s *Server) handlePurchaseOrderContinue(c *fiber.Ctx) error {
	po, err := s.purchasing.ResumeBackorder(c.UserContext(), copyString(c.Params("number")))
	msg := ""
	if err == nil {
		msg = "Pedido " + po.Number + " continua; o fornecedor foi avisado."
	}
	return poActionDone(c, err, msg)
}

// handlePurchaseOrderCancel is purchasing's "Cancelar pedido" on a PO without stock.
func (s *Server) handlePurchaseOrderCancel(c *fiber.Ctx) error {
	po, err := s.purchasing.CancelBackordered(c.UserContext(), copyString(c.Params("number")), copyString(c.FormValue("reason")))
	msg := ""
	if err == nil {
		msg = "Pedido " + po.Number + " cancelado; o cancelamento do pedido de venda " + po.OrderNumber + " foi enviado à plataforma."
	}
	return poActionDone(c, err, msg)
}

// handlePurchaseOrderResolve is staff's "Resolvido" on a PO cancelled after the despacho.
func (s *Server) handlePurchaseOrderResolve(c *fiber.Ctx) error {
	po, err := s.purchasing.ResolveCancelException(c.UserContext(), copyString(c.Params("number")), copyString(c.FormValue("note")))
	msg := ""
	if err == nil {
		msg = "Exceção do pedido " + po.Number + " resolvida."
	}
	return poActionDone(c, err, msg)
}
