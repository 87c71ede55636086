package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
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
		return s.renderPOUpload(c, noInvoiceFile)
	}
	r, err := s.purchasing.UploadBillingInvoice(c.UserContext(), copyString(c.Params("number")), data)
	if err != nil {
		return s.renderPOUploadError(c, err)
	}
	// Post/Redirect/Get: a refresh must not send the file again, and the
	// address bar must name the PO, not the upload (whose GET is the DANFE).
	return redirectWith(c, "/purchase-orders/"+r.PO.Number, "success",
		"Pedido faturado: NF-e nº "+strconv.Itoa(r.Invoice.Number)+", total "+format.Money(r.Invoice.TotalCents)+". O fornecedor foi avisado.")
}
