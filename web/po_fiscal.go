package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/views"
)

// handlePurchaseOrderBook is fiscal's "Dar entrada" (detail page or the
// fiscal queue); it returns to where the button was.
func (s *Server) handlePurchaseOrderBook(c *fiber.Ctx) error {
	back := poURL(c)
	if ref := copyString(c.Get(fiber.HeaderReferer)); strings.Contains(ref, "/purchase-orders?") {
		back = "/purchase-orders?status=" + string(model.POSupplierInvoiced)
	}
	po, err := s.purchasing.BookSupplierInvoice(c.UserContext(), copyString(c.Params("number")))
	switch {
	case apperr.Is(err, apperr.ECONFLICT):
		return redirectWith(c, back, "error", apperr.Message(err))
	case err != nil:
		return err
	}
	return redirectWith(c, back, "success", "Entrada da NF-e do fornecedor do pedido "+po.Number+" registrada.")
}

// handlePurchaseOrderBillingUpload is fiscal uploading ConnectParts'
// billing NF-e on the PO page: accepted, or every problem (422/409).
func (s *Server) handlePurchaseOrderBillingUpload(c *fiber.Ctx) error {
	data, err := readFormFile(c, "xml", nfe.DefaultMaxBytes)
	switch {
	case err != nil:
		return err
	case data == nil:
		return s.renderPOUpload(c, fiber.StatusUnprocessableEntity, noInvoiceFile)
	}
	r, err := s.purchasing.UploadBillingInvoice(c.UserContext(), copyString(c.Params("number")), data)
	if err != nil {
		return s.renderPOUploadError(c, err)
	}
	return s.renderPOUpload(c, fiber.StatusOK, views.InvoiceUploadResult{Accepted: true,
		Message: "Pedido faturado: NF-e nº " + strconv.Itoa(r.Invoice.Number) + ", total " + format.Money(r.Invoice.TotalCents) + ". O fornecedor foi avisado."})
}

// handleDispatchQueue is the logistics queue of billed POs not despachado.
func (s *Server) handleDispatchQueue(c *fiber.Ctx) error {
	page := pageFromQuery(c)
	rows, total, err := s.store.ListPurchaseOrders(c.UserContext(), store.PurchaseOrderFilter{AwaitingDispatch: true}, page)
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
	pos, err := s.purchasing.Dispatch(c.UserContext(), numbers)
	switch {
	case isUserError(err):
		return redirectWith(c, back, "error", apperr.Message(err))
	case err != nil:
		return err
	}
	return redirectWith(c, back, "success", strconv.Itoa(len(pos))+" pedido(s) marcado(s) como despachado(s).")
}
